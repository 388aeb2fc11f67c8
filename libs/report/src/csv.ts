import { columnsOf, type Row } from './table';

/**
 * Formats rows as RFC 4180 CSV with a header line. Missing and null cells are empty;
 * fields holding a comma, quote or newline are quoted.
 *
 * @param rows the rows.
 * @param columns column order (default: every key, in first-seen order).
 * @example toCsv([{ step: 0, loss: 1.5 }]) // 'step,loss\n0,1.5\n'
 */
export function toCsv(rows: readonly Row[], columns: readonly string[] = columnsOf(rows)): string {
  const lines = [columns.map(csvField).join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvField(r[c])).join(','));
  return `${lines.join('\n')}\n`;
}

function csvField(v: Row[string]): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
