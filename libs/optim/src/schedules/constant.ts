import { checkHyper } from '../internal/check';
import { checkStep, type Schedule } from './schedule';

/**
 * η_k = lr for every step.
 *
 * @param lr the learning rate, finite.
 * @example constantSchedule(0.1)(1000) // 0.1
 */
export function constantSchedule(lr: number): Schedule {
  checkHyper('constantSchedule', { name: 'lr', value: lr });
  return (step) => {
    checkStep('constantSchedule', step);
    return lr;
  };
}
