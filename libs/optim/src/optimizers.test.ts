import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyUpdates, applyUpdatesInPlace } from './apply-updates';
import { cloneOptimizerState } from './clone-state';
import { inPlaceOf } from './internal/in-place';
import { fusedKernelFor, optimizerFromSpec, type OptimizerSpec } from './recipe';
import type { WeightedGradient } from './sgd-in-place';
import { quadraticGrad, norm } from './internal/quadratic';
import { lars } from './lars';
import { warmupCosine } from './schedules/warmup-cosine';
import { sgd } from './sgd';
import { decodeOptimizerState, encodeOptimizerState } from './state-codec';
import type { GradientTransformation, InPlaceTransformation, OptimizerState } from './transformation';

/** A run's optimizer fields (as the hyper table names them) with the defaults of a plain SGD run. */
const SPEC: OptimizerSpec = {
  optimizer: 'sgd',
  lr: 0.5,
  momentum: 0,
  weightDecay: 0,
  warmupSteps: 0,
  schedule: 'constant',
  steps: 300,
  clipNorm: 0,
  trustCoefficient: 1,
};
const LAYERS = [
  { offset: 0, size: 2 },
  { offset: 2, size: 2 },
];

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
  // The recipes a run names (optimizerFromSpec), as the parameter server builds them.
  { name: 'spec sgd+momentum+wd+warmup', make: () => optimizerFromSpec({ ...SPEC, lr: 0.1, momentum: 0.9, weightDecay: 1e-3, warmupSteps: 5 }), steps: 300 },
  { name: 'spec sgd+cosine', make: () => optimizerFromSpec({ ...SPEC, schedule: 'cosine', steps: 400, momentum: 0.5 }), steps: 300 },
  { name: 'spec sgd+clip', make: () => optimizerFromSpec({ ...SPEC, clipNorm: 0.5, momentum: 0.5 }), steps: 300 },
  {
    name: 'spec lars+clip+cosine',
    make: () => optimizerFromSpec({ ...SPEC, optimizer: 'lars', lr: 0.2, momentum: 0.5, clipNorm: 2, schedule: 'cosine', steps: 2000, layers: LAYERS }),
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

/** The in-place form of a table entry (every built-in recipe has one). */
function inPlace(opt: GradientTransformation<OptimizerState>): InPlaceTransformation<OptimizerState> {
  const ip = inPlaceOf(opt);
  assert.ok(ip !== undefined, 'a built-in recipe has an in-place form');
  return ip;
}

/**
 * `steps` steps the way an owner of one buffer and one state does: for each step the
 * ranges [cuts[j], cuts[j+1]) in turn (each: updateInPlace, then θ ← θ + u there), then
 * advance. θ and the state are stepped in place; returns them.
 */
function runInPlace(
  opt: InPlaceTransformation<OptimizerState>,
  start: { params: Float32Array; state: OptimizerState; steps: number; cuts: (step: number) => number[] },
) {
  const params = start.params.slice();
  let state = cloneOptimizerState(start.state);
  const u = new Float32Array(params.length);
  for (let k = 0; k < start.steps; k++) {
    u.set(quadraticGradN(params));
    const cuts = start.cuts(k);
    for (let j = 0; j + 1 < cuts.length; j++) {
      opt.updateInPlace(u, state, { params, start: cuts[j], end: cuts[j + 1] });
      applyUpdatesInPlace(params, u, { out: params, start: cuts[j], end: cuts[j + 1] });
    }
    state = opt.advance(state);
  }
  return { params, state };
}

/** ∇ of ½θᵀAθ for any length: the 4×4 quadratic on each block of 4 (the tail scaled by 1). */
function quadraticGradN(theta: Float32Array): Float32Array {
  const g = new Float32Array(theta.length);
  for (let b = 0; b + 4 <= theta.length; b += 4) g.set(quadraticGrad(theta.subarray(b, b + 4)), b);
  for (let i = theta.length - (theta.length % 4); i < theta.length; i++) g[i] = theta[i];
  return g;
}

/** Pure update + applyUpdates for `steps` steps, on the N-dimensional quadratic. */
function runPureN(opt: GradientTransformation<OptimizerState>, start: { params: Float32Array; state: OptimizerState; steps: number }) {
  let { params, state } = start;
  for (let k = 0; k < start.steps; k++) {
    const [updates, next] = opt.update(quadraticGradN(params), state, params);
    params = applyUpdates(params, updates);
    state = next;
  }
  return { params, state };
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

    void test('the in-place form over [0, n) is bit-identical to update + applyUpdates (same arithmetic)', () => {
      const opt = make();
      const whole = () => [0, THETA0.length];
      const a = runPureN(opt, { params: THETA0, state: opt.init(THETA0), steps: 25 });
      const b = runInPlace(inPlace(opt), { params: THETA0, state: opt.init(THETA0), steps: 25, cuts: whole });
      assert.deepEqual(bits(b.params), bits(a.params));
      assert.deepEqual(encodeOptimizerState(b.state), encodeOptimizerState(a.state));
    });

    void test('elementwise recipes give the same bits over any partition into parts; the others refuse a part (fast-check)', () => {
      const opt = inPlace(make());
      // Only layer-free recipes can be tried on other lengths (LARS's layers fix n = 4).
      const fixedN = name.includes('lars');
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 40 }),
          fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 5 }), { minLength: 6, maxLength: 6 }),
          fc.integer({ min: 0, max: 2 ** 31 - 1 }),
          (nDraw, cutDraws, seed) => {
            const n = fixedN ? THETA0.length : nDraw;
            const theta0 = Float32Array.from({ length: n }, (_, i) => Math.sin(seed + 3 * i) * 2);
            const cutsAt = (k: number) => [0, ...[...new Set(cutDraws[k].map((x) => Math.floor(x * n)))].sort((x, y) => x - y), n];
            const whole = runInPlace(opt, { params: theta0, state: opt.init(theta0), steps: 6, cuts: () => [0, n] });
            if (!opt.elementwise) {
              const partial = cutsAt(0).length > 2 && cutsAt(0)[1] > 0 ? cutsAt(0) : [0, n - 1, n];
              if (n > 1) assert.throws(() => runInPlace(opt, { params: theta0, state: opt.init(theta0), steps: 1, cuts: () => partial }), /not elementwise/);
              return;
            }
            const parts = runInPlace(opt, { params: theta0, state: opt.init(theta0), steps: 6, cuts: cutsAt });
            assert.deepEqual(bits(parts.params), bits(whole.params));
            assert.deepEqual(encodeOptimizerState(parts.state), encodeOptimizerState(whole.state));
          },
        ),
        { numRuns: 40, seed: 16 },
      );
    });
  });
}

void test('elementwise: sgd recipes are, clipping and LARS are not', () => {
  assert.equal(inPlace(optimizerFromSpec({ ...SPEC, momentum: 0.9, weightDecay: 0.1, warmupSteps: 3, schedule: 'cosine' })).elementwise, true);
  assert.equal(inPlace(optimizerFromSpec({ ...SPEC, clipNorm: 1 })).elementwise, false);
  assert.equal(inPlace(optimizerFromSpec({ ...SPEC, optimizer: 'lars', layers: LAYERS })).elementwise, false);
});

void test('optimizerFromSpec refuses unknown names and LARS without layers, naming the field', () => {
  assert.throws(() => optimizerFromSpec({ ...SPEC, optimizer: 'adam' }), /unknown optimizer 'adam' \(known: sgd, lars\)/);
  assert.throws(() => optimizerFromSpec({ ...SPEC, schedule: 'linear' }), /unknown schedule 'linear' \(known: constant, cosine\)/);
  assert.throws(() => optimizerFromSpec({ ...SPEC, optimizer: 'lars' }), /'lars' needs the model's layers/);
  assert.throws(() => optimizerFromSpec({ ...SPEC, clipNorm: -1 }), /clipNorm must be finite and in \[0/);
});

void describe('fused kernels registered per recipe', () => {
  void test('only plain SGD (no clipping) has one', () => {
    assert.ok(fusedKernelFor(SPEC) !== undefined);
    assert.equal(fusedKernelFor({ ...SPEC, clipNorm: 1 }), undefined);
    assert.equal(fusedKernelFor({ ...SPEC, optimizer: 'lars', layers: LAYERS }), undefined);
  });

  void test('sgdInPlace is bit-identical to combine + the in-place chain + applyUpdatesInPlace (fast-check)', () => {
    const f32 = (max: number) => fc.float({ min: Math.fround(-max), max: Math.fround(max), noNaN: true });
    fc.assert(
      fc.property(
        fc.record({
          lr: fc.double({ min: 1e-4, max: 2, noNaN: true }),
          momentum: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.99, noNaN: true })),
          weightDecay: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.1, noNaN: true })),
          warmupSteps: fc.integer({ min: 0, max: 5 }),
          schedule: fc.constantFrom('constant', 'cosine'),
        }),
        fc.integer({ min: 1, max: 24 }).chain((n) =>
          fc.record({
            theta: fc.array(f32(10), { minLength: n, maxLength: n }),
            // Each step: 1–3 workers with integer or fractional weights.
            steps: fc.array(
              fc.array(
                fc.record({
                  weight: fc.oneof(fc.integer({ min: 1, max: 512 }), fc.double({ min: 0.01, max: 100, noNaN: true })),
                  g: fc.array(f32(100), { minLength: n, maxLength: n }),
                }),
                {
                  minLength: 1,
                  maxLength: 3,
                },
              ),
              { minLength: 1, maxLength: 4 },
            ),
          }),
        ),
        (h, data) => {
          const spec: OptimizerSpec = { ...SPEC, ...h, steps: 8 };
          const fused = fusedKernelFor(spec);
          assert.ok(fused !== undefined);
          const opt = inPlace(optimizerFromSpec(spec));
          const theta0 = Float32Array.from(data.theta);
          let fusedState = fused.init(theta0);
          const fusedTheta = theta0.slice();
          let chainState = cloneOptimizerState(opt.init(theta0));
          const chainTheta = theta0.slice();
          const u = new Float32Array(theta0.length);
          for (const step of data.steps) {
            const parts: WeightedGradient[] = step.map((p) => ({ weight: p.weight, values: Float32Array.from(p.g) }));
            fusedState = fused.step({ grads: parts, params: fusedTheta, out: fusedTheta, state: fusedState }).state;
            // The combine as ParameterShard does it: float64 sum in rank order, one rounding.
            const total = parts.reduce((a, p) => a + p.weight, 0);
            for (let i = 0; i < u.length; i++) {
              let acc = 0;
              for (const p of parts) acc += p.weight * p.values[i];
              u[i] = acc / total;
            }
            opt.updateInPlace(u, chainState, { params: chainTheta, start: 0, end: u.length });
            applyUpdatesInPlace(chainTheta, u, { out: chainTheta, start: 0, end: u.length });
            chainState = opt.advance(chainState);
          }
          assert.deepEqual(bits(fusedTheta), bits(chainTheta));
          assert.deepEqual(encodeOptimizerState(fusedState), encodeOptimizerState(chainState));
        },
      ),
      { numRuns: 200, seed: 16 },
    );
  });
});
