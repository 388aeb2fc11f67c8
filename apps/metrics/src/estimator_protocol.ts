import type { Hyper } from '@lnsgd/trainer';
import type { EstimatorBudget, SnapshotEstimate } from './estimate_snapshot';

/** `workerData` of the estimator thread: plain data, resolved again on the thread. */
export interface EstimatorThreadData {
  readonly preset: string;
  readonly overrides: Partial<Hyper>;
  readonly budget: EstimatorBudget;
  /** Backend request (`auto`, `wasm`, …). */
  readonly backend: string;
  /** Nice value for the thread (Linux applies setpriority to the calling thread). */
  readonly nice: number;
  /**
   * Hessian-vector products by estimation rounds (the workers), not on this thread: the
   * thread posts a `round` and blocks on `control` until the main thread has written the
   * product into `data` (θ's length in float64).
   */
  readonly rounds?: { readonly control: SharedArrayBuffer; readonly data: SharedArrayBuffer };
}

/** `control[0]` while a round is out, after it succeeded, after it failed. */
export const ROUND_WAITING = 0;
export const ROUND_DONE = 1;
export const ROUND_FAILED = 2;

/** Main → thread. */
export interface EstimateRequest {
  readonly id: number;
  readonly step: number;
  readonly theta: Float32Array;
}

/** Thread → main; `numTensors` is the thread's tf.memory().numTensors after the work (its TensorFlow.js engine is its own). */
export type EstimatorThreadMessage =
  | { readonly kind: 'ready'; readonly backend: string; readonly numParams: number; readonly niceApplied: boolean; readonly numTensors: number }
  | { readonly kind: 'fatal'; readonly message: string }
  /** One estimation round wanted: its `length` floats (a block of directions) are in `rounds.data`; reply through `rounds.control`. */
  | { readonly kind: 'round'; readonly epsilon: number; readonly length: number }
  | { readonly kind: 'result'; readonly id: number; readonly estimate: SnapshotEstimate; readonly numTensors: number }
  | { readonly kind: 'error'; readonly id: number; readonly message: string; readonly numTensors: number };
