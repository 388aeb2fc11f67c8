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
}

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
  | { readonly kind: 'result'; readonly id: number; readonly estimate: SnapshotEstimate; readonly numTensors: number }
  | { readonly kind: 'error'; readonly id: number; readonly message: string; readonly numTensors: number };
