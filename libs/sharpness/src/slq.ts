import type { Hvp, HvpBlock } from './hvp';
import { checkInteger, countedHvp } from './internal/check';
import { runLanczos, runLanczosLockstep, type LanczosProcess } from './internal/lanczos_process';
import { ProbeStream, rademacherVector } from './internal/rng';
import { tridiagonalEigen } from './internal/tridiagonal_eigen';
import { axpy, dot, meanAndStderr } from './internal/vector';

/**
 * Orthonormal vectors whose part of tr f(H) is taken exactly (as Σ f(θ_i)) instead of
 * being sampled, e.g. the top Ritz pairs of a {@link lanczos} run with `returnVectors`.
 */
export interface Deflation {
  /** Ritz values θ_i = y_iᵀ H y_i. */
  readonly values: ArrayLike<number>;
  /** Orthonormal Ritz vectors y_i. */
  readonly vectors: readonly Float64Array[];
}

/** Options of {@link slq}. */
export interface SlqOptions {
  readonly dim: number;
  /** Number of Rademacher probes (= independent Lanczos runs). */
  readonly probes: number;
  /** Lanczos steps per probe = quadrature nodes (capped at dim). */
  readonly steps: number;
  readonly seed: number;
  /** Optional deflation; the probes are projected onto its orthogonal complement. */
  readonly deflation?: Deflation;
  /**
   * The same HVP taking several vectors at once: the probes' Lanczos runs then advance in
   * lockstep, `probeBlock` runs per call (so probes·steps HVPs take about steps calls).
   */
  readonly hvpBlock?: HvpBlock;
  /** Runs advanced together with `hvpBlock` (default: all probes; bounds the memory to block·steps vectors). */
  readonly probeBlock?: number;
}

/** One probe's Gauss quadrature: scale·Σ_j weights_j f(nodes_j) ≈ vᵀ f(H) v. */
export interface SlqProbe {
  /** Ritz values θ_j, descending. */
  readonly nodes: Float64Array;
  /** (e_1ᵀ s_j)², summing to 1. */
  readonly weights: Float64Array;
  /** ‖v‖² of the (projected) probe: n for a plain Rademacher probe. */
  readonly scale: number;
}

/** Result of {@link slq}. */
export interface SlqResult {
  readonly dim: number;
  readonly probes: SlqProbe[];
  /** Deflated Ritz values taken exactly (empty without deflation). */
  readonly deflatedValues: Float64Array;
  readonly hvpCount: number;
}

/**
 * Stochastic Lanczos quadrature (Ubaru, Chen, Saad 2017): for each Rademacher probe v,
 * m Lanczos steps from v give the Gauss quadrature vᵀ f(H) v ≈ ‖v‖² Σ_j (e_1ᵀ s_j)² f(θ_j),
 * exact for polynomials f of degree ≤ 2m − 1. With a {@link Deflation} Y the probe is
 * P⊥v = (I − YYᵀ)v and tr f(H) = Σ_i y_iᵀ f(H) y_i + E[(P⊥v)ᵀ f(H) P⊥v] holds for any
 * orthonormal Y; taking y_iᵀ f(H) y_i ≈ f(θ_i) is exact for f(x) = x and off by
 * ≈ f''(θ_i) r_i²/2 otherwise, while the sampled part loses the top eigenvalues'
 * χ²-noise (Hutch++'s idea). Evaluate with {@link slqTraceOf}.
 *
 * @param hvp v ↦ Hv.
 * @param options dim, probes, steps, seed, deflation.
 * @example slqTraceOf((x) => x, slq(hvp, {dim: n, probes: 10, steps: 20, seed: 1})) // ≈ tr H
 */
export function slq(hvp: Hvp, options: SlqOptions): SlqResult {
  const fn = 'slq';
  const { dim, seed } = options;
  checkInteger(fn, { dim: dim });
  checkInteger(fn, { probes: options.probes });
  checkInteger(fn, { steps: options.steps });
  const deflation = options.deflation;
  if (deflation !== undefined) {
    if (deflation.values.length !== deflation.vectors.length) {
      throw new RangeError(`${fn}: deflation has ${deflation.values.length} values but ${deflation.vectors.length} vectors`);
    }
    for (const y of deflation.vectors) {
      if (y.length !== dim) throw new RangeError(`${fn}: deflation vector has length ${y.length}, expected dim = ${dim}`);
    }
  }
  const counted = countedHvp(fn, hvp, dim);
  const starts: Float64Array[] = [];
  for (let p = 0; p < options.probes; p++) {
    const v = rademacherVector({ seed, stream: ProbeStream.SLQ, index: p }, dim);
    // Two projection passes keep P⊥v orthogonal to Y to rounding level.
    for (let pass = 0; deflation !== undefined && pass < 2; pass++) {
      for (const y of deflation.vectors) axpy(-dot(y, v), y, v);
    }
    starts.push(v);
  }
  const steps = Math.min(options.steps, dim);
  // Y spanning everything leaves a zero probe: its sampled part is zero, no run.
  const live = starts.filter((v) => dot(v, v) > 1e-24 * dim);
  const runs: LanczosProcess[] = [];
  const block = options.hvpBlock;
  if (block === undefined) {
    for (const v of live) runs.push(runLanczos({ apply: counted.apply, start: v, steps }));
  } else {
    const size = options.probeBlock ?? Math.max(1, live.length);
    checkInteger(fn, { probeBlock: size });
    const applyBlock = (vs: Float64Array[]): Float64Array[] => {
      const out = block(vs);
      if (out.length !== vs.length) throw new RangeError(`${fn}: hvpBlock returned ${out.length} products for ${vs.length} vectors`);
      return out.map((hv) => counted.check(hv));
    };
    for (let i = 0; i < live.length; i += size) runs.push(...runLanczosLockstep(live.slice(i, i + size), steps, applyBlock));
  }
  const probes: SlqProbe[] = [];
  let next = 0;
  for (const v of starts) {
    const scale = dot(v, v);
    if (scale <= 1e-24 * dim) {
      probes.push({ nodes: new Float64Array([0]), weights: new Float64Array([0]), scale: 0 });
      continue;
    }
    const proc = runs[next++];
    const eig = tridiagonalEigen(proc.alpha, proc.beta, [0]);
    probes.push({ nodes: eig.values, weights: eig.rows[0].map((z) => z * z), scale });
  }
  return {
    dim,
    probes,
    deflatedValues: Float64Array.from(deflation?.values ?? []),
    hvpCount: counted.count(),
  };
}

/** An estimate with its standard error. */
export interface Estimate {
  readonly value: number;
  /** Standard error over probes (sample std / √probes); +Infinity with a single probe. */
  readonly stderr: number;
}

/**
 * tr f(H) from an {@link slq} result: Σ_deflated f(θ_i) + mean over probes of
 * ‖v‖² Σ_j w_j f(θ_j), with the probes' standard error.
 *
 * @param f a spectral function, applied to each node.
 * @param result an SLQ result.
 * @example slqTraceOf((x) => Math.log1p(-x / 2), result) // tr log(I − H/2)
 */
export function slqTraceOf(f: (eigenvalue: number) => number, result: SlqResult): Estimate {
  let exact = 0;
  for (const theta of result.deflatedValues) exact += f(theta);
  const samples = result.probes.map((probe) => {
    let s = 0;
    for (let j = 0; j < probe.nodes.length; j++) {
      if (probe.weights[j] !== 0) s += probe.weights[j] * f(probe.nodes[j]);
    }
    return probe.scale * s;
  });
  const { mean, stderr } = meanAndStderr(samples);
  return { value: exact + mean, stderr };
}
