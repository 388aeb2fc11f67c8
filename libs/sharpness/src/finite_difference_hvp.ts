import type { Hvp } from './hvp';

/** Inputs of {@link finiteDifferenceHvp}. */
export interface FiniteDifferenceHvpOptions {
  /** θ ↦ ∇L(θ) in float32 (e.g. {@link tfGradient}). */
  readonly gradient: (theta: Float32Array) => Float32Array;
  /** The point θ at which the Hessian is taken. */
  readonly theta: Float32Array;
  /** Step along the unit direction (default 1e-3·max(1, ‖θ‖); measured in docs/sharpness-accuracy.md). */
  readonly epsilon?: number;
}

/**
 * Hv by a central difference of two gradients:
 *   Hv ≈ (∇L(θ + εv̂) − ∇L(θ − εv̂)) / (2ε) · ‖v‖,   v̂ = v/‖v‖,
 * O(ε²) truncation error against float32 rounding of order u·|∇L|/ε. The arithmetic
 * is float64; only the gradients are float32. The difference is taken over the
 * perturbation actually realised in float32 (θ ± εv̂ rounded), which removes the
 * rounding of θ + εv̂ from the error. Used because nested tf.grad is unreliable in tfjs
 * (wrong or throwing through softmax cross-entropy, tanh, exp).
 *
 * @param options gradient, theta, epsilon.
 * @example const hvp = finiteDifferenceHvp({gradient: tfGradient(loss), theta}); hvp(v)
 */
export function finiteDifferenceHvp(options: FiniteDifferenceHvpOptions): Hvp {
  const { gradient } = options;
  const theta = Float32Array.from(options.theta); // a private copy: the caller may keep training
  const n = theta.length;
  let thetaNorm = 0;
  for (let i = 0; i < n; i++) thetaNorm += theta[i] * theta[i];
  thetaNorm = Math.sqrt(thetaNorm);
  const epsilon = options.epsilon ?? 1e-3 * Math.max(1, thetaNorm);
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) {
    throw new RangeError(`finiteDifferenceHvp: epsilon must be a finite number > 0, got ${epsilon}`);
  }
  const plus = new Float32Array(n);
  const minus = new Float32Array(n);
  return (v: Float64Array): Float64Array => {
    if (v.length !== n) throw new RangeError(`finiteDifferenceHvp: v has length ${v.length}, expected ${n}`);
    let vNorm = 0;
    for (let i = 0; i < n; i++) vNorm += v[i] * v[i];
    vNorm = Math.sqrt(vNorm);
    if (vNorm === 0) return new Float64Array(n);
    const step = epsilon / vNorm;
    for (let i = 0; i < n; i++) {
      plus[i] = theta[i] + step * v[i];
      minus[i] = theta[i] - step * v[i];
    }
    // Realised step along v: least-squares fit of (plus − minus) = s·v, so that rounding
    // θ ± εv̂ to float32 does not bias the scale (‖v‖ factors cancel: H·v·(2ε/‖v‖)/s).
    let num = 0;
    for (let i = 0; i < n; i++) num += (plus[i] - minus[i]) * v[i];
    const s = num / (vNorm * vNorm);
    const gPlus = gradient(plus);
    const gMinus = gradient(minus);
    if (gPlus.length !== n || gMinus.length !== n) {
      throw new RangeError(`finiteDifferenceHvp: gradient returned length ${gPlus.length}/${gMinus.length}, expected ${n}`);
    }
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = (gPlus[i] - gMinus[i]) / s;
    return out;
  };
}
