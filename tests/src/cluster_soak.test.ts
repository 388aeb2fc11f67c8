import { test } from 'node:test';
import { appendFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { parseExposition } from '@lnsgd/telemetry';
import { runCliStreaming } from './cluster_helpers';
import { jsonLines } from './run_cli';

// Soak: a 10,000-step local-cluster run of the uv toy (PS shard, two workers and the
// sharpness monitor estimating every 1,000 steps by rounds on the workers). Every process's
// /metrics is scraped every SAMPLE_EVERY steps: live TensorFlow.js tensors
// (lnsgd_tfjs_tensors) must stay flat from step 1,000 to the end of training (and not grow after it), and resident memory must grow by less than 5% from step 1,000 to the
// end, in every process. The children's V8 flags that make this hold, and the
// measurements behind them: docs/distributed.md, "Memory over long runs".
// SOAK_DUMP=<file> appends each scrape's memory series (RSS, V8 heap by space, external)
// as JSON lines, for diagnosis.

const STEPS = 10_000;
const WARMUP_STEPS = 1_000;
const SAMPLE_EVERY = 250;
const MAX_RSS_GROWTH = 0.05;

interface Proc {
  readonly role: string;
  readonly pid: number;
  readonly rank?: number;
  readonly metrics_url: string | null;
}

interface Sample {
  readonly step: number;
  readonly rss: number;
  /** V8 heap in use and memory outside it (buffers, WebAssembly), for diagnosis. */
  readonly heap: number;
  readonly external: number;
  readonly tensors: number | undefined;
}

const label = (p: Proc): string => `${p.role}${p.rank ?? ''} (pid ${p.pid})`;
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MiB`;

async function scrape(url: string): Promise<Omit<Sample, 'step'>> {
  const { samples } = parseExposition(await (await fetch(url)).text());
  const value = (name: string): number | undefined => samples.find((s) => s.name === name)?.value;
  const rss = value('process_resident_memory_bytes');
  if (rss === undefined) throw new Error(`${url}: no process_resident_memory_bytes`);
  const dump = process.env['SOAK_DUMP'];
  if (dump !== undefined) {
    const pick = Object.fromEntries(
      samples
        .filter((x) => /^(process_resident|nodejs_heap_size|nodejs_heap_space_size_(used|committed)|nodejs_external|process_heap)/.test(x.name))
        .map((x) => [`${x.name}${x.labels['space'] !== undefined ? `:${x.labels['space']}` : ''}`, x.value]),
    );
    appendFileSync(dump, `${JSON.stringify({ url, t: Date.now(), ...pick })}\n`);
  }
  return {
    rss,
    heap: value('nodejs_heap_size_used_bytes') ?? Number.NaN,
    external: value('nodejs_external_memory_bytes') ?? Number.NaN,
    tensors: value('lnsgd_tfjs_tensors'),
  };
}

void test('soak: 10,000 cluster steps keep TensorFlow.js tensors flat and resident memory within 5% in every process', async (t) => {
  const args = [
    'train',
    '--preset',
    'uv-toy',
    '--workers',
    '2',
    '--steps',
    String(STEPS),
    '--no-sharpness',
    '--metrics-every-steps',
    '1000',
    '--json',
    '--progress-every',
    String(SAMPLE_EVERY),
  ];
  let procs: Proc[] = [];
  const series = new Map<Proc, Sample[]>();
  const scrapes: Promise<void>[] = [];
  const failures: string[] = [];
  const t0 = performance.now();
  const run = await runCliStreaming(args, {
    timeoutMs: 240_000,
    onLine: (line) => {
      if (!line.startsWith('{')) return;
      const e = JSON.parse(line) as { event: string; step?: number; processes?: Proc[] };
      if (e.event === 'endpoints') {
        procs = e.processes ?? [];
        for (const p of procs) series.set(p, []);
      }
      if (e.event !== 'progress' || e.step === undefined) return;
      const step = e.step;
      for (const p of procs) {
        if (p.metrics_url === null) continue;
        const url = p.metrics_url;
        scrapes.push(
          scrape(url).then(
            (s) => void series.get(p)?.push({ step, ...s }),
            // The last scrapes may race the processes' exit at the end of the run.
            (err: unknown) => void (step < STEPS && failures.push(`${label(p)} at step ${step}: ${String(err)}`)),
          ),
        );
      }
    },
  });
  await Promise.all(scrapes);
  const wall = (performance.now() - t0) / 1000;
  assert.equal(run.code, 0, run.stderr.slice(-3000));
  const summary = jsonLines(run.stdout).at(-1);
  assert.equal(summary?.event, 'summary');
  assert.equal(summary?.['steps'], STEPS);
  assert.deepEqual(failures, []);
  assert.deepEqual(procs.map((p) => p.role).sort(), ['metrics', 'ps', 'worker', 'worker'], 'the soak covers the PS, both workers and the sharpness monitor');

  console.log(`soak: ${STEPS} steps, ${procs.length} processes, wall ${wall.toFixed(1)} s`);
  const problems: string[] = [];
  const rssProblems: string[] = [];
  for (const p of procs) {
    const all = (series.get(p) ?? []).sort((a, b) => a.step - b.step);
    // The sharpness monitor's baseline is its first sample from step 1,000 on with its estimator thread up (it may start later on a busy machine).
    const after = all.filter((s) => s.step >= WARMUP_STEPS && (p.role !== 'metrics' || s.tensors !== undefined));
    const base = after[0];
    const end = after.at(-1);
    assert.ok(
      base !== undefined && end !== undefined && end.step >= STEPS - 2 * SAMPLE_EVERY,
      `${label(p)}: samples at steps ${all.map((s) => s.step).join(', ')}`,
    );
    const growth = end.rss / base.rss - 1;
    const peak = Math.max(...after.map((s) => s.rss));
    console.log(
      `  ${label(p)}: RSS ${mib(base.rss)} at step ${base.step} → ${mib(end.rss)} at step ${end.step} (${(100 * growth).toFixed(2)}%, peak ${mib(peak)}); ` +
        `heap ${mib(base.heap)} → ${mib(end.heap)}, external ${mib(base.external)} → ${mib(end.external)}; ` +
        `tensors ${String(base.tensors ?? 'n/a')} → ${String(end.tensors ?? 'n/a')} over ${after.length} samples`,
    );
    if (!(growth < MAX_RSS_GROWTH)) {
      rssProblems.push(
        `${label(p)}: resident memory grew ${(100 * growth).toFixed(2)}% from step ${base.step} to ${end.step}: ${after.map((s) => `${s.step}:${mib(s.rss)}/heap ${mib(s.heap)}`).join(' ')}`,
      );
    }
    if (p.role === 'worker' || p.role === 'metrics') {
      // While it trains; once training is over a worker frees what it held for the
      // monitor's estimation rounds (the last estimate's chunk batches and kinks).
      const training = after.filter((s) => s.step < STEPS);
      const counts = new Set(training.map((s) => s.tensors));
      if (end.tensors === undefined) problems.push(`${label(p)} exports no lnsgd_tfjs_tensors`);
      else if (counts.size !== 1 || end.tensors > (base.tensors ?? 0))
        problems.push(`${label(p)}: live tensors changed after step ${WARMUP_STEPS}: ${after.map((s) => `${s.step}:${String(s.tensors)}`).join(' ')}`);
    }
  }
  assert.deepEqual(problems, []);
  await t.test(`resident memory grows less than ${100 * MAX_RSS_GROWTH}% from step ${WARMUP_STEPS} to the end`, () => assert.deepEqual(rssProblems, []));
});
