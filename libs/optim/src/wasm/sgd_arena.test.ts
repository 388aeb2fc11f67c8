import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { applyUpdates } from '../apply-updates';
import { sgd, type SgdOptions, type SgdState } from '../sgd';
import { sgdInPlace, type WeightedGradient } from '../sgd-in-place';
import { assembleSgdWasm, SGD_WASM_MODULE_SOURCE, sgdWasmModuleSource } from './build_sgd_wasm';
import { SgdArena } from './sgd_arena';

/** Bit patterns, so -0 ≠ 0 counts. */
const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.slice().buffer));

/** A float32 over many magnitudes, with signed zeros and subnormals (as the JS kernel's tests draw them). */
const value = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e-40, -3e-41) },
  {
    weight: 12,
    arbitrary: fc.tuple(fc.double({ min: -0.5, max: 0.5, noNaN: true }), fc.integer({ min: -5, max: 3 })).map(([m, e]) => Math.fround(m * 10 ** e)),
  },
);

const spec = fc.record({
  lr: fc.double({ min: 1e-4, max: 0.5, noNaN: true }),
  momentum: fc.constantFrom(0, 0.5, 0.9),
  weightDecay: fc.constantFrom(0, 5e-4, 0.01),
  warmupSteps: fc.constantFrom(0, 3),
});

/** plain: one Float32Array; else the workers' weights (both sides of the exact-division shortcut, non-integers, several workers). */
const layout = fc.oneof(
  fc.constant('plain' as const),
  fc.array(fc.oneof(fc.integer({ min: 1, max: 4096 }), fc.constantFrom(2 ** 29, 2 ** 29 + 1, 0.3, 1e-3)), { minLength: 1, maxLength: 4 }),
);

/** The reference: float64 weighted mean in rank order rounded once, then `sgd`'s chain and applyUpdates. */
function referenceStep(
  opts: SgdOptions,
  at: { theta: Float32Array; state: SgdState; grads: Float32Array | readonly WeightedGradient[] },
): { theta: Float32Array; state: SgdState } {
  let g: Float32Array;
  if (at.grads instanceof Float32Array) g = at.grads;
  else {
    const n = at.theta.length;
    const acc = new Float64Array(n);
    let total = 0;
    for (const p of at.grads) {
      total += p.weight;
      for (let i = 0; i < n; i++) acc[i] += p.weight * p.values[i];
    }
    g = new Float32Array(n);
    for (let i = 0; i < n; i++) g[i] = acc[i] / total;
  }
  const [u, state] = sgd(opts).update(g, at.state, at.theta);
  return { theta: applyUpdates(at.theta, u), state };
}

void describe('SgdArena: the fused SGD pass in WebAssembly SIMD', () => {
  const arena = SgdArena.create();

  void test('this engine compiles the module (Node 20+: wasm SIMD and shared memory)', () => {
    assert.ok(arena !== undefined);
  });

  void test('is bit-identical to the JS kernel and to sgd + applyUpdates (random specs, lengths, workers)', () => {
    const a = arena as SgdArena;
    fc.assert(
      fc.property(spec, layout, fc.integer({ min: 1, max: 67 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean(), (s, lay, n, seed, split) => {
        const opts: SgdOptions = { learningRate: s.lr, momentum: s.momentum, weightDecay: s.weightDecay, warmupSteps: s.warmupSteps };
        const draw = (len: number, k: number): Float32Array =>
          Float32Array.from(fc.sample(fc.array(value, { minLength: len, maxLength: len }), { seed: seed + k, numRuns: 1 })[0]);
        const js = sgdInPlace(opts);
        const wasm = sgdInPlace(opts, { arena: a });
        // Unaligned starts: views at an odd element offset into arena buffers.
        const skew = seed % 3;
        const inArena = (x: Float32Array): Float32Array => {
          const buf = a.float32(x.length + skew).subarray(skew);
          buf.set(x);
          return buf;
        };
        const theta0 = draw(n, 0);
        let ref = { theta: theta0, state: sgd(opts).init(theta0) };
        const jsTheta = theta0.slice();
        let jsState = js.init(theta0);
        const wTheta = inArena(theta0);
        let wState = wasm.init(theta0);
        const vel = (wState[2] as { velocity?: Float32Array }).velocity;
        if (vel !== undefined) wState = [wState[0], wState[1], { velocity: inArena(vel) }] as SgdState;
        for (let k = 1; k <= 3; k++) {
          const gs = lay === 'plain' ? [draw(n, 10 * k)] : lay.map((_, r) => draw(n, 10 * k + r));
          const grads = (m: (x: Float32Array) => Float32Array): Float32Array | WeightedGradient[] =>
            lay === 'plain' ? m(gs[0]) : lay.map((weight, r) => ({ weight, values: m(gs[r]) }));
          ref = referenceStep(opts, { theta: ref.theta, state: ref.state, grads: grads((x) => x) });
          // split: v_k read from a copy (velocityIn), the state's velocity (filled with NaN first) only written.
          const from = (st: SgdState, m: (x: Float32Array) => Float32Array): Float32Array | undefined => {
            const x = (st[2] as { velocity?: Float32Array }).velocity;
            if (!split || x === undefined) return undefined;
            const copy = m(x.slice());
            x.fill(NaN);
            return copy;
          };
          const jsIn = from(jsState, (x) => x);
          const wIn = from(wState, inArena);
          const j = js.step({ grads: grads((x) => x), params: jsTheta, out: jsTheta, state: jsState, velocityIn: jsIn });
          const w = wasm.step({ grads: grads(inArena), params: wTheta, out: wTheta, state: wState, velocityIn: wIn });
          jsState = j.state;
          wState = w.state;
          assert.deepEqual(bits(wTheta), bits(jsTheta), `θ after step ${k}`);
          assert.deepEqual(bits(wTheta), bits(ref.theta), `θ vs the reference after step ${k}`);
          const v = (st: SgdState): number[] => {
            const x = (st[2] as { velocity?: Float32Array }).velocity;
            return x === undefined ? [] : bits(x);
          };
          assert.deepEqual(v(wState), v(jsState), `velocity after step ${k}`);
          assert.deepEqual(v(wState), v(ref.state), `velocity vs the reference after step ${k}`);
          assert.deepEqual(w.partSqNorms, j.partSqNorms);
          assert.ok(Object.is(w.sqNorm, j.sqNorm), `Σc² ${w.sqNorm} vs ${j.sqNorm}`);
        }
      }),
      { numRuns: 300, seed: 0x16e },
    );
  });

  void test('vectors outside the arena take the JS loops, with the same bits', () => {
    const a = arena as SgdArena;
    const opts = { learningRate: 0.1, momentum: 0.9, weightDecay: 1e-3 };
    const theta = Float32Array.from({ length: 9 }, (_, i) => i - 4);
    const g = Float32Array.from({ length: 9 }, (_, i) => 0.1 * i);
    const mixed = a.float32(9);
    mixed.set(theta);
    const k = sgdInPlace(opts, { arena: a });
    const plain = sgdInPlace(opts);
    const out1 = new Float32Array(9);
    const out2 = new Float32Array(9);
    k.step({ grads: g, params: mixed, out: out1, state: k.init(theta) });
    plain.step({ grads: g, params: theta, out: out2, state: plain.init(theta) });
    assert.deepEqual(bits(out1), bits(out2));
  });

  void test('firstNonFinite finds the first NaN or ±Infinity at any position, tails included', () => {
    const a = arena as SgdArena;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 41 }), fc.array(fc.tuple(fc.nat(), fc.constantFrom(NaN, Infinity, -Infinity)), { maxLength: 3 }), (n, bad) => {
        const x = a.float32(n);
        for (let i = 0; i < n; i++) x[i] = i % 2 === 0 ? 3.5e38 : -1e-45;
        for (const [at, v] of bad) if (n > 0) x[at % n] = v;
        const want = x.findIndex((v) => !Number.isFinite(v));
        assert.equal(a.firstNonFinite(x), want);
      }),
      { numRuns: 300, seed: 0x16e },
    );
  });

  void test('views stay valid when the memory grows', () => {
    const a = SgdArena.create() as SgdArena;
    const first = a.float32(5);
    first.fill(7);
    a.float32(3 * 16384); // 3 pages: grows the memory
    assert.ok(a.holds(first));
    assert.deepEqual(Array.from(first), [7, 7, 7, 7, 7]);
  });

  void test('an allocation past 4 GiB is refused with a RangeError (callers fall back to plain arrays)', () => {
    const a = SgdArena.create() as SgdArena;
    const kept = a.float32(4).fill(2);
    assert.throws(() => a.float32(2 ** 30), /exceed WebAssembly's 4 GiB/);
    assert.deepEqual(Array.from(kept), [2, 2, 2, 2]);
  });

  void test('the checked-in module is what sgd_wat.ts assembles to', async () => {
    const fresh = sgdWasmModuleSource(await assembleSgdWasm());
    assert.equal(readFileSync(SGD_WASM_MODULE_SOURCE, 'utf8'), fresh, 'run `npm run gen:sgd-wasm -w @lnsgd/optim`');
  });
});
