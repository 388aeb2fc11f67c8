import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Membership, type MembershipOptions } from './membership';

// Shard 0's membership, synchronously, with a fake clock: `now` is whatever the test says.

const opts = (over: Partial<MembershipOptions> = {}): MembershipOptions => ({
  workers: 2,
  coordinator: true,
  policy: 'rebalance',
  heartbeatTimeoutMs: 300,
  startupGraceMs: 0,
  ...over,
});

function started(m: Membership, now = 0): ReadonlyMap<string, number> {
  assert.equal(m.register({ workerId: 'b', requestedRank: -1, conn: 'cb' }, now).kind, 'held');
  const r = m.register({ workerId: 'a', requestedRank: -1, conn: 'ca' }, now);
  assert.equal(r.kind, 'started');
  return r.ranks;
}

void test('the run starts once every worker registered: requested ranks first, then worker-id order', () => {
  const m = new Membership(opts({ workers: 3 }));
  assert.equal(m.register({ workerId: 'z', requestedRank: -1, conn: '1' }, 0).kind, 'held');
  assert.equal(m.register({ workerId: 'y', requestedRank: 0, conn: '2' }, 0).kind, 'held');
  assert.equal(m.started, false);
  const r = m.register({ workerId: 'x', requestedRank: -1, conn: '3' }, 0);
  assert.ok(r.kind === 'started');
  assert.deepEqual([...r.ranks].sort(), [
    ['x', 1],
    ['y', 0],
    ['z', 2],
  ]);
  assert.deepEqual(m.members, [0, 1, 2]);
  assert.deepEqual(m.shareOf(2), { epoch: 0, index: 2, count: 3 });
  assert.equal(m.known(1, '3')?.workerId, 'x');
  assert.equal(m.known(1, '1'), undefined, 'a rank acts only over its own connection');
  assert.equal(m.register({ workerId: 'q', requestedRank: 5, conn: '4' }, 0).kind, 'refused');
});

void test('rebalance: a silent member is lost after the timeout, a new epoch covers B, the open step is dropped', () => {
  const m = new Membership(opts());
  started(m);
  const a = m.known(0, 'ca');
  assert.ok(a);
  m.touch(a, { conn: 'ca', now: 250 });
  assert.deepEqual(m.tick(300), [], 'not before the timeout');
  const ev = m.tick(301);
  assert.deepEqual(
    ev.map((e) => e.kind),
    ['lost', 'epoch', 'drop-open-step'],
  );
  assert.deepEqual(ev[0], { kind: 'lost', rank: 1, workerId: 'b', silentMs: 301 });
  assert.deepEqual(m.members, [0]);
  assert.deepEqual(m.shareOf(0), { epoch: 1, index: 0, count: 1 });
  assert.deepEqual(
    m.tick(10_000).map((e) => e.kind),
    ['lost', 'epoch', 'drop-open-step'],
    'rank 0 goes too; nobody is left',
  );
  assert.deepEqual(m.members, []);
});

void test('a long step stretches the timeout to 3 step times; the start-up grace covers a worker that has not pushed', () => {
  const m = new Membership(opts({ startupGraceMs: 5000 }));
  started(m);
  assert.deepEqual(m.tick(4000), [], 'within the start-up grace');
  for (const c of ['ca', 'cb']) {
    const w = m.byConn(c);
    assert.ok(w);
    w.pushed = true;
    m.touch(w, { conn: c, now: 4000 });
  }
  assert.deepEqual(m.tick(4000 + 900, 400), [], '3 x 400 ms steps > 900 ms of silence');
  assert.equal(m.tick(4000 + 1201, 400).filter((e) => e.kind === 'lost').length, 2);
});

void test('a replacement gets the lost rank with no share, and joins under a new epoch at the step boundary', () => {
  const m = new Membership(opts());
  started(m);
  m.touch(m.known(0, 'ca')!, { conn: 'ca', now: 1000 });
  m.tick(1000);
  const r = m.register({ workerId: 'b2', requestedRank: 1, conn: 'cb2' }, 1000);
  assert.ok(r.kind === 'assigned');
  assert.equal(r.rank, 1);
  assert.deepEqual(m.shareOf(1), { epoch: 1, index: 0, count: 0 });
  assert.equal(m.isMember(1), false);
  const ev = m.admitJoiners();
  assert.deepEqual(ev, [{ kind: 'epoch', epoch: 2, members: [0, 1], why: 'admitted rank(s) 1', notify: false }]);
  assert.deepEqual(m.shareOf(1), { epoch: 2, index: 1, count: 2 });
  assert.equal(m.register({ workerId: 'c', requestedRank: -1, conn: 'cc' }, 1000).kind, 'refused', 'every rank is taken');
  const again = m.register({ workerId: 'b2', requestedRank: -1, conn: 'cb2' }, 1000);
  assert.ok(again.kind === 'assigned' && again.rank === 1 && !again.rejoin, 'a live worker asking again keeps its rank');
});

void test('wait holds the partition; fail ends the run', () => {
  const w = new Membership(opts({ policy: 'wait' }));
  started(w);
  w.touch(w.known(0, 'ca')!, { conn: 'ca', now: 1000 });
  assert.deepEqual(
    w.tick(1000).map((e) => e.kind),
    ['lost', 'wait'],
  );
  assert.deepEqual(w.members, [0, 1], 'the lost rank keeps its share');
  const r = w.register({ workerId: 'b2', requestedRank: -1, conn: 'x' }, 1000);
  assert.ok(r.kind === 'assigned' && r.rank === 1);
  assert.deepEqual(w.shareOf(1), { epoch: 0, index: 1, count: 2 }, 'the replacement takes the same share');
  const f = new Membership(opts({ policy: 'fail' }));
  started(f);
  f.touch(f.known(0, 'ca')!, { conn: 'ca', now: 1000 });
  assert.deepEqual(f.tick(1000).at(-1), { kind: 'failed', reason: "worker 'b' (rank 1) was lost" });
});

void test("a follower echoes the share of each rank's last push and counts every rank a member", () => {
  const m = new Membership(opts({ coordinator: false }));
  started(m);
  assert.deepEqual(m.shareOf(1), { epoch: 0, index: 0, count: 0 });
  m.recordShare(1, { epoch: 3, index: 0, count: 1 });
  assert.deepEqual(m.shareOf(1), { epoch: 3, index: 0, count: 1 });
  assert.equal(m.isMember(1), true);
  assert.deepEqual(
    m.tick(10_000).map((e) => e.kind),
    ['lost', 'lost'],
    'a follower applies no policy',
  );
});

void test('the run is over here once every worker said goodbye or was lost', () => {
  const m = new Membership(opts());
  started(m);
  assert.equal(m.allGone(), false);
  m.goodbye(m.known(0, 'ca')!);
  assert.equal(m.allGone(), false);
  m.goodbye(m.known(1, 'cb')!);
  assert.equal(m.allGone(), true);
});
