import Module from 'node:module';
import { createInstrumenter } from 'istanbul-lib-instrument';

/** The global istanbul's instrumented code counts into. */
const VARIABLE = '__lnsgdFuzzCoverage';

/** The counters istanbul keeps per file (statement, function and branch-arm hits). */
interface FileCounters {
  readonly s: Record<string, number>;
  readonly f: Record<string, number>;
  readonly b: Record<string, number[]>;
}

/** Never instrumented: dependencies and compiled tests. */
const NEVER = /[\\/]node_modules[\\/]|\.test\.js$/;

type Loader = (module: NodeJS.Module, filename: string) => void;

/**
 * Instruments the workspace's compiled JavaScript that matches `code` as it is required, with istanbul
 * counters (statements, functions, branch arms); call before loading any target.
 * Coverage-guided fuzzers need such a per-execution edge signal: istanbul's
 * instrumenter is the maintained one for plain Node (V8's own block coverage is read
 * through the inspector at milliseconds a call, too slow per execution).
 */
export function instrumentWorkspace(code: { test(file: string): boolean }): void {
  const instrumenter = createInstrumenter({ coverageVariable: VARIABLE, compact: true, esModules: false, produceSourceMap: false });
  // Module._extensions is Node's documented-by-usage loader table (nyc and pirates hook it the same way).
  const extensions = (Module as unknown as { _extensions: Record<string, Loader> })._extensions;
  const plain = extensions['.js'];
  extensions['.js'] = (module, filename) => {
    if (NEVER.test(filename) || !code.test(filename)) return plain(module, filename);
    const original = (module as unknown as { _compile: (code: string, file: string) => void })._compile.bind(module);
    (module as unknown as { _compile: (code: string, file: string) => void })._compile = (code, file) =>
      original(instrumenter.instrumentSync(code, file), file);
    return plain(module, filename);
  };
}

/**
 * Turns istanbul's counters into fuzzing features: for every counter, the bucket of
 * how often it fired in one execution (1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+: AFL's
 * hit-count buckets), so that a new branch or a loop running a new number of times
 * counts as progress.
 */
export class CoverageMap {
  private counters: { readonly obj: Record<string, number> | number[]; readonly key: string | number }[] = [];
  private files = 0;
  private previous = new Float64Array(0);
  private seen = new Uint8Array(0);
  private covered = new Uint8Array(0);
  private coveredCount = 0;

  /** Counters known so far (statements + functions + branch arms of the loaded files). */
  get total(): number {
    return this.counters.length;
  }

  /** Counters that fired at least once. */
  get hit(): number {
    return this.coveredCount;
  }

  /** Reads the counters after one execution; true when it reached a new feature. */
  collect(): boolean {
    this.refresh();
    let fresh = false;
    const { counters, previous, seen, covered } = this;
    for (let i = 0; i < counters.length; i++) {
      const c = counters[i];
      const now = (c.obj as Record<string | number, number>)[c.key];
      const delta = now - previous[i];
      if (delta === 0) continue;
      previous[i] = now;
      const bit = 1 << bucket(delta);
      if ((seen[i] & bit) === 0) {
        seen[i] |= bit;
        fresh = true;
        if (covered[i] === 0) {
          covered[i] = 1;
          this.coveredCount++;
        }
      }
    }
    return fresh;
  }

  private refresh(): void {
    const all = (globalThis as unknown as Record<string, Record<string, FileCounters> | undefined>)[VARIABLE] ?? {};
    const names = Object.keys(all);
    if (names.length === this.files) return;
    // A file loaded lazily: rebuild the flat list, keeping what earlier files had.
    const counters: typeof this.counters = [];
    for (const name of names) {
      const fc = all[name];
      for (const k of Object.keys(fc.s)) counters.push({ obj: fc.s, key: k });
      for (const k of Object.keys(fc.f)) counters.push({ obj: fc.f, key: k });
      for (const k of Object.keys(fc.b)) fc.b[k].forEach((_, arm) => counters.push({ obj: fc.b[k], key: arm }));
    }
    const index = new Map(this.counters.map((c, i) => [c, i] as const));
    const byRef = new Map<object, Map<string | number, number>>();
    for (const [c, i] of index) {
      const m = byRef.get(c.obj) ?? new Map<string | number, number>();
      m.set(c.key, i);
      byRef.set(c.obj, m);
    }
    const previous = new Float64Array(counters.length);
    const seen = new Uint8Array(counters.length);
    const covered = new Uint8Array(counters.length);
    counters.forEach((c, j) => {
      const i = byRef.get(c.obj)?.get(c.key);
      if (i !== undefined) {
        previous[j] = this.previous[i];
        seen[j] = this.seen[i];
        covered[j] = this.covered[i];
      } else {
        // Counts made while the file loaded (module top level) belong to no input.
        previous[j] = (c.obj as Record<string | number, number>)[c.key];
      }
    });
    this.counters = counters;
    this.previous = previous;
    this.seen = seen;
    this.covered = covered;
    this.files = names.length;
  }
}

function bucket(n: number): number {
  if (n <= 3) return n - 1;
  if (n < 8) return 3;
  if (n < 16) return 4;
  if (n < 32) return 5;
  if (n < 128) return 6;
  return 7;
}
