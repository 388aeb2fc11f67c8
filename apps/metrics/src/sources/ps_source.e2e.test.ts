import { test } from 'node:test';
import assert from 'node:assert/strict';
import { float32Frame, KvServer, type ServerRequest } from '@lnsgd/transport';
import { psSnapshotSource } from './ps_source';

/** A stand-in shard: answers SnapshotRequest from `state` like the parameter server does. */
async function fakeShard(state: {
  shard: number;
  shards: number;
  offset: number;
  params: Float32Array;
  version: number;
  requests: boolean[];
}): Promise<KvServer> {
  const server: KvServer = await KvServer.bind({
    endpoint: 'tcp://127.0.0.1:0',
    onRequest: (req: ServerRequest) => {
      const include = req.message.envelope.snapshotRequest?.includeParams === true;
      state.requests.push(include);
      const frame = include ? float32Frame(state.params, { offset: state.offset }) : undefined;
      void server.send(
        req.peer,
        {
          requestId: req.message.envelope.requestId,
          snapshot: {
            version: state.version,
            range: { shard: state.shard, offset: state.offset, length: state.params.length },
            numShards: state.shards,
            params: frame?.header ?? null,
            noise: { emaGradSqNorm: 2, emaTraceSigma: 3 * (state.shard + 1), count: 5 },
          },
        },
        frame === undefined ? [] : [frame.bytes],
      );
    },
  });
  return server;
}

void test("psSnapshotSource: latestStep moves no parameters; fetch joins the shards' key ranges and sums the noise-scale parts", async () => {
  const a = { shard: 0, shards: 2, offset: 0, params: new Float32Array([1, 2, 3]), version: 7, requests: [] as boolean[] };
  const b = { shard: 1, shards: 2, offset: 3, params: new Float32Array([4, 5]), version: 7, requests: [] as boolean[] };
  const servers = [await fakeShard(a), await fakeShard(b)];
  const source = psSnapshotSource({ endpoints: servers.map((s) => s.endpoint), numParams: 5, finalStep: 8, timeoutMs: 5000 });
  try {
    assert.equal(await source.latestStep(), 7);
    assert.deepEqual([a.requests, b.requests], [[false], [false]], 'latestStep asks without parameters');
    assert.equal(await source.finished(), false);
    const snap = await source.fetch();
    assert.ok(snap !== undefined);
    assert.equal(snap.step, 7);
    assert.deepEqual([...snap.theta], [1, 2, 3, 4, 5]);
    // B_simple = (3 + 6) / (2 + 2): both parts are additive over shards.
    assert.equal(snap.gradientNoiseScale, 9 / 4);
    a.version = 8;
    b.version = 8;
    assert.equal(await source.latestStep(), 8);
    assert.equal(await source.finished(), true, 'the final step finishes the source');
  } finally {
    await source.close();
    for (const s of servers) await s.close();
  }
});

void test('psSnapshotSource: shards that disagree on the version or the layout are an error, never a torn θ', async () => {
  const a = { shard: 0, shards: 2, offset: 0, params: new Float32Array([1, 2]), version: 3, requests: [] as boolean[] };
  const b = { shard: 1, shards: 2, offset: 2, params: new Float32Array([4]), version: 4, requests: [] as boolean[] };
  const servers = [await fakeShard(a), await fakeShard(b)];
  const source = psSnapshotSource({ endpoints: servers.map((s) => s.endpoint), numParams: 3, attempts: 2 });
  const wrongSize = psSnapshotSource({ endpoints: servers.map((s) => s.endpoint), numParams: 4 });
  try {
    assert.equal(await source.latestStep(), 3, "the older shard's version is the newest whole snapshot");
    await assert.rejects(source.fetch(), /different versions \[3, 4\] over 2 tries/);
    b.version = 3;
    await assert.rejects(wrongSize.fetch(), /cover 3 parameters, the run's model has 4/);
  } finally {
    await source.close();
    await wrongSize.close();
    for (const s of servers) await s.close();
  }
});
