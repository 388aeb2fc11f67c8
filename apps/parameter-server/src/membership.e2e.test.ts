import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { float32Frame, KvClient, pb, TransportError, type WireMessage } from '@lnsgd/transport';
import { parseServerConfig } from './config';
import { startShardServer, type ShardServer } from './shard_server';

// Shard 0's worker-loss policies against a real shard over loopback, with two
// hand-driven workers: rank 0 pushes, rank 1 falls silent and is declared lost after
// --heartbeat-timeout-ms. The shard runs on a fake clock (no liveness timer): time
// passes only when a test says so, so a loaded machine cannot declare the wrong
// worker lost.

const HEARTBEAT_TIMEOUT_MS = 300;

/** A decoded Share as plain data (protobufjs leaves zero fields unset). */
const sh = (
  s: { epoch?: number | null; index?: number | null; count?: number | null } | null | undefined,
): { epoch: number; index: number; count: number } => ({
  epoch: s?.epoch ?? 0,
  index: s?.index ?? 0,
  count: s?.count ?? 0,
});
const clients: KvClient[] = [];
const servers: ShardServer[] = [];
after(async () => {
  for (const c of clients) await c.close();
  for (const s of servers) await s.close();
});

/** The shards' clock (ms). */
let now = 0;
/** Heartbeats the hand-driven workers send (as a real one does), each answered before time moves on. */
const alive: { client: KvClient; rank: number; session: string }[] = [];
function keepAlive(client: KvClient, rank: number, session: string): void {
  alive.push({ client, rank, session });
}

/** Time passes: the live workers heartbeat (each acked), the clock moves past the timeout, and the shard checks liveness. */
async function silence(server: ShardServer, ms = HEARTBEAT_TIMEOUT_MS + 1): Promise<void> {
  await Promise.all(alive.map((w) => w.client.request({ heartbeat: { rank: w.rank, step: 0, session: w.session } })));
  now += ms;
  await Promise.all(alive.map((w) => w.client.request({ heartbeat: { rank: w.rank, step: 0, session: w.session } })));
  server.tick();
}

async function twoWorkers(policy: string): Promise<{ server: ShardServer; logs: string[]; w: { client: KvClient; session: string; rank: number }[] }> {
  const config = parseServerConfig(
    [
      '--preset',
      'uv-toy',
      '--workers',
      '2',
      '--steps',
      '3',
      '--heartbeat-timeout-ms',
      String(HEARTBEAT_TIMEOUT_MS),
      '--startup-grace-ms',
      '0',
      '--on-worker-loss',
      policy,
    ],
    {},
  );
  const logs: string[] = [];
  alive.length = 0;
  const server = await startShardServer({ config, log: (l) => logs.push(l), onEvent: () => undefined, now: () => now });
  servers.push(server);
  const connect = (): KvClient => {
    const c = KvClient.connect({ endpoint: server.endpoint, timeoutMs: 5000 });
    clients.push(c);
    return c;
  };
  const c0 = connect();
  const c1 = connect();
  const [r0, r1] = await Promise.all([
    c0.call({ register: { workerId: 'a', requestedRank: 0 } }, { body: 'assignment' }),
    c1.call({ register: { workerId: 'b', requestedRank: 1 } }, { body: 'assignment' }),
  ]);
  const w = [r0, r1].map((m, i) => ({ client: [c0, c1][i], session: m.envelope.assignment?.session ?? '', rank: m.envelope.assignment?.rank ?? -1 }));
  keepAlive(c0, 0, w[0].session); // rank 1 stays silent
  assert.deepEqual(
    [r0, r1].map((m) => sh(m.envelope.assignment?.share)),
    [
      { epoch: 0, index: 0, count: 2 },
      { epoch: 0, index: 1, count: 2 },
    ],
  );
  return { server, logs, w };
}

function push(
  w: { client: KvClient; session: string; rank: number },
  share: { epoch: number; index: number; count: number },
  samples: number,
  step = 0,
): Promise<WireMessage> {
  const { header, bytes } = float32Frame(new Float32Array([0.5, -0.25]), { offset: 0 });
  return w.client.call(
    { push: { rank: w.rank, step, numSamples: samples, loss: 1, grad: header, session: w.session, share } },
    { body: 'params', frames: [bytes] },
  );
}

void test('rebalance: the open step is recomputed over the survivor and combines the whole batch', async () => {
  const { server, logs, w } = await twoWorkers('rebalance');
  // Rank 0 pushes its half; rank 1 never does. The pending push is answered RECOMPUTE
  // with the survivor's new share: all of B (uv-toy's B = 8) as share 0 of 1.
  const pending = push(w[0], { epoch: 0, index: 0, count: 2 }, 4);
  await silence(server);
  const err = await pending.then(
    () => assert.fail('the push of the old partition must not close the step'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof TransportError && err.remote?.code === pb.ErrorCode.RECOMPUTE, String(err));
  assert.deepEqual(err.remote?.share, { epoch: 1, index: 0, count: 1 });
  const reply = await push(w[0], { epoch: 1, index: 0, count: 1 }, 8);
  assert.equal(reply.envelope.params?.version, 1);
  assert.equal(reply.envelope.params?.stepSamples, 8, 'the step combined B samples');
  assert.deepEqual(sh(reply.envelope.params?.share), { epoch: 1, index: 0, count: 1 });
  assert.equal(server.counters.workersLost, 1);
  assert.equal(server.counters.membershipChanges, 1);
  assert.equal(server.counters.pushesRecompute, 1);
  assert.ok(
    logs.some((l) => /membership epoch 1 at step 0 \(lost rank 1\): B = 8 over rank\(s\) \[0\]/.test(l)),
    logs.join('\n'),
  );
  // A push of the old partition for the next step is refused, not combined.
  await assert.rejects(
    push(w[0], { epoch: 0, index: 0, count: 2 }, 4, 1),
    (e: unknown) => e instanceof TransportError && e.remote?.code === pb.ErrorCode.RECOMPUTE,
  );
  assert.equal(server.counters.stepsClosed, 1);
});

void test('rebalance: a replacement is admitted at the next step with a share of its own', async () => {
  const { server, w } = await twoWorkers('rebalance');
  const dropped = push(w[0], { epoch: 0, index: 0, count: 2 }, 4).catch(() => undefined);
  await silence(server);
  await dropped;
  await push(w[0], { epoch: 1, index: 0, count: 1 }, 8);
  const c = KvClient.connect({ endpoint: server.endpoint, timeoutMs: 5000 });
  clients.push(c);
  const reg = await c.call({ register: { workerId: 'b2', requestedRank: 1 } }, { body: 'assignment' });
  assert.equal(reg.envelope.assignment?.rank, 1, 'takes the lost rank');
  assert.equal(sh(reg.envelope.assignment?.share).count, 0, 'not a member before the step boundary');
  const session = reg.envelope.assignment?.session ?? '';
  keepAlive(c, 1, session);
  // Its pull waits for the close of step 1, after which it holds share 1 of 2.
  const pulled = c.call({ pull: { rank: 1, session, minVersion: 0 } }, { body: 'params' });
  const r = await push(w[0], { epoch: 1, index: 0, count: 1 }, 8, 1);
  assert.equal(r.envelope.params?.version, 2);
  assert.deepEqual(sh(r.envelope.params?.share), { epoch: 2, index: 0, count: 2 }, 'rank 0 is told the new partition in its reply');
  const p = await pulled;
  assert.equal(p.envelope.params?.version, 2);
  assert.deepEqual(sh(p.envelope.params?.share), { epoch: 2, index: 1, count: 2 });
  assert.equal(server.counters.workersAdmitted, 1);
});

void test('wait: the step holds until a replacement takes the lost rank and pushes its share', async () => {
  const { server, logs, w } = await twoWorkers('wait');
  const pending = push(w[0], { epoch: 0, index: 0, count: 2 }, 4);
  await silence(server);
  assert.equal(server.counters.workersLost, 1);
  assert.equal(server.counters.stepsClosed, 0, 'no step closes without rank 1 share');
  assert.ok(
    logs.some((l) => /--on-worker-loss wait: step 0 waits until a replacement takes rank 1/.test(l)),
    logs.join('\n'),
  );
  const c = KvClient.connect({ endpoint: server.endpoint, timeoutMs: 5000 });
  clients.push(c);
  const reg = await c.call({ register: { workerId: 'b2', requestedRank: 1 } }, { body: 'assignment' });
  keepAlive(c, 1, reg.envelope.assignment?.session ?? '');
  assert.deepEqual(sh(reg.envelope.assignment?.share), { epoch: 0, index: 1, count: 2 }, 'the replacement takes the same share');
  const r1 = await push({ client: c, session: reg.envelope.assignment?.session ?? '', rank: 1 }, { epoch: 0, index: 1, count: 2 }, 4);
  assert.equal(r1.envelope.params?.version, 1);
  assert.equal((await pending).envelope.params?.stepSamples, 8);
});

void test('fail: a lost worker ends the run with a failure naming it', async () => {
  const { server } = await twoWorkers('fail');
  await silence(server);
  await server.done;
  assert.match(server.failure() ?? '', /worker 'b' \(rank 1\) was lost at step 0 and --on-worker-loss is fail/);
});

void test('a rank acts only over the connection that registered it: its session alone is not enough', async () => {
  const { server, w } = await twoWorkers('rebalance');
  const stranger = KvClient.connect({ endpoint: server.endpoint, timeoutMs: 5000 });
  clients.push(stranger);
  const pull = await stranger.request({ pull: { rank: 0, session: w[0].session } });
  assert.equal(pull.envelope.error?.code, pb.ErrorCode.UNKNOWN_WORKER, JSON.stringify(pull.envelope));
  assert.ok(!(pull.envelope.error?.message ?? '').includes(w[0].session), 'the error does not name the session');
  await assert.rejects(
    push({ client: stranger, session: w[0].session, rank: 0 }, { epoch: 0, index: 0, count: 2 }, 4),
    (e: unknown) => e instanceof TransportError && e.remote?.code === pb.ErrorCode.UNKNOWN_WORKER,
  );
  assert.equal(server.counters.pushesAccepted, 0);
  // The real rank 0 is unaffected.
  const own = await w[0].client.call({ pull: { rank: 0, session: w[0].session } }, { body: 'params' });
  assert.equal(own.envelope.params?.version, 0);
});
