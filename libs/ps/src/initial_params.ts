import { Worker } from 'node:worker_threads';
import { join } from 'node:path';

/** The model's size and, for a fresh start, this shard's slice of the initial θ. */
export interface InitialParams {
  readonly numParams: number;
  /** The model's weight tensors as slices of θ (LARS's layers). */
  readonly layers: readonly { readonly offset: number; readonly size: number }[];
  /** θ₀[offset, offset + length) of `model.init(seed)`; absent when not asked for. */
  readonly slice?: Float32Array;
}

/** What {@link initialParams} asks the worker thread for. */
export interface InitialParamsRequest {
  readonly model: { readonly name: string; readonly options: unknown };
  readonly seed: number;
  /** The shard whose slice of θ₀ to return (its key range follows from numParams); omit for the size only. */
  readonly shards?: { readonly shard: number; readonly shards: number };
}

/**
 * Builds the model in a short-lived worker thread and returns its parameter count and
 * (optionally) this shard's slice of θ₀. The model zoo loads all of TensorFlow.js,
 * which the PS needs for nothing else: kept out of the PS's own isolate, its V8 heap
 * is ~9 MB instead of ~25 MB and its RSS ~45 MB smaller. (ZeroMQ's large frames,
 * counted as external memory, still trigger a mark-compact every few steps; with the
 * smaller heap each costs less, but at 4 MB per push the PS's GC share was about the
 * same when profiled.) The thread's heap goes away with the thread.
 *
 * @param request model name and options, init seed, and the shard whose slice to return.
 * @throws Error with the model's own message when it cannot be built.
 */
export function initialParams(request: InitialParamsRequest): Promise<InitialParams> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'initial_params_thread.js'), { workerData: request });
    let settled = false;
    worker.once('message', (m: ({ ok: true } & InitialParams) | { ok: false; error: string }) => {
      settled = true;
      if (m.ok) resolve({ numParams: m.numParams, layers: m.layers, slice: m.slice });
      else reject(new Error(m.error));
      void worker.terminate();
    });
    worker.once('error', (err) => {
      if (!settled) reject(err);
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`initialParams: the model thread exited with code ${code} before answering`));
      settled = true;
    });
  });
}
