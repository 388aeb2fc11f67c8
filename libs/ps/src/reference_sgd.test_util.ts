/**
 * The property tests' reference optimizer: one SGD step with weight decay, linear
 * warm-up and heavy-ball momentum, written from proto/README.md's rounding rules
 * (each stage stored in float32), not from ParameterShard. Test-only: not exported.
 */

/** Hyper-parameters the property tests run the shards with. */
export const REFERENCE_HYPER = { lr: 0.1, momentum: 0.5, weightDecay: 0.01, warmupSteps: 2 } as const;

/** θ, velocity and steps taken, as the reference holds them. */
export interface ReferenceState {
  readonly theta: Float32Array;
  readonly velocity: Float32Array;
  count: number;
}

/**
 * One step: the sample-weighted mean of the parts' gradients (float64 sum, rounded
 * once), then decay, learning rate, momentum and θ, each rounded to float32.
 *
 * @param ref the state, updated in place.
 * @param parts each worker's gradient with its sample count.
 */
export function referenceStep(ref: ReferenceState, parts: readonly { w: number; g: Float32Array }[]): void {
  const h = REFERENCE_HYPER;
  const eta = ref.count + 1 >= h.warmupSteps ? h.lr : (h.lr * (ref.count + 1)) / h.warmupSteps;
  const total = parts.reduce((a, p) => a + p.w, 0);
  for (let i = 0; i < ref.theta.length; i++) {
    let acc = 0;
    for (const p of parts) acc += p.w * p.g[i];
    const c = Math.fround(acc / total);
    let u = Math.fround(c + h.weightDecay * ref.theta[i]);
    u = Math.fround(-eta * u);
    u = Math.fround(u + h.momentum * ref.velocity[i]);
    ref.velocity[i] = u;
    ref.theta[i] = Math.fround(ref.theta[i] + u);
  }
  ref.count++;
}
