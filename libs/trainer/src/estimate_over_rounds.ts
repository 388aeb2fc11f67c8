import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EstimateThreadData } from './estimate_by_rounds_thread';
import type { SharpnessBudget, SharpnessFields } from './measure_sharpness';

/**
 * {@link measureSharpnessByRounds} with an asynchronous round runner (e.g. a
 * HvpRoundHost over ZeroMQ): Lanczos and SLQ run on a thread that waits for each
 * round, the rounds run on this event loop. One direction per round.
 *
 * @param opts θ, seed, η/β, evaluation samples, budget and the asynchronous runner.
 */
export async function measureSharpnessOverRounds(opts: {
  readonly theta: Float32Array;
  readonly seed: number;
  readonly eta: number;
  readonly beta: number;
  readonly samples: number;
  readonly budget?: SharpnessBudget;
  readonly runRound: (r: { readonly epsilon: number; readonly directions: Float64Array }) => Promise<Float64Array>;
}): Promise<SharpnessFields> {
  const n = opts.theta.length;
  const control = new SharedArrayBuffer(8);
  const data = new SharedArrayBuffer(8 * n);
  const ctl = new Int32Array(control);
  const vec = new Float64Array(data);
  const wd: EstimateThreadData = {
    theta: opts.theta,
    seed: opts.seed,
    eta: opts.eta,
    beta: opts.beta,
    samples: opts.samples,
    budget: opts.budget,
    control,
    data,
  };
  const worker = new Worker(join(__dirname, 'estimate_by_rounds_thread.js'), { workerData: wd });
  try {
    return await new Promise<SharpnessFields>((resolve, reject) => {
      worker.on('message', (m: { kind: 'round'; epsilon: number } | { kind: 'done'; fields: SharpnessFields }) => {
        if (m.kind === 'done') return resolve(m.fields);
        opts.runRound({ epsilon: m.epsilon, directions: Float64Array.from(vec) }).then(
          (out) => {
            vec.set(out);
            Atomics.store(ctl, 0, 1);
            Atomics.notify(ctl, 0);
          },
          (e: unknown) => {
            Atomics.store(ctl, 0, 2);
            Atomics.notify(ctl, 0);
            reject(e instanceof Error ? e : new Error(String(e)));
          },
        );
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`estimator thread exited with code ${code} before its result`)));
    });
  } finally {
    await worker.terminate();
  }
}
