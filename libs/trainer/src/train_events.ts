/**
 * Events of an in-process run. Field names are snake_case because they are the
 * CLI's JSON-lines contract (`lnsgd train --json`): one object per line.
 */

export interface StartEvent {
  readonly event: 'start';
  readonly preset: string;
  readonly backend: string;
  readonly backend_reason: string;
  readonly model: string;
  readonly num_params: number;
  readonly train_samples: number;
  readonly steps: number;
  readonly global_batch: number;
  readonly eta: number;
  readonly sigma: number;
  readonly flip_prob: number;
  readonly beta: number;
  /** λ = ησ²/(B(1−β)); null for classification (flip noise has no σ). */
  readonly lambda: number | null;
  readonly seed: number;
}

/**
 * tr G, the per-sample trace of the label-noise part of the gradient covariance
 * (see createNoiseCovarianceTrace), with its standard error; null for classification,
 * whose label flips give it no meaning (the reason says so).
 */
export interface NoiseCovarianceFields {
  readonly trace_noise_covariance: number | null;
  readonly trace_noise_covariance_stderr: number | null;
  /** Present when the estimate is null: why. */
  readonly trace_noise_covariance_reason?: string;
}

export interface ProgressEvent extends Partial<LatestSharpness>, Partial<NoiseCovarianceFields> {
  readonly event: 'progress';
  /** Steps completed. */
  readonly step: number;
  /**
   * Mean NOISY batch loss (labels with their label noise) over the steps since the
   * previous progress event; with label noise it sits near σ²/2 however well the
   * model fits, so the clean loss is the summary's train_loss.
   */
  readonly loss: number;
  readonly samples_per_s: number;
  readonly elapsed_s: number;
  /** Estimated seconds to the last step. */
  readonly eta_s: number;
  /** tf.memory().numTensors: flat in a healthy run. */
  readonly num_tensors: number;
  /** Step of the θ the latest tr G estimate (trace_noise_covariance) was taken at. */
  readonly trace_noise_covariance_step?: number;
}

import type { SharpnessFields } from './measure_sharpness';

/**
 * The latest sharpness estimate taken during a run, carried by every progress event
 * after it (absent before the first one): the step it was measured at, λ_max beside
 * the stability threshold 2(1+β)/η, tr∇²L and R(θ) (null past the threshold).
 */
export interface LatestSharpness {
  readonly sharpness_step: number;
  readonly top_eigenvalue: number;
  readonly top_eigenvalue_error: number;
  /** 2(1+β)/η: gradient descent is unstable along eigenvalues above it. */
  readonly stability_threshold: number;
  readonly trace_hessian: number;
  readonly trace_hessian_stderr: number;
  readonly implicit_regularizer: number | null;
  readonly implicit_regularizer_stderr: number | null;
}

/** The last event of a run. Sharpness fields are those of {@link SharpnessFields}, at the final θ. */
export type TrainSummary = TrainSummaryCore & (SharpnessFields | { readonly sharpness_skipped: true });

export interface TrainSummaryCore extends NoiseCovarianceFields {
  readonly event: 'summary';
  readonly preset: string;
  readonly backend: string;
  /** Steps actually taken. */
  readonly steps: number;
  readonly global_batch: number;
  readonly eta: number;
  readonly sigma: number;
  readonly flip_prob: number;
  readonly beta: number;
  readonly lambda: number | null;
  /** Clean (noise-free) loss on a fixed evaluation subset of the training set. */
  readonly train_loss: number;
  /** Noisy batch loss of the last step. */
  readonly last_batch_loss: number;
  /** The model's test metric on the test split (accuracy, or MSE for regression). */
  readonly test_metric: number;
  readonly test_metric_name: string;
  readonly params_l2: number;
  /** SHA-256 of the little-endian float32 parameter vector. */
  readonly params_sha256: string;
  /** Seconds of training and evaluation; the final sharpness estimate is sharpness_wall_s, apart. */
  readonly wall_s: number;
  /** Present and true when the run was stopped (Ctrl-C, SIGINT) before its last step; `steps` is the step reached. */
  readonly interrupted?: boolean;
  /** 2(1+β)/η, the threshold λ_max is compared with. */
  readonly stability_threshold?: number;
  /** λ_max of the first estimate of the run (at θ₀ in process), and the step it was taken at. */
  readonly top_eigenvalue_start?: number;
  readonly top_eigenvalue_start_step?: number;
  /** Sharpness estimates taken while training (not counting the final one). */
  readonly sharpness_estimates?: number;
  /** Seconds those estimates took (part of wall_s). */
  readonly sharpness_during_training_s?: number;
}

/** Training is over and the final sharpness estimate starts (it can take a while on large models). */
export interface FinalSharpnessEvent {
  readonly event: 'final_sharpness';
  /** Step of the parameters being estimated. */
  readonly step: number;
  /** Hessian-vector products it will take. */
  readonly hvps: number;
  /** Seconds the last estimate during training took; null when there was none. */
  readonly expected_s: number | null;
}

export type TrainEvent = StartEvent | ProgressEvent | TrainSummary;
