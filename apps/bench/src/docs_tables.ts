import * as fs from 'node:fs';
import * as path from 'node:path';
import { fillGeneratedBlocks, formatValue, generatedBlockNames, markdownTable, type Row } from '@lnsgd/report';

/** A parsed JSON value. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: Json | undefined): v is null | boolean | number | string => v === null || typeof v !== 'object';

/** Header fields shown as text, not as table cells. */
const PROSE = new Set(['description', 'command', 'suite', 'machine', 'versions', 'notes']);

/**
 * Flattens one record of an array into table rows. Nested objects become dotted columns,
 * except two or more sibling objects with the same keys (e.g. one per estimated quantity):
 * those become one row each, named in a `quantity` column.
 */
function rowsOf(item: Json): Row[] {
  if (!isObject(item)) return [{ value: isScalar(item) ? item : JSON.stringify(item) }];
  const flat: Record<string, number | string | boolean | null> = {};
  const flatten = (prefix: string, v: Json): void => {
    if (isScalar(v)) flat[prefix] = v;
    else if (Array.isArray(v)) flat[prefix] = v.every(isScalar) ? v.map((x) => formatValue(x)).join(', ') : JSON.stringify(v);
    else for (const [k, x] of Object.entries(v)) flatten(`${prefix}.${k}`, x);
  };
  const children = Object.entries(item).filter(([, v]) => isObject(v)) as [string, JsonObject][];
  const shape = (o: JsonObject): string => Object.keys(o).sort().join(',');
  const groups = new Map<string, string[]>();
  for (const [k, o] of children) groups.set(shape(o), [...(groups.get(shape(o)) ?? []), k]);
  const pivot = [...groups.values()].filter((keys) => keys.length >= 2).sort((a, b) => b.length - a.length)[0] ?? [];
  // Another child keyed by those same names (e.g. reference.top_eigenvalue) gives each row its own value.
  const keyedBy = pivot.length === 0 ? [] : children.filter(([k, o]) => !pivot.includes(k) && pivot.every((q) => isScalar(o[q])));
  for (const [k, v] of Object.entries(item)) {
    if (pivot.includes(k)) continue;
    const keyed = keyedBy.find(([name]) => name === k)?.[1];
    if (keyed === undefined) flatten(k, v);
    else for (const [f, x] of Object.entries(keyed)) if (!pivot.includes(f)) flatten(`${k}.${f}`, x);
  }
  if (pivot.length === 0) return [flat];
  return pivot.map((k) => {
    const row: Record<string, number | string | boolean | null> = { ...flat, quantity: k };
    for (const [name, o] of keyedBy) row[name] = o[k] as number | string | boolean | null;
    for (const [f, v] of Object.entries(item[k] as JsonObject)) row[f] = isScalar(v) ? v : JSON.stringify(v);
    return row;
  });
}

/** One line about where the figures come from: the machine, its load and the versions. */
function provenance(record: JsonObject): string[] {
  const lines: string[] = [];
  const m = record['machine'];
  if (isObject(m)) {
    const load = (v: Json | undefined): string => (Array.isArray(v) ? v.map((x) => formatValue(x as number)).join(' / ') : '?');
    lines.push(
      `Machine: ${formatValue(isScalar(m['cpu_model']) ? m['cpu_model'] : null)}, ${formatValue(m['cores'] as number)} cores, ${formatValue(m['mem_total_gib'] as number)} GiB;` +
        ` load average (1/5/15 min) ${load(m['load_average_start'])} at the start, ${load(m['load_average_end'])} at the end.`,
    );
  }
  const v = record['versions'];
  if (isObject(v))
    lines.push(
      `Versions: ${Object.entries(v)
        .map(([k, x]) => `${k} ${formatValue(x as string | null)}`)
        .join(', ')}.`,
    );
  return lines;
}

/**
 * Renders one docs/benchmarks/*.json file as Markdown: its description and command, the
 * machine and versions, its scalar fields and summary as one table, and a table for
 * every array of records (at the top level or one level down). Generic on purpose: the
 * suites' records differ, and adding a field to one needs no change here.
 *
 * @param record the parsed file.
 * @example renderBenchmarkRecord({ command: 'npm run bench -- hvp --save', rows: [{ problem: 'd = 100', lanczos_hvps: 10 }] })
 */
export function renderBenchmarkRecord(record: Json): string {
  if (!isObject(record)) throw new Error('a benchmark record must be a JSON object');
  const out: string[] = [];
  if (typeof record['description'] === 'string') out.push(record['description'], '');
  if (typeof record['command'] === 'string') out.push(`Command: \`${record['command']}\``, '');
  const prov = provenance(record);
  if (prov.length > 0) out.push(prov.join(' '), '');
  const scalars: Row[] = [];
  const tables: [string, Json[]][] = [];
  const lists: [string, Json[]][] = [];
  const visit = (prefix: string, obj: JsonObject, depth: number): void => {
    for (const [k, v] of Object.entries(obj)) {
      const name = prefix === '' ? k : `${prefix}.${k}`;
      if (depth === 0 && PROSE.has(k)) continue;
      if (isScalar(v)) scalars.push({ field: name, value: v });
      else if (Array.isArray(v)) (v.some((x) => isObject(x)) ? tables : lists).push([name, v]);
      else if (depth < 1) visit(name, v, depth + 1);
      else scalars.push({ field: name, value: JSON.stringify(v) });
    }
  };
  visit('', record, 0);
  for (const [name, arr] of lists) scalars.push({ field: name, value: arr.map((x) => (isScalar(x) ? formatValue(x) : JSON.stringify(x))).join(', ') });
  if (scalars.length > 0) out.push(markdownTable(scalars));
  for (const [name, arr] of tables) out.push(`\`${name}\`:`, '', markdownTable(arr.flatMap(rowsOf)));
  const notes = record['notes'];
  if (Array.isArray(notes)) out.push(...notes.map((n) => `- ${isScalar(n) ? formatValue(n) : JSON.stringify(n)}`), '');
  return `${out.join('\n').trimEnd()}\n`;
}

/** The records under a directory: file stem → parsed JSON. */
export function readBenchmarkRecords(dir: string): Map<string, Json> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  return new Map(files.map((f) => [path.basename(f, '.json'), JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as Json]));
}

/**
 * docs/benchmarks.md with every `bench:<stem>` block regenerated from its record.
 *
 * @param doc the current text of docs/benchmarks.md.
 * @param records file stem → record.
 * @throws Error when a record has no block in the document, or a block no record.
 */
export function renderBenchmarksDoc(doc: string, records: ReadonlyMap<string, Json>): string {
  const names = new Set(generatedBlockNames(doc));
  const missing = [...records.keys()].filter((stem) => !names.has(`bench:${stem}`));
  if (missing.length > 0)
    throw new Error(
      `docs/benchmarks.md has no generated block for ${missing.map((s) => `docs/benchmarks/${s}.json (add <!-- generated:bench:${s} --> <!-- end generated:bench:${s} -->)`).join(', ')}`,
    );
  return fillGeneratedBlocks(doc, (name) => {
    const record = name.startsWith('bench:') ? records.get(name.slice('bench:'.length)) : undefined;
    return record === undefined ? undefined : renderBenchmarkRecord(record);
  });
}

/** The repository root, from this file's place in apps/bench/dist. */
export const REPO_ROOT = path.resolve(__dirname, '../../..');
