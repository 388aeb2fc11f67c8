import { columnsOf, type Row } from './table';

/**
 * Formats a number for people: integers as is, others to 4 significant digits,
 * very small or large ones in exponent form; null and undefined as '—'.
 *
 * @param v the value.
 * @example formatValue(0.000123456) // '1.235e-4'
 */
export function formatValue(v: number | string | boolean | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e9) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3).replace('e+', 'e');
  return String(Number(v.toPrecision(4)));
}

/**
 * A GitHub-flavoured Markdown table.
 *
 * @param rows the rows.
 * @param columns column order, optionally with display headers (default: every key).
 * @example markdownTable([{ method: 'label noise', test_error: 0.003 }])
 */
export function markdownTable(rows: readonly Row[], columns?: readonly (string | { readonly key: string; readonly header: string })[]): string {
  const cols = (columns ?? columnsOf(rows)).map((c) => (typeof c === 'string' ? { key: c, header: c } : c));
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const lines = [`| ${cols.map((c) => esc(c.header)).join(' | ')} |`, `| ${cols.map(() => '---').join(' | ')} |`];
  for (const r of rows) lines.push(`| ${cols.map((c) => esc(formatValue(r[c.key]))).join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}

/**
 * A Markdown image link to a chart written beside the report (PNG for viewers that
 * cannot show SVG, with the SVG linked under it).
 *
 * @param name the chart's file stem.
 * @param alt the alternative text.
 * @example markdownChart('test-error', 'Test error over time')
 */
export function markdownChart(name: string, alt: string): string {
  return `![${alt}](${name}.png)\n\n[SVG](${name}.svg)\n`;
}

const BLOCK = /<!-- generated:([\w.:-]+) -->\n[\s\S]*?<!-- end generated:\1 -->/g;

/**
 * Names of the generated blocks in a Markdown document, in order. A block is written
 * `<!-- generated:NAME -->` … `<!-- end generated:NAME -->`; its body is fenced with
 * `prettier-ignore` so a formatter leaves generated tables byte for byte as written.
 *
 * @param doc the document's text.
 * @example generatedBlockNames('<!-- generated:a -->\n<!-- end generated:a -->') // ['a']
 */
export function generatedBlockNames(doc: string): string[] {
  return [...doc.matchAll(BLOCK)].map((m) => m[1] ?? '');
}

/**
 * Rewrites every generated block of a document with what `render` returns for its name.
 *
 * @param doc the document's text.
 * @param render the block's body for a name (Markdown, without the fences).
 * @returns the document with every block filled.
 * @throws Error when `render` knows no body for a block (the error names the block).
 */
export function fillGeneratedBlocks(doc: string, render: (name: string) => string | undefined): string {
  return doc.replace(BLOCK, (_all, name: string) => {
    const body = render(name);
    if (body === undefined) throw new Error(`generated block "${name}": nothing generates it`);
    return `<!-- generated:${name} -->\n<!-- prettier-ignore-start -->\n${body.trimEnd()}\n<!-- prettier-ignore-end -->\n<!-- end generated:${name} -->`;
  });
}
