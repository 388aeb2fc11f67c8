import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SnapshotEstimate } from './estimate_snapshot';
import { ROUND_DONE, ROUND_FAILED, type EstimateRequest, type EstimatorThreadData, type EstimatorThreadMessage } from './estimator_protocol';
import type { Snapshot } from './snapshot';

/** Estimates snapshots without blocking the caller's thread. */
export interface AsyncEstimator {
  estimate(snapshot: Snapshot): Promise<SnapshotEstimate>;
  close(): Promise<void>;
}

/** Tensors alive in the estimator thread's TensorFlow.js engine, as of its last message. */
export interface TensorCount {
  numTensors(): number;
}

/** What the thread reported once ready. */
export interface EstimatorThreadInfo {
  readonly backend: string;
  readonly numParams: number;
  /** Whether the lower CPU priority could be set. */
  readonly niceApplied: boolean;
}

/**
 * Starts the estimator on a worker thread (model, data and backend set up there) and
 * resolves once it is ready.
 *
 * @param data the run, budget, backend and nice value for the thread.
 * @throws when the thread fails to set up (unknown preset, missing data, backend error).
 */
export async function startEstimatorThread(
  data: EstimatorThreadData,
  /** Required with `data.rounds`: runs one estimation round (e.g. HvpRoundHost.runRound). */
  runRound?: (r: { readonly epsilon: number; readonly directions: Float64Array }) => Promise<Float64Array>,
  onRoundError?: (err: Error) => void,
): Promise<AsyncEstimator & TensorCount & { readonly info: EstimatorThreadInfo }> {
  if ((data.rounds === undefined) !== (runRound === undefined)) throw new Error('startEstimatorThread: rounds and runRound go together');
  const worker = new Worker(join(__dirname, 'estimator_thread.js'), { workerData: data });
  const pending = new Map<number, { resolve: (e: SnapshotEstimate) => void; reject: (err: Error) => void }>();
  let nextId = 1;
  let numTensors = 0;
  let exited: Error | undefined;
  const failAll = (err: Error): void => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  // The thread is blocked on control[0] until the product is in data (or the round failed).
  const answerRound = (epsilon: number, length: number): void => {
    const rounds = data.rounds;
    if (rounds === undefined || runRound === undefined) return;
    const control = new Int32Array(rounds.control);
    const vec = new Float64Array(rounds.data);
    const release = (state: number): void => {
      Atomics.store(control, 0, state);
      Atomics.notify(control, 0);
    };
    runRound({ epsilon, directions: vec.slice(0, length) }).then(
      (out) => {
        if (out.length !== length) {
          onRoundError?.(new Error(`estimation round returned ${out.length} values for ${length}`));
          return release(ROUND_FAILED);
        }
        vec.set(out);
        release(ROUND_DONE);
      },
      (err: unknown) => {
        onRoundError?.(err instanceof Error ? err : new Error(String(err)));
        release(ROUND_FAILED);
      },
    );
  };
  const info = await new Promise<EstimatorThreadInfo>((resolve, reject) => {
    worker.on('message', (m: EstimatorThreadMessage) => {
      if (m.kind === 'round') return answerRound(m.epsilon, m.length);
      if (m.kind !== 'fatal') numTensors = m.numTensors;
      switch (m.kind) {
        case 'ready':
          resolve({ backend: m.backend, numParams: m.numParams, niceApplied: m.niceApplied });
          return;
        case 'fatal':
          reject(new Error(`estimator thread could not start: ${m.message}`));
          return;
        case 'result':
          pending.get(m.id)?.resolve(m.estimate);
          pending.delete(m.id);
          return;
        case 'error':
          pending.get(m.id)?.reject(new Error(`estimate failed: ${m.message}`));
          pending.delete(m.id);
          return;
      }
    });
    worker.on('error', (err) => {
      exited = err;
      reject(err);
      failAll(err);
    });
    worker.on('exit', (code) => {
      exited ??= new Error(`estimator thread exited with code ${code}`);
      reject(exited);
      failAll(exited);
    });
  }).catch(async (err: unknown) => {
    await worker.terminate();
    throw err;
  });
  return {
    info,
    numTensors: () => numTensors,
    estimate(snapshot) {
      if (exited !== undefined) return Promise.reject(exited);
      const id = nextId++;
      return new Promise<SnapshotEstimate>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        // A copy travels (structured clone): the source keeps its θ, the thread gets its own.
        const req: EstimateRequest = { id, step: snapshot.step, theta: snapshot.theta };
        worker.postMessage(req);
      });
    },
    async close() {
      exited ??= new Error('estimator thread closed');
      await worker.terminate();
    },
  };
}
