import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyUpdates, decodeOptimizerState, encodeOptimizerState, sgd, type SgdState } from '@lnsgd/optim';
import { noiseScaleFromTwoBatches } from '@lnsgd/sharpness/noise-scale';
import { ParameterShard, type PendingPush } from './parameter_shard';
import { xorshift32 } from '@lnsgd/testing';

const HYPER = { lr: 0.05, momentum: 0.9, weightDecay: 5e-4, warmupSteps: 4 };

/** Seeded, so a failure replays. */
const rng = xorshift32;

function randomVector(n: number, next: () => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = next();
    out[i] = r < 0.03 ? (next() < 0.5 ? 0 : -0) : (next() - 0.5) * 10 ** (6 * next() - 4);
  }
  return out;
}

const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));

/**
 * The shard's step as it was first written, kept as the reference: combine into float64
 * (ascending rank order, weighted by samples), round to float32, then the generic
 * `sgd` chain and `applyUpdates`.
 */
function referenceStep(pushes: readonly PendingPush[], io: { params: Float32Array; state: SgdState }) {
  const opt = sgd({ learningRate: HYPER.lr, momentum: HYPER.momentum, weightDecay: HYPER.weightDecay, warmupSteps: HYPER.warmupSteps });
  const sorted = [...pushes].sort((a, b) => a.rank - b.rank);
  const n = io.params.length;
  let total = 0;
  for (const p of sorted) total += p.samples;
  const acc = new Float64Array(n);
  const small: { samples: number; sq: number }[] = [];
  for (const p of sorted) {
    if (p.samples === 0) continue;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      acc[i] += p.samples * p.grad[i];
      sq += p.grad[i] * p.grad[i];
    }
    small.push({ samples: p.samples, sq });
  }
  const combined = new Float32Array(n);
  let bigSq = 0;
  for (let i = 0; i < n; i++) {
    combined[i] = acc[i] / total;
    bigSq += combined[i] * combined[i];
  }
  const [u, state] = opt.update(combined, io.state, io.params);
  const usable = small.filter((s) => s.samples < total);
  let noise: { gradSqNorm: number; traceSigma: number } | null = null;
  if (usable.length > 0) {
    noise = { gradSqNorm: 0, traceSigma: 0 };
    for (const s of usable) {
      const e = noiseScaleFromTwoBatches({ bSmall: s.samples, gSmallSqNorm: s.sq, bBig: total, gBigSqNorm: bigSq });
      noise.gradSqNorm += e.gradSqNorm / usable.length;
      noise.traceSigma += e.traceSigma / usable.length;
    }
  }
  return { params: applyUpdates(io.params, u), state, noise };
}

/** Random pushes of one step: ranks in a shuffled arrival order, one of them sometimes with 0 samples. */
function randomPushes(workers: number, ctx: { n: number; step: number; next: () => number }): PendingPush[] {
  const pushes: PendingPush[] = [];
  for (let rank = 0; rank < workers; rank++) {
    const samples = workers > 2 && rank === ctx.step % workers ? 0 : 1 + Math.floor(ctx.next() * 64);
    pushes.push({ rank, samples, loss: ctx.next(), grad: randomVector(ctx.n, ctx.next) });
  }
  return pushes.sort(() => ctx.next() - 0.5);
}

for (const workers of [1, 2, 3]) {
  void test(`closeStep with ${workers} worker(s) is bit-identical to combine + generic sgd (momentum, weight decay, warm-up)`, () => {
    const n = 501;
    const next = rng(40 + workers);
    const theta0 = randomVector(n, next);
    const shard = new ParameterShard({ params: theta0.slice(), hyper: HYPER });
    let ref: { params: Float32Array; state: SgdState } = {
      params: theta0.slice(),
      state: sgd({ learningRate: HYPER.lr, momentum: HYPER.momentum, weightDecay: HYPER.weightDecay, warmupSteps: HYPER.warmupSteps }).init(theta0),
    };
    for (let k = 0; k < 10; k++) {
      const pushes = randomPushes(workers, { n, step: k, next });
      for (const p of pushes) assert.equal(shard.addPush(p), true);
      const before = shard.params;
      const beforeBits = bits(before);
      const closed = shard.closeStep();
      const expected = referenceStep(pushes, ref);
      ref = expected;
      assert.equal(closed.version, k + 1);
      assert.deepEqual(bits(shard.params), bits(expected.params), `θ after step ${k + 1}`);
      assert.deepEqual(encodeOptimizerState(shard.optimizerState), encodeOptimizerState(expected.state), `optimizer state after step ${k + 1}`);
      assert.deepEqual(closed.noise, expected.noise);
      assert.notEqual(shard.params, before, 'a new params array every step');
      assert.deepEqual(bits(before), beforeBits, 'the previous params array is never written');
    }
  });
}

void test("reuseParams: the same bits as a new array per step, two buffers in turn, version v intact until the step after next, the caller's array never written", () => {
  const n = 333;
  const next = rng(77);
  const theta0 = randomVector(n, next);
  const given = theta0.slice();
  const fresh = new ParameterShard({ params: theta0.slice(), hyper: HYPER });
  const reusing = new ParameterShard({ params: given, hyper: HYPER, reuseParams: true });
  const seen = new Set<Float32Array>();
  let previous: { array: Float32Array; bits: Uint32Array } | undefined;
  for (let k = 0; k < 12; k++) {
    const pushes = randomPushes(2, { n, step: k, next });
    for (const p of pushes) {
      fresh.addPush(p);
      reusing.addPush(p);
    }
    const current = { array: reusing.params, bits: bits(reusing.params) };
    fresh.closeStep();
    reusing.closeStep();
    assert.deepEqual(bits(reusing.params), bits(fresh.params), `θ after step ${k + 1}`);
    assert.deepEqual(encodeOptimizerState(reusing.optimizerState), encodeOptimizerState(fresh.optimizerState));
    // The version that was current before this close is still intact after it.
    assert.deepEqual(bits(current.array), current.bits, `version ${k} was written by the close of step ${k}`);
    if (previous !== undefined && k >= 2) assert.equal(reusing.params, previous.array, `step ${k + 1} reuses the buffer of version ${k - 1}`);
    previous = current;
    seen.add(reusing.params);
  }
  assert.equal(seen.size, 2, 'two buffers in all');
  assert.deepEqual(bits(given), bits(theta0), 'the array passed in is never written');
});

void test('a shard resumed from an encoded checkpoint continues bit-identically, and does not modify the state it was given', () => {
  const n = 300;
  const next = rng(9);
  const theta0 = randomVector(n, next);
  const steps = Array.from({ length: 8 }, (_, k) => randomPushes(2, { n, step: k, next }));
  const straight = new ParameterShard({ params: theta0.slice(), hyper: HYPER });
  const first = new ParameterShard({ params: theta0.slice(), hyper: HYPER });
  for (const [k, pushes] of steps.entries()) {
    for (const p of pushes) straight.addPush(p);
    straight.closeStep();
    if (k < 3) {
      for (const p of pushes) first.addPush(p);
      first.closeStep();
    }
  }
  const like = sgd({ learningRate: HYPER.lr, momentum: HYPER.momentum, weightDecay: HYPER.weightDecay, warmupSteps: HYPER.warmupSteps }).init(first.params);
  const decoded = decodeOptimizerState(encodeOptimizerState(first.optimizerState), like);
  const decodedBytes = encodeOptimizerState(decoded);
  const resumed = new ParameterShard({ params: first.params.slice(), hyper: HYPER, version: first.version, optimizerState: decoded });
  for (const pushes of steps.slice(3)) {
    for (const p of pushes) resumed.addPush(p);
    resumed.closeStep();
  }
  assert.equal(resumed.version, straight.version);
  assert.deepEqual(bits(resumed.params), bits(straight.params));
  assert.deepEqual(encodeOptimizerState(resumed.optimizerState), encodeOptimizerState(straight.optimizerState));
  assert.deepEqual(encodeOptimizerState(decoded), decodedBytes, 'the caller’s state is left as it was');
});

void test('closeStep refuses a step without samples and leaves the shard as it was', () => {
  const shard = new ParameterShard({ params: Float32Array.from([1, 2]), hyper: HYPER });
  shard.addPush({ rank: 0, samples: 0, loss: 0, grad: Float32Array.from([1, 1]) });
  assert.throws(() => shard.closeStep(), /step 0 has no samples \(pushes from ranks \[0\]\)/);
  assert.equal(shard.version, 0);
  assert.deepEqual([...shard.params], [1, 2]);
});

void test('pushes read into landing() are adopted without a copy; the WebAssembly arena gives the bits of the JS loops', () => {
  const n = 257;
  const next = rng(16);
  const theta0 = randomVector(n, next);
  const arena = new ParameterShard({ params: theta0.slice(), hyper: HYPER, reuseParams: true });
  const js = new ParameterShard({ params: theta0.slice(), hyper: HYPER, reuseParams: true, wasmKernel: false });
  assert.equal(arena.steppedInArena, true, 'Node 20 compiles the SIMD module');
  assert.equal(js.steppedInArena, false);
  const landings = new Set<Float32Array>();
  for (let k = 0; k < 6; k++) {
    for (const p of randomPushes(3, { n, step: k, next })) {
      const landing = arena.landing();
      landings.add(landing);
      landing.set(p.grad);
      assert.equal(arena.addPush({ ...p, grad: landing }), true);
      assert.equal(arena.pushOf(p.rank)?.grad, landing, 'adopted as the receive buffer');
      assert.notEqual(arena.landing(), landing, 'the next landing buffer is another one');
      js.addPush(p);
    }
    arena.closeStep();
    js.closeStep();
    assert.deepEqual(bits(arena.params), bits(js.params), `θ after step ${k + 1}`);
    assert.deepEqual(encodeOptimizerState(arena.optimizerState), encodeOptimizerState(js.optimizerState));
  }
  assert.equal(landings.size, 4, 'three receive buffers and one landing buffer, swapped in turn');
});
