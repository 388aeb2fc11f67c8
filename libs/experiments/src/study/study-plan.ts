import { implicitRegularizationStrength } from '@lnsgd/optim';
import { ExperimentError } from '../experiment-error';
import type { Grid } from './grid';

/** How the grid's points are turned into runs. */
export type StudyMode = 'grid' | 'constant-lambda' | 'linear-scaling';

/** The hyper-parameters of one run of a study (the rest come from the preset). */
export interface StudyPoint {
  /** Stable identity of the run: its hyper-parameters and seed. Finished ids are not rerun. */
  readonly run_id: string;
  readonly lr: number;
  readonly batch: number;
  readonly sigma: number;
  readonly momentum: number;
  readonly flip_prob: number;
  readonly workers: number;
  readonly seed: number;
  /** λ = ησ²/(B(1−β)) for regression presets, null for classification. */
  readonly lambda: number | null;
}

/** Options of {@link planStudy}. */
export interface StudyPlanOptions {
  readonly grid: Grid;
  /** Values for the axes the grid leaves out (the preset's defaults). */
  readonly defaults: { readonly lr: number; readonly batch: number; readonly sigma: number; readonly momentum: number; readonly flip_prob: number };
  readonly task: 'regression' | 'classification';
  readonly mode: StudyMode;
  /** Seeds per configuration: seeds 0 … seeds−1 (offset by `firstSeed`). */
  readonly seeds: number;
  readonly firstSeed?: number;
}

/**
 * Expands a grid into runs (the Cartesian product, times the seeds).
 *
 * - `grid`: every combination as given.
 * - `constant-lambda`: λ levels come from the sigma axis at the first lr, batch and
 *   momentum, λ_s = η₀s²/(B₀(1−β₀)); every other (η, B, β) gets σ = √(λ_s·B(1−β)/η),
 *   so the runs of one level differ in η at exactly the same λ.
 * - `linear-scaling`: the batch axis gives base batches B₀ at the first lr η₀; each
 *   η gets B = round(B₀·η/η₀) (η/B fixed, the linear scaling rule), σ as given, so λ
 *   is fixed up to the rounding of B.
 *
 * @param o the grid, defaults, task, mode and seeds.
 * @throws ExperimentError INVALID_ARGUMENT for a mode that needs σ on a classification preset.
 */
export function planStudy(o: StudyPlanOptions): StudyPoint[] {
  const g = o.grid;
  const lrs = g.lr ?? [o.defaults.lr];
  const batches = g.batch ?? [o.defaults.batch];
  const sigmas = g.sigma ?? [o.defaults.sigma];
  const momenta = g.momentum ?? [o.defaults.momentum];
  const flips = g.flip_prob ?? [o.defaults.flip_prob];
  const workersList = g.workers ?? [1];
  if (!Number.isInteger(o.seeds) || o.seeds < 1) throw new ExperimentError('INVALID_ARGUMENT', `planStudy: seeds must be an integer >= 1, got ${o.seeds}`);
  if (o.mode !== 'grid' && o.task === 'classification') {
    throw new ExperimentError(
      'INVALID_ARGUMENT',
      `planStudy: --${o.mode} holds λ = ησ²/(B(1−β)) fixed, which needs a regression preset (σ label noise); this preset is a classification task`,
    );
  }
  const lambdaOf = (p: { lr: number; sigma: number; batch: number; momentum: number }): number | null =>
    o.task === 'regression' ? implicitRegularizationStrength({ eta: p.lr, sigma: p.sigma, batchSize: p.batch, beta: p.momentum }) : null;
  const configs: Omit<StudyPoint, 'run_id' | 'seed'>[] = [];
  for (const workers of workersList) {
    for (const flip_prob of flips) {
      for (const s of sigmas) {
        for (const b of batches) {
          for (const momentum of momenta) {
            for (const lr of lrs) {
              let batch = b;
              let sigma = s;
              if (o.mode === 'constant-lambda') {
                const level = implicitRegularizationStrength({ eta: lrs[0], sigma: s, batchSize: batches[0], beta: momenta[0] });
                sigma = Math.sqrt((level * b * (1 - momentum)) / lr);
              } else if (o.mode === 'linear-scaling') {
                batch = Math.max(1, Math.round((b * lr) / lrs[0]));
              }
              configs.push({ lr, batch, sigma, momentum, flip_prob, workers, lambda: lambdaOf({ lr, sigma, batch, momentum }) });
            }
          }
        }
      }
    }
  }
  const points: StudyPoint[] = [];
  const seen = new Set<string>();
  const first = o.firstSeed ?? 0;
  for (const c of configs) {
    for (let k = 0; k < o.seeds; k++) {
      const seed = first + k;
      const run_id = runIdOf({ ...c, seed });
      if (seen.has(run_id)) continue; // e.g. two σ values that constant-lambda maps onto one
      seen.add(run_id);
      points.push({ run_id, ...c, seed });
    }
  }
  return points;
}

/** `lr=0.1 batch=64 sigma=0.5 momentum=0 flip_prob=0 workers=1 seed=0` (σ to 6 significant digits). */
export function runIdOf(p: Omit<StudyPoint, 'run_id' | 'lambda'>): string {
  const f = (x: number): string => String(Number(x.toPrecision(6)));
  return `lr=${f(p.lr)} batch=${p.batch} sigma=${f(p.sigma)} momentum=${f(p.momentum)} flip_prob=${f(p.flip_prob)} workers=${p.workers} seed=${p.seed}`;
}
