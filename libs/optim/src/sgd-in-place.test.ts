import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyUpdates } from './apply-updates';
import { warmupCosine } from './schedules/warmup-cosine';
import { sgd, type SgdOptions, type SgdState } from './sgd';
import { sgdInPlace, type WeightedGradient } from './sgd-in-place';
import { decodeOptimizerState, encodeOptimizerState } from './state-codec';
import { xorshift32 } from '@lnsgd/testing';

/** Seeded, so a failure replays. */
const rng = xorshift32;

/** Random float32 values over many magnitudes, with exact zeros of both signs and subnormals mixed in. */
function randomVector(n: number, next: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = next();
    if (r < 0.03) out[i] = next() < 0.5 ? 0 : -0;
    else if (r < 0.05) out[i] = (next() - 0.5) * 1e-40;
    else out[i] = (next() - 0.5) * 10 ** (8 * next() - 5);
  }
  return out;
}

/** Bit patterns, so -0 ≠ 0 and NaN payloads count. */
const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));

/** The reference: the parameter server's float64 weighted mean, then the generic chain and applyUpdates. */
function referenceMean(parts: readonly WeightedGradient[]): { g: Float32Array; partSq: number[]; sq: number } {
  const n = parts[0].values.length;
  const acc = new Float64Array(n);
  let total = 0;
  const partSq: number[] = [];
  for (const p of parts) {
    total += p.weight;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const gi = p.values[i];
      acc[i] += p.weight * gi;
      sq += gi * gi;
    }
    partSq.push(sq);
  }
  const g = new Float32Array(n);
  let sq = 0;
  for (let i = 0; i < n; i++) {
    g[i] = acc[i] / total;
    sq += g[i] * g[i];
  }
  return { g, partSq, sq };
}

const CASES: ReadonlyArray<{ name: string; opts: SgdOptions }> = [
  { name: 'plain', opts: { learningRate: 0.1 } },
  { name: 'momentum', opts: { learningRate: 0.05, momentum: 0.9 } },
  { name: 'weight decay', opts: { learningRate: 0.05, weightDecay: 5e-4 } },
  { name: 'momentum + weight decay + warm-up', opts: { learningRate: 0.2, momentum: 0.9, weightDecay: 1e-3, warmupSteps: 5 } },
  {
    name: 'schedule + warm-up + momentum + weight decay',
    opts: { learningRate: warmupCosine({ peak: 0.3, warmupSteps: 3, decaySteps: 20, alpha: 0.1 }), momentum: 0.5, weightDecay: 0.01, warmupSteps: 4 },
  },
];

/** Parts per step: one worker (weights on both sides of the exact-division shortcut), two, three with uneven weights. */
const LAYOUTS: ReadonlyArray<readonly number[] | 'plain'> = ['plain', [1], [64], [2 ** 29], [2 ** 29 + 1], [0.3], [128, 128], [3, 100, 29], [0.25, 1e-3]];

void describe('sgdInPlace', () => {
  for (const { name, opts } of CASES) {
    for (const layout of LAYOUTS) {
      void test(`is bit-identical to sgd + applyUpdates (${name}, ${layout === 'plain' ? 'plain gradient' : `parts [${layout.join(', ')}]`})`, () => {
        const n = 1037;
        const next = rng(0x5eed + n + (layout === 'plain' ? 0 : layout.length));
        const generic = sgd(opts);
        const fused = sgdInPlace(opts);
        let theta = randomVector(n, next);
        let state: SgdState = generic.init(theta);
        const fusedTheta = theta.slice();
        let fusedState: SgdState = fused.init(theta);
        assert.deepEqual(encodeOptimizerState(fusedState), encodeOptimizerState(state));
        for (let k = 0; k < 12; k++) {
          let g: Float32Array;
          let grads: Float32Array | WeightedGradient[];
          let expectSq: { partSq: number[]; sq: number };
          if (layout === 'plain') {
            g = randomVector(n, next);
            grads = g;
            let sq = 0;
            for (const x of g) sq += x * x;
            expectSq = { partSq: [], sq };
          } else {
            grads = layout.map((weight) => ({ weight, values: randomVector(n, next) }));
            const ref = referenceMean(grads);
            g = ref.g;
            expectSq = ref;
          }
          const [u, s] = generic.update(g, state, theta);
          theta = applyUpdates(theta, u);
          state = s;
          const r = fused.step({ grads, params: fusedTheta, out: fusedTheta, state: fusedState });
          fusedState = r.state;
          assert.deepEqual(bits(fusedTheta), bits(theta), `θ after step ${k + 1}`);
          assert.deepEqual(encodeOptimizerState(fusedState), encodeOptimizerState(state), `state after step ${k + 1}`);
          assert.deepEqual(r.partSqNorms, expectSq.partSq);
          assert.equal(r.sqNorm, expectSq.sq);
        }
      });
    }
  }

  void test('keeps the signs of zeros exactly as the generic path (-0 gradients from every part, ±0 parameters)', () => {
    const theta0 = Float32Array.from([0, -0, 0, -0, 1, -1]);
    const negZeros = () => Float32Array.from([-0, -0, 0, 0, -0, -0]);
    for (const opts of [{ learningRate: 0.1 }, { learningRate: 0.1, momentum: 0.5 }, { learningRate: 0.1, weightDecay: 0.1 }] as SgdOptions[]) {
      for (const layout of [[1], [5.5], [2, 3], [1, 1, 1]]) {
        const generic = sgd(opts);
        const fused = sgdInPlace(opts);
        let theta: Float32Array = theta0.slice();
        let state = generic.init(theta);
        const out = theta0.slice();
        let fusedState = fused.init(theta);
        for (let k = 0; k < 3; k++) {
          const parts = layout.map((weight) => ({ weight, values: negZeros() }));
          const [u, s] = generic.update(referenceMean(parts).g, state, theta);
          theta = applyUpdates(theta, u);
          state = s;
          fusedState = fused.step({ grads: parts, params: out, out, state: fusedState }).state;
          assert.deepEqual(bits(out), bits(theta), `${JSON.stringify(opts)} parts [${layout.join(', ')}] step ${k + 1}`);
          assert.deepEqual(encodeOptimizerState(fusedState), encodeOptimizerState(state));
        }
      }
    }
  });

  void test('resumes from a checkpoint of the generic optimizer (and the generic one from its checkpoint)', () => {
    const opts: SgdOptions = { learningRate: 0.1, momentum: 0.9, weightDecay: 1e-3, warmupSteps: 3 };
    const generic = sgd(opts);
    const fused = sgdInPlace(opts);
    const next = rng(7);
    const theta0 = randomVector(64, next);
    const grads = Array.from({ length: 6 }, () => randomVector(64, next));
    // Generic all the way.
    let theta = theta0;
    let state = generic.init(theta0);
    for (const g of grads) {
      const [u, s] = generic.update(g, state, theta);
      theta = applyUpdates(theta, u);
      state = s;
    }
    // Generic for 3 steps, checkpoint, fused for 3, checkpoint, check against the generic run.
    let mixed = theta0;
    let mixedState = generic.init(theta0);
    for (const g of grads.slice(0, 3)) {
      const [u, s] = generic.update(g, mixedState, mixed);
      mixed = applyUpdates(mixed, u);
      mixedState = s;
    }
    let fusedState = decodeOptimizerState(encodeOptimizerState(mixedState), fused.init(mixed));
    const out = mixed.slice();
    for (const g of grads.slice(3)) fusedState = fused.step({ grads: g, params: out, out, state: fusedState }).state;
    assert.deepEqual(bits(out), bits(theta));
    assert.deepEqual(encodeOptimizerState(fusedState), encodeOptimizerState(state));
  });

  void test('writes into a separate out array without touching params', () => {
    const fused = sgdInPlace({ learningRate: 0.5, momentum: 0.5 });
    const params = Float32Array.from([1, 2, 3]);
    const out = new Float32Array(3);
    const r = fused.step({ grads: Float32Array.from([1, 1, 1]), params, out, state: fused.init(params) });
    assert.deepEqual([...params], [1, 2, 3]);
    assert.deepEqual([...out], [0.5, 1.5, 2.5]);
    assert.equal(r.state[1].count, 1);
  });

  void test('checks everything before writing: a throw leaves out and the state untouched', () => {
    const fused = sgdInPlace({ learningRate: 0.1, momentum: 0.9 });
    const params = Float32Array.from([1, 2]);
    const state = fused.init(params);
    const velocity = (state[2] as { velocity: Float32Array }).velocity;
    velocity.set([0.25, 0.5]);
    const out = Float32Array.from([7, 7]);
    const ok = { weight: 1, values: Float32Array.from([1, 1]) };
    assert.throws(() => fused.step({ grads: [ok, { weight: 1, values: new Float32Array(3) }], params, out, state }), /grads\[1\]\.values\.length \(3\)/);
    assert.throws(
      () => fused.step({ grads: [ok, { weight: 0, values: Float32Array.from([1, 1]) }], params, out, state }),
      /grads\[1\]\.weight must be finite and > 0, got 0/,
    );
    assert.throws(() => fused.step({ grads: [], params, out, state }), /no parts/);
    assert.throws(() => fused.step({ grads: ok.values, params, out: new Float32Array(1), state }), /out\.length \(1\)/);
    assert.throws(
      () => fused.step({ grads: ok.values, params, out, state: [state[0], { count: -1 }, state[2]] }),
      /state\.count must be an integer >= 0, got -1/,
    );
    assert.deepEqual([...out], [7, 7]);
    assert.deepEqual([...velocity], [0.25, 0.5]);
  });

  void test('refuses the options sgd refuses, with its messages', () => {
    assert.throws(() => sgdInPlace({ learningRate: 0.1, momentum: 1 }), /sgd: momentum must be finite and in \[0, 1\)/);
    assert.throws(() => sgdInPlace({ learningRate: 0.1, warmupSteps: 1.5 }), /sgd: warmupSteps must be an integer >= 0/);
  });
});
