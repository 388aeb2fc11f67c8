import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as zmq from 'zeromq';
import { encodeMessage, float32Frame, pb, type pbTypes } from '@lnsgd/transport';
import { parseServerConfig } from './config';
import { startShardServer, type ShardServer } from './shard_server';
import { registerRaw, rpc } from './test_rpc';

// Bad input at a real shard over loopback: each gets a typed error (or a drop), a
// counter and a log line; none changes the parameters or stops the server.

const logs: string[] = [];
let server: ShardServer | undefined;
const socks: zmq.Dealer[] = [];
let finish: () => Promise<void> = () => Promise.resolve();
after(async () => {
  await finish();
  for (const s of socks) s.close();
});

void test('bad pushes are refused with typed errors and counters; the parameters do not change', async () => {
  const config = parseServerConfig(['--preset', 'uv-toy', '--workers', '1', '--max-message-bytes', '4096', '--steps', '5'], {});
  server = await startShardServer({ config, log: (l) => logs.push(l), onEvent: () => undefined });
  const { sock, assignment: a } = await registerRaw(server.endpoint);
  socks.push(sock);
  const session = a.session ?? '';
  const pull = async (): Promise<number[]> => {
    const r = await rpc(sock, { pull: { rank: 0, session } });
    return Array.from(new Float32Array(Uint8Array.from(r.frames[0]).buffer));
  };
  const before = await pull();
  const push = (grad: Float32Array, extra: Partial<pbTypes.IPushGradient> = {}) => {
    const { header, bytes } = float32Frame(grad, { offset: 0 });
    return { env: { push: { rank: 0, step: 0, numSamples: 8, loss: 1, grad: header, session, ...extra } }, bytes };
  };
  const expectCode = async (env: pbTypes.Envelope.$Properties, frames: Uint8Array[], code: number): Promise<void> => {
    const r = await rpc(sock, env, frames);
    assert.equal(r.env.body, 'error', JSON.stringify(r.env));
    assert.equal(r.env.error?.code, code, `expected ${pb.ErrorCode[code]}, got ${pb.ErrorCode[r.env.error?.code ?? 0]}: ${r.env.error?.message}`);
  };
  const good = push(new Float32Array([1, 1]));
  await expectCode({ ...good.env, push: { ...good.env.push, session: 'nope' } }, [good.bytes], pb.ErrorCode.UNKNOWN_WORKER);
  const nan = push(new Float32Array([Number.NaN, 1]));
  await expectCode(nan.env, [nan.bytes], pb.ErrorCode.NON_FINITE);
  const wrong = push(new Float32Array([1, 2, 3]));
  await expectCode(wrong.env, [wrong.bytes], pb.ErrorCode.BAD_SHAPE);
  const corrupt = Buffer.from(good.bytes);
  corrupt[0] ^= 0xff;
  await expectCode(good.env, [corrupt], pb.ErrorCode.CHECKSUM_MISMATCH);
  await expectCode(good.env, [good.bytes, good.bytes], pb.ErrorCode.BAD_SHAPE);
  await expectCode({ ...good.env, push: { ...good.env.push, step: 3 } }, [good.bytes], pb.ErrorCode.STEP_MISMATCH);
  await expectCode(good.env, [good.bytes, new Uint8Array(8192)], pb.ErrorCode.TOO_LARGE);
  await expectCode({ register: { workerId: 'intruder' } }, [], pb.ErrorCode.RUN_FULL);
  await expectCode({ register: { workerId: '' } }, [], pb.ErrorCode.MALFORMED);
  await sock.send([Buffer.from([0x0a, 0xff])]);
  const [mal] = await sock.receive();
  assert.equal(pb.Envelope.decode(mal).error?.code, pb.ErrorCode.MALFORMED);
  assert.deepEqual(await pull(), before, 'refused pushes never touch the parameters');
  const c = server.counters;
  assert.equal(c.unknownWorker, 1);
  assert.equal(c.runFull, 1);
  assert.equal(c.nonFinite, 1);
  assert.equal(c.badShape, 2);
  assert.equal(c.checksumMismatch, 1);
  assert.equal(c.stepMismatch, 1);
  assert.equal(c.malformed, 1, 'the empty worker id (the undecodable frame is counted by the transport)');
  assert.ok(logs.length >= 10, `one log line per refusal, got ${logs.length}`);

  // A good push closes the step; its duplicate (a lost reply) is answered again, idempotently.
  const ok = await rpc(sock, good.env, [good.bytes]);
  assert.equal(ok.env.params?.version, 1);
  const again = await rpc(sock, good.env, [good.bytes]);
  assert.equal(again.env.params?.version, 1);
  assert.deepEqual(Array.from(new Float32Array(Uint8Array.from(again.frames[0]).buffer)), Array.from(new Float32Array(Uint8Array.from(ok.frames[0]).buffer)));
  assert.equal(c.stepsClosed, 1);

  // Stop: the next step is the last; the worker's goodbye lets the server exit.
  finish = async () => {
    server?.requestStop('test over');
    const next = push(new Float32Array([1, 1]), { step: 1 });
    const last = await rpc(sock, next.env, [next.bytes]);
    assert.equal(last.env.params?.final, true);
    await sock.send(encodeMessage({ stop: { reason: 'done rank 0' } }));
    assert.equal(await server?.done, 2);
  };
});
