import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fuzz target: one trust boundary, fed arbitrary bytes; it throws only on a finding. */
export interface FuzzTarget {
  readonly name: string;
  /** The boundary and the properties checked, in a line. */
  readonly about: string;
  /** Longest input the fuzzer makes for it. */
  readonly maxLen: number;
  fuzz(data: Uint8Array): void;
}

/** A broken property: a finding (anything else a target throws is one too). */
export class PropertyViolation extends Error {}

/** Throws a finding unless `ok`. */
export function check(ok: boolean, what: string): asserts ok {
  if (!ok) throw new PropertyViolation(what);
}

/** The process's scratch directory for targets that read files (tmpfs when there is one); runFuzz removes it. */
export function scratchPath(): string {
  return join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), `lnsgd-fuzz-${process.pid}`);
}

/** {@link scratchPath}, created. */
export function scratchDir(): string {
  const dir = scratchPath();
  mkdirSync(dir, { recursive: true });
  return dir;
}
