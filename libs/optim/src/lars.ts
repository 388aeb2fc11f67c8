import { addDecayedWeights } from './add-decayed-weights';
import { chain } from './chain';
import { heavyBall } from './heavy-ball';
import { identity } from './identity';
import { checkHyper } from './internal/check';
import { scaleByLearningRate } from './scale-by-learning-rate';
import { scaleByTrustRatio, type LayerSlice } from './scale-by-trust-ratio';
import type { Schedule } from './schedules/schedule';
import type { HeavyBallState } from './heavy-ball';
import type { ScaleByLearningRateState } from './scale-by-learning-rate';
import type { EmptyState, InPlaceTransformation } from './transformation';
import { withWarmup } from './internal/warmup';

/** State of {@link lars}: [weight decay, trust ratio, learning rate, momentum]. */
export type LarsState = readonly [EmptyState, EmptyState, ScaleByLearningRateState, HeavyBallState | EmptyState];

/** Options of {@link lars}. */
export interface LarsOptions {
  /** Global η: a constant or a {@link Schedule}. */
  readonly learningRate: number | Schedule;
  /** The layers whose norms set the trust ratios. */
  readonly layers: readonly LayerSlice[];
  /** Heavy-ball momentum β ∈ [0, 1) (default 0.9). */
  readonly momentum?: number;
  /** Coupled L2 weight decay (default 0), added before the trust ratio. */
  readonly weightDecay?: number;
  /** Trust coefficient τ (default 0.001, as in the LARS paper and optax). */
  readonly trustCoefficient?: number;
  /** ε added to the update norm (default 0). */
  readonly eps?: number;
  /** Linear warm-up length (default 0). */
  readonly warmupSteps?: number;
}

/**
 * LARS, layer-wise adaptive rate scaling for large-batch training (You, Gitman,
 * Ginsburg 2017), as optax composes it: with d_l = g_l + wd·θ_l,
 *   u_l = −η_k · τ‖θ_l‖/(‖d_l‖ + ε) · d_l,  then heavy-ball momentum on u.
 * The state is the 4-tuple [{}, {}, {count}, {velocity} or {}].
 *
 * @param opts η, layers, β, wd, τ, ε, warm-up.
 * @example lars({ learningRate: 1, layers, momentum: 0.9, weightDecay: 5e-4 })
 */
export function lars(opts: LarsOptions): InPlaceTransformation<LarsState> {
  const fn = 'lars';
  const { momentum = 0.9, weightDecay = 0, trustCoefficient = 0.001, eps = 0, warmupSteps = 0 } = opts;
  checkHyper(fn, { name: 'momentum', value: momentum, min: 0, maxExclusive: 1 });
  checkHyper(fn, { name: 'weightDecay', value: weightDecay, min: 0 });
  return chain(
    weightDecay > 0 ? addDecayedWeights(weightDecay) : identity(),
    scaleByTrustRatio({ layers: opts.layers, trustCoefficient, eps }),
    scaleByLearningRate(withWarmup(fn, { learningRate: opts.learningRate, warmupSteps })),
    momentum > 0 ? heavyBall(momentum) : identity(),
  );
}
