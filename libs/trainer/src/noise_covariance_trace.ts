import { batchIndices, gatherBatch, type Dataset } from '@lnsgd/data';
import { createBatchLossAndGradient, type Model } from '@lnsgd/models';
import type { LabelNoiser } from './label_noiser';
import type { Hyper } from './presets';
import type { NoiseCovarianceFields } from './train_events';

/**
 * An estimate of tr G, the per-sample trace of the label-noise part of the gradient
 * covariance, or null with the reason it is undefined for this run.
 */
export type NoiseCovarianceTrace =
  | { readonly trace_noise_covariance: number; readonly trace_noise_covariance_stderr: number; readonly trace_noise_covariance_step: number }
  | { readonly trace_noise_covariance: null; readonly trace_noise_covariance_stderr: null; readonly trace_noise_covariance_reason: string };

/** Options of {@link createNoiseCovarianceTrace}. */
export interface NoiseCovarianceTraceOptions {
  readonly model: Model;
  readonly train: Dataset;
  readonly hyper: Hyper;
  /** The run's label noise, keyed by (seed, step, sample): the training step's own draws. */
  readonly noiser: LabelNoiser;
  /** Groups the batch is split into for the standard error (default 8, at most B). */
  readonly groups?: number;
}

/** Why tr G is null for classification: see docs/algorithm.md. */
export const NOISE_COVARIANCE_CLASSIFICATION_REASON =
  'label flips are not additive label noise: the flipped-minus-clean gradient is not linear in the noise, so tr G has no closed relation to tr∇²L; only defined for squared-loss regression';

/** Why tr G is null for B = 1. */
export const NOISE_COVARIANCE_BATCH_REASON = 'a batch of 1 sample cannot be split into groups for a standard error';

/**
 * tr G for squared-loss regression with additive label noise ε (mean 0, variance σ²):
 * G = E_i Cov_ε[∇ℓ_i(θ; y_i + ε)], the per-sample covariance (a batch mean of B samples
 * has covariance G/B). For ℓ = c(f − y)² the noisy-minus-clean gradient of sample i is
 * −2cε∇f_i, exactly linear in ε, so for a group of n samples the difference d of the
 * noisy and clean mean gradients has E‖d‖² = tr G/n: n‖d‖² is unbiased. Step k's batch
 * (the training step's samples and noise draws) is split into `groups` groups; the
 * estimate is the mean of their n_j‖d_j‖² and the standard error their spread / √groups.
 * Cost: one clean gradient over the batch plus the noisy one (two batch passes, no HVP).
 * At a global minimizer (zero residuals) G = 2cσ²·∇²L, so tr G = 2cσ²·tr∇²L (σ²·tr∇²L
 * for c = ½).
 *
 * @param opts model, training set, hyper-parameters, the run's noise and the group count.
 * @returns (θ, step) → the estimate (null with a reason for classification).
 * @example createNoiseCovarianceTrace({ model, train, hyper, noiser })(theta, 0).trace_noise_covariance
 */
export function createNoiseCovarianceTrace(opts: NoiseCovarianceTraceOptions): (theta: Float32Array, step: number) => NoiseCovarianceTrace {
  const { model, train, hyper, noiser } = opts;
  if (model.task !== 'regression') {
    return () => ({ trace_noise_covariance: null, trace_noise_covariance_stderr: null, trace_noise_covariance_reason: NOISE_COVARIANCE_CLASSIFICATION_REASON });
  }
  if (opts.groups !== undefined && (!Number.isInteger(opts.groups) || opts.groups < 2)) {
    throw new RangeError(`createNoiseCovarianceTrace: groups must be an integer >= 2, got ${opts.groups}`);
  }
  if (hyper.batch < 2) {
    return () => ({ trace_noise_covariance: null, trace_noise_covariance_stderr: null, trace_noise_covariance_reason: NOISE_COVARIANCE_BATCH_REASON });
  }
  const groups = Math.min(opts.groups ?? 8, hyper.batch);
  const lossAndGradient = createBatchLossAndGradient(model);
  return (theta, step) => {
    const idx = batchIndices({ seed: hyper.seed, step, globalBatch: hyper.batch, n: train.n });
    const b = idx.length;
    const per = new Float64Array(groups);
    for (let j = 0; j < groups; j++) {
      const part = idx.subarray(Math.floor((j * b) / groups), Math.floor(((j + 1) * b) / groups));
      const batch = gatherBatch(train, part);
      const noisy = noiser({ labels: batch.y, sampleIndices: part, step });
      // Read the clean gradient out before the next call: a model may reuse its buffer.
      const clean = Float64Array.from(lossAndGradient(theta, { x: batch.x, y: batch.y, size: part.length }).grad);
      const g = lossAndGradient(theta, { x: batch.x, y: noisy, size: part.length }).grad;
      let sq = 0;
      for (let i = 0; i < g.length; i++) {
        const d = g[i] - clean[i];
        sq += d * d;
      }
      per[j] = part.length * sq;
    }
    let mean = 0;
    for (const t of per) mean += t / groups;
    let ss = 0;
    for (const t of per) ss += (t - mean) ** 2;
    return {
      trace_noise_covariance: mean,
      trace_noise_covariance_stderr: Math.sqrt(ss / (groups - 1) / groups),
      trace_noise_covariance_step: step,
    };
  };
}

/**
 * The summary's and progress events' fields of an estimate (without its step).
 *
 * @param e an estimate from {@link createNoiseCovarianceTrace}.
 */
export function noiseCovarianceFields(e: NoiseCovarianceTrace): NoiseCovarianceFields {
  return e.trace_noise_covariance === null
    ? { trace_noise_covariance: null, trace_noise_covariance_stderr: null, trace_noise_covariance_reason: e.trace_noise_covariance_reason }
    : { trace_noise_covariance: e.trace_noise_covariance, trace_noise_covariance_stderr: e.trace_noise_covariance_stderr };
}
