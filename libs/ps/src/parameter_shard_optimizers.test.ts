import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeOptimizerState, encodeOptimizerState } from '@lnsgd/optim';
import { ParameterShard, shardOptimizerFor, type ParameterShardOptions } from './parameter_shard';
import { xorshift32 } from '@lnsgd/testing';

/*
 * The shard with the optimizers other than plain SGD (LARS, clipping, a cosine
 * schedule: the in-place chain path) against a float64 reference written from the
 * formulas, not from @lnsgd/optim. The shard stores each stage in float32 (the
 * proto/README rounding rules) and the reference does not, so they agree to a few
 * float32 roundings per step (≲ 8 of 2^-24 ≈ 6e-8 relative each): over these 12 steps
 * the gap stays near 1e-7 of max|θ|, and the bound 2e-6 leaves room for 10x that
 * while a wrong ratio, norm or η (≥ 1e-3 relative) fails by far.
 */

type Hyper = ParameterShardOptions['hyper'];
const LAYERS = [
  { offset: 0, size: 5 },
  { offset: 5, size: 3 },
  { offset: 8, size: 4 },
];
const N = 12;

/** Seeded, so a failure replays. */
const rng = xorshift32;

const vector = (next: () => number, scale: number) => Float32Array.from({ length: N }, () => (next() - 0.5) * scale);

interface Ref {
  theta: Float64Array;
  v: Float64Array;
  k: number;
}

/** η_k: cosine decay from lr to 0 over `steps` (or constant), times linear warm-up. */
function etaAt(h: Required<Omit<Hyper, 'layers'>>, k: number): number {
  const base = h.schedule === 'cosine' ? h.lr * 0.5 * (1 + Math.cos((Math.PI * Math.min(k, h.steps)) / h.steps)) : h.lr;
  return h.warmupSteps > 0 && k + 1 < h.warmupSteps ? (base * (k + 1)) / h.warmupSteps : base;
}

/** One float64 step: combine, clip, weight decay, LARS trust ratio, η_k, heavy ball. */
function referenceStep(ref: Ref, io: { h: Required<Omit<Hyper, 'layers'>>; parts: readonly { w: number; g: Float32Array }[] }): void {
  const { h, parts } = io;
  const total = parts.reduce((a, p) => a + p.w, 0);
  const d = new Float64Array(N);
  for (const p of parts) for (let i = 0; i < N; i++) d[i] += (p.w * p.g[i]) / total;
  const norm = Math.hypot(...d);
  if (h.clipNorm > 0 && norm > h.clipNorm) for (let i = 0; i < N; i++) d[i] *= h.clipNorm / norm;
  for (let i = 0; i < N; i++) d[i] += h.weightDecay * ref.theta[i];
  if (h.optimizer === 'lars') {
    for (const { offset, size } of LAYERS) {
      const th = Math.hypot(...ref.theta.subarray(offset, offset + size));
      const dn = Math.hypot(...d.subarray(offset, offset + size));
      if (th > 0 && dn > 0) for (let i = offset; i < offset + size; i++) d[i] *= (h.trustCoefficient * th) / dn;
    }
  }
  const eta = etaAt(h, ref.k);
  for (let i = 0; i < N; i++) {
    ref.v[i] = -eta * d[i] + h.momentum * ref.v[i];
    ref.theta[i] += ref.v[i];
  }
  ref.k++;
}

const CASES: { name: string; h: Required<Omit<Hyper, 'layers'>> }[] = [
  {
    name: 'lars + clipping + cosine + warm-up',
    h: { optimizer: 'lars', lr: 2, momentum: 0.9, weightDecay: 1e-3, warmupSteps: 3, schedule: 'cosine', steps: 16, clipNorm: 1.5, trustCoefficient: 0.02 },
  },
  {
    name: 'lars, constant η',
    h: { optimizer: 'lars', lr: 1, momentum: 0.5, weightDecay: 0, warmupSteps: 0, schedule: 'constant', steps: 12, clipNorm: 0, trustCoefficient: 0.05 },
  },
  {
    name: 'sgd + clipping + cosine',
    h: { optimizer: 'sgd', lr: 0.3, momentum: 0.9, weightDecay: 5e-4, warmupSteps: 2, schedule: 'cosine', steps: 12, clipNorm: 0.8, trustCoefficient: 0.001 },
  },
  {
    name: 'sgd + cosine (fused kernel)',
    h: { optimizer: 'sgd', lr: 0.3, momentum: 0.9, weightDecay: 5e-4, warmupSteps: 2, schedule: 'cosine', steps: 12, clipNorm: 0, trustCoefficient: 0.001 },
  },
];

/** Pushes for one step from 1–3 workers with unequal sample counts. */
function pushesFor(next: () => number, step: number) {
  const workers = 1 + (step % 3);
  return Array.from({ length: workers }, (_, r) => ({ rank: r, samples: 8 + 5 * r, loss: 1, grad: vector(next, 4) }));
}

for (const { name, h } of CASES) {
  void test(`ParameterShard with ${name} follows the float64 reference`, () => {
    const next = rng(16);
    const theta0 = vector(next, 2);
    const shard = new ParameterShard({ params: theta0, hyper: h, layers: LAYERS });
    const ref: Ref = { theta: Float64Array.from(theta0), v: new Float64Array(N), k: 0 };
    let worst = 0;
    for (let step = 0; step < 12; step++) {
      const pushes = pushesFor(next, step);
      for (const p of pushes) shard.addPush(p);
      shard.closeStep();
      referenceStep(ref, { h, parts: pushes.map((p) => ({ w: p.samples, g: p.grad })) });
      const scale = Math.max(...ref.theta.map(Math.abs));
      for (let i = 0; i < N; i++) worst = Math.max(worst, Math.abs(shard.params[i] - ref.theta[i]) / scale);
    }
    assert.ok(worst < 2e-6, `max |θ − θ_ref| / max|θ_ref| = ${worst}`);
    // The run moved: a no-op shard cannot pass by matching a reference that did not move.
    assert.ok(Math.abs(ref.theta[0] - theta0[0]) > 1e-3);
  });

  void test(`ParameterShard with ${name} resumes bit-identically from its encoded optimizer state`, () => {
    const next = rng(7);
    const theta0 = vector(next, 2);
    const steps = Array.from({ length: 10 }, (_, k) => pushesFor(next, k));
    const run = (shard: ParameterShard, from: number, to: number) => {
      for (let k = from; k < to; k++) {
        for (const p of steps[k]) shard.addPush(p);
        shard.closeStep();
      }
    };
    const straight = new ParameterShard({ params: theta0, hyper: h, layers: LAYERS });
    run(straight, 0, 10);
    const first = new ParameterShard({ params: theta0, hyper: h, layers: LAYERS });
    run(first, 0, 5);
    const bytes = encodeOptimizerState(first.optimizerState);
    const template = shardOptimizerFor(h, { shards: 1, layers: LAYERS }).init(first.params);
    const resumed = new ParameterShard({
      params: first.params.slice(),
      hyper: h,
      layers: LAYERS,
      version: 5,
      optimizerState: decodeOptimizerState(bytes, template),
    });
    run(resumed, 5, 10);
    assert.deepEqual(new Uint32Array(resumed.params.buffer.slice(0)), new Uint32Array(straight.params.buffer.slice(0)));
    assert.deepEqual(encodeOptimizerState(resumed.optimizerState), encodeOptimizerState(straight.optimizerState));
  });
}

void test('a recipe that reduces over the whole vector is refused with more than one shard', () => {
  const base = CASES[0].h;
  assert.throws(
    () => shardOptimizerFor({ ...base, clipNorm: 0 }, { shards: 2 }),
    /--optimizer lars reduces over the whole parameter vector .*run it with --shards 1 \(got --shards 2\)/,
  );
  assert.throws(() => shardOptimizerFor({ ...base, optimizer: 'sgd' }, { shards: 3 }), /--optimizer sgd with --clip-norm 1.5 reduces/);
  assert.equal(shardOptimizerFor({ ...base, optimizer: 'sgd', clipNorm: 0 }, { shards: 4 }).elementwise, true);
  assert.equal(shardOptimizerFor(base, { shards: 1, layers: LAYERS }).elementwise, false);
});

void test('an unknown optimizer or schedule name is refused, naming the known ones', () => {
  const base = CASES[0].h;
  assert.throws(
    () => new ParameterShard({ params: new Float32Array(N), hyper: { ...base, optimizer: 'adamw' }, layers: LAYERS }),
    /unknown optimizer 'adamw' \(known: sgd, lars\)/,
  );
  assert.throws(() => new ParameterShard({ params: new Float32Array(N), hyper: { ...base, schedule: 'exp' }, layers: LAYERS }), /unknown schedule 'exp'/);
});

void test('the shard with the fused SGD kernel and with the in-place chain step to the same bits', () => {
  const h = CASES[3].h;
  const next = rng(3);
  const theta0 = vector(next, 2);
  const fused = new ParameterShard({ params: theta0, hyper: h });
  const chained = new ParameterShard({ params: theta0, hyper: h, fusedKernel: false });
  for (let step = 0; step < 9; step++) {
    const pushes = pushesFor(next, step);
    for (const p of pushes) {
      fused.addPush(p);
      chained.addPush(p);
    }
    const a = fused.closeStep();
    const b = chained.closeStep();
    // Same combine, so the same noise-scale parts too.
    assert.deepEqual(b, a);
  }
  assert.deepEqual(new Uint32Array(chained.params.buffer.slice(0)), new Uint32Array(fused.params.buffer.slice(0)));
  assert.deepEqual(encodeOptimizerState(chained.optimizerState), encodeOptimizerState(fused.optimizerState));
});
