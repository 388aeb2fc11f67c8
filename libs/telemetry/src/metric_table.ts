/**
 * The metric contract: every `lnsgd_*` series any process exports. Dashboards
 * (deploy/grafana), alert rules (deploy/prometheus) and tests check against this
 * table, so a name here is an interface: rename only together with them.
 *
 * Conventions (DESIGN.md, "Observability contract"): prefix `lnsgd_`, base units
 * (seconds, bytes), `_total` for counters, identity labels run / role / rank|shard
 * only, plus three bounded extras: `reason` (one of {@link REJECT_REASONS}),
 * `index` (1…{@link MAX_TOP_K}) and `worker` (a worker rank, 0…workers−1, on a
 * parameter server's per-worker series).
 */

/** Process roles; the `role` label takes exactly these values. `trainer` is `lnsgd train --inprocess`. */
export const ROLES = ['ps', 'worker', 'metrics', 'trainer'] as const;
export type Role = (typeof ROLES)[number];

/** Why the parameter server refused a message: the wire ErrorCodes (proto/trainer.proto), snake_case. */
export const REJECT_REASONS = [
  'malformed',
  'unknown_worker',
  'version_mismatch',
  'step_mismatch',
  'bad_shape',
  'checksum_mismatch',
  'stale_push',
  'duplicate_push',
  'not_authorized',
  'non_finite',
  'too_large',
  'run_full',
  'shutting_down',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Most top eigenvalues exported under `lnsgd_hessian_eigenvalue{index}`: keeps `index` bounded. */
export const MAX_TOP_K = 10;

/** Labels that identify the exporting process, set on every series. */
export const IDENTITY_LABELS = ['run', 'role', 'rank', 'shard'] as const;
export type IdentityLabel = (typeof IDENTITY_LABELS)[number];

/** Per-metric labels beyond the identity; each has a small fixed value set. */
export const EXTRA_LABELS = ['reason', 'index', 'worker'] as const;
export type ExtraLabel = (typeof EXTRA_LABELS)[number];

/** Every label name a series may carry. */
export const ALLOWED_LABELS: readonly string[] = [...IDENTITY_LABELS, ...EXTRA_LABELS];

export type MetricType = 'counter' | 'gauge' | 'histogram';

/** One row of the contract. */
export interface MetricSpec {
  readonly name: string;
  readonly type: MetricType;
  /** One sentence that states the unit. */
  readonly help: string;
  /** Roles that export it (others never register it). */
  readonly roles: readonly Role[];
  /** Labels beyond the identity labels. */
  readonly labels: readonly ExtraLabel[];
  /** Histogram bucket upper bounds, in the metric's unit. */
  readonly buckets?: readonly number[];
}

const TRAINING: readonly Role[] = ['ps', 'trainer'];
const RUN_DESCRIBERS: readonly Role[] = ['ps', 'metrics', 'trainer'];
const ESTIMATORS: readonly Role[] = ['metrics', 'trainer'];
const NETWORKED: readonly Role[] = ['ps', 'worker', 'metrics'];

/** 0.5 ms … 30 s: a step of the uv toy takes well under a millisecond, a ResNet step seconds. */
const STEP_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** 0.1 ms … 10 s: loopback round trips up to a slow cluster link with a large model. */
const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];
/** 10 ms … 30 min: an estimate costs ~170 Hessian-vector products. */
const ESTIMATE_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

const gauge = (name: string, help: string, roles: readonly Role[]) => ({ name, type: 'gauge', help, roles, labels: [] }) as const satisfies MetricSpec;
const counter = (name: string, help: string, roles: readonly Role[]) => ({ name, type: 'counter', help, roles, labels: [] }) as const satisfies MetricSpec;

/**
 * The table. Keys are the names code uses (`telemetry.update({hessianTrace: …})`);
 * `.name` is what Prometheus sees.
 *
 * @example METRICS.hessianTopEigenvalue.name // 'lnsgd_hessian_top_eigenvalue'
 */
export const METRICS = {
  // Training progress.
  trainStep: gauge('lnsgd_train_step', 'Optimizer steps completed so far (the parameter version; a worker reports the last step it pushed), in steps.', [
    'ps',
    'worker',
    'trainer',
  ]),
  trainSamples: counter('lnsgd_train_samples_total', 'Training samples whose gradients this process computed, in samples.', ['worker', 'trainer']),
  tfjsTensors: gauge(
    'lnsgd_tfjs_tensors',
    "Tensors alive in this process's TensorFlow.js engine (tf.memory().numTensors), in tensors.",
    // The parameter server's shard math is plain Float32Arrays: it holds no tensors.
    ['worker', 'metrics', 'trainer'],
  ),
  trainLoss: gauge('lnsgd_train_loss', 'Mean noisy (label-noise) batch loss of the latest step, in loss units.', TRAINING),
  trainStepDuration: {
    name: 'lnsgd_train_step_duration_seconds',
    type: 'histogram',
    help: 'Wall time of one training step (a worker: compute, push and pull; the parameter server: open to close), in seconds.',
    roles: ['ps', 'worker', 'trainer'],
    labels: [],
    buckets: STEP_BUCKETS,
  },

  // Transport (ZeroMQ).
  pushDuration: {
    name: 'lnsgd_transport_push_duration_seconds',
    type: 'histogram',
    help: 'Time from sending a gradient push to its acknowledgement (worker) or to handle one push (parameter server), in seconds.',
    roles: ['ps', 'worker'],
    labels: [],
    buckets: LATENCY_BUCKETS,
  },
  pullDuration: {
    name: 'lnsgd_transport_pull_duration_seconds',
    type: 'histogram',
    help: 'Time from a parameter pull request to the parameters arriving (worker) or to serve one pull (parameter server), in seconds.',
    roles: ['ps', 'worker'],
    labels: [],
    buckets: LATENCY_BUCKETS,
  },
  sentBytes: counter('lnsgd_transport_sent_bytes_total', 'Bytes sent on ZeroMQ sockets, all frames included, in bytes.', NETWORKED),
  receivedBytes: counter('lnsgd_transport_received_bytes_total', 'Bytes received on ZeroMQ sockets, all frames included, in bytes.', NETWORKED),
  rejectedMessages: {
    name: 'lnsgd_transport_rejected_messages_total',
    type: 'counter',
    help: 'Messages the parameter server refused, by reason, in messages.',
    roles: ['ps'],
    labels: ['reason'],
  },

  // Cluster health.
  pushDelay: {
    name: 'lnsgd_ps_push_delay_seconds',
    type: 'gauge',
    help: "How long after the step's first accepted push this worker's push was accepted, for the latest step it pushed (a straggler's lateness), per worker rank, in seconds.",
    roles: ['ps'],
    labels: ['worker'],
  },
  liveWorkers: gauge('lnsgd_cluster_live_workers', 'Workers currently registered and heartbeating, in workers.', ['ps']),
  expectedWorkers: gauge('lnsgd_cluster_expected_workers', 'Workers the run was started with, in workers.', ['ps']),
  runFinished: gauge(
    'lnsgd_run_finished',
    'Whether the run is over at this parameter server (1: its last step is applied, it was stopped or it failed; 0: running), dimensionless.',
    ['ps'],
  ),
  checkpointsWritten: counter('lnsgd_ps_checkpoints_written_total', 'Shard checkpoints this parameter server wrote, in checkpoints.', ['ps']),
  checkpointFailures: counter(
    'lnsgd_ps_checkpoint_failures_total',
    'Shard checkpoint writes that failed (a full disk, a read-only directory); training goes on and the older checkpoints stay, in checkpoints.',
    ['ps'],
  ),

  // The run's hyper-parameters and the quantities derived from them.
  learningRate: gauge('lnsgd_hyper_learning_rate', 'Learning rate η of the run, dimensionless.', RUN_DESCRIBERS),
  labelNoiseSigma: gauge('lnsgd_hyper_label_noise_sigma', 'Scale σ of the regression label noise, in label units.', RUN_DESCRIBERS),
  labelFlipProbability: gauge('lnsgd_hyper_label_flip_probability', 'Probability p that a classification label is flipped, as a ratio.', RUN_DESCRIBERS),
  batchSize: gauge('lnsgd_hyper_batch_size', 'Global batch size B of the run, in samples.', RUN_DESCRIBERS),
  momentum: gauge('lnsgd_hyper_momentum', 'Heavy-ball momentum β of the run, dimensionless.', RUN_DESCRIBERS),
  regularizationStrength: gauge(
    'lnsgd_implicit_regularization_strength',
    'Strength λ = ησ²/(B(1−β)) of the implicit regularizer for regression runs, dimensionless.',
    RUN_DESCRIBERS,
  ),
  gradientNoiseScale: gauge(
    'lnsgd_gradient_noise_scale',
    'Gradient noise scale B_simple = tr Σ/|G|² from moving averages of both (McCandlish et al. 2018), in samples.',
    ['ps', 'metrics'],
  ),
  noiseCovarianceTrace: gauge(
    'lnsgd_label_noise_covariance_trace',
    'Trace tr G of the per-sample covariance of the label-noise part of the gradient, from noisy minus clean batch gradients (NaN for classification), in squared loss units per squared parameter unit.',
    ['trainer', 'worker'],
  ),
  noiseCovarianceTraceStderr: gauge(
    'lnsgd_label_noise_covariance_trace_stderr',
    'Standard error of lnsgd_label_noise_covariance_trace over 8 groups of the batch, in squared loss units per squared parameter unit.',
    ['trainer', 'worker'],
  ),

  // Sharpness of the clean loss on the fixed evaluation batch.
  hessianTopEigenvalue: gauge(
    'lnsgd_hessian_top_eigenvalue',
    'Largest Hessian eigenvalue λ_max of the clean loss on the evaluation batch (Lanczos Ritz value), in loss units per squared parameter unit.',
    ESTIMATORS,
  ),
  hessianTopEigenvalueError: gauge(
    'lnsgd_hessian_top_eigenvalue_error',
    'Lanczos residual of lnsgd_hessian_top_eigenvalue (an eigenvalue lies within it), in loss units per squared parameter unit.',
    ESTIMATORS,
  ),
  hessianEigenvalues: {
    name: 'lnsgd_hessian_eigenvalue',
    type: 'gauge',
    help: 'The index-th largest Hessian eigenvalue of the clean loss (Lanczos Ritz value), in loss units per squared parameter unit.',
    roles: ['metrics'],
    labels: ['index'],
  },
  hessianTrace: gauge(
    'lnsgd_hessian_trace',
    'Trace of the clean-loss Hessian on the evaluation batch (deflated stochastic Lanczos quadrature), in loss units per squared parameter unit.',
    ESTIMATORS,
  ),
  hessianTraceStderr: gauge(
    'lnsgd_hessian_trace_stderr',
    'Standard error of lnsgd_hessian_trace over the probe vectors, in loss units per squared parameter unit.',
    ESTIMATORS,
  ),
  implicitRegularizer: gauge(
    'lnsgd_implicit_regularizer',
    "Implicit regularizer R(θ) for the run's η and β (NaN while an eigenvalue reaches 2(1+β)/η), in loss units.",
    ESTIMATORS,
  ),
  implicitRegularizerStderr: gauge(
    'lnsgd_implicit_regularizer_stderr',
    'Standard error of lnsgd_implicit_regularizer over the probe vectors, in loss units.',
    ESTIMATORS,
  ),
  unstableEigenvalues: gauge('lnsgd_hessian_unstable_eigenvalues', 'Hessian eigenvalues found at or above 2(1+β)/η, in eigenvalues.', ESTIMATORS),
  stabilityThreshold: gauge(
    'lnsgd_hessian_stability_threshold',
    'Edge-of-stability threshold 2(1+β)/η for lnsgd_hessian_top_eigenvalue, in loss units per squared parameter unit.',
    ESTIMATORS,
  ),
  edgeOfStabilityRatio: gauge('lnsgd_edge_of_stability_ratio', 'Edge-of-stability ratio η·λ_max/(2(1+β)) (1 is the edge), as a ratio.', ESTIMATORS),
  sharpnessStep: gauge('lnsgd_sharpness_step', 'Step of the parameter snapshot the sharpness and evaluation gauges describe, in steps.', ESTIMATORS),
  sharpnessDuration: {
    name: 'lnsgd_sharpness_duration_seconds',
    type: 'histogram',
    help: 'Wall time of one sharpness estimate of a snapshot, evaluations included, in seconds.',
    roles: ESTIMATORS,
    labels: [],
    buckets: ESTIMATE_BUCKETS,
  },
  sharpnessRoundSeconds: gauge(
    'lnsgd_sharpness_round_seconds',
    "Wall time of the last estimate's estimation rounds (its Hessian-vector products computed by the workers, --sharpness distributed), in seconds.",
    ['metrics'],
  ),
  sharpnessRoundPauseSeconds: gauge(
    'lnsgd_sharpness_round_pause_seconds',
    "Time the last estimate's estimation rounds waited so that the workers spend at most the round budget in rounds (--sharpness-budget), in seconds.",
    ['metrics'],
  ),
  sharpnessRoundTrainingSteps: gauge(
    'lnsgd_sharpness_round_training_steps',
    "Training lost to the last estimate's estimation rounds, in steps: its round seconds times the steps per second trained outside them (the budget's waits between rounds, lnsgd_sharpness_round_pause_seconds, take no training), in steps.",
    ['metrics'],
  ),
  sharpnessRoundBudget: gauge(
    'lnsgd_sharpness_round_budget_ratio',
    'Most fraction of wall time the workers spend answering estimation rounds (--sharpness-budget; 1: rounds back to back), as a ratio.',
    ['metrics'],
  ),
  hvpRoundWorkerSeconds: counter(
    'lnsgd_worker_hvp_round_seconds_total',
    'Time this worker spent computing its share of estimation rounds (--hvp-endpoint); its training steps wait meanwhile, in seconds.',
    ['worker'],
  ),
  sharpnessEstimates: counter('lnsgd_sharpness_estimates_total', 'Snapshots whose sharpness was estimated, in snapshots.', ['metrics']),
  skippedSnapshots: counter(
    'lnsgd_sharpness_skipped_snapshots_total',
    'Due snapshots passed over for a newer one while an estimate was running (the newest waits for it), in snapshots.',
    ['metrics'],
  ),
  sharpnessFailures: counter('lnsgd_sharpness_failures_total', 'Sharpness estimates that failed with an error, in estimates.', ['metrics']),
  hessianVectorProducts: counter('lnsgd_sharpness_hessian_vector_products_total', 'Hessian-vector products computed by the estimators, in products.', [
    'metrics',
  ]),

  // Evaluation of the snapshot.
  evalLoss: gauge('lnsgd_eval_loss', 'Clean (noise-free) loss of the snapshot on the fixed evaluation batch, in loss units.', ESTIMATORS),
  testMetric: gauge(
    'lnsgd_eval_test_metric',
    'Test metric of the snapshot on the test split (accuracy as a ratio for classification, mean squared error for regression).',
    ESTIMATORS,
  ),
  paramsDistanceFromStart: gauge(
    'lnsgd_params_distance_from_start',
    "Euclidean distance ‖θ − θ_start‖ of the snapshot from the run's initial parameters, in parameter units.",
    ['metrics'],
  ),
} as const satisfies Record<string, MetricSpec>;

/** Keys of {@link METRICS}. */
export type MetricKey = keyof typeof METRICS;
type KeysOfType<T extends MetricType> = { [K in MetricKey]: (typeof METRICS)[K]['type'] extends T ? K : never }[MetricKey];
export type GaugeKey = KeysOfType<'gauge'>;
export type CounterKey = KeysOfType<'counter'>;
export type HistogramKey = KeysOfType<'histogram'>;

/** The table as rows, in declaration order. */
export const METRIC_SPECS: readonly MetricSpec[] = Object.values(METRICS);

/**
 * Every series name a scrape can contain for the table (histograms as their
 * `_bucket`, `_sum` and `_count` series), for checks of dashboards and alert rules.
 */
export function exportedSeriesNames(): ReadonlySet<string> {
  const names = new Set<string>();
  for (const m of METRIC_SPECS) {
    names.add(m.name);
    if (m.type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
  }
  return names;
}

/**
 * The `lnsgd_*` metric names a PromQL expression refers to.
 *
 * @param expr a PromQL expression, e.g. from a dashboard target or an alert rule.
 * @example referencedMetricNames('rate(lnsgd_train_samples_total[1m])') // ['lnsgd_train_samples_total']
 */
export function referencedMetricNames(expr: string): string[] {
  return [...new Set(expr.match(/\blnsgd_[a-zA-Z0-9_]+/g) ?? [])];
}
