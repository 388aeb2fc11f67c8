import { evalBatchIndices, type DataSplit } from '@lnsgd/data';
import type { Model } from '@lnsgd/models';
import { implicitRegularizationStrength, stabilityThreshold } from '@lnsgd/optim';
import { evaluate } from './evaluate';
import { makeLabelNoiser } from './label_noiser';
import { createNoiseCovarianceTrace, noiseCovarianceFields } from './noise_covariance_trace';
import { measureSharpness, type SharpnessBudget } from './measure_sharpness';
import { paramsDigest } from './params_digest';
import { presetTask, type RunConfig } from './run_config';
import type { StartEvent, TrainSummary } from './train_events';

/** What {@link summarizeRun} needs to know about a finished run. */
export interface RunOutcome {
  readonly config: RunConfig;
  readonly model: Model;
  readonly data: DataSplit;
  /** Name of the tfjs backend the run used. */
  readonly backend: string;
  /** Final parameters. */
  readonly theta: Float32Array;
  /** Steps actually taken. */
  readonly steps: number;
  /** Noisy batch loss of the last step. */
  readonly lastBatchLoss: number;
  /** performance.now() when the run's first step began; wall_s runs to the end of the evaluation, before the final sharpness estimate. */
  readonly startedAt: number;
  /** Training-set samples for the clean train loss (default 4096). */
  readonly evalSize?: number;
  /** Sharpness budget, or false to skip (default {}). */
  readonly sharpness?: SharpnessBudget | false;
}

/**
 * The λ of a run: ησ²/(B(1−β)) for regression, null for classification.
 *
 * @param config the run.
 */
export function runLambda(config: RunConfig): number | null {
  const { hyper } = config;
  return presetTask(config.preset) === 'regression'
    ? implicitRegularizationStrength({ eta: hyper.lr, sigma: hyper.sigma, batchSize: hyper.batch, beta: hyper.momentum })
    : null;
}

/**
 * The `start` event of a run, in process or on the cluster's reporting worker.
 *
 * @param config the resolved run configuration.
 * @param what the backend chosen, the model, and the training set's size.
 */
export function startEvent(
  config: RunConfig,
  what: { readonly backend: { readonly name: string; readonly reason: string }; readonly model: Model; readonly trainSamples: number },
): StartEvent {
  const { hyper } = config;
  return {
    event: 'start',
    preset: config.preset.name,
    backend: what.backend.name,
    backend_reason: what.backend.reason,
    model: what.model.name,
    num_params: what.model.numParams,
    train_samples: what.trainSamples,
    steps: hyper.steps,
    global_batch: hyper.batch,
    eta: hyper.lr,
    sigma: hyper.sigma,
    flip_prob: hyper.flipProb,
    beta: hyper.momentum,
    lambda: runLambda(config),
    seed: hyper.seed,
  };
}

/**
 * Builds a run's summary from its final θ: clean train loss on a fixed evaluation
 * subset, the test metric, the parameter digest, tr G (the label-noise gradient
 * covariance trace) and (unless skipped) sharpness. The
 * in-process trainer and the distributed rank-0 worker both call this, so both
 * modes print the same fields computed the same way. `wall_s` ends before the final
 * sharpness estimate, whose own time is `sharpness_wall_s`.
 *
 * @param outcome config, model, data and the final state of the run.
 */
export function summarizeRun(outcome: RunOutcome): TrainSummary {
  const { config, model, data, theta } = outcome;
  const { preset, hyper } = config;
  const { train } = data;
  const evalIdx = evalBatchIndices({ seed: hyper.seed, n: train.n, size: Math.min(train.n, outcome.evalSize ?? 4096) });
  const trainEval = evaluate(model, theta, { ds: train, indices: evalIdx });
  const testEval = evaluate(model, theta, { ds: data.test });
  const digest = paramsDigest(theta);
  // tr G at the final θ on the batch step `steps` would draw: two batch passes, cheap beside sharpness.
  const noiser = makeLabelNoiser({ task: model.task, hyper, numClasses: train.numClasses }).apply;
  const noiseCovariance = noiseCovarianceFields(createNoiseCovarianceTrace({ model, train, hyper, noiser })(theta, outcome.steps));
  const wallSeconds = (performance.now() - outcome.startedAt) / 1000;
  const sharpness =
    outcome.sharpness === false
      ? undefined
      : measureSharpness({ model, theta, ds: train, seed: hyper.seed, eta: hyper.lr, beta: hyper.momentum, budget: outcome.sharpness });
  return {
    event: 'summary',
    preset: preset.name,
    backend: outcome.backend,
    steps: outcome.steps,
    global_batch: hyper.batch,
    eta: hyper.lr,
    sigma: hyper.sigma,
    flip_prob: hyper.flipProb,
    beta: hyper.momentum,
    lambda: runLambda(config),
    train_loss: trainEval.loss,
    last_batch_loss: outcome.lastBatchLoss,
    test_metric: testEval.metric,
    test_metric_name: model.task === 'classification' ? 'accuracy' : 'mse',
    params_l2: digest.l2,
    params_sha256: digest.sha256,
    wall_s: wallSeconds,
    stability_threshold: stabilityThreshold({ eta: hyper.lr, beta: hyper.momentum }),
    ...noiseCovariance,
    ...(sharpness ?? { sharpness_skipped: true }),
  };
}
