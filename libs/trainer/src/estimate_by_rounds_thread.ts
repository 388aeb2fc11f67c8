import { parentPort, workerData } from 'node:worker_threads';
import { measureSharpnessByRounds } from './distributed_sharpness';
import type { SharpnessBudget } from './measure_sharpness';

/** What the thread is started with (see {@link measureSharpnessOverRounds}). */
export interface EstimateThreadData {
  readonly theta: Float32Array;
  readonly seed: number;
  readonly eta: number;
  readonly beta: number;
  readonly samples: number;
  readonly budget?: SharpnessBudget;
  readonly blockProbes?: boolean;
  /** [state, _]: 0 waiting for a round, 1 result ready, 2 the round failed. */
  readonly control: SharedArrayBuffer;
  /** The block of directions going out and its products coming back (float64, block·numParams). */
  readonly data: SharedArrayBuffer;
}

// The estimator is synchronous (an Hvp returns its product); the rounds are I/O on the
// parent's event loop. So the estimator runs here and blocks on Atomics.wait per product.
const d = workerData as EstimateThreadData;
const control = new Int32Array(d.control);
const data = new Float64Array(d.data);
const fields = measureSharpnessByRounds({
  theta: d.theta,
  seed: d.seed,
  eta: d.eta,
  beta: d.beta,
  samples: d.samples,
  budget: d.budget,
  blockProbes: d.blockProbes,
  runRound: ({ epsilon, directions }) => {
    data.set(directions);
    Atomics.store(control, 0, 0);
    parentPort?.postMessage({ kind: 'round', epsilon, block: directions.length / d.theta.length });
    Atomics.wait(control, 0, 0);
    if (Atomics.load(control, 0) !== 1) throw new Error('estimation round failed (see the parent)');
    return data.slice(0, directions.length);
  },
});
parentPort?.postMessage({ kind: 'done', fields });
