import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configHash, type ShardHyper } from './config_hash';

const HYPER: ShardHyper = {
  steps: 100,
  lr: 0.1,
  batch: 32,
  sigma: 0.5,
  noise: 'rademacher',
  flipProb: 0,
  momentum: 0.9,
  weightDecay: 0,
  warmupSteps: 0,
  seed: 1,
};
const LAYOUT = { microBatch: 0, shards: 1 };
const hash = (hyper: ShardHyper) => configHash({ preset: { name: 'uv-toy' }, hyper }, LAYOUT);

void test('optimizer fields at their defaults leave the hash as it was without them (old checkpoints resume)', () => {
  assert.equal(hash({ ...HYPER, optimizer: 'sgd', schedule: 'constant', clipNorm: 0, trustCoefficient: 0.001 }), hash(HYPER));
});

void test('each optimizer field away from its default is another run', () => {
  const changed = [{ optimizer: 'lars' }, { schedule: 'cosine' }, { clipNorm: 1 }, { trustCoefficient: 0.01 }].map((d) => hash({ ...HYPER, ...d }));
  assert.equal(new Set([hash(HYPER), ...changed]).size, 5);
  // The step count is not part of the identity (a resumed run may be extended).
  assert.equal(hash({ ...HYPER, steps: 5000 }), hash(HYPER));
});

void test('a reduced-precision wire dtype is another run; float32 hashes as a run without the option', () => {
  const run = { preset: { name: 'uv-toy' }, hyper: HYPER };
  assert.equal(configHash(run, { ...LAYOUT, wireDtype: 'float32' }), hash(HYPER));
  const hashes = ['bfloat16', 'float16'].map((wireDtype) => configHash(run, { ...LAYOUT, wireDtype }));
  assert.equal(new Set([hash(HYPER), ...hashes]).size, 3);
});
