import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalQuantile } from './normal-quantile';

// Reference quantiles from scipy.stats.norm.ppf (float64).
const REFERENCE: ReadonlyArray<[number, number]> = [
  [0.5, 0],
  [0.3, -0.5244005127080409],
  [0.9, 1.2815515655446004],
  [0.975, 1.959963984540054],
  [0.02425, -1.972961051311885],
  [0.99, 2.3263478740408408],
  [0.01, -2.3263478740408408],
  [0.999, 3.090232306167813],
  [0.001, -3.090232306167813],
  [1e-9, -5.9978070150076865],
];

void test("normalQuantile matches float64 reference quantiles to Acklam's 1.15e-9", () => {
  for (const [p, z] of REFERENCE) {
    assert.ok(Math.abs(normalQuantile(p) - z) <= 1.2e-9 * Math.max(1, Math.abs(z)), `p=${p}: ${normalQuantile(p)} vs ${z}`);
  }
});

void test('normalQuantile is odd about 1/2 and increasing', () => {
  let prev = -Infinity;
  for (let i = 1; i < 1000; i++) {
    const p = i / 1000;
    const z = normalQuantile(p);
    assert.ok(z > prev);
    prev = z;
    assert.ok(Math.abs(z + normalQuantile(1 - p)) < 1e-9);
  }
});
