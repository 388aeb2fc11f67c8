import * as tf from '@tensorflow/tfjs';
import { evalBatchIndices, gatherBatch, type Dataset } from '@lnsgd/data';
import { createFrozenKinkGradient, type FrozenKinkGradient, type Model } from '@lnsgd/models';
import { SHARPNESS_DEFAULTS, estimateSharpness, finiteDifferenceHvp, type Hvp, type HvpParts, type SharpnessReport } from '@lnsgd/sharpness';
import { batchLabels } from './evaluate';

/** Sharpness fields of the CLI's JSON contract (snake_case, as printed). */
export interface SharpnessFields {
  /** λ_max of ∇²L on the evaluation batch (Lanczos). */
  readonly top_eigenvalue: number;
  /** Ritz residual plus the HVP's measured error along the top Ritz vector. */
  readonly top_eigenvalue_error: number;
  readonly trace_hessian: number;
  /** Probe variance and HVP error (+Infinity with one probe). */
  readonly trace_hessian_stderr: number;
  /** R(θ) for the run's η and β; null when an eigenvalue reaches 2(1+β)/η. */
  readonly implicit_regularizer: number | null;
  readonly implicit_regularizer_stderr: number | null;
  /** Standard errors over the choice of evaluation samples (between parts of the batch); null for a batch of 1. */
  readonly top_eigenvalue_sample_stderr: number | null;
  readonly trace_hessian_sample_stderr: number | null;
  readonly implicit_regularizer_sample_stderr: number | null;
  /** Measured relative error of one Hessian-vector product along the top Ritz vector. */
  readonly hvp_relative_error: number;
  /** Eigenvalues at or above 2(1+β)/η that make R(θ) undefined. */
  readonly unstable_eigenvalues: number[];
  /** The top-k Ritz values, largest first (only when the budget asks for topK > 1). */
  readonly top_k?: number[];
  readonly hvp_count: number;
  /** Size of the fixed, noise-free evaluation batch the Hessian is taken on. */
  readonly sharpness_samples: number;
  readonly sharpness_wall_s: number;
}

/** Where a running estimate is: products done, the Lanczos + SLQ budget, seconds so far. */
export interface SharpnessProgress {
  readonly hvps: number;
  readonly planned: number;
  readonly elapsedS: number;
}

/** Estimator budget; the defaults cost lanczosSteps + probes·slqSteps HVPs. */
export interface SharpnessBudget {
  readonly lanczosSteps?: number;
  readonly probes?: number;
  readonly slqSteps?: number;
  /** Evaluation-batch size (default min(n, 1024)). */
  readonly samples?: number;
  /** Top eigenvalues to report in `top_k` (default 1: omitted). */
  readonly topK?: number;
  /** Disjoint parts of the evaluation batch for the sample standard errors (default min(4, samples)). */
  readonly sampleParts?: number;
  /** Finite-difference step relative to max(1, ‖θ‖) (default {@link DEFAULT_RELATIVE_STEP}). */
  readonly relativeStep?: number;
}

/** Default finite-difference step of the frozen-kink HVP, relative to max(1, ‖θ‖). */
export const DEFAULT_RELATIVE_STEP = 1e-3;

/**
 * Estimates λ_max, tr∇²L and R(θ) of the CLEAN loss L (no label noise) on a fixed
 * evaluation batch drawn from the seed. Hessian-vector products are central
 * differences of tfjs gradients of the loss with its ReLU masks and max-pool choices
 * frozen at θ (createFrozenKinkGradient: the a.e. Hessian, never the kink crossings a
 * plain difference picks up), at a step of relativeStep·max(1, ‖θ‖); the HVP's error
 * is measured at run time against half the step and added to the error bars. The
 * batch is split into disjoint parts whose between-part spread gives the
 * `*_sample_stderr` fields.
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
  /** Seed of the evaluation batch when it differs from `seed` (which then seeds only the probes). */
  readonly dataSeed?: number;
  /** Called after each Lanczos/SLQ Hessian-vector product (the error checks' extra products are not counted in `planned`). */
  readonly onProgress?: (p: SharpnessProgress) => void;
}): SharpnessFields {
  const t0 = performance.now();
  const { model, ds } = opts;
  const budget = opts.budget ?? {};
  const size = Math.min(ds.n, budget.samples ?? 1024);
  const idx = evalBatchIndices({ seed: opts.dataSeed ?? opts.seed, n: ds.n, size });
  const k = Math.max(1, Math.min(budget.sampleParts ?? 4, size));
  const frozen: FrozenKinkGradient[] = [];
  const batches: tf.Tensor[] = [];
  try {
    const weights: number[] = [];
    for (let part = 0; part < k; part++) {
      const lo = Math.floor((part * size) / k);
      const hi = Math.floor(((part + 1) * size) / k);
      const b = gatherBatch(ds, idx.subarray(lo, hi));
      const x = tf.tensor(b.x, [hi - lo, ...ds.xShape]);
      const y = batchLabels(ds, b.y, hi - lo);
      batches.push(x, y);
      frozen.push(createFrozenKinkGradient(model, { theta: opts.theta, x, y }));
      weights.push((hi - lo) / size);
    }
    // The Lanczos/SLQ products run on the whole batch in one gradient call: the loss is
    // the weighted mean of the parts' losses, but on small conv nets a gradient costs
    // mostly per-op overhead, so summing K part gradients made each HVP ~K times dearer.
    // The parts are used only for the sample standard errors.
    let whole = frozen[0];
    if (k > 1) {
      const b = gatherBatch(ds, idx);
      const x = tf.tensor(b.x, [size, ...ds.xShape]);
      const y = batchLabels(ds, b.y, size);
      batches.push(x, y);
      whole = createFrozenKinkGradient(model, { theta: opts.theta, x, y });
      frozen.push(whole);
    }
    const n = model.numParams;
    const gradient = whole.gradient;
    let thetaNorm = 0;
    for (const t of opts.theta) thetaNorm += t * t;
    const epsilon = (budget.relativeStep ?? DEFAULT_RELATIVE_STEP) * Math.max(1, Math.sqrt(thetaNorm));
    const hvpAt = (eps: number): Hvp => finiteDifferenceHvp({ gradient, theta: opts.theta, epsilon: eps });
    const partHvps = frozen.slice(0, k).map((f) => finiteDifferenceHvp({ gradient: f.gradient, theta: opts.theta, epsilon }));
    const hvpParts: HvpParts | undefined = k > 1 ? { apply: (v) => partHvps.map((h) => h(v)), weights } : undefined;
    const full = hvpAt(epsilon);
    const d = SHARPNESS_DEFAULTS;
    const planned = Math.min(budget.lanczosSteps ?? d.lanczosSteps, n) + (budget.probes ?? d.probes) * (budget.slqSteps ?? d.slqSteps);
    let done = 0;
    const onProgress = opts.onProgress;
    const hvp: Hvp =
      onProgress === undefined
        ? full
        : (v) => {
            const out = full(v);
            onProgress({ hvps: ++done, planned, elapsedS: (performance.now() - t0) / 1000 });
            return out;
          };
    const r = estimateSharpness({
      hvp,
      hvpHalfStep: hvpAt(epsilon / 2),
      hvpParts,
      dim: n,
      eta: opts.eta,
      beta: opts.beta,
      seed: opts.seed,
      lanczosSteps: budget.lanczosSteps,
      probes: budget.probes,
      slqSteps: budget.slqSteps,
      topK: budget.topK,
    });
    return sharpnessFieldsOf(r, size, t0);
  } finally {
    for (const f of frozen) f.dispose();
    tf.dispose(batches);
  }
}

/** The CLI's snake_case fields of an estimate on `samples` evaluation samples, started at `t0` (performance.now()). */
export function sharpnessFieldsOf(r: SharpnessReport, samples: number, t0: number): SharpnessFields {
  return {
    top_eigenvalue: r.topEigenvalue,
    top_eigenvalue_error: r.topEigenvalueError,
    trace_hessian: r.traceHessian,
    trace_hessian_stderr: r.traceHessianStderr,
    implicit_regularizer: r.implicitRegularizer,
    implicit_regularizer_stderr: r.implicitRegularizerStderr,
    top_eigenvalue_sample_stderr: r.topEigenvalueSampleStderr,
    trace_hessian_sample_stderr: r.traceHessianSampleStderr,
    implicit_regularizer_sample_stderr: r.implicitRegularizerSampleStderr,
    hvp_relative_error: r.hvpRelativeError,
    unstable_eigenvalues: r.unstableEigenvalues,
    ...(r.topK !== undefined ? { top_k: r.topK } : {}),
    hvp_count: r.hvpCount,
    sharpness_samples: samples,
    sharpness_wall_s: (performance.now() - t0) / 1000,
  };
}

/** What bounds a --target-rel-error refinement: the target, the HVP budget and the data. */
export interface SharpnessTarget {
  /** Largest accepted error relative to its value, for λ_max, tr∇²L and R(θ). */
  readonly target: number;
  /** HVPs for all rounds together. */
  readonly maxHvps: number;
  /** Samples the evaluation batch can grow to (the training set's size). */
  readonly pool: number;
}

/** The last round's fields and why the refinement stopped. */
export interface SharpnessTargetOutcome {
  readonly fields: SharpnessFields;
  readonly budget: SharpnessBudget & { readonly probes: number; readonly samples: number };
  readonly worst: { readonly value: number; readonly source: 'probes' | 'samples' };
  readonly stoppedBy: 'target' | 'hvp_error' | 'max_hvps';
  /** HVPs of all rounds. */
  readonly spent: number;
}

/**
 * Estimates again, each round afresh with twice the probes or, when the evaluation
 * subsample's error dominates, twice the samples (up to the pool), until every error is
 * within the target, the next round would exceed the HVP budget (its HVP count is
 * predicted from this round's, scaled by the probes), or the HVP's own error, which
 * neither reduces, is above the target.
 *
 * @param t target, HVP budget, pool size, and `onRetry`, called before each further round.
 * @param start the first round's budget.
 * @param measure one estimate at a budget (e.g. measureSharpness).
 */
export function measureSharpnessToTarget(
  t: SharpnessTarget & { readonly onRetry?: (worst: SharpnessTargetOutcome['worst'], next: SharpnessTargetOutcome['budget']) => void },
  start: SharpnessBudget & { readonly probes: number; readonly samples: number },
  measure: (budget: SharpnessBudget) => SharpnessFields,
): SharpnessTargetOutcome {
  let budget = { ...start, samples: Math.min(t.pool, start.samples) };
  let fields = measure(budget);
  let spent = fields.hvp_count;
  let worst = worstRelativeError(fields, budget.samples < t.pool);
  for (;;) {
    if (worst.value <= t.target) return { fields, budget, worst, stoppedBy: 'target', spent };
    if (fields.hvp_relative_error >= t.target) return { fields, budget, worst, stoppedBy: 'hvp_error', spent };
    const next = worst.source === 'samples' ? { ...budget, samples: Math.min(t.pool, 2 * budget.samples) } : { ...budget, probes: 2 * budget.probes };
    if (spent + fields.hvp_count * (next.probes / budget.probes) > t.maxHvps) return { fields, budget, worst, stoppedBy: 'max_hvps', spent };
    t.onRetry?.(worst, next);
    budget = next;
    fields = measure(budget);
    spent += fields.hvp_count;
    worst = worstRelativeError(fields, budget.samples < t.pool);
  }
}

/**
 * The largest error relative to its value among λ_max, tr∇²L and R(θ) (R only when
 * defined), each error combining the estimator's and the evaluation subsample's in
 * quadrature, and which of the two dominates it. An evaluation batch that is the whole
 * training set has no subsample error: then only the estimator's counts.
 */
export function worstRelativeError(f: SharpnessFields, subsample: boolean): { value: number; source: 'probes' | 'samples' } {
  const parts: [number, number | null, number | null][] = [
    [f.top_eigenvalue, f.top_eigenvalue_error, f.top_eigenvalue_sample_stderr],
    [f.trace_hessian, f.trace_hessian_stderr, f.trace_hessian_sample_stderr],
  ];
  if (f.implicit_regularizer !== null) parts.push([f.implicit_regularizer, f.implicit_regularizer_stderr, f.implicit_regularizer_sample_stderr]);
  let worst: { value: number; source: 'probes' | 'samples' } = { value: 0, source: 'probes' };
  for (const [v, e, s] of parts) {
    const sample = subsample ? s : 0;
    const rel = Math.hypot(e ?? 0, sample ?? 0) / Math.abs(v);
    if (!(rel <= worst.value)) worst = { value: rel, source: (sample ?? 0) > (e ?? 0) ? 'samples' : 'probes' };
  }
  return worst;
}
