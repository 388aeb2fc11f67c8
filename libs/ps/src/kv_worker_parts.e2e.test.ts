import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KvWorker, type StepOutcome } from './kv_worker';
import { ParameterShard } from './parameter_shard';
import { REFERENCE_HYPER, referenceStep, type ReferenceState } from './reference_sgd.test_util';
import { serveShard } from './serve_shard';

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
