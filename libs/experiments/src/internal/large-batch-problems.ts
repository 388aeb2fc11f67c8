import { quadraticSparseData, type Dataset } from '@lnsgd/data';
import { createQuadraticSparse, quadraticSparseLossAndGradient } from '@lnsgd/models';
import { explicitHvp, hutchinsonTrace, implicitRegularizer } from '@lnsgd/sharpness';
import { createNoiseCovarianceTrace, getPreset, makeLabelNoiser } from '@lnsgd/trainer';
import { CounterRng, RngDomain } from '@lnsgd/random';
import { float64Hvp } from './float64-hvp';
import { sparseLossAndTrace, sparseTestError } from './quadratic-sparse-math';
import type { HostRegressionLoss } from './regression-sgd';
import { tanhNet } from './tanh-net';

/** tr G with its standard error, from the trainer's estimator. */
export interface NoiseCovarianceEstimate {
  readonly value: number;
  readonly stderr: number;
}

/** What the large-batch experiment needs of a model: data, loss, and the measurements. */
export interface LargeBatchProblem {
  readonly name: string;
  /** One line for the report. */
  readonly description: string;
  readonly train: Dataset;
  readonly lossAndGradient: HostRegressionLoss;
  /** The per-sample loss is c·(f − y)². */
  readonly c: number;
  readonly numParams: number;
  theta0(seed: number): Float64Array;
  /** Clean training loss on the whole training set. */
  trainLoss(theta: Float64Array): number;
  /** Lower is better. */
  testMetric(theta: Float64Array): number;
  readonly testMetricName: string;
  /** tr∇²L: exact where a closed form exists, else Hutchinson on float64 HVPs. */
  traceHessian(theta: Float64Array, seed: number): number;
  /** Hutchinson's estimate of tr∇²L on float64 HVPs, for the tr G comparison. */
  hutchinson(theta: Float64Array, seed: number): { trace: number; stderr: number };
  /** R(θ) = −1/(2η)·tr log(I − (η/2)∇²L) at the given η, or null where it is undefined. */
  regularizer(theta: Float64Array, eta: number, seed: number): number | null;
  /** tr G at σ = 1 (it scales exactly with σ²), or null when the problem has no zoo model for the trainer's estimator. */
  noiseCovariance(theta: Float64Array, step: number, seed: number): NoiseCovarianceEstimate | null;
}

/**
 * HaoChen et al. 2020's quadratically parametrized sparse regression (the sparse-recovery
 * problem, n < d): tr∇²L and R(θ) are exact (the d×d Hessian in float64 and
 * log det by Cholesky), the test metric is ‖v⊙v − w*‖², tr G comes from the trainer's
 * estimator on the zoo model.
 *
 * @param o data size and seed.
 */
export function quadraticSparseProblem(o: { readonly d: number; readonly k: number; readonly n: number; readonly seed: number }): LargeBatchProblem {
  const { train, meta } = quadraticSparseData({ d: o.d, k: o.k, n: o.n, nTest: 16, seed: o.seed });
  const wStar = meta?.['wStar'] as Float32Array;
  const model = createQuadraticSparse({ d: o.d });
  const preset = getPreset('quadratic-sparse').defaults;
  return {
    name: 'quadratic-sparse',
    description: `quadratic-sparse: f(x) = ⟨v⊙v, x⟩, d = ${o.d}, ${o.k}-sparse teacher, n = ${o.n}, v₀ = 1, test metric ‖v⊙v − w*‖²`,
    train,
    lossAndGradient: (t, b) => quadraticSparseLossAndGradient(t, b),
    c: 0.25,
    numParams: o.d,
    theta0: () => new Float64Array(o.d).fill(1),
    trainLoss: (t) => sparseLossAndTrace(t, train).loss,
    testMetric: (t) => sparseTestError(t, wStar),
    testMetricName: '‖v⊙v − w*‖²',
    traceHessian: (t) => sparseLossAndTrace(t, train).trace,
    // The host gradient is float32, too coarse for central differences: probe the exact Hessian.
    hutchinson: (t, seed) => hutchinsonTrace(explicitHvp(sparseHessian(t, train), o.d), { dim: o.d, seed, maxProbes: 200, relStdErr: 0.01 }),
    regularizer: (t, eta) => logDetRegularizer(sparseHessian(t, train), o.d, eta),
    noiseCovariance: (t, step, seed) => {
      const hyper = { ...preset, seed, sigma: 1, batch: o.n };
      const noiser = makeLabelNoiser({ task: 'regression', hyper, numClasses: 0 }).apply;
      const e = createNoiseCovarianceTrace({ model, train, hyper, noiser })(Float32Array.from(t), step);
      return e.trace_noise_covariance === null ? null : { value: e.trace_noise_covariance, stderr: e.trace_noise_covariance_stderr };
    },
  };
}

/**
 * A one-hidden-layer tanh MLP, f(x) = Σ a_h·tanh(w_h·x + b_h) + c, on n points of
 * x ~ U(−1, 1) labelled by sin(3x) (more parameters than points, so the zero-loss set is
 * a manifold and label noise has a direction to move along). tr∇²L by Hutchinson and R(θ)
 * by stochastic Lanczos quadrature, both on float64 central-difference HVPs; test metric:
 * the MSE on a 512-point grid.
 *
 * @param o width, data size and seed.
 */
export function tanhMlpProblem(o: { readonly hidden: number; readonly n: number; readonly seed: number }): LargeBatchProblem {
  const net = tanhNet(o.hidden);
  const rng = new CounterRng(o.seed, RngDomain.DATA_SYNTHESIS);
  const teacher = (x: number): number => Math.sin(3 * x);
  const x = Float32Array.from({ length: o.n }, (_, i) => 2 * rng.uniform(i) - 1);
  const y = Float32Array.from(x, teacher);
  const train: Dataset = { name: 'tanh-mlp/train', n: o.n, xShape: [1], x, y, yDim: 1, task: 'regression', numClasses: 0 };
  const testX = Float64Array.from({ length: 512 }, (_, i) => -1 + (2 * i) / 511);
  const test = { x: testX, y: Float64Array.from(testX, teacher) };
  const full = { x, y };
  const gradient = (t: Float64Array): Float64Array => net.lossAndGradient(t, full).grad;
  const hutchinson = (t: Float64Array, seed: number): { trace: number; stderr: number } =>
    hutchinsonTrace(float64Hvp(gradient, t), { dim: net.numParams, seed, maxProbes: 100, relStdErr: 0.02 });
  return {
    name: 'tanh-mlp',
    description: `tanh MLP: one hidden layer of ${o.hidden} tanh units (${net.numParams} parameters), n = ${o.n} points of sin(3x) on [−1, 1], ½ squared loss, test metric: MSE on a 512-point grid`,
    train,
    lossAndGradient: (t, b) => net.lossAndGradient(t, b),
    c: 0.5,
    numParams: net.numParams,
    theta0: (seed) => net.init(seed),
    trainLoss: (t) => net.lossAndGradient(t, full).loss,
    // The loss is ½·MSE.
    testMetric: (t) => 2 * net.lossAndGradient(t, test).loss,
    testMetricName: 'test MSE',
    traceHessian: (t, seed) => hutchinson(t, seed).trace,
    hutchinson,
    regularizer: (t, eta, seed) => implicitRegularizer(float64Hvp(gradient, t), { dim: net.numParams, eta, probes: 8, steps: 30, seed }).value,
    noiseCovariance: () => null,
  };
}

/** The exact Hessian of the quadratic-sparse loss: (2/n)Σ a_i a_iᵀ + diag((1/n)Σ r_i x_i), a_i = x_i⊙v. */
function sparseHessian(v: ArrayLike<number>, ds: Dataset): Float64Array {
  const d = v.length;
  const h = new Float64Array(d * d);
  const a = new Float64Array(d);
  for (let i = 0; i < ds.n; i++) {
    let f = 0;
    for (let j = 0; j < d; j++) {
      a[j] = ds.x[i * d + j] * v[j];
      f += a[j] * v[j];
    }
    const r = f - ds.y[i];
    for (let j = 0; j < d; j++) {
      h[j * d + j] += (r * ds.x[i * d + j]) / ds.n;
      const s = (2 * a[j]) / ds.n;
      for (let l = 0; l < d; l++) h[j * d + l] += s * a[l];
    }
  }
  return h;
}

/**
 * R = −1/(2η)·log det(I − (η/2)H) by a Cholesky factorization of I − (η/2)H; null when
 * that matrix is not positive definite (an eigenvalue of H at or above 2/η: R undefined).
 */
function logDetRegularizer(h: Float64Array, d: number, eta: number): number | null {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) m[i] = (-eta / 2) * h[i];
  for (let i = 0; i < d; i++) m[i * d + i] += 1;
  let logDet = 0;
  for (let j = 0; j < d; j++) {
    let s = m[j * d + j];
    for (let k = 0; k < j; k++) s -= m[j * d + k] ** 2;
    if (!(s > 0)) return null;
    const ljj = Math.sqrt(s);
    m[j * d + j] = ljj;
    logDet += 2 * Math.log(ljj);
    for (let i = j + 1; i < d; i++) {
      let t = m[i * d + j];
      for (let k = 0; k < j; k++) t -= m[i * d + k] * m[j * d + k];
      m[i * d + j] = t / ljj;
    }
  }
  return -logDet / (2 * eta);
}
