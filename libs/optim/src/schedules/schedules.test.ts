import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { constantSchedule } from './constant';
import { cosineDecay } from './cosine-decay';
import { joinSchedules } from './join';
import { linearWarmup } from './linear-warmup';
import { stepDecay } from './step-decay';
import { warmupCosine } from './warmup-cosine';
import type { Schedule } from './schedule';

const values = (s: Schedule, steps: readonly number[]) => steps.map(s);
const close = (got: readonly number[], want: readonly number[]) => {
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-12, `[${i}] ${got[i]} vs ${want[i]}`);
};

void describe('schedules', () => {
  void test('constantSchedule', () => {
    assert.deepEqual(values(constantSchedule(0.3), [0, 1, 1000]), [0.3, 0.3, 0.3]);
  });

  void test('linearWarmup: peak·min(1, (k + 1)/W)', () => {
    close(values(linearWarmup({ peak: 0.4, warmupSteps: 4 }), [0, 1, 2, 3, 4, 100]), [0.1, 0.2, 0.3, 0.4, 0.4, 0.4]);
    assert.equal(linearWarmup({ peak: 0.4, warmupSteps: 0 })(0), 0.4);
  });

  void test('cosineDecay: init·((1 − α)·½(1 + cos(πk/T)) + α), flat after T', () => {
    close(values(cosineDecay({ init: 1, decaySteps: 100 }), [0, 50, 100, 150]), [1, 0.5, 0, 0]);
    close(values(cosineDecay({ init: 2, decaySteps: 100, alpha: 0.1 }), [0, 50, 100, 150]), [2, 1.1, 0.2, 0.2]);
    close([cosineDecay({ init: 1, decaySteps: 3 })(1)], [0.5 * (1 + Math.cos(Math.PI / 3))]);
  });

  void test('warmupCosine: warm-up, then cosine from peak over T more steps', () => {
    const s = warmupCosine({ peak: 0.1, warmupSteps: 5, decaySteps: 100 });
    close(values(s, [0, 4, 5, 55, 105, 200]), [0.02, 0.1, 0.1, 0.05, 0, 0]);
  });

  void test('stepDecay: init·factor^(boundaries passed)', () => {
    close(values(stepDecay({ init: 1, boundaries: [10, 20], factor: 0.1 }), [0, 9, 10, 19, 20, 1e6]), [1, 1, 0.1, 0.1, 0.01, 0.01]);
  });

  void test('joinSchedules restarts each schedule at its boundary', () => {
    const s = joinSchedules([linearWarmup({ peak: 1, warmupSteps: 5 }), cosineDecay({ init: 1, decaySteps: 10 })], [5]);
    close(values(s, [0, 4, 5, 10, 15, 99]), [0.2, 1, 1, 0.5, 0, 0]);
  });

  void test('reject bad hyper-parameters and steps, naming the schedule', () => {
    assert.throws(() => constantSchedule(Number.NaN), /constantSchedule: lr must be finite, got NaN/);
    assert.throws(() => constantSchedule(1)(-1), /constantSchedule: step must be an integer >= 0, got -1/);
    assert.throws(() => cosineDecay({ init: 1, decaySteps: 10 })(2.5), /cosineDecay: step.*2\.5/);
    assert.throws(() => cosineDecay({ init: 1, decaySteps: 0 }), /cosineDecay: decaySteps.*got 0/);
    assert.throws(() => cosineDecay({ init: 1, decaySteps: 10, alpha: 2 }), /cosineDecay: alpha must lie in \[0, 1\], got 2/);
    assert.throws(() => linearWarmup({ peak: 1, warmupSteps: -2 }), /linearWarmup: warmupSteps.*-2/);
    assert.throws(() => stepDecay({ init: 1, boundaries: [5, 5], factor: 0.1 }), /stepDecay: boundaries must be strictly increasing.*\[5, 5\]/);
    assert.throws(() => stepDecay({ init: 1, boundaries: [], factor: Number.POSITIVE_INFINITY }), /stepDecay: factor/);
    assert.throws(
      () => joinSchedules([constantSchedule(1)], [3]),
      /joinSchedules: need n >= 1 schedules and n - 1 boundaries, got 1 schedules and 1 boundaries/,
    );
  });
});
