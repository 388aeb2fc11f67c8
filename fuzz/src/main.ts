import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runFuzz, type FuzzResult } from './engine/run';
import { TARGETS } from './targets';

const HELP = `npm run fuzz -- [--target NAME]... [--seconds S] [--runs N] [--seed N] [--save-corpus DIR] [--json FILE]

Coverage-guided fuzzing of every trust boundary (targets: ${TARGETS.map((t) => t.name).join(', ')}).
Each target replays fuzz/corpus/<target>/, then mutates for --seconds (default 60) or
--runs executions. A crash, hang (--hang-ms, default 10000) or heap past --heap-mb
(default 1024) writes the input to fuzz/findings/ and exits 1. --save-corpus DIR
writes new coverage-increasing inputs to DIR/<target>/.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      target: { type: 'string', multiple: true },
      seconds: { type: 'string', default: '60' },
      runs: { type: 'string', default: '0' },
      seed: { type: 'string', default: '1' },
      'hang-ms': { type: 'string', default: '10000' },
      'heap-mb': { type: 'string', default: '1024' },
      'save-corpus': { type: 'string' },
      json: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const root = join(__dirname, '..');
  const names = values.target ?? TARGETS.map((t) => t.name);
  const results: FuzzResult[] = [];
  for (const name of names) {
    if (!TARGETS.some((t) => t.name === name)) throw new Error(`fuzz: no target '${name}' (targets: ${TARGETS.map((t) => t.name).join(', ')})`);
    const r = await runFuzz({
      target: name,
      seconds: Number(values.seconds),
      runs: Number(values.runs),
      seed: Number(values.seed),
      hangMs: Number(values['hang-ms']),
      heapMb: Number(values['heap-mb']),
      corpus: [join(root, 'corpus', name)],
      saveCorpus: values['save-corpus'] === undefined ? undefined : join(values['save-corpus'], name),
      findings: join(root, 'findings'),
      onProgress: (p) =>
        process.stderr.write(
          `${name}: ${p.execs} execs, ${p.seconds.toFixed(0)} s, corpus ${p.corpus}, cov ${p.covered}/${p.counters}, rss ${p.rssMb.toFixed(0)} MB\n`,
        ),
    });
    process.stderr.write('\n');
    results.push(r);
    const rate = r.execs / Math.max(r.seconds, 1e-9);
    console.log(
      `${name}: ${r.status}: ${r.execs} execs in ${r.seconds.toFixed(1)} s (${rate.toFixed(0)}/s), ${r.seeds} seeds, corpus ${r.corpus}, coverage ${r.covered}/${r.counters} counters, RSS ${r.rssStartMb.toFixed(0)} → peak ${r.rssPeakMb.toFixed(0)} MB`,
    );
    if (r.finding !== undefined) console.log(`  finding: ${r.finding.file}\n  ${r.finding.message.split('\n').slice(0, 8).join('\n  ')}`);
  }
  if (values.json !== undefined) {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(values.json, `${JSON.stringify(results, null, 2)}\n`);
  }
  if (results.some((r) => r.status !== 'ok')) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 2;
});
