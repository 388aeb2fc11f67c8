import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPush, shareSamples, type PushContext, type PushFacts } from './push_check';

const ctx: PushContext = { version: 4, workers: 3, batch: 10, keyOffset: 100, expectedShare: undefined };
const push = (over: Partial<PushFacts> = {}): PushFacts => ({
  rank: 1,
  step: 4,
  samples: 3,
  loss: 1,
  share: { epoch: 0, index: 1, count: 3 },
  firstNonFinite: -1,
  ...over,
});
const code = (v: ReturnType<typeof checkPush>): string => (v.ok ? 'ok' : v.code);

void test("share sizes are the data library's micro-batch sizes", () => {
  assert.deepEqual(
    [0, 1, 2, 3].map((index) => shareSamples(10, { index, count: 4 })),
    [3, 3, 2, 2],
  );
  assert.equal(shareSamples(2, { index: 3, count: 4 }), 0);
});

void test('each refusal has one typed reason', () => {
  assert.equal(code(checkPush(push(), ctx)), 'ok');
  assert.equal(code(checkPush(push({ step: 3 }), ctx)), 'STALE_PUSH');
  assert.equal(code(checkPush(push({ step: 5 }), ctx)), 'STEP_MISMATCH');
  assert.equal(code(checkPush(push({ firstNonFinite: 2 }), ctx)), 'NON_FINITE');
  assert.equal(code(checkPush(push({ loss: Number.NaN }), ctx)), 'NON_FINITE');
  assert.equal(code(checkPush(push({ share: { epoch: 0, index: 3, count: 3 } }), ctx)), 'BAD_SHAPE');
  assert.equal(code(checkPush(push({ share: { epoch: 0, index: 0, count: 4 } }), ctx)), 'BAD_SHAPE');
  for (const samples of [0, 2, 4, 10]) assert.equal(code(checkPush(push({ samples }), ctx)), 'BAD_SHAPE', `samples ${samples}`);
  const v = checkPush(push({ firstNonFinite: 2 }), ctx);
  assert.ok(!v.ok && v.message.includes('gradient[102]'));
});

void test('without a share a push is rank r of the run; shard 0 asks for a recompute under an older partition', () => {
  const v = checkPush(push({ share: undefined, rank: 2, samples: 3 }), ctx);
  assert.ok(v.ok);
  assert.deepEqual(v.share, { epoch: 0, index: 2, count: 3 });
  const mine = { epoch: 1, index: 0, count: 2 };
  const r = checkPush(push(), { ...ctx, expectedShare: mine });
  assert.ok(!r.ok && r.code === 'RECOMPUTE');
  assert.deepEqual(r.share, mine);
  assert.equal(code(checkPush(push({ samples: 5, share: mine }), { ...ctx, expectedShare: mine })), 'ok');
  assert.equal(code(checkPush(push({ samples: 0 }), { ...ctx, batch: 2, expectedShare: undefined, workers: 3 })), 'BAD_SHAPE');
  assert.equal(
    code(checkPush(push({ samples: 0, loss: Number.NaN, share: { epoch: 0, index: 2, count: 3 } }), { ...ctx, batch: 2 })),
    'ok',
    'an empty share carries no loss',
  );
});
