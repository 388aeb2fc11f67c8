import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CounterRng } from './counter-rng';
import { RngDomain } from './domain';
import { permutation } from './permutation';

void test('permutation(n, {seed, epoch}) is the DATA_PERMUTATION stream of that epoch', () => {
  const p = permutation(100, { seed: 5, epoch: 2 });
  assert.deepEqual(p, new CounterRng(5, RngDomain.DATA_PERMUTATION).permutation(100, 2));
  assert.notDeepEqual(p, permutation(100, { seed: 5, epoch: 2, domain: RngDomain.EVAL_BATCH }));
});
