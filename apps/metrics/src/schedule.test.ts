import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideSnapshot, type ScheduleConfig, type ScheduleState } from './schedule';

function run(config: ScheduleConfig, ticks: ReadonlyArray<{ step?: number; t: number; busy?: boolean; finished?: boolean }>): string[] {
  let state: ScheduleState = { lastDueAtMs: 0 };
  return ticks.map((k) => {
    const d = decideSnapshot({ config, state, step: k.step, nowMs: k.t, busy: k.busy ?? false, finished: k.finished ?? false });
    state = d.state;
    return d.decision;
  });
}

void test('every k steps: the first snapshot, then each k-step advance', () => {
  assert.deepEqual(run({ everySteps: 100 }, [{ t: 0 }, { step: 0, t: 1 }, { step: 50, t: 2 }, { step: 100, t: 3 }, { step: 150, t: 4 }, { step: 260, t: 5 }]), [
    'wait',
    'estimate',
    'wait',
    'estimate',
    'wait',
    'estimate',
  ]);
});

void test('every t seconds, only when the step moved', () => {
  assert.deepEqual(
    run({ everySeconds: 10 }, [
      { step: 5, t: 0 },
      { step: 9, t: 5_000 },
      { step: 9, t: 10_000 },
      { step: 9, t: 30_000 },
      { step: 10, t: 30_001 },
    ]),
    ['estimate', 'wait', 'estimate', 'wait', 'estimate'],
  );
});

void test('snapshots due while an estimate runs coalesce: the newest starts when it ends, the older are skipped', () => {
  assert.deepEqual(
    run({ everySteps: 10 }, [
      { step: 0, t: 0 },
      { step: 10, t: 1, busy: true },
      { step: 15, t: 2, busy: false },
      { step: 16, t: 3, busy: true },
      { step: 25, t: 4, busy: true },
      { step: 35, t: 5, busy: true },
      { step: 45, t: 6, busy: true },
      { step: 47, t: 7, busy: false },
      { step: 50, t: 8, busy: false },
      { step: 57, t: 9, busy: false },
    ]),
    // Step 10 waits and starts at 15; 25 waits, 35 and 45 pass it over; 47 starts; then every 10 from 45.
    ['estimate', 'defer', 'estimate', 'wait', 'defer', 'skip', 'skip', 'estimate', 'wait', 'estimate'],
  );
});

void test('the final snapshot of a finished run is estimated once the estimator is free', () => {
  assert.deepEqual(
    run({ everySteps: 1000 }, [
      { step: 0, t: 0 },
      { step: 500, t: 1, finished: true, busy: true },
      { step: 500, t: 2, finished: true },
      { step: 500, t: 3, finished: true },
    ]),
    ['estimate', 'wait', 'estimate', 'wait'],
  );
});
