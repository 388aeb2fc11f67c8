import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as zmq from 'zeromq';
import { encodeMessage, float32Frame, KvClient, pb, type pbTypes, type WireMessage } from '@lnsgd/transport';
import { parseServerConfig } from './config';
import { startShardServer, type ShardServer } from './shard_server';

// The promises of proto/trainer.proto, each against a real shard over loopback. No
// test waits on a timer: every step is a request and its reply.

const clients: KvClient[] = [];
const servers: ShardServer[] = [];
const raws: zmq.Dealer[] = [];
after(async () => {
  for (const r of raws) r.close();
  for (const c of clients) await c.close();
  for (const s of servers) await s.close();
});

interface Worker {
  readonly client: KvClient;
  readonly session: string;
  readonly rank: number;
}

async function shardWith(workers: number, extra: string[] = [], env: Record<string, string> = {}): Promise<{ server: ShardServer; w: Worker[] }> {
  const config = parseServerConfig(['--preset', 'uv-toy', '--workers', String(workers), '--batch', '8', '--steps', '5', ...extra], env);
  const server = await startShardServer({ config, log: () => undefined, onEvent: () => undefined });
  servers.push(server);
  const regs = await Promise.all(
    Array.from({ length: workers }, async (_, rank) => {
      const client = KvClient.connect({ endpoint: server.endpoint, timeoutMs: 20_000 });
      clients.push(client);
      const m = await client.call(
        { register: { workerId: `w${rank}`, requestedRank: rank, authToken: env['LNSGD_AUTH_TOKEN'] ?? '' } },
        { body: 'assignment' },
      );
      return { client, session: m.envelope.assignment?.session ?? '', rank };
    }),
  );
  return { server, w: regs };
}

function push(w: Worker, opts: { samples: number; grad?: number[]; step?: number; count?: number }): Promise<WireMessage> {
  const { header, bytes } = float32Frame(new Float32Array(opts.grad ?? [0.5, -0.25]), { offset: 0 });
  const share = { epoch: 0, index: w.rank, count: opts.count ?? 1 };
  return w.client.request(
    { push: { rank: w.rank, step: opts.step ?? 0, numSamples: opts.samples, loss: 1, grad: header, session: w.session, share } },
    { frames: [bytes] },
  );
}

const floats = (m: WireMessage): number[] => Array.from(new Float32Array(Uint8Array.from(m.frames[0]).buffer));

void test('a push whose num_samples is not its share of B (0 included) is refused BAD_SHAPE and counted', async () => {
  const { server, w } = await shardWith(1);
  for (const samples of [0, 1, 7, 9]) {
    const r = await push(w[0], { samples });
    assert.equal(r.envelope.error?.code, pb.ErrorCode.BAD_SHAPE, `num_samples ${samples}: ${JSON.stringify(r.envelope)}`);
    assert.match(r.envelope.error?.message ?? '', /num_samples/);
  }
  assert.equal(server.counters.badShape, 4);
  assert.equal(server.counters.pushesAccepted, 0);
  const ok = await push(w[0], { samples: 8 });
  assert.equal(ok.envelope.params?.version, 1);
  assert.equal(ok.envelope.params?.stepSamples, 8);
});

void test('with two workers each share must carry exactly B/2 samples', async () => {
  const { server, w } = await shardWith(2);
  const short = await push(w[0], { samples: 1, count: 2 });
  assert.equal(short.envelope.error?.code, pb.ErrorCode.BAD_SHAPE, JSON.stringify(short.envelope));
  const [a, b] = await Promise.all([push(w[0], { samples: 4, count: 2 }), push(w[1], { samples: 4, count: 2 })]);
  assert.equal(a.envelope.params?.stepSamples, 8);
  assert.equal(b.envelope.params?.stepSamples, 8);
  assert.equal(server.counters.badShape, 1);
});

void test('a different second push for the open step is refused DUPLICATE_PUSH; the first and an identical resend still get the reply', async () => {
  const { server, w } = await shardWith(2);
  const first = push(w[0], { samples: 4, count: 2, grad: [1, 2] });
  const other = await push(w[0], { samples: 4, count: 2, grad: [3, 4] });
  assert.equal(other.envelope.error?.code, pb.ErrorCode.DUPLICATE_PUSH, JSON.stringify(other.envelope));
  assert.equal(other.envelope.error?.currentVersion, 0);
  const resend = push(w[0], { samples: 4, count: 2, grad: [1, 2] });
  const last = await push(w[1], { samples: 4, count: 2, grad: [1, 2] });
  const [f, r] = await Promise.all([first, resend]);
  assert.equal(f.envelope.params?.version, 1, JSON.stringify(f.envelope));
  assert.equal(r.envelope.params?.version, 1, JSON.stringify(r.envelope));
  assert.deepEqual(floats(r), floats(f));
  assert.deepEqual(floats(last), floats(f));
  // After the close: an identical resend gets the same reply, a different one is refused.
  const late = await push(w[0], { samples: 4, count: 2, grad: [1, 2] });
  assert.equal(late.envelope.params?.version, 1);
  assert.deepEqual(floats(late), floats(f));
  const lateOther = await push(w[0], { samples: 4, count: 2, grad: [9, 9] });
  assert.equal(lateOther.envelope.error?.code, pb.ErrorCode.DUPLICATE_PUSH, JSON.stringify(lateOther.envelope));
  assert.equal(lateOther.envelope.error?.currentVersion, 1);
  assert.equal(server.counters.stepsClosed, 1);
  assert.equal(server.counters.pushesAccepted, 2, 'no push is applied twice');
});

void test("the launcher's Stop ends the run at the step boundary; the typed goodbye lets the shard exit", async () => {
  const { server, w } = await shardWith(1, [], { LNSGD_AUTH_TOKEN: 'secret' });
  const launcher = KvClient.connect({ endpoint: server.endpoint, timeoutMs: 20_000 });
  clients.push(launcher);
  // Without the token a Stop from a stranger is a forged goodbye; with a wrong one, unauthorized.
  const forged = await launcher.request({ stop: { reason: 'done rank 0' } });
  assert.equal(forged.envelope.error?.code, pb.ErrorCode.UNKNOWN_WORKER, JSON.stringify(forged.envelope));
  const denied = await launcher.request({ stop: { reason: 'operator', authToken: 'wrong' } });
  assert.equal(denied.envelope.error?.code, pb.ErrorCode.NOT_AUTHORIZED, JSON.stringify(denied.envelope));
  assert.equal(server.counters.notAuthorized, 1);
  assert.equal(server.finished(), false, 'neither stopped the run');
  const ack = await launcher.request({ stop: { reason: 'operator', authToken: 'secret' } });
  assert.equal(ack.envelope.body, 'stop', JSON.stringify(ack.envelope));
  const last = await push(w[0], { samples: 8 });
  assert.equal(last.envelope.params?.version, 1);
  assert.equal(last.envelope.params?.final, true, 'the step after the Stop is the last');
  w[0].client.notify({ stop: { reason: 'done', goodbye: { rank: 0, session: w[0].session } } });
  assert.equal(await server.done, 1);
});

void test('every error reply echoes a readable request id and carries the current version', async () => {
  const { server, w } = await shardWith(1, ['--max-message-bytes', '4096']);
  assert.equal((await push(w[0], { samples: 8 })).envelope.params?.version, 1);
  const raw = new zmq.Dealer({ linger: 0, receiveTimeout: 20_000 });
  raws.push(raw);
  raw.connect(server.endpoint);
  const roundTrip = async (frames: Uint8Array[]): Promise<pbTypes.Envelope> => {
    await raw.send(frames);
    const [h] = await raw.receive();
    return pb.Envelope.decode(h);
  };
  const cases: { what: string; frames: Uint8Array[]; code: number }[] = [
    {
      what: 'too large',
      frames: encodeMessage({ requestId: 71, pull: { rank: 0, session: w[0].session } }, [new Uint8Array(8192)]),
      code: pb.ErrorCode.TOO_LARGE,
    },
    { what: 'no body', frames: [pb.Envelope.encode({ protocol: 1, requestId: 72 }).finish()], code: pb.ErrorCode.MALFORMED },
    { what: 'another protocol', frames: [pb.Envelope.encode({ protocol: 9, requestId: 73, pull: {} }).finish()], code: pb.ErrorCode.VERSION_MISMATCH },
    { what: 'a server message', frames: encodeMessage({ requestId: 74, heartbeatAck: {} }), code: pb.ErrorCode.MALFORMED },
    { what: 'unknown worker', frames: encodeMessage({ requestId: 75, pull: { rank: 0, session: 'x' } }), code: pb.ErrorCode.UNKNOWN_WORKER },
  ];
  for (const c of cases) {
    const e = await roundTrip(c.frames);
    assert.equal(e.error?.code, c.code, `${c.what}: ${JSON.stringify(e)}`);
    assert.equal(e.requestId, 71 + cases.indexOf(c), `${c.what}: request id`);
    assert.equal(e.error?.currentVersion, 1, `${c.what}: current version`);
  }
  // A header that is not protobuf at all: no id can be read, but the version is still there.
  const junk = await roundTrip([Buffer.from([0x0a, 0xff])]);
  assert.equal(junk.error?.code, pb.ErrorCode.MALFORMED);
  assert.equal(junk.error?.currentVersion, 1);
  assert.ok(!(await push(w[0], { samples: 8, step: 1 })).envelope.error, 'the shard still serves');
});

void test('a registration resent while the run waits for its workers gets the assignment too', async () => {
  const config = parseServerConfig(['--preset', 'uv-toy', '--workers', '2', '--batch', '8', '--steps', '5'], {});
  const server = await startShardServer({ config, log: () => undefined, onEvent: () => undefined });
  servers.push(server);
  const a = KvClient.connect({ endpoint: server.endpoint, timeoutMs: 20_000 });
  const b = KvClient.connect({ endpoint: server.endpoint, timeoutMs: 20_000 });
  clients.push(a, b);
  const first = a.request({ register: { workerId: 'a', requestedRank: 0 } });
  const resent = a.request({ register: { workerId: 'a', requestedRank: 0 } });
  const other = await b.request({ register: { workerId: 'b', requestedRank: 1 } });
  const [f, r] = await Promise.all([first, resent]);
  assert.equal(f.envelope.assignment?.rank, 0, JSON.stringify(f.envelope));
  assert.equal(r.envelope.assignment?.rank, 0, JSON.stringify(r.envelope));
  assert.equal(other.envelope.assignment?.rank, 1);
});
