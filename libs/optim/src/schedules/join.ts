import { checkStep, type Schedule } from './schedule';
import { checkBoundaries } from './step-decay';

/**
 * Runs schedules one after another (optax `join_schedules`): for
 * boundaries[i−1] ≤ k < boundaries[i], η_k = schedules[i](k − boundaries[i−1]),
 * so each schedule sees its own step count from 0.
 *
 * @param schedules n ≥ 1 schedules.
 * @param boundaries the n − 1 steps at which the next one starts.
 * @example joinSchedules([linearWarmup({ peak: 1, warmupSteps: 5 }), cosineDecay({ init: 1, decaySteps: 95 })], [5])
 */
export function joinSchedules(schedules: readonly Schedule[], boundaries: readonly number[]): Schedule {
  const fn = 'joinSchedules';
  if (schedules.length < 1 || boundaries.length !== schedules.length - 1) {
    throw new RangeError(`${fn}: need n >= 1 schedules and n - 1 boundaries, got ${schedules.length} schedules and ${boundaries.length} boundaries`);
  }
  checkBoundaries(fn, boundaries);
  const parts = schedules.slice();
  const bounds = boundaries.slice();
  return (step) => {
    checkStep(fn, step);
    let i = 0;
    while (i < bounds.length && step >= bounds[i]) i++;
    return parts[i](i === 0 ? step : step - bounds[i - 1]);
  };
}
