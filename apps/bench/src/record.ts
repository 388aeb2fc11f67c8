import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SuiteResult } from './suite';

/** The machine a benchmark ran on: figures from a loaded 2-core box and a quiet one differ. */
export interface MachineInfo {
  readonly cpu_model: string;
  readonly cores: number;
  readonly mem_total_gib: number;
  readonly platform: string;
  /** 1-, 5- and 15-minute load averages when the suite started and ended. */
  readonly load_average_start: readonly number[];
  readonly load_average_end: readonly number[];
}

/** Describes this machine; `loadStart` is os.loadavg() taken before the suite ran. */
export function machineInfo(loadStart: readonly number[]): MachineInfo {
  const cpus = os.cpus();
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    cpu_model: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    mem_total_gib: round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    load_average_start: loadStart.map(round),
    load_average_end: os.loadavg().map(round),
  };
}

const VERSIONED = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'zeromq', 'protobufjs', 'prom-client'] as const;

/** Versions of Node and the packages whose speed the suites measure (null when not installed). */
export function versions(): Record<string, string | null> {
  const req = createRequire(__filename);
  const out: Record<string, string | null> = { node: process.versions.node, v8: process.versions.v8 };
  for (const name of VERSIONED) {
    try {
      out[name] = (req(`${name}/package.json`) as { version: string }).version;
    } catch {
      out[name] = null;
    }
  }
  return out;
}

/** One suite's result as written to docs/benchmarks/<suite>.json. */
export interface BenchRecord extends SuiteResult {
  readonly suite: string;
  readonly description: string;
  readonly command: string;
  readonly quick: boolean;
  readonly machine: MachineInfo;
  readonly versions: Record<string, string | null>;
}

/** File name of a suite's record: `metrics-overhead` → `metrics_overhead.json`. */
export function recordFileName(suite: string): string {
  return `${suite.replace(/-/g, '_')}.json`;
}

/** Writes the record atomically (temporary file, rename), so a stopped run leaves the old file. */
export function writeRecord(dir: string, record: BenchRecord): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, recordFileName(record.suite));
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, `${JSON.stringify(record, null, 1)}\n`);
  fs.renameSync(tmp, file);
  return file;
}
