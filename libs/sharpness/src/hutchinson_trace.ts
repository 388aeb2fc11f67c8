import type { Hvp, HvpBlock } from './hvp';
import { checkInteger, countedHvp } from './internal/check';
import { ProbeStream, rademacherVector } from './internal/rng';
import { dot, meanAndStderr } from './internal/vector';

/** Options of {@link hutchinsonTrace}. */
export interface HutchinsonOptions {
  readonly dim: number;
  /** Hard cap on probes = HVPs (default 100, as in PyHessian). */
  readonly maxProbes?: number;
  /** Probes drawn before the stopping rule is consulted (default 10). */
  readonly minProbes?: number;
  /** Stop once stderr ≤ relStdErr·|trace| (default 0.01). */
  readonly relStdErr?: number;
  readonly seed: number;
  /**
   * The same HVP taking several vectors per call: probes go `probeBlock` at a time (the
   * first block is minProbes), the stopping rule still read probe by probe, so the
   * estimate equals the one-at-a-time one; products past the stop are counted, unused.
   */
  readonly hvpBlock?: HvpBlock;
  /** Probes per `hvpBlock` call after the first (default minProbes). */
  readonly probeBlock?: number;
}

/** Result of {@link hutchinsonTrace}. */
export interface TraceEstimate {
  /** Mean of vᵀHv over probes. */
  readonly trace: number;
  /** Sample standard deviation of vᵀHv / √probes. */
  readonly stderr: number;
  readonly probes: number;
  readonly hvpCount: number;
}

/**
 * Hutchinson's trace estimator tr H ≈ (1/m) Σ v_iᵀ H v_i with Rademacher probes
 * (E[vvᵀ] = I, variance 2(‖H‖_F² − Σ H_ii²), the smallest of any i.i.d. probe).
 * Stops on the estimate's own relative standard error, not on a change between
 * iterations (which says little about accuracy).
 *
 * @param hvp v ↦ Hv.
 * @param options dim, maxProbes, minProbes, relStdErr, seed.
 * @example hutchinsonTrace(explicitHvp(A, n), {dim: n, seed: 1}).trace
 */
export function hutchinsonTrace(hvp: Hvp, options: HutchinsonOptions): TraceEstimate {
  const fn = 'hutchinsonTrace';
  const maxProbes = options.maxProbes ?? 100;
  const minProbes = Math.min(options.minProbes ?? 10, maxProbes);
  const relStdErr = options.relStdErr ?? 0.01;
  checkInteger(fn, { dim: options.dim });
  checkInteger(fn, { maxProbes: maxProbes });
  checkInteger(fn, { minProbes: minProbes });
  if (!(relStdErr >= 0)) throw new RangeError(`${fn}: relStdErr must be >= 0, got ${relStdErr}`);
  const counted = countedHvp(fn, hvp, options.dim);
  const probe = (i: number): Float64Array => rademacherVector({ seed: options.seed, stream: ProbeStream.HUTCHINSON, index: i }, options.dim);
  const block = options.hvpBlock;
  const probeBlock = options.probeBlock ?? minProbes;
  checkInteger(fn, { probeBlock: probeBlock });
  // Products of probes i ≥ from, taken ahead in one block call.
  let ahead: Float64Array[] = [];
  let from = 0;
  const productOf = (i: number, v: Float64Array): Float64Array => {
    if (block === undefined) return counted.apply(v);
    if (i >= from + ahead.length) {
      const size = Math.min(i === 0 ? minProbes : probeBlock, maxProbes - i);
      const vs = Array.from({ length: size }, (_, j) => (j === 0 ? v : probe(i + j)));
      ahead = block(vs);
      if (ahead.length !== size) throw new RangeError(`${fn}: hvpBlock returned ${ahead.length} products for ${size} vectors`);
      ahead = ahead.map((hv) => counted.check(hv));
      from = i;
    }
    return ahead[i - from];
  };
  const samples: number[] = [];
  let estimate = { mean: 0, stderr: Number.POSITIVE_INFINITY };
  for (let i = 0; i < maxProbes; i++) {
    const v = probe(i);
    samples.push(dot(v, productOf(i, v)));
    if (samples.length < minProbes) continue;
    estimate = meanAndStderr(samples);
    if (estimate.stderr <= relStdErr * Math.abs(estimate.mean)) break;
  }
  return { trace: estimate.mean, stderr: estimate.stderr, probes: samples.length, hvpCount: counted.count() };
}
