import { addDecayedWeights } from './add-decayed-weights';
import { chain } from './chain';
import { heavyBall } from './heavy-ball';
import { identity } from './identity';
import { checkHyper } from './internal/check';
import { scaleByLearningRate } from './scale-by-learning-rate';
import { withWarmup } from './internal/warmup';
import type { Schedule } from './schedules/schedule';
import type { HeavyBallState } from './heavy-ball';
import type { ScaleByLearningRateState } from './scale-by-learning-rate';
import type { EmptyState, InPlaceTransformation } from './transformation';

/** State of {@link sgd}: [weight decay, learning rate, momentum]. */
export type SgdState = readonly [EmptyState, ScaleByLearningRateState, HeavyBallState | EmptyState];

/** Options of {@link sgd}. */
export interface SgdOptions {
  /** η: a constant or a {@link Schedule} of the step count. */
  readonly learningRate: number | Schedule;
  /** Heavy-ball momentum β ∈ [0, 1) (default 0). */
  readonly momentum?: number;
  /** Coupled L2 weight decay wd ≥ 0 (default 0). */
  readonly weightDecay?: number;
  /** Linear warm-up length W ≥ 0 (default 0): η_k is multiplied by min(1, (k + 1)/W). */
  readonly warmupSteps?: number;
}

/**
 * SGD with optional heavy-ball momentum and weight decay — the optimizer of the
 * paper's Algorithm 1 (label noise itself is applied to the labels, see
 * `@lnsgd/label-noise`). With g_k the (noisy-label) minibatch gradient:
 *   θ_{k+1} = θ_k − η_k (g_k + wd·θ_k) + β (θ_k − θ_{k−1}).
 * The state is always the 3-tuple [weight decay {}, {count}, momentum {velocity} or {}],
 * whatever the options.
 *
 * @param opts η (or schedule), β, wd, warm-up.
 * @example sgd({ learningRate: 0.1, momentum: 0.9 })
 */
export function sgd(opts: SgdOptions): InPlaceTransformation<SgdState> {
  const fn = 'sgd';
  const { momentum = 0, weightDecay = 0, warmupSteps = 0 } = opts;
  checkHyper(fn, { name: 'momentum', value: momentum, min: 0, maxExclusive: 1 });
  checkHyper(fn, { name: 'weightDecay', value: weightDecay, min: 0 });
  return chain(
    weightDecay > 0 ? addDecayedWeights(weightDecay) : identity(),
    scaleByLearningRate(withWarmup(fn, { learningRate: opts.learningRate, warmupSteps })),
    momentum > 0 ? heavyBall(momentum) : identity(),
  );
}
