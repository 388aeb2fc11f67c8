import { Worker } from 'node:worker_threads';
import { join } from 'node:path';

/** The model's size and, for a fresh start, this shard's slice of the initial θ. */
export interface InitialParams {
  readonly numParams: number;
  /** θ₀[offset, offset + length) of `model.init(seed)`; absent when not asked for. */
  readonly slice?: Float32Array;
}

/** What {@link initialParams} asks the worker thread for. */
export interface InitialParamsRequest {
  readonly model: { readonly name: string; readonly options: unknown };
  readonly seed: number;
  /** The shard's key range, given as a function of numParams by `range`; omit for the size only. */
  readonly shards?: { readonly shard: number; readonly shards: number };
}

/**
 * Builds the model in a short-lived worker thread and returns its parameter count and
 * (optionally) this shard's slice of θ₀. The model zoo loads all of TensorFlow.js
 * (~20 MB of V8 heap); a PS that loaded it itself would mark that heap on every
 * mark-compact, and ZeroMQ's large frames, counted as external memory, trigger one
 * every few steps (measured at 4 MB per push: ~17 ms of GC a step, a third of the
 * PS's time). The thread's heap goes away with the thread.
 *
 * @param request model name and options, init seed, and the shard whose slice to return.
 * @throws Error with the model's own message when it cannot be built.
 */
export function initialParams(request: InitialParamsRequest): Promise<InitialParams> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(join(__dirname, 'initial_params_thread.js'), { workerData: request });
    let settled = false;
    worker.once('message', (m: { ok: true; numParams: number; slice?: Float32Array } | { ok: false; error: string }) => {
      settled = true;
      if (m.ok) resolve({ numParams: m.numParams, slice: m.slice });
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
