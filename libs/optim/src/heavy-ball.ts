import { checkHyper, checkLength } from './internal/check';
import { fromInPlace } from './internal/in-place';
import type { InPlaceTransformation } from './transformation';

/** State of {@link heavyBall}: the previous step. */
export type HeavyBallState = {
  /** v_{k−1} = θ_k − θ_{k−1}, the last update this transformation emitted. */
  readonly velocity: Float32Array;
};

/**
 * Polyak heavy-ball momentum applied to *already scaled* steps: v_k = u_k + β v_{k−1},
 * emitted as the update. Placed after {@link scaleByLearningRate} (u_k = −η_k g_k)
 * it gives the paper's recurrence exactly, even with a varying η_k:
 *   θ_{k+1} = θ_k − η_k ∇L̂(θ_k) + β(θ_k − θ_{k−1}).
 * (optax's `trace` before the learning rate instead gives −η_k(g_k + β m_{k−1}),
 * which differs once η changes.)
 *
 * @param beta momentum β ∈ [0, 1).
 * @example chain(scaleByLearningRate(0.1), heavyBall(0.9))
 */
export function heavyBall(beta: number): InPlaceTransformation<HeavyBallState> {
  const fn = 'heavyBall';
  checkHyper(fn, { name: 'beta', value: beta, min: 0, maxExclusive: 1 });
  return fromInPlace<HeavyBallState>({
    name: fn,
    elementwise: true,
    init: (params) => ({ velocity: new Float32Array(params.length) }),
    inPlace(u, state, { start, end }) {
      const velocity = state.velocity;
      checkLength(fn, { updates: u, other: velocity, otherName: 'state.velocity' });
      // The velocity is overwritten in place (the pure `update` works on a clone); the
      // emitted updates stay a separate array, so editing them cannot corrupt the state.
      for (let i = start; i < end; i++) {
        velocity[i] = u[i] + beta * velocity[i];
        u[i] = velocity[i];
      }
    },
  });
}
