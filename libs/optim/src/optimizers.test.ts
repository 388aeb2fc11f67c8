import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyUpdates } from './apply-updates';
import { quadraticGrad, norm } from './internal/quadratic';
import { lars } from './lars';
import { warmupCosine } from './schedules/warmup-cosine';
import { sgd } from './sgd';
import { decodeOptimizerState, encodeOptimizerState } from './state-codec';
import type { GradientTransformation, OptimizerState } from './transformation';

// One table of optimizers; every property test below runs over all of them.
const OPTIMIZERS: ReadonlyArray<{ name: string; make: () => GradientTransformation<OptimizerState>; steps: number }> = [
  { name: 'sgd', make: () => sgd({ learningRate: 0.5 }), steps: 200 },
  { name: 'sgd+momentum', make: () => sgd({ learningRate: 0.1, momentum: 0.9 }), steps: 300 },
  { name: 'sgd+wd', make: () => sgd({ learningRate: 0.5, weightDecay: 0.01 }), steps: 200 },
  {
    name: 'sgd+warmup+cosine',
    make: () => sgd({ learningRate: warmupCosine({ peak: 0.5, warmupSteps: 10, decaySteps: 300, alpha: 0.2 }), momentum: 0.5 }),
    steps: 300,
  },
  {
    name: 'lars',
    make: () =>
      lars({
        learningRate: 0.2,
        layers: [
          { offset: 0, size: 2 },
          { offset: 2, size: 2 },
        ],
        momentum: 0.5,
        trustCoefficient: 1,
        weightDecay: 1e-3,
      }),
    steps: 300,
  },
];

const THETA0 = Float32Array.from([1, -2, 0.5, 3]);

/** Runs `steps` optimizer steps on ½θᵀAθ from (params, state). */
function run<S extends OptimizerState>(opt: GradientTransformation<S>, start: { params: Float32Array; state: S; steps: number }) {
  let { params, state } = start;
  for (let k = 0; k < start.steps; k++) {
    const [updates, next] = opt.update(quadraticGrad(params), state, params);
    params = applyUpdates(params, updates);
    state = next;
  }
  return { params, state };
}

/** The structure of a state: kinds, keys and lengths, without the values. */
function shapeOf(s: OptimizerState): unknown {
  if (typeof s === 'number') return 'number';
  if (s instanceof Float32Array) return `f32[${s.length}]`;
  if (Array.isArray(s)) return (s as readonly OptimizerState[]).map(shapeOf);
  return Object.fromEntries(Object.entries(s as { [k: string]: OptimizerState }).map(([k, v]) => [k, shapeOf(v)]));
}

function bits(x: Float32Array): Uint32Array {
  return new Uint32Array(x.buffer, x.byteOffset, x.length);
}

for (const { name, make, steps } of OPTIMIZERS) {
  void describe(`optimizer ${name}`, () => {
    void test('converges to the minimizer of ½θᵀAθ', () => {
      const opt = make();
      const { params } = run(opt, { params: THETA0, state: opt.init(THETA0), steps });
      const ratio = norm(params) / norm(THETA0);
      assert.ok(ratio < 1e-3, `‖θ‖/‖θ0‖ = ${ratio}`);
    });

    void test('keeps the shape of its state across steps', () => {
      const opt = make();
      const init = opt.init(THETA0);
      const { state } = run(opt, { params: THETA0, state: init, steps: 7 });
      assert.deepEqual(shapeOf(state), shapeOf(init));
    });

    void test('continues bit-identically after an encode/decode round trip of its state', () => {
      const opt = make();
      const mid = run(opt, { params: THETA0, state: opt.init(THETA0), steps: 5 });
      const restored = decodeOptimizerState(encodeOptimizerState(mid.state), opt.init(THETA0));
      const a = run(opt, { params: mid.params, state: mid.state, steps: 5 });
      const b = run(opt, { params: mid.params.slice(), state: restored, steps: 5 });
      assert.deepEqual(bits(b.params), bits(a.params));
      assert.deepEqual(encodeOptimizerState(b.state), encodeOptimizerState(a.state));
    });

    void test('does not mutate its inputs, and its outputs do not alias them', () => {
      const opt = make();
      const { params, state } = run(opt, { params: THETA0, state: opt.init(THETA0), steps: 3 });
      const grads = quadraticGrad(params);
      const before = { params: params.slice(), grads: grads.slice(), state: encodeOptimizerState(state) };
      const [updates, next] = opt.update(grads, state, params);
      const nextBytes = encodeOptimizerState(next);
      assert.deepEqual(params, before.params);
      assert.deepEqual(grads, before.grads);
      assert.deepEqual(encodeOptimizerState(state), before.state);
      assert.notEqual(updates, grads);
      // Editing the returned updates must reach neither the old nor the new state.
      updates.fill(123);
      assert.deepEqual(encodeOptimizerState(state), before.state);
      assert.deepEqual(encodeOptimizerState(next), nextBytes);
    });
  });
}
