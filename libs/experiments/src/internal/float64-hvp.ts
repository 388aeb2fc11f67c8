import type { Hvp } from '@lnsgd/sharpness';

/**
 * Hv ≈ (∇L(θ + εv) − ∇L(θ − εv)) / 2ε for a float64 gradient, ε = 1e-5·max(1, ‖θ‖∞)/‖v‖
 * (central differences are O(ε²) accurate; in float64 this leaves ~1e-8 relative
 * error). Never nested autodiff: see DESIGN.md on tfjs's second derivatives.
 *
 * @param gradient θ ↦ ∇L(θ) in float64.
 * @param theta the point (copied).
 */
export function float64Hvp(gradient: (theta: Float64Array) => ArrayLike<number>, theta: ArrayLike<number>): Hvp {
  const base = Float64Array.from(theta);
  let scale = 1;
  for (const v of base) scale = Math.max(scale, Math.abs(v));
  const plus = new Float64Array(base.length);
  const minus = new Float64Array(base.length);
  return (v: Float64Array): Float64Array => {
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm);
    if (norm === 0) return new Float64Array(v.length);
    const eps = (1e-5 * scale) / norm;
    for (let i = 0; i < base.length; i++) {
      plus[i] = base[i] + eps * v[i];
      minus[i] = base[i] - eps * v[i];
    }
    const gp = Float64Array.from(gradient(plus));
    const gm = gradient(minus);
    const out = new Float64Array(base.length);
    for (let i = 0; i < base.length; i++) out[i] = (gp[i] - gm[i]) / (2 * eps);
    return out;
  };
}
