import { constantSchedule } from '../schedules/constant';
import type { Schedule } from '../schedules/schedule';
import { checkHyper } from './check';

/** η_k · min(1, (k + 1)/W): linear warm-up in front of any schedule. */
export function withWarmup(fn: string, opts: { learningRate: number | Schedule; warmupSteps: number }): Schedule {
  const { learningRate, warmupSteps } = opts;
  if (typeof learningRate === 'number') checkHyper(fn, { name: 'learningRate', value: learningRate });
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0) {
    throw new RangeError(`${fn}: warmupSteps must be an integer >= 0, got ${warmupSteps}`);
  }
  const base = typeof learningRate === 'number' ? constantSchedule(learningRate) : learningRate;
  if (warmupSteps === 0) return base;
  return (step) => (step + 1 >= warmupSteps ? base(step) : (base(step) * (step + 1)) / warmupSteps);
}
