import * as tf from '@tensorflow/tfjs';
import { evalBatchIndices, gatherBatch, type Dataset } from '@lnsgd/data';
import { createLossAndGradient, type Model } from '@lnsgd/models';
import { estimateSharpness, finiteDifferenceHvp } from '@lnsgd/sharpness';
import { batchLabels } from './evaluate';

/** Sharpness fields of the CLI's JSON contract (snake_case, as printed). */
export interface SharpnessFields {
  /** λ_max of ∇²L on the evaluation batch (Lanczos). */
  readonly top_eigenvalue: number;
  /** Ritz residual: some eigenvalue lies within this distance of top_eigenvalue. */
  readonly top_eigenvalue_error: number;
  readonly trace_hessian: number;
  readonly trace_hessian_stderr: number;
  /** R(θ) for the run's η and β; null when an eigenvalue reaches 2(1+β)/η. */
  readonly implicit_regularizer: number | null;
  readonly implicit_regularizer_stderr: number | null;
  /** Eigenvalues at or above 2(1+β)/η that make R(θ) undefined. */
  readonly unstable_eigenvalues: number[];
  readonly hvp_count: number;
  /** Size of the fixed, noise-free evaluation batch the Hessian is taken on. */
  readonly sharpness_samples: number;
  readonly sharpness_wall_s: number;
}

/** Estimator budget; the defaults cost lanczosSteps + probes·slqSteps HVPs. */
export interface SharpnessBudget {
  readonly lanczosSteps?: number;
  readonly probes?: number;
  readonly slqSteps?: number;
  /** Evaluation-batch size (default min(n, 1024)). */
  readonly samples?: number;
}

/**
 * Estimates λ_max, tr∇²L and R(θ) of the CLEAN loss L (no label noise) on a fixed
 * evaluation batch drawn from the seed, with Hessian-vector products taken as
 * central differences of tfjs gradients (tfjs's nested gradients are unreliable).
 *
 * @param opts model, parameters, data, η/β and the estimator budget.
 */
export function measureSharpness(opts: {
  readonly model: Model;
  readonly theta: Float32Array;
  readonly ds: Dataset;
  readonly seed: number;
  readonly eta: number;
  readonly beta: number;
  readonly budget?: SharpnessBudget;
}): SharpnessFields {
  const t0 = performance.now();
  const { model, ds } = opts;
  const budget = opts.budget ?? {};
  const size = Math.min(ds.n, budget.samples ?? 1024);
  const idx = evalBatchIndices({ seed: opts.seed, n: ds.n, size });
  const b = gatherBatch(ds, idx);
  const x = tf.tensor(b.x, [size, ...ds.xShape]);
  const y = batchLabels(ds, b.y, size);
  try {
    const lossAndGradient = createLossAndGradient(model);
    // Copy: the gradient function may hand out a view of a reused buffer.
    const gradient = (theta: Float32Array): Float32Array => Float32Array.from(lossAndGradient(theta, x, y).grad);
    const hvp = finiteDifferenceHvp({ gradient, theta: opts.theta });
    const r = estimateSharpness({
      hvp,
      dim: model.numParams,
      eta: opts.eta,
      beta: opts.beta,
      seed: opts.seed,
      lanczosSteps: budget.lanczosSteps,
      probes: budget.probes,
      slqSteps: budget.slqSteps,
    });
    return {
      top_eigenvalue: r.topEigenvalue,
      top_eigenvalue_error: r.topEigenvalueError,
      trace_hessian: r.traceHessian,
      trace_hessian_stderr: r.traceHessianStderr,
      implicit_regularizer: r.implicitRegularizer,
      implicit_regularizer_stderr: r.implicitRegularizerStderr,
      unstable_eigenvalues: r.unstableEigenvalues,
      hvp_count: r.hvpCount,
      sharpness_samples: size,
      sharpness_wall_s: (performance.now() - t0) / 1000,
    };
  } finally {
    tf.dispose([x, y]);
  }
}
