import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KvWorker, type StepOutcome } from './kv_worker';
import { ParameterShard } from './parameter_shard';
import { REFERENCE_HYPER, referenceStep, type ReferenceState } from './reference_sgd.test_util';
import { serveShard } from './serve_shard';
import { KvServer, TransportError, float32Frame } from '@lnsgd/transport';

// KvWorker and a served shard over real ZeroMQ sockets on loopback, with pushes and
// replies in many parts: every part arrives (a ROUTER drops what exceeds a peer's send
// mark, so the shard's mark must cover a reply's parts), and θ after each step is the
// reference's bit for bit.

void test('a worker pushes in hundreds of parts and gets every reply part, bit-identical to the reference', async () => {
  const n = 1 << 16;
  const partLength = 256;
  const batch = 8;
  const theta0 = Float32Array.from({ length: n }, (_, i) => Math.fround(Math.cos(i)));
  const shard = new ParameterShard({ params: theta0.slice(), hyper: REFERENCE_HYPER, reuseParams: true, partLength });
  const range = { shard: 0, offset: 0, length: n };
  const served = await serveShard({
    bind: 'tcp://127.0.0.1:0',
    maxMessageBytes: 1 << 24,
    log: () => undefined,
    core: {
      config: {
        shard: 0,
        shards: 1,
        workers: 1,
        batch,
        steps: 100,
        onWorkerLoss: 'rebalance',
        heartbeatTimeoutMs: 120_000,
        startupGraceMs: 120_000,
        authToken: '',
        checksum: true,
        stayAfterRun: false,
      },
      range,
      session: 'parts-e2e',
      shard,
      assignment: { worldSize: 1, numShards: 1, numParams: n, range, run: { preset: 'synthetic', steps: 100, batch } },
    },
  });
  const kv = await KvWorker.connect({
    endpoints: [served.endpoint],
    workerId: 'parts-e2e',
    rank: 0,
    authToken: '',
    timeoutMs: 30_000,
    retries: 0,
    registerTimeoutMs: 30_000,
    reconnectTimeoutMs: 0,
    checksum: true,
    log: () => undefined,
  });
  try {
    assert.ok(kv !== undefined);
    assert.equal(kv.assignment.partLength, partLength);
    const ref: ReferenceState = { theta: theta0.slice(), velocity: new Float32Array(n), count: 0 };
    let share = { epoch: 0, index: 0, count: 1 };
    let theta = theta0.slice();
    const buffers = [new Float32Array(n), new Float32Array(n)];
    for (let step = 0; step < 3; step++) {
      const grad = Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * 0.37 + step)));
      const out: StepOutcome = await kv.pushPull({ step, theta, share, next: buffers[step % 2], compute: () => ({ grad, samples: batch, loss: 1 }) });
      referenceStep(ref, [{ w: batch, g: grad }]);
      assert.equal(out.version, step + 1);
      assert.ok(Buffer.from(out.theta.buffer, out.theta.byteOffset, out.theta.byteLength).equals(Buffer.from(ref.theta.buffer)), `θ after step ${step}`);
      theta = out.theta.slice();
      share = out.share;
    }
  } finally {
    await kv?.close();
    await served.close();
  }
});

void test('a reply in parts is written into θ as it arrives: parts sent again carry the values that count; a part outside the range fails the step', async () => {
  // A scripted shard of 3 keys in parts of 1: to step 0 it replies with parts 0 and 1 of
  // stale values, then (as a shard that dropped its step does) all 3 parts again; to step 1
  // with a part 1 that overruns the range.
  const n = 3;
  const stale = [-1, -2];
  const fresh = [0.5, 1.5, 2.5];
  const server: KvServer = await KvServer.bind({
    endpoint: 'tcp://127.0.0.1:0',
    maxMessageBytes: 1 << 20,
    highWaterMark: 64,
    onRequest: (req) => {
      const env = req.message.envelope;
      const requestId = env.requestId;
      const reply = (part: number, values: number[], offset = part): void => {
        const { header, bytes } = float32Frame(new Float32Array(values), { offset });
        void server.send(req.peer, { requestId, params: { version: (env.push?.step ?? 0) + 1, params: header, part, parts: n } }, [bytes]);
      };
      if (env.register) {
        const range = { shard: 0, offset: 0, length: n };
        void server.send(req.peer, {
          requestId,
          assignment: {
            rank: 0,
            worldSize: 1,
            numShards: 1,
            numParams: n,
            range,
            partLength: 1,
            session: 's',
            run: { preset: 'synthetic', steps: 9, batch: 1 },
          },
        });
        return;
      }
      const push = env.push;
      if (push === undefined || push === null || (push.part ?? 0) !== n - 1) return;
      if (push.step === 0) {
        stale.forEach((v, part) => reply(part, [v]));
        fresh.forEach((v, part) => reply(part, [v]));
      } else {
        reply(0, [fresh[0]]);
        reply(1, [7, 8, 9], 1);
      }
    },
  });
  const kv = await KvWorker.connect({
    endpoints: [server.endpoint],
    workerId: 'scripted',
    rank: 0,
    authToken: '',
    timeoutMs: 5_000,
    retries: 0,
    registerTimeoutMs: 5_000,
    reconnectTimeoutMs: 0,
    checksum: true,
    log: () => undefined,
  });
  try {
    assert.ok(kv !== undefined);
    const share = { epoch: 0, index: 0, count: 1 };
    const grad = new Float32Array(n).fill(1);
    const compute = (): { grad: Float32Array; samples: number; loss: number } => ({ grad, samples: 1, loss: 0 });
    const next = new Float32Array(n);
    const out = await kv.pushPull({ step: 0, theta: new Float32Array(n), share, next, compute });
    assert.equal(out.theta, next, 'a reply in parts is assembled in the buffer given as next');
    assert.deepEqual(Array.from(out.theta), fresh);
    await assert.rejects(
      kv.pushPull({ step: 1, theta: out.theta.slice(), share, next: new Float32Array(n), compute }),
      (err: unknown) => err instanceof TransportError && err.code === 'BAD_SHAPE' && /part 1 of params/.test(err.message),
    );
  } finally {
    await kv?.close();
    await server.close();
  }
});
