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
