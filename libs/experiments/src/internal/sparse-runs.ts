import type { Dataset } from '@lnsgd/data';
import { quadraticSparseLossAndGradient } from '@lnsgd/models';
import type { Row } from '@lnsgd/report';
import { sparseLossAndTrace, sparseTestError } from './quadratic-sparse-math';
import { runRegressionSgd } from './regression-sgd';

/** One method's trajectory on the sparse-recovery problem. */
export interface SparseRun {
  readonly rows: Row[];
  readonly theta: Float64Array;
  readonly final: { readonly testError: number; readonly trace: number; readonly trainLoss: number };
}

/**
 * Runs (label-noise) gradient descent on the quadratic-sparse model and records
 * train loss, test error ‖v⊙v − w*‖² and tr∇²L `records` times.
 *
 * @param o the method label, data, start point and hyper-parameters.
 */
export function runSparseMethod(o: {
  readonly method: string;
  readonly train: Dataset;
  readonly wStar: ArrayLike<number>;
  readonly theta0: ArrayLike<number>;
  readonly eta: number;
  readonly sigma: number;
  readonly steps: number;
  readonly seed: number;
  readonly records: number;
  readonly onStep?: (step: number) => void;
}): SparseRun {
  const rows: Row[] = [];
  const measure = (v: ArrayLike<number>): SparseRun['final'] => {
    const { loss, trace } = sparseLossAndTrace(v, o.train);
    return { testError: sparseTestError(v, o.wStar), trace, trainLoss: loss };
  };
  const theta = runRegressionSgd({
    lossAndGradient: (v, batch) => quadraticSparseLossAndGradient(v, batch),
    train: o.train,
    theta0: o.theta0,
    eta: o.eta,
    batch: o.train.n,
    sigma: o.sigma,
    steps: o.steps,
    seed: o.seed,
    recordEvery: Math.max(1, Math.floor(o.steps / o.records)),
    record: (step, v) => {
      const m = measure(v);
      rows.push({ method: o.method, step, train_loss: m.trainLoss, test_error: m.testError, trace_hessian: m.trace });
    },
    onStep: o.onStep,
  });
  return { rows, theta, final: measure(theta) };
}
