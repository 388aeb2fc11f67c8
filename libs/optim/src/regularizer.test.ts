import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { implicitRegularizationStrength, implicitRegularizerOfEigenvalue, stabilityThreshold } from './regularizer';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

void describe('implicitRegularizationStrength', () => {
  void test('λ = ησ²/(B(1 − β))', () => {
    assert.ok(rel(implicitRegularizationStrength({ eta: 0.1, sigma: 1, batchSize: 10 }), 0.01) < 1e-15);
    assert.ok(rel(implicitRegularizationStrength({ eta: 0.1, sigma: 1, batchSize: 10, beta: 0.5 }), 0.02) < 1e-15);
    assert.ok(rel(implicitRegularizationStrength({ eta: 0.5, sigma: 0.2, batchSize: 256, beta: 0.9 }), (0.5 * 0.04) / (256 * 0.1)) < 1e-14);
    assert.equal(implicitRegularizationStrength({ eta: 0.1, sigma: 0, batchSize: 1 }), 0);
  });
});

void describe('stabilityThreshold', () => {
  void test('h* = 2(1 + β)/η', () => {
    assert.equal(stabilityThreshold({ eta: 0.5 }), 4);
    assert.ok(rel(stabilityThreshold({ eta: 0.1, beta: 0.9 }), 38) < 1e-15);
  });
});

void describe('implicitRegularizerOfEigenvalue', () => {
  void test('β = 0: R(h) = −1/(2η)·log(1 − ηh/2)', () => {
    for (const [eta, h] of [
      [1, 1],
      [0.1, 5],
      [0.01, 150],
      [2, -3],
    ]) {
      const want = (-1 / (2 * eta)) * Math.log(1 - (eta * h) / 2);
      assert.ok(rel(implicitRegularizerOfEigenvalue(h, { eta }), want) < 1e-13, `η=${eta}, h=${h}`);
    }
    assert.ok(rel(implicitRegularizerOfEigenvalue(1, { eta: 1 }), 0.5 * Math.LN2) < 1e-15);
  });

  void test('general β: −(1+β)/(2η)·log(1 − ηh/(2(1+β)))', () => {
    const eta = 0.2;
    const beta = 0.9;
    const h = 10;
    const want = (-(1 + beta) / (2 * eta)) * Math.log(1 - (eta * h) / (2 * (1 + beta)));
    assert.ok(rel(implicitRegularizerOfEigenvalue(h, { eta, beta }), want) < 1e-13);
  });

  void test('small h: R(h) = h/4 + ηh²/(16(1+β)) + η²h³/(48(1+β)²) + O(h⁴)', () => {
    for (const beta of [0, 0.5, 0.9]) {
      for (const [eta, h] of [
        [0.01, 0.1],
        [0.1, 1e-3],
        [1, 1e-4],
      ]) {
        const c = 1 + beta;
        const two = h / 4 + (eta * h * h) / (16 * c);
        const three = two + (eta * eta * h ** 3) / (48 * c * c);
        const r = implicitRegularizerOfEigenvalue(h, { eta, beta });
        // The next term is η³h⁴/(128(1+β)³); the two-term series is off by ~the third.
        assert.ok(Math.abs(r - three) <= ((eta ** 3 * h ** 4) / (128 * c ** 3)) * 1.01 + 1e-17, `β=${beta} η=${eta} h=${h}`);
        assert.ok(Math.abs(r - two) <= ((eta * eta * h ** 3) / (48 * c * c)) * 1.1 + 1e-17);
      }
    }
    // Leading term exact for tiny ηh (log1p keeps it).
    assert.ok(rel(implicitRegularizerOfEigenvalue(1e-12, { eta: 1e-6 }), 2.5e-13) < 1e-12);
  });

  void test('+Infinity at and above the threshold 2(1+β)/η, finite just below', () => {
    for (const beta of [0, 0.5]) {
      const t = stabilityThreshold({ eta: 0.5, beta });
      assert.equal(implicitRegularizerOfEigenvalue(t, { eta: 0.5, beta }), Number.POSITIVE_INFINITY);
      assert.equal(implicitRegularizerOfEigenvalue(2 * t, { eta: 0.5, beta }), Number.POSITIVE_INFINITY);
      assert.ok(Number.isFinite(implicitRegularizerOfEigenvalue(t * (1 - 1e-9), { eta: 0.5, beta })));
    }
  });

  void test('bad inputs throw a RangeError naming the argument', () => {
    for (const eta of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      assert.throws(() => implicitRegularizerOfEigenvalue(1, { eta }), /implicitRegularizerOfEigenvalue: eta must be a finite number > 0/);
      assert.throws(() => stabilityThreshold({ eta }), /stabilityThreshold: eta/);
    }
    for (const beta of [1, -0.1, Number.NaN]) {
      assert.throws(() => implicitRegularizerOfEigenvalue(1, { eta: 1, beta }), /implicitRegularizerOfEigenvalue: beta must lie in \[0, 1\)/);
    }
    assert.throws(() => implicitRegularizerOfEigenvalue(Number.NaN, { eta: 1 }), /implicitRegularizerOfEigenvalue: eig must be a number, got NaN/);
    assert.throws(() => implicitRegularizationStrength({ eta: 1, sigma: -1, batchSize: 1 }), /implicitRegularizationStrength: sigma.*-1/);
    assert.throws(() => implicitRegularizationStrength({ eta: 1, sigma: 1, batchSize: 0 }), /implicitRegularizationStrength: batchSize.*got 0/);
    assert.throws(() => implicitRegularizationStrength({ eta: 1, sigma: 1, batchSize: 2.5 }), /batchSize.*2\.5/);
    assert.throws(() => implicitRegularizationStrength({ eta: 1, sigma: 1, batchSize: 2, beta: 1 }), RangeError);
  });
});
