import { checkHyper } from './internal/check';
import { constantSchedule } from './schedules/constant';
import type { Schedule } from './schedules/schedule';
import { fromInPlace } from './internal/in-place';
import type { InPlaceTransformation } from './transformation';

/** State of {@link scaleByLearningRate}: how many steps have been taken. */
export type ScaleByLearningRateState = {
  /** Number of updates so far; the schedule is evaluated at this step. */
  readonly count: number;
};

/**
 * u ← −η_k·u, with η_k = schedule(count): turns gradients into descent steps.
 * The step count lives in the state, so a restored checkpoint resumes the schedule.
 *
 * @param learningRate a constant η or a {@link Schedule}.
 * @example scaleByLearningRate(cosineDecay({ init: 0.1, decaySteps: 1000 }))
 */
export function scaleByLearningRate(learningRate: number | Schedule): InPlaceTransformation<ScaleByLearningRateState> {
  const fn = 'scaleByLearningRate';
  if (typeof learningRate === 'number') checkHyper(fn, { name: 'learningRate', value: learningRate });
  const schedule = typeof learningRate === 'number' ? constantSchedule(learningRate) : learningRate;
  return fromInPlace<ScaleByLearningRateState>({
    name: fn,
    elementwise: true,
    init: () => ({ count: 0 }),
    inPlace(u, state, { start, end }) {
      const { count } = state;
      if (!Number.isInteger(count) || count < 0) {
        throw new RangeError(`${fn}: state.count must be an integer >= 0, got ${count}`);
      }
      // η_k depends on the count only, so every range of a step sees the same value.
      const eta = schedule(count);
      if (!Number.isFinite(eta)) throw new RangeError(`${fn}: the schedule gave ${eta} at step ${count}`);
      for (let i = start; i < end; i++) u[i] = -eta * u[i];
    },
    advance: (state) => ({ count: state.count + 1 }),
  });
}
