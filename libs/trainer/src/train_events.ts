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

export interface ProgressEvent {
  readonly event: 'progress';
  /** Steps completed. */
  readonly step: number;
  /** Mean noisy batch loss over the steps since the previous progress event. */
  readonly loss: number;
  readonly samples_per_s: number;
  readonly elapsed_s: number;
  /** Estimated seconds to the last step. */
  readonly eta_s: number;
  /** tf.memory().numTensors: flat in a healthy run. */
  readonly num_tensors: number;
}

import type { SharpnessFields } from './measure_sharpness';

/** The last event of a run. Sharpness fields are those of {@link SharpnessFields}, at the final θ. */
export type TrainSummary = TrainSummaryCore & (SharpnessFields | { readonly sharpness_skipped: true });

export interface TrainSummaryCore {
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
  readonly wall_s: number;
}

export type TrainEvent = StartEvent | ProgressEvent | TrainSummary;
