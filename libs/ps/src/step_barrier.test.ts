import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_RESENDS, StepBarrier, type PushIdentity } from './step_barrier';

const id = (index: number, count: number, over: Partial<PushIdentity> = {}): PushIdentity => ({
  samples: 4,
  loss: 1,
  share: { epoch: 0, index, count },
  checksumKind: 1,
  checksum: 7,
  ...over,
});
const same = (): boolean => true;

void test('coordinator: the step closes when the partition is covered; replies in rank order', () => {
  const b = new StepBarrier<string>(true);
  assert.equal(b.offer({ rank: 1, identity: id(1, 2), sameGradient: same }, 'r1').kind, 'accepted');
  assert.equal(b.complete(2), false);
  assert.equal(b.offer({ rank: 0, identity: id(0, 2), sameGradient: same }, 'r0').kind, 'accepted');
  assert.equal(b.complete(2), true);
  const c = b.close();
  assert.deepEqual(c, {
    replies: [
      { rank: 0, routes: ['r0'] },
      { rank: 1, routes: ['r1'] },
    ],
    samples: 8,
  });
  assert.equal(b.empty, true);
});

void test('a second push of a rank: an identical resend waits for the same reply, a different one is a duplicate', () => {
  const b = new StepBarrier<string>(true);
  b.offer({ rank: 0, identity: id(0, 2), sameGradient: same }, 'first');
  assert.equal(b.offer({ rank: 0, identity: id(0, 2), sameGradient: () => false }, 'x').kind, 'duplicate', 'other gradient');
  assert.equal(b.offer({ rank: 0, identity: id(0, 2, { loss: 2 }), sameGradient: same }, 'x').kind, 'duplicate', 'other loss');
  assert.equal(b.offer({ rank: 0, identity: id(0, 2), sameGradient: same }, 'again').kind, 'resend');
  assert.equal(b.offer({ rank: 1, identity: id(0, 2), sameGradient: same }, 'x').kind, 'duplicate', 'another rank on a held share');
  for (let i = 1; i < MAX_RESENDS; i++) b.offer({ rank: 0, identity: id(0, 2), sameGradient: same }, `r${i}`);
  assert.equal(b.offer({ rank: 0, identity: id(0, 2), sameGradient: same }, 'too many').kind, 'duplicate', 'resends are bounded');
  b.offer({ rank: 1, identity: id(1, 2), sameGradient: same }, 'one');
  const c = b.close();
  assert.deepEqual(c.replies[0].routes.slice(0, 2), ['first', 'again'], 'the first request keeps its reply');
  assert.equal(b.afterClose(0, id(0, 2)), 'resend');
  assert.equal(b.afterClose(0, id(0, 2, { checksum: 8 })), 'duplicate');
});

void test('follower: a newer epoch drops the held pushes; an older one is told to take its share from shard 0', () => {
  const b = new StepBarrier<string>(false);
  b.offer({ rank: 0, identity: id(0, 2), sameGradient: same }, 'a');
  assert.equal(b.offer({ rank: 1, identity: id(1, 3), sameGradient: same }, 'x').kind, 'bad-count');
  const o = b.offer({ rank: 0, identity: id(0, 1, { samples: 8, share: { epoch: 1, index: 0, count: 1 } }), sameGradient: same }, 'b');
  assert.deepEqual(o, { kind: 'accepted', dropped: [{ rank: 0, routes: ['a'] }] });
  assert.equal(b.complete(99), true, 'the follower counts the pushes of its epoch, not the given partition');
  b.close();
  assert.equal(b.offer({ rank: 1, identity: id(1, 2), sameGradient: same }, 'old').kind, 'stale-epoch');
});
