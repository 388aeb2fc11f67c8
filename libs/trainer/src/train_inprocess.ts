import * as tf from '@tensorflow/tfjs';
import { initBackend, type BackendInfo, type BackendRequest } from '@lnsgd/backend';
import type { DataSplit } from '@lnsgd/data';
import { createModel, type Model } from '@lnsgd/models';
import { applyUpdates, sgd } from '@lnsgd/optim';
import { makeLabelNoiser } from './label_noiser';
import { createNoisyGradient } from './noisy_gradient';
import { loadPresetData } from './preset_data';
import { presetTask, type RunConfig } from './run_config';
import { runLambda, summarizeRun } from './run_summary';
import { TrainingError } from './training_error';
import type { SharpnessBudget } from './measure_sharpness';
import { writeParamsFile } from './params_file';
import type { TrainEvent, TrainSummary } from './train_events';

/** Options of {@link trainInProcess}. */
export interface TrainOptions {
  readonly config: RunConfig;
  /** Backend to select (default 'auto'). */
  readonly backend?: BackendRequest;
  /** Emit a progress event every this many steps (default: steps/100, at least 1). */
  readonly progressEvery?: number;
  /** Receives start, progress and summary events, in order. */
  readonly onEvent?: (e: TrainEvent) => void;
  /** Samples of the training set used for the clean final train loss (default 4096). */
  readonly evalSize?: number;
  /** Polled between steps; returning true stops the run after the current step. */
  readonly shouldStop?: () => boolean;
  /** Sharpness at the final θ: an estimator budget, or false to skip (default {}). */
  readonly sharpness?: SharpnessBudget | false;
  /** Write the final θ here (atomically) when set. */
  readonly saveParams?: string;
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
  const lambda = runLambda(opts.config);
  const optimizer = sgd({
    learningRate: hyper.lr,
    momentum: hyper.momentum,
    weightDecay: hyper.weightDecay,
    warmupSteps: hyper.warmupSteps,
  });
  const noisyGradient = createNoisyGradient({ model, train, hyper, noiser });

  let theta = model.init(hyper.seed);
  let state = optimizer.init(theta);
  const progressEvery = opts.progressEvery ?? Math.max(1, Math.floor(hyper.steps / 100));
  emit({
    event: 'start',
    preset: preset.name,
    backend: backend.name,
    backend_reason: backend.reason,
    model: model.name,
    num_params: model.numParams,
    train_samples: train.n,
    steps: hyper.steps,
    global_batch: hyper.batch,
    eta: hyper.lr,
    sigma: hyper.sigma,
    flip_prob: hyper.flipProb,
    beta: hyper.momentum,
    lambda,
    seed: hyper.seed,
  });

  const t0 = performance.now();
  let windowLoss = 0;
  let windowSteps = 0;
  let lastLoss = Number.NaN;
  let step = 0;
  for (; step < hyper.steps; step++) {
    if (opts.shouldStop?.() === true) break;
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
      });
      windowLoss = 0;
      windowSteps = 0;
    }
  }

  if (opts.saveParams !== undefined) {
    writeParamsFile(opts.saveParams, { header: { preset: preset.name, step, seed: hyper.seed }, theta });
  }
  const summary: TrainSummary = summarizeRun({
    config: opts.config,
    model,
    data,
    backend: backend.name,
    theta,
    steps: step,
    lastBatchLoss: lastLoss,
    startedAt: t0,
    evalSize: opts.evalSize,
    sharpness: opts.sharpness ?? {},
  });
  emit(summary);
  return summary;
}

function allFinite(a: Float32Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}
