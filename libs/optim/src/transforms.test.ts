import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addDecayedWeights } from './add-decayed-weights';
import { applyUpdates } from './apply-updates';
import { chain } from './chain';
import { clipByGlobalNorm } from './clip-by-global-norm';
import { heavyBall } from './heavy-ball';
import { identity } from './identity';
import { lars } from './lars';
import { scale } from './scale';
import { scaleByLearningRate } from './scale-by-learning-rate';
import { scaleByTrustRatio } from './scale-by-trust-ratio';
import { sgd } from './sgd';
import type { GradientTransformation } from './transformation';

const f32 = (...xs: number[]) => Float32Array.from(xs);
const close = (got: ArrayLike<number>, want: readonly number[], tol = 1e-6) => {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) <= tol, `[${i}] ${got[i]} vs ${want[i]}`);
};

void describe('scaleByTrustRatio (LARS)', () => {
  // Layer 0: θ = (3, 4), ‖θ‖ = 5, u = (0.6, 0.8), ‖u‖ = 1.  Layer 1: θ = 0.  Layer 2: u = 0.
  // Index 7 lies outside every layer.
  const theta = f32(3, 4, 0, 0, 1, 2, 2, 7);
  const u = f32(0.6, 0.8, 1, 1, 0, 0, 0, 5);
  const layers = [
    { offset: 0, size: 2 },
    { offset: 2, size: 2 },
    { offset: 4, size: 3 },
  ];

  void test('scales each layer by τ‖θ_l‖/(‖u_l‖ + ε), 1 where a norm is 0', () => {
    const t = scaleByTrustRatio({ layers, trustCoefficient: 0.5 });
    const [out] = t.update(u, t.init(theta), theta);
    // ratio 0.5·5/1 = 2.5 on layer 0; layers 1 and 2 and index 7 unchanged.
    close(out, [1.5, 2, 1, 1, 0, 0, 0, 5]);
    const withEps = scaleByTrustRatio({ layers, trustCoefficient: 0.5, eps: 1 });
    close(withEps.update(u, {}, theta)[0], [0.75, 1, 1, 1, 0, 0, 0, 5]); // 0.5·5/(1 + 1) = 1.25
  });

  void test('a full LARS step matches the hand computation', () => {
    // d = g + wd·θ = (−0.9, −1.2) + 0.5·(3, 4) = (0.6, 0.8); ratio = 0.5·5/‖d‖ = 2.5;
    // u1 = −0.1·2.5·d = (−0.15, −0.2); with β = 0.9 the next identical step is 1.9·u1.
    const opt = lars({ learningRate: 0.1, layers: [{ offset: 0, size: 2 }], momentum: 0.9, weightDecay: 0.5, trustCoefficient: 0.5 });
    const p = f32(3, 4);
    const g = f32(-0.9, -1.2);
    const [u1, s1] = opt.update(g, opt.init(p), p);
    close(u1, [-0.15, -0.2]);
    const [u2] = opt.update(g, s1, p);
    close(u2, [-0.285, -0.38]);
  });

  void test('validates layers against the parameters', () => {
    assert.throws(
      () =>
        scaleByTrustRatio({
          layers: [
            { offset: 0, size: 3 },
            { offset: 2, size: 2 },
          ],
        }),
      /scaleByTrustRatio: layers overlap at offset 2/,
    );
    assert.throws(() => scaleByTrustRatio({ layers: [{ offset: -1, size: 3 }] }), /scaleByTrustRatio: a layer needs integer offset >= 0.*offset: -1/);
    const t = scaleByTrustRatio({ layers: [{ offset: 4, size: 6 }] });
    assert.throws(() => t.init(theta), /scaleByTrustRatio: layers reach index 10 but params\.length is 8/);
    assert.throws(() => t.update(new Float32Array(10), {}), /scaleByTrustRatio: update needs params/);
    assert.throws(() => scaleByTrustRatio({ layers, trustCoefficient: Number.NaN }), /trustCoefficient.*NaN/);
  });
});

void describe('clipByGlobalNorm', () => {
  void test('rescales to maxNorm only when the norm exceeds it', () => {
    const t = clipByGlobalNorm(1);
    close(t.update(f32(3, 4), t.init(f32(0, 0)))[0], [0.6, 0.8]);
    assert.deepEqual(Array.from(clipByGlobalNorm(5).update(f32(3, 4), {})[0]), [3, 4]);
    assert.deepEqual(Array.from(clipByGlobalNorm(5).update(f32(0, 0), {})[0]), [0, 0]);
  });

  void test('rejects a non-positive or non-finite maxNorm', () => {
    assert.throws(() => clipByGlobalNorm(0), /clipByGlobalNorm: maxNorm.*got 0/);
    assert.throws(() => clipByGlobalNorm(Number.POSITIVE_INFINITY), RangeError);
  });
});

void describe('small transforms', () => {
  void test('scale, identity, addDecayedWeights, scaleByLearningRate, applyUpdates', () => {
    assert.deepEqual(Array.from(scale(-2).update(f32(1, -3), {})[0]), [-2, 6]);
    const id = identity().update(f32(1, 2), {})[0];
    assert.deepEqual(Array.from(id), [1, 2]);
    assert.deepEqual(Array.from(addDecayedWeights(0.5).update(f32(1, 1), {}, f32(2, 4))[0]), [2, 3]);
    const lr = scaleByLearningRate((k) => 2 ** -k);
    const [a, s1] = lr.update(f32(1), lr.init(f32(0)));
    const [b, s2] = lr.update(f32(1), s1);
    assert.deepEqual([a[0], b[0], s2.count], [-1, -0.5, 2]);
    assert.deepEqual(Array.from(applyUpdates(f32(1, 2), f32(0.5, -2))), [1.5, 0]);
  });

  void test('chain applies its members in order and keeps their states as a tuple', () => {
    const t = chain(addDecayedWeights(1), scale(3), scaleByLearningRate(0.5));
    const p = f32(1, 2);
    const [u, s] = t.update(f32(1, 1), t.init(p), p);
    // ((g + θ)·3)·(−0.5)
    assert.deepEqual(Array.from(u), [-3, -4.5]);
    assert.deepEqual(s, [{}, {}, { count: 1 }]);
    const empty = chain();
    const g = f32(1);
    assert.notEqual(empty.update(g, empty.init(g))[0], g);
  });

  void test('chain never writes into arrays a foreign member shares with its state', () => {
    // A user-defined transformation that keeps its output in its state (allowed).
    type Last = { readonly last: Float32Array };
    const remember: GradientTransformation<Last> = {
      init: (p) => ({ last: new Float32Array(p.length) }),
      update(u) {
        const out = u.slice();
        return [out, { last: out }];
      },
    };
    const t = chain(remember, scale(2));
    const [u, s] = t.update(f32(1, 2), t.init(f32(0, 0)));
    assert.deepEqual(Array.from(u), [2, 4]);
    assert.deepEqual(Array.from(s[0].last), [1, 2]);
  });

  void test('nested chains give the same result as the flat chain', () => {
    const p = f32(0.5, -1, 2);
    const g = f32(0.3, 0.1, -0.7);
    const nested = chain(sgd({ learningRate: 0.1, momentum: 0.9, weightDecay: 0.01 }), clipByGlobalNorm(0.05));
    const flat = chain(addDecayedWeights(0.01), scaleByLearningRate(0.1), heavyBall(0.9), clipByGlobalNorm(0.05));
    let sn = nested.init(p);
    let sf = flat.init(p);
    for (let k = 0; k < 3; k++) {
      const [un, nn] = nested.update(g, sn, p);
      const [uf, nf] = flat.update(g, sf, p);
      assert.deepEqual(un, uf);
      sn = nn;
      sf = nf;
    }
  });

  void test('sgd warm-up multiplies η_k by min(1, (k + 1)/W)', () => {
    const opt = sgd({ learningRate: 0.4, warmupSteps: 4 });
    let state = opt.init(f32(0));
    const steps: number[] = [];
    for (let k = 0; k < 5; k++) {
      const [u, next] = opt.update(f32(1), state, f32(0));
      steps.push(u[0]);
      state = next;
    }
    close(steps, [-0.1, -0.2, -0.3, -0.4, -0.4]);
  });

  void test('errors name the transformation, the argument and the lengths', () => {
    assert.throws(() => scale(Number.NaN), /scale: c must be finite, got NaN/);
    assert.throws(() => scaleByLearningRate(Number.POSITIVE_INFINITY), /scaleByLearningRate: learningRate must be finite, got Infinity/);
    const bad = scaleByLearningRate(() => Number.NaN);
    assert.throws(() => bad.update(f32(1), bad.init(f32(1))), /scaleByLearningRate: the schedule gave NaN at step 0/);
    assert.throws(() => addDecayedWeights(-1), /addDecayedWeights: weightDecay.*-1/);
    assert.throws(() => addDecayedWeights(1).update(f32(1, 2, 3), {}), /addDecayedWeights: update needs params/);
    assert.throws(() => addDecayedWeights(1).update(f32(1, 2, 3), {}, f32(1, 2)), /addDecayedWeights: updates\.length \(3\) must equal params\.length \(2\)/);
    assert.throws(() => applyUpdates(f32(1, 2), f32(1)), /applyUpdates: updates\.length \(1\) must equal params\.length \(2\)/);
    assert.throws(() => chain(scale(1), scale(2)).update(f32(1), [{}] as never), /chain: state must be an array of 2 member states.*length 1/);
    assert.throws(() => sgd({ learningRate: Number.NaN }), /sgd: learningRate must be finite, got NaN/);
    assert.throws(() => sgd({ learningRate: 0.1, warmupSteps: 1.5 }), /sgd: warmupSteps.*1\.5/);
    assert.throws(() => sgd({ learningRate: 0.1, weightDecay: Number.POSITIVE_INFINITY }), /sgd: weightDecay/);
    assert.throws(() => lars({ learningRate: 0.1, layers: [], trustCoefficient: -1 }), /scaleByTrustRatio: trustCoefficient/);
    assert.throws(() => lars({ learningRate: 0.1, layers: [], momentum: 1 }), /lars: momentum/);
  });
});
