import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainingStepsLost } from './round_cost';

void test('trainingStepsLost: round seconds times the steps per second trained outside rounds', () => {
  // 500 steps in the 10 s outside 2 s of rounds: 50 steps/s, so the rounds cost 100 steps.
  assert.equal(trainingStepsLost({ roundSeconds: 2, wallSeconds: 12, steps: 500 }), 100);
  assert.equal(trainingStepsLost({ roundSeconds: 0, wallSeconds: 12, steps: 500 }), 0);
  assert.equal(trainingStepsLost({ roundSeconds: 2, wallSeconds: 12, steps: 0 }), undefined, 'no step moved: no rate');
  assert.equal(trainingStepsLost({ roundSeconds: 12, wallSeconds: 12, steps: 5 }), undefined, 'no time outside rounds');
});
