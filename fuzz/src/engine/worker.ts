import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { CoverageMap, instrumentWorkspace } from './coverage';
import { mutate, Rng } from './mutate';
import { INPUT_SLOTS, saveFinding, type FromWorker, type FuzzProgress, type FuzzResult, type FuzzRunOptions } from './run';
import type { FuzzTarget } from './target';

// The fuzzing thread: instrument, load the target, replay the corpus, then mutate
// inputs from it, keeping those that reach new coverage.
const o = workerData as FuzzRunOptions & { shared: SharedArrayBuffer };
const port = parentPort;
if (port === null) throw new Error('fuzz worker: not started as a worker thread');
const counters = new Float64Array(o.shared, 0, 2);
const inflight = new Uint8Array(o.shared, 16);

// Only the target's own code is instrumented (its coverage is what is reported), and
// the target is required only now, so that its code loads through the hook.
const load = createRequire(__filename);
const { TARGETS } = load('../targets') as typeof import('../targets');
const own = o.targetModule;
const entry =
  own !== undefined
    ? { code: { test: (file: string) => file === own.path }, load: () => (load(own.path) as Record<string, FuzzTarget>)[own.export] }
    : TARGETS.find((t) => t.name === o.target);
if (entry === undefined) throw new Error(`fuzz: no target '${o.target}' (targets: ${TARGETS.map((t) => t.name).join(', ')})`);
instrumentWorkspace(entry.code);
const target = entry.load();
port.postMessage({ kind: 'ready' } satisfies FromWorker);
const maxLen = Math.min(target.maxLen, INPUT_SLOTS);

const coverage = new CoverageMap();
const rng = new Rng(o.seed);
const corpus: Uint8Array[] = [];
const t0 = performance.now();
let execs = 0;
let rssPeak = 0;

const progress = (): FuzzProgress => {
  const m = process.memoryUsage();
  const rssMb = m.rss / 2 ** 20;
  rssPeak = Math.max(rssPeak, rssMb);
  return {
    execs,
    seconds: (performance.now() - t0) / 1000,
    corpus: corpus.length,
    covered: coverage.hit,
    counters: coverage.total,
    rssMb,
    heapMb: m.heapUsed / 2 ** 20,
  };
};

/** One execution; false when it found something (the thread then reports and stops). */
const exec = (input: Uint8Array): boolean => {
  inflight.set(input.subarray(0, INPUT_SLOTS));
  counters[1] = Math.min(input.length, INPUT_SLOTS);
  try {
    target.fuzz(input);
  } catch (err: unknown) {
    const file = saveFinding(o.findings, `crash-${target.name}`, input);
    const message = err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err);
    const result: FuzzResult = {
      ...progress(),
      target: target.name,
      status: 'crash',
      seeds: seeds.length,
      rssStartMb,
      rssPeakMb: rssPeak,
      finding: { file, message },
    };
    port.postMessage({ kind: 'crash', result } satisfies FromWorker);
    return false;
  }
  execs++;
  counters[0] = execs;
  return true;
};

const seeds: Uint8Array[] = [];
for (const dir of o.corpus) {
  let names: string[] = [];
  try {
    names = readdirSync(dir).sort();
  } catch {
    continue; // a corpus not made yet
  }
  for (const name of names) {
    const file = join(dir, name);
    if (statSync(file).isFile()) seeds.push(new Uint8Array(readFileSync(file)));
  }
}
if (seeds.length === 0) seeds.push(new Uint8Array(0));
let rssStartMb = 0;
let ok = true;
for (const s of seeds) {
  if (!(ok = exec(s))) break;
  if (coverage.collect() || corpus.length === 0) corpus.push(s);
}
rssStartMb = progress().rssMb;
const deadline = t0 + o.seconds * 1000;
let nextReport = performance.now() + 1000;
while (ok) {
  if ((execs & 63) === 0) {
    const now = performance.now();
    if (now >= deadline) break;
    if (now >= nextReport) {
      nextReport = now + 1000;
      port.postMessage({ kind: 'progress', progress: progress() } satisfies FromWorker);
    }
  }
  if (o.runs > 0 && execs >= o.runs) break;
  const parent = corpus[rng.below(corpus.length)];
  const other = corpus[rng.below(corpus.length)];
  const child = mutate(parent, other, { rng, maxLen });
  if (!(ok = exec(child))) break;
  if (coverage.collect()) {
    corpus.push(child);
    if (o.saveCorpus !== undefined) saveFinding(o.saveCorpus, target.name, child);
  }
}
if (ok) {
  const result: FuzzResult = { ...progress(), target: target.name, status: 'ok', seeds: seeds.length, rssStartMb, rssPeakMb: rssPeak };
  port.postMessage({ kind: 'done', result } satisfies FromWorker);
}
