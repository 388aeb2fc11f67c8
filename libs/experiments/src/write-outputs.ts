import * as path from 'node:path';
import { toCsv, toJsonl, writeChart, writeFileAtomic } from '@lnsgd/report';
import type { ExperimentOutcome } from './experiment';

/** The files {@link writeExperimentOutputs} wrote, relative paths under `out`. */
export interface ExperimentFiles {
  readonly dir: string;
  readonly files: readonly string[];
}

/**
 * Writes an experiment's outcome into `out`: `results.jsonl` and `results.csv` (the
 * series), `summary.json` (the headline numbers), each chart as SVG + PNG (+ its
 * vega-lite spec) and `report.md`.
 *
 * @param options the outcome and the output directory (created if missing).
 * @example await writeExperimentOutputs({ outcome, out: 'runs/sparse-recovery' });
 */
export async function writeExperimentOutputs(options: { readonly outcome: ExperimentOutcome; readonly out: string }): Promise<ExperimentFiles> {
  const { outcome, out } = options;
  const files: string[] = [];
  const put = (name: string, data: string): void => {
    writeFileAtomic(path.join(out, name), data);
    files.push(name);
  };
  put('results.jsonl', toJsonl(outcome.series));
  put('results.csv', toCsv(outcome.series));
  put('summary.json', `${JSON.stringify({ experiment: outcome.experiment, ...outcome.summary }, null, 2)}\n`);
  for (const c of outcome.charts) {
    await writeChart({ dir: out, name: c.name, spec: c.spec });
    files.push(`${c.name}.svg`, `${c.name}.png`);
  }
  put('report.md', outcome.report);
  return { dir: out, files };
}
