/**
 * The standard error, over the choice of evaluation samples, of a quantity that is a
 * weighted mean of per-part values X_k (the same quantity on K disjoint parts of the
 * evaluation batch, weights w_k = part size / batch size): the between-part spread,
 * se² = (K/(K−1))·Σ w_k (X_k − X̄)² / K. `null` with fewer than two parts.
 *
 * @param values X_k, one per part.
 * @param weights w_k (summing to 1).
 * @example sampleStderr([1, 2, 3, 4], [0.25, 0.25, 0.25, 0.25]) // ≈ 0.645
 */
export function sampleStderr(values: ArrayLike<number>, weights: ArrayLike<number>): number | null {
  const k = values.length;
  if (k < 2) return null;
  if (weights.length !== k) throw new RangeError(`sampleStderr: ${k} values but ${weights.length} weights`);
  let mean = 0;
  for (let i = 0; i < k; i++) mean += weights[i] * values[i];
  let s = 0;
  for (let i = 0; i < k; i++) s += weights[i] * (values[i] - mean) ** 2;
  return Math.sqrt(((k / (k - 1)) * s) / k);
}
