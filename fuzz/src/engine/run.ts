import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { scratchPath } from './target';

/** What one fuzzing run is asked to do. */
export interface FuzzRunOptions {
  readonly target: string;
  /** Load the target from a compiled module's export instead, that module instrumented (the engine's own tests). */
  readonly targetModule?: { readonly path: string; readonly export: string };
  /** Stop after this many seconds of fuzzing (after the corpus replay). */
  readonly seconds: number;
  /** Stop after this many executions (0: no limit). */
  readonly runs: number;
  /** Seed corpora, replayed first. */
  readonly corpus: readonly string[];
  /** Where new coverage-increasing inputs go (none: kept in memory only). */
  readonly saveCorpus?: string;
  /** Where a crashing, hanging or memory-exhausting input is written. */
  readonly findings: string;
  readonly seed: number;
  /** An execution that runs longer than this is a hang. */
  readonly hangMs: number;
  /** V8 heap limit of the fuzzing thread: past it, the input is an out-of-memory finding. */
  readonly heapMb: number;
  readonly onProgress?: (p: FuzzProgress) => void;
}

/** Figures of a run so far. */
export interface FuzzProgress {
  readonly execs: number;
  readonly seconds: number;
  readonly corpus: number;
  /** Counters (statements, functions, branch arms) that fired / that exist in the loaded code. */
  readonly covered: number;
  readonly counters: number;
  readonly rssMb: number;
  readonly heapMb: number;
}

/** How a run ended, with its figures. */
export interface FuzzResult extends FuzzProgress {
  readonly target: string;
  readonly status: 'ok' | 'crash' | 'hang' | 'oom';
  /** Seed inputs replayed before fuzzing. */
  readonly seeds: number;
  /** RSS after the replay and at most during the run (MB). */
  readonly rssStartMb: number;
  readonly rssPeakMb: number;
  readonly finding?: { readonly file: string; readonly message: string };
}

/** Messages of the fuzzing thread. */
export type FromWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'progress'; readonly progress: FuzzProgress }
  | { readonly kind: 'done'; readonly result: FuzzResult }
  | { readonly kind: 'crash'; readonly result: FuzzResult };

/** Bytes of the input in flight that the watchdog can read back (longest input + length). */
export const INPUT_SLOTS = 1 << 16;

/**
 * Runs one target in a worker thread, with a watchdog on the main thread: an
 * execution that takes longer than `hangMs`, or a heap past `heapMb`, ends the run
 * and writes the input that did it to `findings`.
 */
export function runFuzz(o: FuzzRunOptions): Promise<FuzzResult> {
  // [0] executions so far, [1] length of the input in flight; then its bytes.
  const shared = new SharedArrayBuffer(16 + INPUT_SLOTS);
  const counters = new Float64Array(shared, 0, 2);
  const input = new Uint8Array(shared, 16);
  const worker = new Worker(join(__dirname, 'worker.js'), {
    workerData: { ...o, onProgress: undefined, shared },
    resourceLimits: { maxOldGenerationSizeMb: o.heapMb },
    stdout: false,
  });
  let last: FuzzProgress = { execs: 0, seconds: 0, corpus: 0, covered: 0, counters: 0, rssMb: 0, heapMb: 0 };
  const t0 = Date.now();
  return new Promise<FuzzResult>((resolve, reject) => {
    let settled = false;
    const finish = (r: FuzzResult): void => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      void worker.terminate().finally(() => rmSync(scratchPath(), { recursive: true, force: true }));
      resolve(r);
    };
    const fault = (status: 'hang' | 'oom', message: string): void => {
      const bytes = Uint8Array.prototype.slice.call(input, 0, counters[1]);
      const file = saveFinding(o.findings, `${status}-${o.target}`, bytes);
      finish({ ...last, target: o.target, status, seeds: 0, rssStartMb: 0, rssPeakMb: last.rssMb, finding: { file, message } });
    };
    let ready = false;
    let seenExecs = -1;
    let seenAt = Date.now();
    const watchdog = setInterval(
      () => {
        const execs = counters[0];
        if (!ready) return;
        if (execs !== seenExecs) {
          seenExecs = execs;
          seenAt = Date.now();
        } else if (Date.now() - seenAt > o.hangMs) {
          fault('hang', `one execution ran over ${o.hangMs} ms (execution ${execs})`);
        }
      },
      Math.min(1000, o.hangMs / 4),
    );
    worker.on('message', (m: FromWorker) => {
      if (m.kind === 'ready') {
        ready = true;
        seenAt = Date.now();
      } else if (m.kind === 'progress') {
        last = m.progress;
        o.onProgress?.(m.progress);
      } else {
        finish(m.result);
      }
    });
    worker.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') return fault('oom', `heap past ${o.heapMb} MB: ${err.message}`);
      if (!settled) {
        settled = true;
        clearInterval(watchdog);
        reject(err);
      }
    });
    worker.on('exit', (code) => {
      if (!settled) fault('oom', `the fuzzing thread exited (code ${code}) after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    });
  });
}

/** Writes an input under its SHA-1 (libFuzzer's naming) and returns the path. */
export function saveFinding(dir: string, prefix: string, bytes: Uint8Array): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${prefix}-${createHash('sha1').update(bytes).digest('hex')}`);
  writeFileSync(file, bytes);
  return file;
}
