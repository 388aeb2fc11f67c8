import type { Hvp } from './hvp';
import { checkInteger, countedHvp } from './internal/check';
import { ProbeStream, rademacherVector } from './internal/rng';
import { axpy, dot, meanAndStderr, norm, scaled } from './internal/vector';
import type { TraceEstimate } from './hutchinson_trace';

/** Options of {@link hutchPlusPlus}. */
export interface HutchPlusPlusOptions {
  readonly dim: number;
  /** Total HVP budget m, split m/3 (sketch HS) + m/3 (HQ) + m/3 (Hutchinson on the rest). */
  readonly hvps: number;
  readonly seed: number;
}

/**
 * Hutch++ (Meyer, Musco, Musco, Woodruff 2021): tr H = tr(QᵀHQ) + tr(P⊥HP⊥) with Q an
 * orthonormal basis of H·S for m/3 Rademacher columns S; the first term is exact, the
 * second is Hutchinson on P⊥G. Error O(1/m) instead of O(1/√m) when H has a few large
 * eigenvalues (as Hessians of trained nets do). `stderr` covers the sampled part only.
 *
 * @param hvp v ↦ Hv.
 * @param options dim, hvps (≥ 3), seed.
 * @example hutchPlusPlus(hvp, {dim: n, hvps: 60, seed: 1}).trace
 */
export function hutchPlusPlus(hvp: Hvp, options: HutchPlusPlusOptions): TraceEstimate {
  const fn = 'hutchPlusPlus';
  const { dim, seed } = options;
  checkInteger(fn, { dim });
  checkInteger(fn, { hvps: options.hvps }, 3);
  const counted = countedHvp(fn, hvp, dim);
  const k = Math.min(Math.floor(options.hvps / 3), dim);
  const g = options.hvps - 2 * k;
  const key = (index: number): { seed: number; stream: number; index: number } => ({ seed, stream: ProbeStream.HUTCH_PLUS_PLUS, index });
  // Q = orth(H S) by Gram–Schmidt (twice), dropping dependent columns.
  const q: Float64Array[] = [];
  for (let i = 0; i < k; i++) {
    const w = Float64Array.from(counted.apply(rademacherVector(key(i), dim)));
    const before = norm(w);
    for (let pass = 0; pass < 2; pass++) for (const u of q) axpy(-dot(u, w), u, w);
    const after = norm(w);
    if (after > 1e-10 * before) q.push(scaled(1 / after, w));
  }
  let exact = 0;
  for (const u of q) exact += dot(u, counted.apply(u));
  const samples: number[] = [];
  for (let i = 0; i < g; i++) {
    const v = rademacherVector(key(k + i), dim);
    for (let pass = 0; pass < 2; pass++) for (const u of q) axpy(-dot(u, v), u, v);
    samples.push(dot(v, counted.apply(v)));
  }
  const sampled = samples.length > 0 ? meanAndStderr(samples) : { mean: 0, stderr: Number.POSITIVE_INFINITY };
  return { trace: exact + sampled.mean, stderr: sampled.stderr, probes: g, hvpCount: counted.count() };
}
