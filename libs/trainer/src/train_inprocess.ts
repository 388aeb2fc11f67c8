import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendInfo, type BackendRequest } from '@lnsgd/backend';
import type { DataSplit } from '@lnsgd/data';
import { createModel, type Model } from '@lnsgd/models';
import { applyUpdates, optimizerFromSpec } from '@lnsgd/optim';
import { makeLabelNoiser } from './label_noiser';
import { createNoisyGradient } from './noisy_gradient';
import { createNoiseCovarianceTrace, noiseCovarianceFields } from './noise_covariance_trace';
import { loadPresetData } from './preset_data';
import { presetTask, type RunConfig } from './run_config';
import { startEvent, summarizeRun } from './run_summary';
import { TrainingError } from './training_error';
import { measureSharpness, type SharpnessBudget, type SharpnessFields } from './measure_sharpness';
import { stabilityThreshold } from '@lnsgd/optim';
import { writeParamsFile } from './params_file';
import type { FinalSharpnessThreadData } from './final_sharpness_thread';
import type { FinalSharpnessEvent, LatestSharpness, ProgressEvent, TrainEvent, TrainSummary } from './train_events';
import { trajectoryRecorder, type TrajectoryRecord } from './trajectory_record';

/** Options of {@link trainInProcess}. */
export interface TrainOptions {
  readonly config: RunConfig;
  /** Backend to select (default 'auto'). */
  readonly backend?: BackendRequest;
  /** Emit a progress event every this many steps (default: steps/100, at least 1). */
  readonly progressEvery?: number;
  /** Receives start, progress and summary events, in order. */
  readonly onEvent?: (e: TrainEvent) => void;
  /** Told when training is over and the final sharpness estimate starts (before the summary). */
  readonly onFinalSharpness?: (e: FinalSharpnessEvent) => void;
  /** Samples of the training set used for the clean final train loss (default 4096). */
  readonly evalSize?: number;
  /**
   * Polled between steps; returning true stops the run after the current step. A
   * stopped run skips the final sharpness estimate and its summary says
   * `interrupted: true`.
   */
  readonly shouldStop?: () => boolean;
  /** Sharpness (during the run and at the final θ): an estimator budget, or false to skip it all (default {}). */
  readonly sharpness?: SharpnessBudget | false;
  /**
   * Estimate sharpness every this many steps while training, starting at θ₀; 0 for
   * none (default {@link defaultSharpnessEvery}: about ten estimates over the run). An
   * estimate that falls due while estimates have already cost more time than the
   * training steps is skipped, so they at most double a run's time.
   */
  readonly sharpnessEvery?: number;
  /** Write the final θ here (atomically) when set. */
  readonly saveParams?: string;
  /**
   * Record the trajectory (clean train loss, test metric, gradient noise scale, latest
   * sharpness) at θ₀, every this many steps and at the last step; 0 for none (default).
   */
  readonly recordEvery?: number;
  /** Receives each trajectory record, in step order. */
  readonly onRecord?: (r: TrajectoryRecord) => void;
}

/**
 * Steps between sharpness estimates for a run of `steps` steps: about ten estimates
 * spread over any run, the first at its start.
 *
 * @example defaultSharpnessEvery(20000) // 2000
 */
export function defaultSharpnessEvery(steps: number): number {
  return Math.max(1, Math.ceil(steps / 10));
}

/**
 * Runs Algorithm 1 (label-noise SGD) in this process: each step draws the global
 * batch of B samples for (seed, step), replaces each label by its noisy version keyed
 * by (seed, step, sample), takes the gradient of the noisy batch loss, and applies
 * θ_{k+1} = θ_k − η∇L̂(θ_k) + β(θ_k − θ_{k−1}) (plus weight decay and warm-up if set).
 *
 * @param opts the resolved run config, backend and event sink.
 * @returns the final summary (also emitted as the last event).
 */
export async function trainInProcess(opts: TrainOptions): Promise<TrainSummary> {
  const { preset, hyper } = opts.config;
  const emit = opts.onEvent ?? (() => undefined);
  const backend: BackendInfo = await initBackend({ request: opts.backend ?? 'auto' });
  const data: DataSplit = loadPresetData(preset.data, hyper.seed);
  const model: Model = createModel(preset.model.name, preset.model.options ?? {});
  const { train } = data;
  const task = presetTask(preset);
  const noiser = makeLabelNoiser({ task, hyper, numClasses: train.numClasses }).apply;
  // The same recipe the parameter server builds from the run (LARS's layers: the model's weight tensors).
  const optimizer = optimizerFromSpec({ ...hyper, layers: model.params });
  const noisyGradient = createNoisyGradient({ model, train, hyper, noiser });
  const noiseCovariance = createNoiseCovarianceTrace({ model, train, hyper, noiser });
  // tr G is cheap (two batch passes): estimated on its own cadence, sharpness or not.
  const noiseEvery = defaultSharpnessEvery(hyper.steps);
  let latestNoise: Partial<ProgressEvent> = {};

  let theta = model.init(hyper.seed);
  let state = optimizer.init(theta);
  const progressEvery = opts.progressEvery ?? Math.max(1, Math.floor(hyper.steps / 100));
  emit(startEvent(opts.config, { backend, model, trainSamples: train.n }));

  const threshold = stabilityThreshold({ eta: hyper.lr, beta: hyper.momentum });
  const sharpnessEvery = opts.sharpness === false ? 0 : (opts.sharpnessEvery ?? defaultSharpnessEvery(hyper.steps));
  let latest: LatestSharpness | undefined;
  let first: LatestSharpness | undefined;
  let estimates = 0;
  let estimateSeconds = 0;
  let lastEstimateSeconds: number | undefined;
  const budget = opts.sharpness === false ? {} : (opts.sharpness ?? {});
  // A long estimate (the last took >= 2 s, or untimed on a large model) runs in a worker
  // thread, so that a Ctrl-C (shouldStop) ends it at once; undefined when it was ended.
  const measure = async (): Promise<SharpnessFields | undefined> => {
    const long = lastEstimateSeconds !== undefined ? lastEstimateSeconds >= LONG_ESTIMATE_S : model.numParams >= LONG_ESTIMATE_PARAMS;
    if (long && opts.shouldStop !== undefined)
      return finalSharpnessInThread({ preset: preset.name, hyper, theta, budget, backend: backend.name }, opts.shouldStop);
    return measureSharpness({ model, theta, ds: train, seed: hyper.seed, eta: hyper.lr, beta: hyper.momentum, budget });
  };
  const estimateAt = async (at: number): Promise<boolean> => {
    const s0 = performance.now();
    const f = await measure();
    if (f === undefined) return false;
    estimates++;
    estimateSeconds += (performance.now() - s0) / 1000;
    lastEstimateSeconds = f.sharpness_wall_s;
    latest = latestOf(f, at, threshold);
    first ??= latest;
    return true;
  };

  const recordEvery = opts.recordEvery ?? 0;
  if (!Number.isInteger(recordEvery) || recordEvery < 0) throw new RangeError(`trainInProcess: recordEvery must be an integer >= 0, got ${recordEvery}`);
  const record = recordEvery > 0 ? trajectoryRecorder({ model, data, hyper, noisyGradient, evalSize: opts.evalSize }) : undefined;
  const onRecord = opts.onRecord ?? (() => undefined);
  if (record !== undefined) onRecord(record(theta, 0, latest));

  const t0 = performance.now();
  let windowLoss = 0;
  let windowSteps = 0;
  let lastLoss = Number.NaN;
  let step = 0;
  let interrupted = false;
  // The loop is synchronous; it yields to the event loop every ~50 ms so that signal
  // handlers (Ctrl-C sets shouldStop) and timers run while it trains.
  let lastYield = performance.now();
  for (; step < hyper.steps; step++) {
    if (performance.now() - lastYield > 50) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastYield = performance.now();
    }
    if (opts.shouldStop?.() === true) {
      interrupted = true;
      break;
    }
    if (sharpnessEvery > 0 && step % sharpnessEvery === 0) {
      const trainSeconds = (performance.now() - t0) / 1000 - estimateSeconds;
      if ((estimates === 0 || estimateSeconds <= trainSeconds) && !(await estimateAt(step))) {
        interrupted = true;
        break;
      }
    }
    if (step % noiseEvery === 0) latestNoise = { ...noiseCovarianceFields(noiseCovariance(theta, step)), trace_noise_covariance_step: step };
    const out = noisyGradient(theta, { step });
    if (!Number.isFinite(out.loss) || !allFinite(out.grad)) {
      throw new TrainingError({
        code: 'DIVERGED',
        step,
        message: `training diverged at step ${step}: batch loss ${out.loss}${allFinite(out.grad) ? '' : ' and a non-finite gradient'}; lower --lr (now ${hyper.lr}) or the noise scale`,
      });
    }
    const [updates, next] = optimizer.update(out.grad, state, theta);
    theta = applyUpdates(theta, updates);
    state = next;
    lastLoss = out.loss;
    windowLoss += out.loss;
    windowSteps++;
    const done = step + 1;
    if (record !== undefined && (done % recordEvery === 0 || done === hyper.steps)) onRecord(record(theta, done, latest));
    if (done % progressEvery === 0 || done === hyper.steps) {
      const elapsed = (performance.now() - t0) / 1000;
      const perStep = elapsed / done;
      emit({
        event: 'progress',
        step: done,
        loss: windowLoss / windowSteps,
        samples_per_s: (done * hyper.batch) / elapsed,
        elapsed_s: elapsed,
        eta_s: perStep * (hyper.steps - done),
        num_tensors: tf.memory().numTensors,
        ...latest,
        ...latestNoise,
      });
      windowLoss = 0;
      windowSteps = 0;
    }
  }

  if (opts.saveParams !== undefined) {
    writeParamsFile(opts.saveParams, { header: { preset: preset.name, step, seed: hyper.seed, eta: hyper.lr, beta: hyper.momentum }, theta });
  }
  const core = summarizeRun({
    config: opts.config,
    model,
    data,
    backend: backend.name,
    theta,
    steps: step,
    lastBatchLoss: lastLoss,
    startedAt: t0,
    evalSize: opts.evalSize,
    sharpness: false,
  });
  const during = {
    ...(interrupted ? { interrupted: true } : {}),
    ...(first !== undefined ? { top_eigenvalue_start: first.top_eigenvalue, top_eigenvalue_start_step: first.sharpness_step } : {}),
    sharpness_estimates: estimates,
    sharpness_during_training_s: estimateSeconds,
  };
  let final: SharpnessFields | undefined;
  // A stopped run skips the final estimate: Ctrl-C asks for the summary now.
  if (opts.sharpness !== false && !interrupted && opts.shouldStop?.() !== true) {
    opts.onFinalSharpness?.({ event: 'final_sharpness', step, hvps: plannedHvps(budget, model.numParams), expected_s: lastEstimateSeconds ?? null });
    final = await measure();
    if (final === undefined) interrupted = true;
  }
  const summary: TrainSummary =
    final === undefined
      ? { ...core, ...during, ...(interrupted ? { interrupted: true } : {}), sharpness_skipped: true }
      : { ...withoutSkipped(core), ...during, ...final };
  emit(summary);
  return summary;
}

/** Seconds an estimate has to take before the final one runs in a thread (skippable). */
const LONG_ESTIMATE_S = 2;
/** Without a timed estimate, models this large get the thread. */
const LONG_ESTIMATE_PARAMS = 20_000;

/**
 * The final estimate in a worker thread; resolves undefined (and ends the thread) as
 * soon as `shouldStop` turns true.
 */
function finalSharpnessInThread(data: FinalSharpnessThreadData, shouldStop: () => boolean): Promise<SharpnessFields | undefined> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'final_sharpness_thread.js'), { workerData: data });
    const poll = setInterval(() => {
      if (!shouldStop()) return;
      clearInterval(poll);
      void worker.terminate().then(() => resolve(undefined));
    }, 100);
    worker.once('message', (m: { kind: 'result'; fields: SharpnessFields } | { kind: 'error'; message: string }) => {
      clearInterval(poll);
      void worker.terminate();
      if (m.kind === 'result') resolve(m.fields);
      else reject(new Error(`final sharpness estimate: ${m.message}`));
    });
    worker.once('error', (err) => {
      clearInterval(poll);
      reject(err);
    });
  });
}

/** HVPs of one estimate with this budget (the estimator's defaults: 20 Lanczos steps, 10 probes of 15). */
function plannedHvps(b: SharpnessBudget, dim: number): number {
  return Math.min(b.lanczosSteps ?? 20, dim) + (b.probes ?? 10) * Math.min(b.slqSteps ?? 15, dim);
}

function withoutSkipped(s: TrainSummary): Omit<TrainSummary, 'sharpness_skipped'> {
  const copy: Record<string, unknown> = { ...s };
  delete copy['sharpness_skipped'];
  return copy as Omit<TrainSummary, 'sharpness_skipped'>;
}

function latestOf(f: SharpnessFields, step: number, threshold: number): LatestSharpness {
  return {
    sharpness_step: step,
    top_eigenvalue: f.top_eigenvalue,
    top_eigenvalue_error: f.top_eigenvalue_error,
    stability_threshold: threshold,
    trace_hessian: f.trace_hessian,
    trace_hessian_stderr: f.trace_hessian_stderr,
    implicit_regularizer: f.implicit_regularizer,
    implicit_regularizer_stderr: f.implicit_regularizer_stderr,
  };
}

function allFinite(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}
