/** Throws a RangeError unless `v` is finite (and, when given, ≥ min / < max). */
export function checkHyper(fn: string, spec: { name: string; value: number; min?: number; maxExclusive?: number }): void {
  const { name, value, min, maxExclusive } = spec;
  const ok = Number.isFinite(value) && (min === undefined || value >= min) && (maxExclusive === undefined || value < maxExclusive);
  if (!ok) {
    const range = min === undefined && maxExclusive === undefined ? 'finite' : `finite and in [${min ?? '-inf'}, ${maxExclusive ?? 'inf'})`;
    throw new RangeError(`${fn}: ${name} must be ${range}, got ${value}`);
  }
}

/** Throws unless `other` (params or a state vector) has the updates' length. */
export function checkLength(fn: string, spec: { updates: ArrayLike<number>; other: ArrayLike<number>; otherName: string }): void {
  if (spec.other.length !== spec.updates.length) {
    throw new RangeError(`${fn}: updates.length (${spec.updates.length}) must equal ${spec.otherName}.length (${spec.other.length})`);
  }
}

/** Returns `params` or throws if a transformation that needs them was not given them. */
export function requireParams(fn: string, spec: { updates: Float32Array; params: Float32Array | undefined }): Float32Array {
  if (spec.params === undefined) throw new TypeError(`${fn}: update needs params (pass them as the third argument)`);
  checkLength(fn, { updates: spec.updates, other: spec.params, otherName: 'params' });
  return spec.params;
}
