import { implicitRegularizationStrength } from '@lnsgd/optim';
import { formatValue, markdownChart, markdownTable, type Row } from '@lnsgd/report';
import type { Experiment, ExperimentContext, ExperimentOutcome } from './experiment';
import { quadraticSparseProblem, type LargeBatchProblem } from './internal/large-batch-problems';
import { bandChart, medianBands } from './internal/band-chart';
import { progressCounter } from './internal/progress';
import { runRegressionSgd } from './internal/regression-sgd';

/**
 * The three runs compared at one batch size and one σ: no momentum, β = 0.9 at equal
 * η/(1−β) (so equal λ = ησ²/(B(1−β))), and β = 0.9 at equal η (λ ten times larger).
 */
export const MOMENTUM_ARMS = ['no_momentum', 'momentum', 'momentum_equal_eta'] as const;
export type MomentumArm = (typeof MOMENTUM_ARMS)[number];

const ARM_LABEL: Record<MomentumArm, string> = {
  no_momentum: 'β = 0',
  momentum: 'β = 0.9, equal η/(1−β)',
  momentum_equal_eta: 'β = 0.9, equal η',
};

/**
 * Settings: the large-batch experiment's quadratic-sparse problem (exact tr∇²L) at B = 4,
 * its η = 0.004 and λ = 0.03 for β = 0 (σ = √30). β = 0.9 at equal η/(1−β) runs at
 * η = 0.0004; at equal η its effective step η/(1−β) = 0.04 stays far below the
 * heavy-ball bound 2(1+β)/η ≈ 950 on the curvature.
 */
export const MOMENTUM_SETTINGS = {
  d: 100,
  k: 5,
  n: 40,
  dataSeed: 0,
  batch: 4,
  eta: 0.004,
  lambda: 0.03,
  beta: 0.9,
  seeds: [0, 1, 2, 3, 4],
  quickSeeds: [0, 1, 2],
  steps: 200_000,
  quickSteps: 60_000,
  records: 50,
} as const;

export type MomentumSettings = Omit<typeof MOMENTUM_SETTINGS, 'seeds' | 'quickSeeds' | 'steps' | 'quickSteps'>;

/** η and β of an arm; σ is the same for all three. */
export function momentumArmHyper(arm: MomentumArm, s: { readonly eta: number; readonly beta: number }): { eta: number; beta: number } {
  if (arm === 'no_momentum') return { eta: s.eta, beta: 0 };
  if (arm === 'momentum') return { eta: s.eta * (1 - s.beta), beta: s.beta };
  return { eta: s.eta, beta: s.beta };
}

interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly values: readonly number[];
}

function spread(values: readonly number[]): Spread {
  const xs = values.filter(Number.isFinite).sort((a, b) => a - b);
  const m = xs.length;
  if (m === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, values };
  const median = m % 2 === 1 ? xs[(m - 1) / 2] : (xs[m / 2 - 1] + xs[m / 2]) / 2;
  return { median, min: xs[0], max: xs[m - 1], values };
}

/** One arm over seeds. */
export interface MomentumArmResult {
  readonly arm: MomentumArm;
  readonly eta: number;
  readonly beta: number;
  readonly sigma: number;
  readonly lambda: number;
  readonly diverged: number;
  readonly trace: Spread;
  readonly testMetric: Spread;
  readonly trainLoss: Spread;
}

/**
 * Runs the three arms × seeds on one problem; appends trajectories to `series`.
 *
 * @param problem the model (quadratic-sparse in the experiment).
 * @param s batch, η, λ and β.
 * @param o seeds, steps, records, the series to fill and the progress hook.
 */
export function runMomentumComparison(
  problem: LargeBatchProblem,
  s: MomentumSettings,
  o: {
    readonly seeds: readonly number[];
    readonly steps: number;
    readonly records: number;
    readonly series: Row[];
    readonly progress: (phase: string) => (step: number) => void;
  },
): Record<MomentumArm, MomentumArmResult> {
  const sigma = Math.sqrt((s.lambda * s.batch) / s.eta);
  const recordEvery = Math.max(1, Math.floor(o.steps / o.records));
  const entries = MOMENTUM_ARMS.map((arm): [MomentumArm, MomentumArmResult] => {
    const { eta, beta } = momentumArmHyper(arm, s);
    const finals: { trace: number; testMetric: number; trainLoss: number }[] = [];
    let diverged = 0;
    for (const seed of o.seeds) {
      const onStep = o.progress(`${problem.name}: ${ARM_LABEL[arm]}, seed ${seed}`);
      try {
        const theta = runRegressionSgd({
          lossAndGradient: problem.lossAndGradient,
          train: problem.train,
          theta0: problem.theta0(seed),
          eta,
          beta,
          batch: s.batch,
          sigma,
          steps: o.steps,
          seed,
          recordEvery,
          record: (step, t) => {
            o.series.push({
              arm,
              seed,
              eta,
              beta,
              sigma,
              step,
              train_loss: problem.trainLoss(t),
              test_metric: problem.testMetric(t),
              trace_hessian: problem.traceHessian(t, seed),
            });
          },
          onStep,
        });
        finals.push({ trace: problem.traceHessian(theta, seed), testMetric: problem.testMetric(theta), trainLoss: problem.trainLoss(theta) });
      } catch (err) {
        // A diverged run is a result (counted and reported), not a crash.
        if (!(err instanceof RangeError && /diverged/.test(err.message))) throw err;
        onStep(o.steps);
        diverged++;
      }
    }
    return [
      arm,
      {
        arm,
        eta,
        beta,
        sigma,
        lambda: implicitRegularizationStrength({ eta, sigma, batchSize: s.batch, beta }),
        diverged,
        trace: spread(finals.map((f) => f.trace)),
        testMetric: spread(finals.map((f) => f.testMetric)),
        trainLoss: spread(finals.map((f) => f.trainLoss)),
      },
    ];
  });
  return Object.fromEntries(entries) as Record<MomentumArm, MomentumArmResult>;
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** Summary fields: medians, ranges and per-seed finals of tr∇²L and the test metric per arm. */
export function momentumSummary(r: Record<MomentumArm, MomentumArmResult>): Record<string, number | null | readonly (number | null)[]> {
  const out: Record<string, number | null | readonly (number | null)[]> = {};
  for (const arm of MOMENTUM_ARMS) {
    const a = r[arm];
    out[`trace_hessian_${arm}`] = finite(a.trace.median);
    out[`trace_hessian_${arm}_min`] = finite(a.trace.min);
    out[`trace_hessian_${arm}_max`] = finite(a.trace.max);
    out[`trace_hessian_${arm}_seeds`] = a.trace.values.map(finite);
    out[`test_metric_${arm}`] = finite(a.testMetric.median);
    out[`test_metric_${arm}_seeds`] = a.testMetric.values.map(finite);
    out[`train_loss_${arm}`] = finite(a.trainLoss.median);
    out[`eta_${arm}`] = a.eta;
    out[`beta_${arm}`] = a.beta;
    out[`lambda_${arm}`] = a.lambda;
    out[`diverged_${arm}`] = a.diverged;
  }
  return out;
}

/**
 * The largest |tr∇²L(β = 0.9, equal η/(1−β)) / tr∇²L(β = 0) − 1| over seeds and recorded
 * steps after the start: how far the equal-λ runs ever drift apart along the way.
 *
 * @param series rows with arm, seed, step and trace_hessian.
 */
export function equalLambdaTraceGap(series: readonly Row[]): number {
  const base = new Map<string, number>();
  for (const r of series) if (r['arm'] === 'no_momentum') base.set(`${String(r['seed'])}/${String(r['step'])}`, r['trace_hessian'] as number);
  let gap = 0;
  for (const r of series) {
    if (r['arm'] !== 'momentum' || r['step'] === 0) continue;
    const b = base.get(`${String(r['seed'])}/${String(r['step'])}`);
    if (b !== undefined) gap = Math.max(gap, Math.abs((r['trace_hessian'] as number) / b - 1));
  }
  return gap;
}

/** Per-seed comparison: how many seeds end with the first arm's tr∇²L below the second's. */
function seedsBelow(a: Spread, b: Spread): number {
  return a.values.filter((v, i) => Number.isFinite(v) && Number.isFinite(b.values[i]) && v < b.values[i]).length;
}

function verdict(r: Record<MomentumArm, MomentumArmResult>, seeds: number, gap: number): string {
  const t = (arm: MomentumArm): string =>
    `${formatValue(finite(r[arm].trace.median))} [${formatValue(finite(r[arm].trace.min))}, ${formatValue(finite(r[arm].trace.max))}]`;
  const m = seedsBelow(r.momentum.trace, r.no_momentum.trace);
  const e = seedsBelow(r.momentum_equal_eta.trace, r.no_momentum.trace);
  return [
    `At equal η/(1−β) (equal λ) β = 0.9 ends at median tr∇²L ${t('momentum')} against ${t('no_momentum')} for β = 0: lower on ${m} of ${seeds} seeds; along the way the two stay within ${formatValue(100 * gap)}% of each other at every recorded step of every seed. `,
    `At equal η (λ ${formatValue(r.momentum_equal_eta.lambda / r.no_momentum.lambda)}× larger) β = 0.9 ends at ${t('momentum_equal_eta')}: lower than β = 0 on ${e} of ${seeds} seeds`,
    r.momentum_equal_eta.diverged > 0 ? ` (${r.momentum_equal_eta.diverged} diverged)` : '',
    '.',
  ].join('');
}

/**
 * Heavy-ball momentum with label noise (Damian et al. 2021, λ = ησ²/(B(1−β))): β = 0.9
 * at equal η/(1−β) (equal λ) and at equal η (λ/(1−β)) against β = 0, on quadratic-sparse
 * where tr∇²L is exact; final tr∇²L and test metric, median and range over seeds.
 */
export const momentum: Experiment = {
  name: 'momentum',
  description: 'label noise with heavy-ball β = 0.9 at equal η/(1−β) and at equal η vs β = 0 on quadratic-sparse: final exact tr∇²L',
  run: (ctx: ExperimentContext): Promise<ExperimentOutcome> => {
    const s = MOMENTUM_SETTINGS;
    const seeds = ctx.quick ? s.quickSeeds : s.seeds;
    const steps = ctx.quick ? s.quickSteps : s.steps;
    const problem = quadraticSparseProblem({ d: s.d, k: s.k, n: s.n, seed: s.dataSeed });
    const progress = progressCounter(ctx, MOMENTUM_ARMS.length * seeds.length * steps);
    const series: Row[] = [];
    const r = runMomentumComparison(problem, s, { seeds, steps, records: s.records, series, progress });
    const gap = equalLambdaTraceGap(series);
    const summary = {
      ...momentumSummary(r),
      trace_hessian_momentum_max_relative_gap: gap,
      batch: s.batch,
      sigma: r.no_momentum.sigma,
      steps,
      seeds: seeds.length,
    };
    const rows = MOMENTUM_ARMS.map((arm) => {
      const a = r[arm];
      return {
        arm: ARM_LABEL[arm],
        eta: a.eta,
        beta: a.beta,
        'η/(1−β)': a.eta / (1 - a.beta),
        lambda: a.lambda,
        trace_hessian: `${formatValue(finite(a.trace.median))} [${formatValue(finite(a.trace.min))}, ${formatValue(finite(a.trace.max))}]`,
        test_metric: `${formatValue(finite(a.testMetric.median))} [${formatValue(finite(a.testMetric.min))}, ${formatValue(finite(a.testMetric.max))}]`,
        train_loss: formatValue(finite(a.trainLoss.median)),
        diverged: a.diverged,
      };
    });
    const report = `# Momentum: does β = 0.9 regularize more?

Damian et al. (2021): with heavy-ball momentum label-noise SGD implicitly minimizes L + λR with λ = ησ²/(B(1−β)), and the leading term of R is tr∇²L/4 for every β. So at equal η/(1−β) and equal σ, B the two runs have the same λ and the theory predicts the same regularizer to leading order; at equal η, β = 0.9 has a λ ten times larger.

${problem.description}; B = ${s.batch}, σ = ${formatValue(r.no_momentum.sigma)}, ${steps.toLocaleString('en-US')} steps per run; median over ${seeds.length} seeds, [min, max] in brackets.

${markdownTable(rows)}
**What the data say.** ${verdict(r, seeds.length, gap)}

${markdownChart('momentum-trace-hessian', 'Exact tr∇²L against steps, median and min/max over seeds')}
${markdownChart('momentum-test-metric', 'Test metric against steps, median and min/max over seeds')}

Files: \`results.jsonl\` / \`results.csv\` (one row per arm, seed and recorded step: train loss, test metric, tr∇²L), \`summary.json\`.
`;
    const labelled = series.map((row) => ({ ...row, arm: ARM_LABEL[row['arm'] as MomentumArm] }));
    const charts = [
      {
        name: 'momentum-trace-hessian',
        spec: bandChart({
          title: `tr∇²L against steps (quadratic-sparse, B = ${s.batch})`,
          values: medianBands(labelled, { series: 'arm', x: 'step', field: 'trace_hessian' }),
          xTitle: 'step',
          yTitle: 'tr∇²L (exact)',
          seriesTitle: 'arm',
        }),
      },
      {
        name: 'momentum-test-metric',
        spec: bandChart({
          title: `${problem.testMetricName} against steps`,
          values: medianBands(labelled, { series: 'arm', x: 'step', field: 'test_metric' }),
          xTitle: 'step',
          yTitle: problem.testMetricName,
          seriesTitle: 'arm',
          logY: true,
        }),
      },
    ];
    return Promise.resolve({ experiment: 'momentum', summary, series, charts, report });
  },
};
