import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One row of docs/benchmarks/sharpness_calibration_*.json (written by the sharpness-calibration suite). */
export interface CalibrationRow {
  readonly model: string;
  readonly dim: number;
  /** Training steps before the estimate (0: at initialisation). */
  readonly steps: number;
  readonly quantity: 'top_eigenvalue' | 'trace_hessian' | 'implicit_regularizer';
  readonly seeds: number;
  readonly reference: number;
  readonly rel_bias: number;
  readonly rel_mean_reported_error: number;
  readonly rel_spread: number;
  readonly within_1: number;
  readonly within_2: number;
  readonly within_3: number;
}

/** A calibration data file. */
export interface CalibrationFile {
  readonly description: string;
  readonly rows: readonly CalibrationRow[];
}

/** The files the tables are made from, relative to the repository root. */
export const CALIBRATION_FILES = ['docs/benchmarks/sharpness_calibration_mlp.json', 'docs/benchmarks/sharpness_calibration_zoo.json'] as const;
/** The document the tables are written into. */
export const ACCURACY_DOC = 'docs/sharpness-accuracy.md';
const BEGIN = '<!-- generated from docs/benchmarks/sharpness_calibration_*.json -->';
const END = '<!-- end of generated block -->';

const QUANTITY: Record<CalibrationRow['quantity'], string> = {
  top_eigenvalue: 'λ_max',
  trace_hessian: 'tr∇²L',
  implicit_regularizer: 'R(θ)',
};

const pct = (x: number): string => `${Number((100 * x).toFixed(1))}%`;
const sci = (x: number): string => (x >= 0 ? '+' : '') + x.toExponential(1);

/**
 * Markdown tables of the calibration rows: per model, state and quantity the float64
 * reference, the relative bias of the mean estimate, the mean reported error, the
 * spread over probe seeds, their ratio (reported over actual, actual = √(spread² +
 * bias²)) and the coverage within 1/2/3 reported errors.
 *
 * @param files the calibration data files.
 * @example renderCalibrationTables([JSON.parse(readFileSync(CALIBRATION_FILES[0], 'utf8'))])
 */
export function renderCalibrationTables(files: readonly CalibrationFile[]): string {
  const lines = [
    '| model (parameters) | state | quantity | float64 reference | bias | mean reported error | spread over seeds | reported / actual | within 1 / 2 / 3 errors | seeds |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const f of files) {
    for (const r of f.rows) {
      const actual = Math.hypot(r.rel_spread, r.rel_bias);
      lines.push(
        `| ${r.model} (${r.dim}) | ${r.steps === 0 ? 'init' : `after ${r.steps} steps`} | ${QUANTITY[r.quantity]} | ${r.reference.toPrecision(6)} | ${sci(r.rel_bias)} | ${r.rel_mean_reported_error.toExponential(1)} | ${r.rel_spread.toExponential(1)} | ${(r.rel_mean_reported_error / actual).toFixed(2)} | ${pct(r.within_1)} / ${pct(r.within_2)} / ${pct(r.within_3)} | ${r.seeds} |`,
      );
    }
  }
  return lines.join('\n');
}

/**
 * `doc` with the text between the generated-block markers replaced by `block`.
 *
 * @param doc the document.
 * @param block the new generated text.
 */
export function replaceGeneratedBlock(doc: string, block: string): string {
  const i = doc.indexOf(BEGIN);
  const j = doc.indexOf(END);
  if (i < 0 || j < i) throw new Error(`replaceGeneratedBlock: the document lacks the markers ${BEGIN} … ${END}`);
  // prettier-ignore keeps the formatter from re-padding the generated table (the staleness test compares bytes).
  return `${doc.slice(0, i + BEGIN.length)}\n<!-- prettier-ignore-start -->\n${block}\n<!-- prettier-ignore-end -->\n${doc.slice(j)}`;
}

/** The calibration files read from the repository at `root`. */
export function readCalibrationFiles(root: string): CalibrationFile[] {
  return CALIBRATION_FILES.map((f) => JSON.parse(readFileSync(path.join(root, f), 'utf8')) as CalibrationFile);
}

// `node apps/bench/dist/sharpness_accuracy_doc.js`: rewrites the tables in docs/sharpness-accuracy.md.
if (require.main === module) {
  const root = path.resolve(__dirname, '..', '..', '..');
  const docPath = path.join(root, ACCURACY_DOC);
  writeFileSync(docPath, replaceGeneratedBlock(readFileSync(docPath, 'utf8'), renderCalibrationTables(readCalibrationFiles(root))));
}
