/**
 * HVPs needed to get λ_max within 1% on linreg-diag (H = diag(k/d), d = 1000, λ_max = 1):
 * Lanczos against PyHessian-style power iteration, from the same seeds. Not a test:
 * `npm run bench` prints it. Each method's count is the smallest HVP budget whose
 * estimate is within 1% (power iteration run without its change-based early stop).
 * With a Rademacher start every seed gives the same numbers on a diagonal H (sign flips
 * commute with it), so the rows vary d instead of the seed.
 */
import type { Hvp } from '../hvp';
import { linregDiagEigenvalues } from '../internal/known_spectrum';
import { lanczos } from '../lanczos';
import { powerIteration } from '../power_iteration';

/** One bench row: one problem, both methods. */
export interface HvpCountBenchRow {
  readonly problem: string;
  readonly seed: number;
  /** HVPs Lanczos needed (null: not reached within the cap). */
  readonly lanczosHvps: number | null;
  readonly lanczosEstimate: number;
  readonly powerHvps: number | null;
  readonly powerEstimate: number;
  /** Power iteration with PyHessian's stopping rule (relative change < 1e-3, ≤ 100 HVPs). */
  readonly pyhessianStopHvps: number;
  readonly pyhessianStopEstimate: number;
}

const CAP = 1000;

function firstWithin(run: (budget: number) => number, target: number): { hvps: number | null; estimate: number } {
  let estimate = Number.NaN;
  for (let budget = 1; budget <= CAP; budget++) {
    estimate = run(budget);
    if (Math.abs(estimate - target) <= 0.01 * Math.abs(target)) return { hvps: budget, estimate };
  }
  return { hvps: null, estimate };
}

/**
 * Runs the comparison.
 *
 * @param options dims (default [100, 1000, 10000]) and seed (default 1).
 * @returns one row per dimension.
 * @example runHvpCountBench({dims: [1000]})
 */
export function runHvpCountBench(options: { readonly dims?: readonly number[]; readonly seed?: number } = {}): HvpCountBenchRow[] {
  const dims = options.dims ?? [100, 1000, 10000];
  const seed = options.seed ?? 1;
  return dims.map((d) => {
    const diag = linregDiagEigenvalues(d);
    const hvp: Hvp = (v) => Float64Array.from(v, (x, i) => diag[i] * x);
    const lz = firstWithin((steps) => lanczos(hvp, { dim: d, steps, seed }).values[0], 1);
    const pw = firstWithin((maxIters) => powerIteration(hvp, { dim: d, maxIters, tol: 0, seed }).value, 1);
    const py = powerIteration(hvp, { dim: d, maxIters: 100, tol: 1e-3, seed });
    return {
      problem: `linreg-diag d=${d}`,
      seed,
      lanczosHvps: lz.hvps,
      lanczosEstimate: lz.estimate,
      powerHvps: pw.hvps,
      powerEstimate: pw.estimate,
      pyhessianStopHvps: py.hvpCount,
      pyhessianStopEstimate: py.value,
    };
  });
}

if (require.main === module) {
  // eslint-disable-next-line no-console -- the bench's job is to print its table.
  console.table(runHvpCountBench());
}
