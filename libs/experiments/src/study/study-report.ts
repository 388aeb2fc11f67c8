import * as path from 'node:path';
import { lineChart, markdownChart, markdownTable, toCsv, writeChart, writeFileAtomic, type ChartSpec, type Row } from '@lnsgd/report';
import type { StudyRow } from './study-row';
import { writeTimeToTargetReport, type TimeToTarget } from './time-to-target-report';

/** A configuration's rows averaged over seeds. */
export interface StudyConfigMean extends Row {
  readonly config: string;
  readonly lr: number;
  readonly batch: number;
  readonly sigma: number;
  readonly momentum: number;
  readonly workers: number;
  readonly lambda: number | null;
  readonly seeds: number;
}

const METRICS = ['train_loss', 'test_metric', 'top_eigenvalue', 'trace_hessian', 'implicit_regularizer', 'params_l2'] as const;

/**
 * Averages finished runs over seeds (diverged runs are listed but not averaged).
 *
 * @param rows the study's rows.
 */
export function meanOverSeeds(rows: readonly StudyRow[]): StudyConfigMean[] {
  const groups = new Map<string, StudyRow[]>();
  for (const r of rows) {
    if (r.status !== 'ok') continue;
    const key = r.run_id.replace(/ seed=\d+$/, '');
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.entries()].map(([config, rs]) => {
    const first = rs[0];
    const means: Record<string, number | null> = {};
    for (const m of METRICS) {
      const vals = rs.map((r) => r[m]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      means[m] = vals.length === 0 ? null : vals.reduce((a, b) => a + b, 0) / vals.length;
    }
    return {
      config,
      lr: first.lr,
      batch: first.batch,
      sigma: first.sigma,
      momentum: first.momentum,
      workers: first.workers,
      lambda: first.lambda,
      lambda_level: first.lambda === null ? null : `λ = ${first.lambda.toPrecision(3)}`,
      eta_level: `η = ${first.lr}`,
      seeds: rs.length,
      ...means,
    };
  });
}

/** The files {@link writeStudyReport} wrote. */
export interface StudyReportFiles {
  readonly csv: string;
  readonly report: string;
  readonly charts: readonly string[];
}

/**
 * Writes `results.csv` (one row per run), the plots and `report.md`: final λ_max,
 * R(θ) and the test metric against λ (one line per η), and against η at fixed λ (one
 * line per λ level; the paper's "larger η regularizes more than the linear scaling
 * rule"). Classification presets have no λ and get the plots against η only.
 *
 * @param o output directory, the rows and a description of the study for the report.
 */
export async function writeStudyReport(o: {
  readonly out: string;
  readonly rows: readonly StudyRow[];
  readonly description: Readonly<Record<string, unknown>>;
  /** Steps to target and B_crit (when the study was given --target): a report section and its plots. */
  readonly timeToTarget?: TimeToTarget;
}): Promise<StudyReportFiles> {
  const csv = path.join(o.out, 'results.csv');
  writeFileAtomic(csv, toCsv(o.rows as unknown as Row[]));
  const means = meanOverSeeds(o.rows);
  const hasLambda = means.some((m) => m.lambda !== null && m.lambda > 0);
  const metricName = o.rows.find((r) => r.test_metric_name !== null)?.test_metric_name ?? 'test metric';
  const ys = [
    { field: 'top_eigenvalue', title: 'final λ_max', stem: 'sharpness' },
    { field: 'implicit_regularizer', title: 'final R(θ)', stem: 'implicit-regularizer' },
    { field: 'test_metric', title: `test ${metricName}`, stem: 'test-metric' },
  ];
  const charts: { name: string; title: string; spec: ChartSpec }[] = [];
  const withValue = (field: string): StudyConfigMean[] => means.filter((m) => typeof m[field] === 'number');
  for (const y of ys) {
    if (hasLambda) {
      charts.push({
        name: `${y.stem}-vs-lambda`,
        title: `${y.title} against λ`,
        spec: lineChart({
          title: `${y.title} against λ = ησ²/(B(1−β))`,
          values: withValue(y.field).filter((m) => (m.lambda ?? 0) > 0),
          x: { field: 'lambda', title: 'λ', scale: 'log' },
          y: { field: y.field, title: y.title },
          color: { field: 'eta_level', title: 'learning rate' },
          points: true,
        }),
      });
    }
    charts.push({
      name: `${y.stem}-vs-eta`,
      title: hasLambda ? `${y.title} against η at fixed λ` : `${y.title} against η`,
      spec: lineChart({
        title: hasLambda ? `${y.title} against η at fixed λ` : `${y.title} against η`,
        values: withValue(y.field),
        x: { field: 'lr', title: 'η', scale: 'log' },
        y: { field: y.field, title: y.title },
        color: hasLambda ? { field: 'lambda_level', title: 'λ level' } : { field: 'batch', title: 'batch' },
        points: true,
      }),
    });
  }
  for (const c of charts) await writeChart({ dir: o.out, name: c.name, spec: c.spec });
  const ttt = o.timeToTarget === undefined ? undefined : await writeTimeToTargetReport(o.out, o.timeToTarget);
  const diverged = o.rows.filter((r) => r.status === 'diverged');
  const desc = o.description;
  const report = `# Scaling study: ${String(desc['preset'])}

Grid \`${String(desc['grid'])}\`, mode ${String(desc['mode'])}, ${String(desc['seeds'])} seed(s), ${String(desc['steps'])} steps per run: ${o.rows.length} finished run(s)${diverged.length > 0 ? `, ${diverged.length} diverged` : ''}. λ = ησ²/(B(1−β)) is the strength of the implicit regularizer R(θ) = −(1+β)/(2η)·tr log(I − η/(2(1+β))∇²L) that label-noise SGD follows (Damian et al. 2021). At a fixed λ, a larger η weights the higher-order terms of R (R → λ_max as η → 2/λ_max), so it regularizes sharpness more than the linear scaling rule (η/B fixed, same λ) suggests.

## Runs (mean over seeds)

${markdownTable(means, [
  { key: 'lr', header: 'η' },
  { key: 'batch', header: 'B' },
  { key: 'sigma', header: 'σ' },
  { key: 'momentum', header: 'β' },
  { key: 'workers', header: 'workers' },
  { key: 'lambda', header: 'λ' },
  { key: 'seeds', header: 'seeds' },
  { key: 'train_loss', header: 'train loss' },
  { key: 'test_metric', header: `test ${metricName}` },
  { key: 'top_eigenvalue', header: 'λ_max' },
  { key: 'trace_hessian', header: 'tr∇²L' },
  { key: 'implicit_regularizer', header: 'R(θ)' },
])}
${diverged.length > 0 ? `Diverged (not averaged): ${diverged.map((r) => `\`${r.run_id}\``).join(', ')}.\n\n` : ''}## Plots

${charts.map((c) => `### ${c.title}\n\n${markdownChart(c.name, c.title)}`).join('\n')}
${ttt === undefined ? '' : `${ttt.section}\n`}Files: \`results.jsonl\` (appended as each run finishes; the record a rerun resumes from), \`results.csv\` (one row per run), \`study.json\` (the plan)${ttt === undefined ? '' : ', `trajectories/` (one JSONL per run: train loss, test metric, noise-scale estimates and sharpness at the recording cadence)'}.
`;
  const reportPath = path.join(o.out, 'report.md');
  writeFileAtomic(reportPath, report);
  return { csv, report: reportPath, charts: [...charts.map((c) => `${c.name}.png`), ...(ttt?.charts ?? [])] };
}
