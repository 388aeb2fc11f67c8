import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Dataset } from '@lnsgd/data';
import { runRegressionSgd } from './regression-sgd';

// On L = ½hθ² (σ = 0, full batch) heavy ball obeys the two-term recurrence
// θ_{k+1} = (1 + β − ηh)θ_k − βθ_{k−1}, θ_{−1} = θ_0: an independent form of the velocity update.
void test('runRegressionSgd: heavy-ball momentum matches the position recurrence on a quadratic', () => {
  const train: Dataset = { name: 'one', n: 1, xShape: [1], x: Float32Array.of(0), y: Float32Array.of(0), yDim: 1, task: 'regression', numClasses: 0 };
  const h = 3;
  for (const beta of [0, 0.5, 0.9]) {
    const eta = 0.05;
    const steps = 40;
    const theta = runRegressionSgd({
      lossAndGradient: (t) => ({ loss: 0.5 * h * t[0] * t[0], grad: [h * t[0]] }),
      train,
      theta0: [1],
      eta,
      beta,
      batch: 1,
      sigma: 0,
      steps,
      seed: 0,
      recordEvery: steps,
      record: () => undefined,
    });
    let [prev, cur] = [1, 1];
    for (let k = 0; k < steps; k++) [prev, cur] = [cur, (1 + beta - eta * h) * cur - beta * prev];
    assert.ok(Math.abs(theta[0] - cur) <= 1e-12 * Math.max(1, Math.abs(cur)), `β = ${beta}: ${theta[0]} vs ${cur}`);
  }
  assert.throws(
    () =>
      runRegressionSgd({
        lossAndGradient: () => ({ loss: 0, grad: [0] }),
        train,
        theta0: [1],
        eta: 0.1,
        beta: 1,
        batch: 1,
        sigma: 0,
        steps: 1,
        seed: 0,
        recordEvery: 1,
        record: () => undefined,
      }),
    /beta must lie in \[0, 1\)/,
  );
});
