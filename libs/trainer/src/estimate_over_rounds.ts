import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EstimateThreadData } from './estimate_by_rounds_thread';
import { SHARPNESS_DEFAULTS } from '@lnsgd/sharpness';
import type { SharpnessBudget, SharpnessFields } from './measure_sharpness';

/**
 * The most directions one round of {@link measureSharpnessByRounds} carries with block
 * probes: the SLQ probes, or the deflated Ritz vectors plus one probe (HVP check). Sizes
 * the buffers that carry a block between threads.
 */
export function widestRoundBlock(budget?: SharpnessBudget): number {
  return Math.max(budget?.probes ?? SHARPNESS_DEFAULTS.probes, SHARPNESS_DEFAULTS.deflate + 1);
}

/**
 * {@link measureSharpnessByRounds} with an asynchronous round runner (e.g. a
 * HvpRoundHost over ZeroMQ): Lanczos and SLQ run on a thread that waits for each
 * round, the rounds run on this event loop. Independent directions share a round
 * (see measureSharpnessByRounds's blockProbes).
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
  readonly blockProbes?: boolean;
  readonly runRound: (r: { readonly epsilon: number; readonly directions: Float64Array }) => Promise<Float64Array>;
}): Promise<SharpnessFields> {
  const n = opts.theta.length;
  const control = new SharedArrayBuffer(8);
  const data = new SharedArrayBuffer(8 * n * widestRoundBlock(opts.budget));
  const ctl = new Int32Array(control);
  const vec = new Float64Array(data);
  const wd: EstimateThreadData = {
    theta: opts.theta,
    seed: opts.seed,
    eta: opts.eta,
    beta: opts.beta,
    samples: opts.samples,
    budget: opts.budget,
    blockProbes: opts.blockProbes,
    control,
    data,
  };
  const worker = new Worker(join(__dirname, 'estimate_by_rounds_thread.js'), { workerData: wd });
  try {
    return await new Promise<SharpnessFields>((resolve, reject) => {
      worker.on('message', (m: { kind: 'round'; epsilon: number; block: number } | { kind: 'done'; fields: SharpnessFields }) => {
        if (m.kind === 'done') return resolve(m.fields);
        const fail = (e: unknown): void => {
          Atomics.store(ctl, 0, 2);
          Atomics.notify(ctl, 0);
          reject(e instanceof Error ? e : new Error(String(e)));
        };
        opts.runRound({ epsilon: m.epsilon, directions: vec.slice(0, m.block * n) }).then((out) => {
          if (out.length !== m.block * n) return fail(new RangeError(`round returned ${out.length} values for ${m.block} directions of ${n}`));
          vec.set(out);
          Atomics.store(ctl, 0, 1);
          Atomics.notify(ctl, 0);
        }, fail);
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`estimator thread exited with code ${code} before its result`)));
    });
  } finally {
    await worker.terminate();
  }
}
