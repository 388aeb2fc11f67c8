import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeMessage, encodeMessage, float32Frame, type EnvelopeInit, type pbTypes } from '@lnsgd/transport';
import { ParameterShard } from './parameter_shard';
import { shareSamples } from './push_check';
import { ShardCore } from './shard_core';

// Stragglers are named: ShardCore keeps, per rank, how long after the step's first
// accepted push that rank's push was accepted (fake clock, no sockets).

void test('pushDelays names the rank that pushes late, step after step', () => {
  let now = 0;
  const workers = 3;
  const batch = 6;
  const replies: pbTypes.Envelope[] = [];
  const core = new ShardCore({
    config: {
      shard: 0,
      shards: 1,
      workers,
      batch,
      steps: 10,
      onWorkerLoss: 'wait',
      heartbeatTimeoutMs: 60_000,
      startupGraceMs: 0,
      authToken: '',
      checksum: false,
      stayAfterRun: false,
    },
    range: { shard: 0, offset: 0, length: 2 },
    session: 'S',
    shard: new ParameterShard({ params: new Float32Array(2), hyper: { lr: 0.1, momentum: 0, weightDecay: 0, warmupSteps: 0 } }),
    assignment: { worldSize: workers, numShards: 1, numParams: 2, range: { shard: 0, offset: 0, length: 2 } },
    now: () => now,
    out: {
      send: (_peer, env, frames) => replies.push(decodeMessage(encodeMessage(env, frames).map((f) => Buffer.from(f))).envelope),
      log: () => undefined,
      closed: () => undefined,
      exit: () => undefined,
    },
  });
  let id = 1;
  const send = (rank: number, env: EnvelopeInit, frames: Uint8Array[] = []): void =>
    core.handle({
      peer: Buffer.from([rank + 1]),
      message: decodeMessage(encodeMessage({ ...env, requestId: id++ }, frames).map((f) => Buffer.from(f))),
      bytes: 0,
    });
  for (let r = 0; r < workers; r++) send(r, { register: { workerId: `w${r}`, requestedRank: r } });
  assert.equal(replies.filter((e) => e.body === 'assignment').length, workers);
  assert.deepEqual(core.pushDelays, []);
  const push = (rank: number, step: number): void => {
    const f = float32Frame(Float32Array.from([0.5, -0.5]), { offset: 0, checksum: false });
    const share = { epoch: 0, index: rank, count: workers };
    send(rank, { push: { rank, step, session: 'S', numSamples: shareSamples(batch, share), loss: 1, grad: f.header, share } }, [f.bytes]);
  };
  for (let step = 0; step < 4; step++) {
    now += 100;
    push(0, step);
    now += 5;
    push(2, step);
    now += 750; // rank 1 is late by most of the step
    push(1, step);
    assert.equal(core.version, step + 1, `step ${step} closed`);
    assert.deepEqual(core.pushDelays, [0, 755, 5], `after step ${step}`);
  }
});
