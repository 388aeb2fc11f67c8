import { formatValue, markdownChart, writeChart, type ChartSpec } from '@lnsgd/report';
import type { StudyMode } from './study-plan';
import type { StudyRow } from './study-row';
import {
  bootstrapMedian,
  estimateCriticalBatch,
  stepsToTarget,
  type BootstrapMedian,
  type CriticalBatchEstimate,
  type Target,
  type TrajectoryPoint,
} from './time-to-target';

/** Steps and samples to one target for one configuration, over its seeds. */
export interface ConfigTimeToTarget {
  readonly config: string;
  readonly batch: number;
  readonly steps: BootstrapMedian;
  readonly samples: BootstrapMedian;
  /** Seeds that reached the target / seeds with a trajectory. */
  readonly reached: number;
  readonly runs: number;
  /** McCandlish's B_simple = mean tr Σ / mean |G|² over the configuration's records; null without estimates. */
  readonly b_simple: number | null;
}

/** Configurations that differ only in B (the axis B_crit is fitted across). */
export interface BatchFamily {
  /** The configuration without its batch (and the axes that follow B in this mode). */
  readonly family: string;
  readonly configs: readonly ConfigTimeToTarget[];
  /** Null when the family has fewer than two batch sizes. */
  readonly critical: CriticalBatchEstimate | null;
  /** B_simple pooled over the family's records (ratio of means). */
  readonly b_simple: number | null;
}

/** Everything measured for one target. */
export interface TargetResult {
  readonly target: string;
  readonly families: readonly BatchFamily[];
}

/** Runs without a trajectory file cannot be analysed; they are counted, not guessed at. */
export interface TimeToTarget {
  readonly targets: readonly TargetResult[];
  readonly runs_without_trajectory: readonly string[];
}

/**
 * Steps and samples to each target per configuration (median over seeds, 90%
 * bootstrap interval, censored runs as +∞), and B_crit per family of configurations
 * that differ only in B. In constant-lambda mode σ follows B, and in linear-scaling
 * mode η does, so those axes are left out of the family too.
 *
 * @param o rows, their trajectories (by run id), targets and the study's mode.
 */
export function analyseTimeToTarget(o: {
  readonly rows: readonly StudyRow[];
  readonly trajectories: ReadonlyMap<string, readonly TrajectoryPoint[]>;
  readonly targets: readonly Target[];
  readonly mode: StudyMode;
}): TimeToTarget {
  // A diverged run never reaches a target: it enters as censored (an empty trajectory).
  const ok = o.rows.filter((r) => r.status === 'diverged' || o.trajectories.has(r.run_id));
  const without = o.rows.filter((r) => r.status === 'ok' && !o.trajectories.has(r.run_id)).map((r) => r.run_id);
  const configOf = (r: StudyRow): string => r.run_id.replace(/ seed=\d+$/, '');
  const familyOf = (r: StudyRow): string =>
    configOf(r)
      .split(' ')
      .filter(
        (kv) =>
          !kv.startsWith('batch=') && !(o.mode === 'constant-lambda' && kv.startsWith('sigma=')) && !(o.mode === 'linear-scaling' && kv.startsWith('lr=')),
      )
      .join(' ');
  const byConfig = new Map<string, StudyRow[]>();
  for (const r of ok) byConfig.set(configOf(r), [...(byConfig.get(configOf(r)) ?? []), r]);
  const noise = (rows: readonly StudyRow[]): number | null => {
    let ts = 0;
    let gs = 0;
    let n = 0;
    for (const r of rows) {
      for (const p of o.trajectories.get(r.run_id) ?? []) {
        if (typeof p.noise_trace_sigma === 'number' && typeof p.noise_grad_sq_norm === 'number') {
          ts += p.noise_trace_sigma;
          gs += p.noise_grad_sq_norm;
          n++;
        }
      }
    }
    return n > 0 && gs > 0 ? ts / gs : null;
  };
  const targets = o.targets.map((target): TargetResult => {
    const configs = [...byConfig.entries()].map(([config, rs]): ConfigTimeToTarget & { family: string; rows: StudyRow[] } => {
      const steps = rs.map((r) => stepsToTarget(o.trajectories.get(r.run_id) ?? [], target));
      const batch = rs[0].batch;
      return {
        config,
        family: familyOf(rs[0]),
        rows: rs,
        batch,
        steps: bootstrapMedian(steps),
        samples: bootstrapMedian(steps.map((s) => (s === null ? null : s * batch))),
        reached: steps.filter((s) => s !== null).length,
        runs: rs.length,
        b_simple: noise(rs),
      };
    });
    const families = new Map<string, typeof configs>();
    for (const c of configs) families.set(c.family, [...(families.get(c.family) ?? []), c]);
    return {
      target: target.label,
      families: [...families.entries()].map(([family, cs]): BatchFamily => {
        const sorted = [...cs].sort((a, b) => a.batch - b.batch);
        const critical =
          new Set(sorted.map((c) => c.batch)).size >= 2
            ? estimateCriticalBatch(
                sorted.map((c) => ({ batch: c.batch, steps: c.rows.map((r) => stepsToTarget(o.trajectories.get(r.run_id) ?? [], target)) })),
              )
            : null;
        return {
          family: family === '' ? '(all)' : family,
          configs: sorted.map(({ family: _f, rows: _r, ...c }) => c),
          critical,
          b_simple: noise(sorted.flatMap((c) => c.rows)),
        };
      }),
    };
  });
  return { targets, runs_without_trajectory: without };
}

const fmt = (x: number): string => (x === Infinity ? 'censored' : formatValue(x));
const interval = (m: BootstrapMedian): string => `${fmt(m.median)} [${fmt(m.lo)}, ${fmt(m.hi)}]`;

/** Plain-text lines for the terminal (and the report): one table per target and family. */
export function formatTimeToTarget(t: TimeToTarget): string {
  const lines: string[] = [];
  for (const tr of t.targets) {
    for (const f of tr.families) {
      lines.push(`steps to ${tr.target} — ${f.family} (median over seeds [90% bootstrap interval]; censored = not reached within the run)`);
      const rows = [['B', 'steps', 'samples', 'reached', 'B_simple']];
      for (const c of f.configs)
        rows.push([String(c.batch), interval(c.steps), interval(c.samples), `${c.reached}/${c.runs}`, c.b_simple === null ? '—' : formatValue(c.b_simple)]);
      const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
      for (const r of rows) lines.push(`  ${r.map((v, j) => v.padEnd(widths[j])).join('  ')}`.trimEnd());
      lines.push(`  ${criticalLine(f)}`);
    }
  }
  if (t.runs_without_trajectory.length > 0)
    lines.push(`${t.runs_without_trajectory.length} run(s) have no trajectory (finished without --record-every) and are left out`);
  return `${lines.join('\n')}\n`;
}

function criticalLine(f: BatchFamily): string {
  const bs = `B_simple (measured gradient noise scale) = ${f.b_simple === null ? '—' : formatValue(f.b_simple)}`;
  const c = f.critical;
  if (c === null) return `B_crit: needs at least two batch sizes; ${bs}`;
  if (c.batches.length < 2) {
    return `B_crit: needs two batch sizes whose median run reached the target after θ₀, got ${c.batches.length === 0 ? 'none' : `B = ${c.batches.join(', ')}`}; ${bs}`;
  }
  if (!Number.isFinite(c.bCrit)) {
    return `B_crit: not identifiable (S_min = ${formatValue(c.sMin)}, E_min = ${formatValue(c.eMin)}, fit over B = ${c.batches.join(', ') || 'none'}: needs S(B) to level off above a floor); ${bs}`;
  }
  const unid = c.unidentifiable > 0 ? `, ${formatValue(100 * c.unidentifiable)}% of bootstrap fits not identifiable` : '';
  return `B_crit = ${formatValue(c.bCrit)} [${fmt(c.lo)}, ${fmt(c.hi)}] (S_min = ${formatValue(c.sMin)}, E_min = ${formatValue(c.eMin)}; fit over B = ${c.batches.join(', ')}${unid}); ${bs}`;
}

/** The log-log plot of steps-to-target against B with perfect scaling and B_crit. */
export function stepsToTargetChart(target: string, f: BatchFamily): ChartSpec {
  const measured = f.configs.filter((c) => Number.isFinite(c.steps.median));
  const values: Record<string, unknown>[] = measured.map((c) => ({
    batch: c.batch,
    steps: c.steps.median,
    series: 'measured (median over seeds)',
  }));
  const bars = measured.filter((c) => Number.isFinite(c.steps.hi)).map((c) => ({ batch: c.batch, lo: c.steps.lo, hi: c.steps.hi }));
  if (measured.length > 0) {
    const first = measured[0];
    for (const c of f.configs) values.push({ batch: c.batch, steps: (first.steps.median * first.batch) / c.batch, series: 'perfect scaling S ∝ 1/B' });
  }
  const rules: Record<string, unknown>[] = [];
  const c = f.critical;
  if (c !== null && Number.isFinite(c.bCrit)) {
    const bs = f.configs.map((x) => x.batch);
    const [lo, hi] = [Math.min(...bs), Math.max(...bs)];
    for (let k = 0; k <= 40; k++) {
      const b = lo * (hi / lo) ** (k / 40);
      values.push({ batch: b, steps: c.sMin + c.eMin / b, series: 'fit S_min(1 + B_crit/B)' });
    }
    rules.push({ batch: c.bCrit, label: `B_crit = ${formatValue(c.bCrit)}` });
  }
  if (f.b_simple !== null && f.b_simple > 0 && Number.isFinite(f.b_simple)) rules.push({ batch: f.b_simple, label: `B_simple = ${formatValue(f.b_simple)}` });
  const x = { field: 'batch', type: 'quantitative', title: 'batch size B', scale: { type: 'log' } };
  const y = { field: 'steps', type: 'quantitative', title: `steps to ${target}`, scale: { type: 'log' } };
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: `Steps to ${target} against batch size (${f.family})`,
    width: 480,
    height: 300,
    background: 'white',
    layer: [
      {
        data: { values },
        transform: [{ filter: "datum.series !== 'fit S_min(1 + B_crit/B)'" }],
        mark: { type: 'point', filled: true, clip: true },
        encoding: { x, y, color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 400 } } },
      },
      {
        data: { values },
        mark: { type: 'line', clip: true },
        encoding: {
          x,
          y,
          color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 400 } },
          strokeDash: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 400 } },
        },
      },
      ...(bars.length > 0
        ? [{ data: { values: bars }, mark: { type: 'rule', color: '#4c78a8' }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } } }]
        : []),
      ...(rules.length > 0
        ? [
            { data: { values: rules }, mark: { type: 'rule', strokeDash: [6, 4], color: 'black' }, encoding: { x } },
            {
              data: { values: rules },
              mark: { type: 'text', align: 'left', angle: 270, dx: 4, dy: -6, baseline: 'bottom', color: 'black' },
              encoding: { x, y: { value: 0 }, text: { field: 'label' } },
            },
          ]
        : []),
    ],
  };
  return spec as unknown as ChartSpec;
}

/**
 * Writes one steps-to-target plot per target and family and returns the report
 * section (Markdown) that shows them with the printed tables.
 */
export async function writeTimeToTargetReport(out: string, t: TimeToTarget): Promise<{ section: string; charts: string[] }> {
  const charts: string[] = [];
  const parts: string[] = [];
  for (const [i, tr] of t.targets.entries()) {
    for (const [j, f] of tr.families.entries()) {
      if (!f.configs.some((c) => Number.isFinite(c.steps.median))) continue;
      const name = `steps-to-target-${i + 1}${tr.families.length > 1 ? `-${j + 1}` : ''}`;
      await writeChart({ dir: out, name, spec: stepsToTargetChart(tr.target, f) });
      charts.push(`${name}.png`);
      parts.push(`### Steps to ${tr.target} (${f.family})\n\n${markdownChart(name, `steps to ${tr.target} against B`)}`);
    }
  }
  const section = `## Steps to target and the critical batch size

Steps to each target: the first recorded step at which the run met it (resolved to the recording cadence), median over seeds with a 90% percentile-bootstrap interval (fixed RNG seed); a run that never met it is censored and counts as +∞. B_crit = E_min/S_min from the fit of McCandlish et al.'s (S/S_min − 1)(E/E_min − 1) = 1 (E = S·B) across batch sizes, with a bootstrap interval over seeds; B_simple = tr Σ/|G|² is the gradient noise scale measured along the runs (two-batch estimator, label noise included).

\`\`\`
${formatTimeToTarget(t)}\`\`\`

${parts.join('\n')}`;
  return { section, charts };
}
