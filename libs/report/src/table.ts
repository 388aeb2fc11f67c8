/** One row of a results table: flat, JSON-serialisable values. */
export type Row = Readonly<Record<string, number | string | boolean | null | undefined>>;

/**
 * The columns of a set of rows, in first-seen order (rows may have different keys).
 *
 * @param rows the rows.
 * @example columnsOf([{ a: 1 }, { b: 2 }]) // ['a', 'b']
 */
export function columnsOf(rows: readonly Row[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}
