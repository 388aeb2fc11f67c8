import { axpy, dot, norm, scaled } from './vector';

/** The state of a Lanczos run: H·Q_m = Q_m·T_m + β_m q_{m+1} e_mᵀ. */
export interface LanczosProcess {
  /** Diagonal α_0…α_{m−1} of T_m. */
  readonly alpha: number[];
  /** β_0…β_{m−1}: β_j couples q_j and q_{j+1}; the last one multiplies the residual direction. */
  readonly beta: number[];
  /** Orthonormal basis q_0…q_{m−1}. */
  readonly basis: Float64Array[];
  /** True when β fell to rounding level: the Krylov space is invariant and T_m's spectrum is exact. */
  readonly invariant: boolean;
}

/** Inputs of one Lanczos run. */
export interface LanczosProcessInput {
  readonly apply: (v: Float64Array) => Float64Array;
  /** Start vector (any non-zero norm). */
  readonly start: Float64Array;
  /** Maximum number of HVPs (= Lanczos steps). */
  readonly steps: number;
  /** Called after each step; returning true stops the run. */
  readonly shouldStop?: (p: LanczosProcess) => boolean;
}

// β below this fraction of ‖H q_j‖ means the new direction is rounding noise.
const BREAKDOWN = 1e-10;

/**
 * One Lanczos run advanced a step at a time by its caller: `next` is the vector to apply
 * (undefined once done) and `take(Hq)` performs the step. Lets several independent runs
 * advance in lockstep, their products taken together (see {@link runLanczosLockstep}).
 */
class LanczosStepper {
  readonly alpha: number[] = [];
  readonly beta: number[] = [];
  readonly basis: Float64Array[] = [];
  invariant = false;
  next: Float64Array | undefined;
  constructor(
    start: Float64Array,
    private readonly steps: number,
    private readonly shouldStop?: (p: LanczosProcess) => boolean,
  ) {
    this.next = steps > 0 ? scaled(1 / norm(start), start) : undefined;
  }

  take(hq: Float64Array): void {
    const q = this.next;
    if (q === undefined) throw new Error('LanczosStepper: the run is over');
    const { alpha, beta, basis } = this;
    const j = alpha.length;
    basis.push(q);
    const w = Float64Array.from(hq);
    const wNorm = norm(w);
    const a = dot(q, w);
    alpha.push(a);
    axpy(-a, q, w);
    if (j > 0) axpy(-beta[j - 1], basis[j - 1], w);
    for (let pass = 0; pass < 2; pass++) {
      for (const b of basis) axpy(-dot(b, w), b, w);
    }
    const bj = norm(w);
    beta.push(bj);
    this.next = undefined;
    if (bj <= BREAKDOWN * wNorm) {
      this.invariant = true;
      beta[j] = 0;
      return;
    }
    if (this.shouldStop?.({ alpha, beta, basis, invariant: false }) === true || j + 1 >= this.steps) return;
    this.next = scaled(1 / bj, w);
  }

  result(): LanczosProcess {
    return { alpha: this.alpha, beta: this.beta, basis: this.basis, invariant: this.invariant };
  }
}

/**
 * Lanczos tridiagonalization with full reorthogonalization in float64 (two passes of
 * classical Gram–Schmidt against every previous basis vector: "twice is enough").
 * Without it, float rounding makes converged Ritz values reappear as spurious copies.
 * One HVP per step.
 */
export function runLanczos(input: LanczosProcessInput): LanczosProcess {
  const run = new LanczosStepper(input.start, input.steps, input.shouldStop);
  for (let q = run.next; q !== undefined; q = run.next) run.take(input.apply(q));
  return run.result();
}

/**
 * Independent Lanczos runs (one per start vector) advanced in lockstep: each step
 * applies `applyBlock` once to the next vector of every run still going. Each run's
 * arithmetic is that of {@link runLanczos}, so with a deterministic HVP the results are
 * the same bits; a distributed HVP pays one round per step instead of one per run-step.
 */
export function runLanczosLockstep(starts: readonly Float64Array[], steps: number, applyBlock: (vs: Float64Array[]) => Float64Array[]): LanczosProcess[] {
  const runs = starts.map((s) => new LanczosStepper(s, steps));
  for (;;) {
    const going = runs.filter((r) => r.next !== undefined);
    if (going.length === 0) break;
    const out = applyBlock(going.map((r) => r.next as Float64Array));
    if (out.length !== going.length) throw new RangeError(`runLanczosLockstep: block HVP returned ${out.length} products for ${going.length} vectors`);
    going.forEach((r, i) => r.take(out[i]));
  }
  return runs.map((r) => r.result());
}
