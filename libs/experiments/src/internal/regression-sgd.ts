import { batchIndices, gatherBatch, type Dataset } from '@lnsgd/data';
import { applyRegressionNoise, noNoise, rademacherNoise } from '@lnsgd/label-noise';

/** Loss and gradient of a regression model on a host batch (float64 θ). */
export type HostRegressionLoss = (
  theta: Float64Array,
  batch: { readonly x: Float32Array; readonly y: Float32Array },
) => {
  loss: number;
  grad: ArrayLike<number>;
};

/** Options of {@link runRegressionSgd}. */
export interface RegressionSgdOptions {
  readonly lossAndGradient: HostRegressionLoss;
  readonly train: Dataset;
  readonly theta0: ArrayLike<number>;
  readonly eta: number;
  /** Global batch B; B = n is (label-noise) gradient descent. */
  readonly batch: number;
  /** Rademacher label-noise scale σ; 0 is plain (S)GD. */
  readonly sigma: number;
  /** Heavy-ball momentum β ∈ [0, 1): v ← −η∇L̂ + βv, θ ← θ + v (the optim lib's form); 0 by default. */
  readonly beta?: number;
  readonly steps: number;
  readonly seed: number;
  /** Call `record` at step 0, every this many steps, and at the end. */
  readonly recordEvery: number;
  readonly record: (step: number, theta: Float64Array) => void;
  readonly onStep?: (step: number) => void;
}

/**
 * Algorithm 1 for a regression model on the host, in float64: each step takes the
 * batch of (seed, step), adds Rademacher noise ±σ keyed by (seed, step, sample) to
 * its labels and takes θ ← θ − η∇L̂(θ) (with heavy-ball momentum when β > 0). The optim lib works in float32; the
 * experiments need float64 to resolve coordinates that shrink towards zero for
 * hundreds of thousands of steps (sparse recovery).
 *
 * @param o problem, start point, hyper-parameters and recording hook.
 * @returns the final θ.
 */
export function runRegressionSgd(o: RegressionSgdOptions): Float64Array {
  const { train, eta, steps, seed } = o;
  if (!(o.batch >= 1 && o.batch <= train.n)) throw new RangeError(`runRegressionSgd: batch must lie in [1, ${train.n}], got ${o.batch}`);
  if (!(train.y instanceof Float32Array)) throw new TypeError(`runRegressionSgd: ${train.name} is not a regression set`);
  const noise = o.sigma > 0 ? rademacherNoise(o.sigma) : noNoise();
  const fullBatch = o.batch === train.n;
  const allIndices = Int32Array.from({ length: train.n }, (_, i) => i);
  const beta = o.beta ?? 0;
  if (!(beta >= 0 && beta < 1)) throw new RangeError(`runRegressionSgd: beta must lie in [0, 1), got ${beta}`);
  const theta = Float64Array.from(o.theta0);
  const velocity = new Float64Array(theta.length);
  o.record(0, theta);
  for (let step = 0; step < steps; step++) {
    // Full batch: the gradient is a mean, so the data set order is as good as a permutation.
    const idx = fullBatch ? allIndices : batchIndices({ seed, step, globalBatch: o.batch, n: train.n });
    const b = fullBatch ? { x: train.x, y: train.y } : gatherBatch(train, idx);
    const labels = b.y as Float32Array;
    const y = o.sigma > 0 ? applyRegressionNoise(noise, { labels, outDim: train.yDim, sampleIndices: idx, step, seed }) : labels;
    const { grad } = o.lossAndGradient(theta, { x: b.x, y });
    for (let j = 0; j < theta.length; j++) {
      velocity[j] = beta * velocity[j] - eta * grad[j];
      theta[j] += velocity[j];
    }
    const done = step + 1;
    o.onStep?.(done);
    if (done % o.recordEvery === 0 || done === steps) {
      if (!theta.every(Number.isFinite))
        throw new RangeError(`runRegressionSgd: diverged at step ${done} (η = ${eta}, σ = ${o.sigma}, B = ${o.batch}, β = ${beta})`);
      o.record(done, theta);
    }
  }
  return theta;
}
