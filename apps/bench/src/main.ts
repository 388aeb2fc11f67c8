import * as os from 'node:os';
import * as path from 'node:path';
import { machineInfo, versions, writeRecord } from './record';
import { SUITES } from './suites';
import type { SuiteResult } from './suite';

/** Where `--save` writes one JSON record per suite (docs/benchmarks.md is generated from them). */
const DOCS_BENCHMARKS = path.resolve(__dirname, '../../../docs/benchmarks');

/** Renders rows as an aligned text table. */
export function formatTable(rows: SuiteResult['rows']): string {
  if (rows.length === 0) return '';
  const keys = Object.keys(rows[0]);
  const cell = (v: string | number | null | undefined): string =>
    v === null || v === undefined ? '-' : typeof v === 'number' ? String(Number(v.toPrecision(4))) : v;
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell(r[k]).length)));
  const line = (vals: string[]): string => vals.map((v, i) => v.padEnd(widths[i])).join('  ');
  return [line(keys), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(keys.map((k) => cell(r[k]))))].join('\n');
}

const USAGE = `usage: npm run bench -- <suite>... [--quick] [--json] [--save]

Suites:
${SUITES.map((s) => `  ${s.name.padEnd(10)} ${s.description}`).join('\n')}
  all        every suite above

Each suite measures the things it compares side by side in one run and prints ratios;
with --json the last line is {"event":"summary", ...} with the headline numbers;
with --save each suite's rows, summary, machine (CPU, cores, memory, load average)
and versions go to docs/benchmarks/<suite>.json (then: npm run docs:tables).`;

async function main(argv: readonly string[]): Promise<number> {
  const args = argv.filter((a) => !a.startsWith('--'));
  const json = argv.includes('--json');
  const quick = argv.includes('--quick');
  const save = argv.includes('--save');
  if (argv.includes('--help') || args.length === 0) {
    process.stdout.write(`${USAGE}\n`);
    return args.length === 0 && !argv.includes('--help') ? 2 : 0;
  }
  const names = args.includes('all') ? SUITES.map((s) => s.name) : args;
  const unknown = names.filter((n) => !SUITES.some((s) => s.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown suite ${unknown.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  const summary: Record<string, unknown> = { event: 'summary' };
  for (const name of names) {
    const suite = SUITES.find((s) => s.name === name);
    if (suite === undefined) continue;
    process.stderr.write(`bench ${suite.name}: ${suite.description}\n`);
    const loadStart = os.loadavg();
    const r = await suite.run({ quick, log: (l) => process.stderr.write(`  ${l}\n`) });
    if (save) {
      const command = `npm run bench -- ${suite.name}${quick ? ' --quick' : ''} --save`;
      const record = { suite: suite.name, description: suite.description, command, quick, machine: machineInfo(loadStart), versions: versions(), ...r };
      process.stderr.write(`bench ${suite.name}: wrote ${writeRecord(DOCS_BENCHMARKS, record)}\n`);
    }
    const out = json ? process.stderr : process.stdout;
    out.write(`\n== ${suite.name} ==\n${formatTable(r.rows)}\n${(r.notes ?? []).map((n) => `  ${n}`).join('\n')}\n`);
    for (const [name, rows] of Object.entries(r.tables ?? {})) out.write(`\n-- ${name} --\n${formatTable(rows)}\n`);
    Object.assign(summary, r.summary);
  }
  if (json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
