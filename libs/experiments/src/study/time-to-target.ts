import { CounterRng, RngDomain } from '@lnsgd/random';
import { ExperimentError } from '../experiment-error';

/** One recorded point of a run's trajectory (a line of its trajectory JSONL). */
export interface TrajectoryPoint {
  /** Steps completed when recorded (0 = θ₀). */
  readonly step: number;
  /** Samples seen: step · B. */
  readonly samples: number;
  /** Clean train loss on the fixed evaluation subset. */
  readonly train_loss: number;
  /** Test metric (accuracy, or MSE for regression). */
  readonly test_metric: number;
  /** Latest sharpness estimate, when one was taken at this step. */
  readonly top_eigenvalue?: number | null;
  readonly trace_hessian?: number | null;
  /** Two-batch estimates of tr Σ and |G|² at this θ (McCandlish et al. 2018, appendix A). */
  readonly noise_trace_sigma?: number | null;
  readonly noise_grad_sq_norm?: number | null;
}

/** A quantity to reach: `test_metric<=0.05`, `train_loss<=0.01`, `test_metric>=0.8`. */
export interface Target {
  readonly metric: 'test_metric' | 'train_loss';
  readonly op: '<=' | '>=';
  readonly value: number;
  /** As written, normalized: `test_metric<=0.05`. */
  readonly label: string;
}

/**
 * Parses `--target` text: `test_metric<=X`, `train_loss<=X`, or `>=` for
 * accuracy-like metrics.
 *
 * @throws ExperimentError INVALID_ARGUMENT naming what is wrong.
 * @example parseTarget('test_metric>=0.8') // { metric: 'test_metric', op: '>=', value: 0.8, … }
 */
export function parseTarget(text: string): Target {
  const m = /^\s*(test_metric|train_loss)\s*(<=|>=)\s*([^\s]+)\s*$/.exec(text);
  if (m === null) throw new ExperimentError('INVALID_ARGUMENT', `parseTarget: '${text}' is not test_metric<=X, test_metric>=X, train_loss<=X or train_loss>=X`);
  const value = Number(m[3]);
  if (!Number.isFinite(value)) throw new ExperimentError('INVALID_ARGUMENT', `parseTarget: '${m[3]}' in '${text}' is not a finite number`);
  const metric = m[1] as Target['metric'];
  const op = m[2] as Target['op'];
  return { metric, op, value, label: `${metric}${op}${value}` };
}

/**
 * The first recorded step at which the trajectory meets the target, or null when it
 * never does (a censored run: it did not reach the target within its steps). The
 * answer is resolved to the recording cadence: the true crossing lies in
 * (previous record, returned step].
 *
 * @param trajectory points in increasing step order.
 * @param target the target.
 */
export function stepsToTarget(trajectory: readonly TrajectoryPoint[], target: Target): number | null {
  for (const p of trajectory) {
    const v = p[target.metric];
    if (!Number.isFinite(v)) continue;
    if (target.op === '<=' ? v <= target.value : v >= target.value) return p.step;
  }
  return null;
}

/** Median with a bootstrap interval; infinite values stand for censored runs. */
export interface BootstrapMedian {
  /** Median over seeds (+Infinity when at least half the runs are censored). */
  readonly median: number;
  /** 5th and 95th percentiles of the bootstrap medians (+Infinity when censored runs reach them). */
  readonly lo: number;
  readonly hi: number;
  readonly n: number;
  readonly censored: number;
}

/** Bootstrap replicates used by default (fixed seed: results are reproducible). */
export const DEFAULT_BOOTSTRAP_REPLICATES = 2000;
export const DEFAULT_BOOTSTRAP_SEED = 12345;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return Number.NaN;
  // Infinity − Infinity is NaN: take the upper middle when either middle is infinite.
  if (n % 2 === 1) return s[(n - 1) / 2];
  const [a, b] = [s[n / 2 - 1], s[n / 2]];
  return Number.isFinite(b) ? (a + b) / 2 : b;
}

/** The q-quantile of sorted xs (type 7, linear interpolation; infinite ends stay infinite). */
function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  const [a, b] = [sorted[lo], sorted[hi]];
  if (lo === hi || !Number.isFinite(b)) return lo === hi ? a : b;
  return a + (h - lo) * (b - a);
}

/**
 * Median over seeds with a percentile-bootstrap 90% interval (resampling seeds with
 * replacement). Censored runs enter as +Infinity, so they push the median and the
 * upper end up rather than being dropped.
 *
 * @param values one value per seed (null = censored).
 * @param o replicates and the RNG seed (defaults fixed, so reruns print the same interval).
 */
export function bootstrapMedian(values: readonly (number | null)[], o: { replicates?: number; seed?: number } = {}): BootstrapMedian {
  const xs = values.map((v) => (v === null ? Infinity : v));
  const n = xs.length;
  if (n === 0) return { median: Number.NaN, lo: Number.NaN, hi: Number.NaN, n: 0, censored: 0 };
  const reps = o.replicates ?? DEFAULT_BOOTSTRAP_REPLICATES;
  const rng = new CounterRng(o.seed ?? DEFAULT_BOOTSTRAP_SEED, RngDomain.BOOTSTRAP);
  const meds: number[] = [];
  const sample = new Array<number>(n);
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < n; i++) sample[i] = xs[rng.randomInt(n, r, i)];
    meds.push(median(sample));
  }
  meds.sort((a, b) => a - b);
  return { median: median(xs), lo: quantile(meds, 0.05), hi: quantile(meds, 0.95), n, censored: xs.filter((x) => x === Infinity).length };
}

/** Steps to target measured at one batch size: one value per seed (null = censored). */
export interface StepsAtBatch {
  readonly batch: number;
  readonly steps: readonly (number | null)[];
}

/** McCandlish et al.'s S(B) = S_min(1 + B_crit/B) fitted to medians over seeds. */
export interface CriticalBatchFit {
  readonly sMin: number;
  readonly eMin: number;
  /** E_min / S_min; NaN when the fit is not identifiable (S_min or E_min came out <= 0). */
  readonly bCrit: number;
  /** Batch sizes whose median was finite and entered the fit. */
  readonly batches: readonly number[];
}

/**
 * Fits (S/S_min − 1)(E/E_min − 1) = 1 with E = S·B (McCandlish et al. 2018, eq. 2.11).
 * Its solution is S = S_min + E_min/B, linear in 1/B, so the fit is a least-squares
 * line of S against 1/B weighted by 1/S² (steps-to-target scatter grows with S, so
 * relative errors are equalised). Needs at least two batch sizes with finite S.
 *
 * @param points (B, S) pairs, S finite and > 0.
 */
export function fitCriticalBatch(points: readonly { batch: number; steps: number }[]): CriticalBatchFit {
  const ok = points.filter((p) => Number.isFinite(p.steps) && p.steps > 0 && p.batch > 0);
  const batches = ok.map((p) => p.batch);
  if (new Set(batches).size < 2) return { sMin: Number.NaN, eMin: Number.NaN, bCrit: Number.NaN, batches };
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const p of ok) {
    const w = 1 / (p.steps * p.steps);
    const x = 1 / p.batch;
    sw += w;
    sx += w * x;
    sy += w * p.steps;
    sxx += w * x * x;
    sxy += w * x * p.steps;
  }
  const det = sw * sxx - sx * sx;
  const eMin = (sw * sxy - sx * sy) / det;
  const sMin = (sy - eMin * sx) / sw;
  // S_min at float round-off of zero is perfect scaling (no floor): B_crit is unbounded.
  const sScale = Math.max(...ok.map((p) => p.steps));
  const bCrit = sMin > 1e-9 * sScale && eMin > 0 ? eMin / sMin : Number.NaN;
  return { sMin, eMin, bCrit, batches };
}

/** B_crit with its bootstrap interval over seeds. */
export interface CriticalBatchEstimate extends CriticalBatchFit {
  /** 5th and 95th percentiles of B_crit over bootstrap replicates (non-identifiable replicates count as +Infinity). */
  readonly lo: number;
  readonly hi: number;
  /** Fraction of replicates whose fit was not identifiable. */
  readonly unidentifiable: number;
}

/**
 * B_crit from the median steps-to-target per batch size, with a percentile-bootstrap
 * 90% interval: each replicate resamples the seeds within every batch size, takes
 * the medians and refits. Batch sizes whose median is censored are left out of the
 * fit (and named by {@link CriticalBatchFit.batches} by their absence).
 *
 * @param data steps to target per seed, per batch size.
 * @param o replicates and RNG seed.
 */
export function estimateCriticalBatch(data: readonly StepsAtBatch[], o: { replicates?: number; seed?: number } = {}): CriticalBatchEstimate {
  const toInf = (v: number | null): number => (v === null ? Infinity : v);
  const point = fitCriticalBatch(data.map((d) => ({ batch: d.batch, steps: median(d.steps.map(toInf)) })));
  const reps = o.replicates ?? DEFAULT_BOOTSTRAP_REPLICATES;
  const rng = new CounterRng(o.seed ?? DEFAULT_BOOTSTRAP_SEED, RngDomain.BOOTSTRAP);
  const bcs: number[] = [];
  let bad = 0;
  for (let r = 0; r < reps; r++) {
    const pts = data.map((d, j) => {
      const n = d.steps.length;
      const s = Array.from({ length: n }, (_, i) => toInf(d.steps[rng.randomInt(n, r, j * 65536 + i)]));
      return { batch: d.batch, steps: median(s) };
    });
    const f = fitCriticalBatch(pts);
    if (Number.isFinite(f.bCrit)) bcs.push(f.bCrit);
    else {
      bad++;
      bcs.push(Infinity);
    }
  }
  bcs.sort((a, b) => a - b);
  return { ...point, lo: quantile(bcs, 0.05), hi: quantile(bcs, 0.95), unidentifiable: bad / reps };
}
