import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createModel } from '@lnsgd/models';
import { keyRanges } from '@lnsgd/transport';
import { initialParams } from '@lnsgd/ps/initial-params';

// The PS builds the model in a worker thread so that its own isolate never loads
// TensorFlow.js (a 20 MB heap that every mark-compact would walk).

void test("initialParams returns the model size and exactly the shard's slice of model.init(seed)", async () => {
  const model = createModel('mlp', { sizes: [7, 5, 3] });
  const theta = model.init(11);
  for (const shards of [1, 3]) {
    for (let shard = 0; shard < shards; shard++) {
      const got = await initialParams({ model: { name: 'mlp', options: { sizes: [7, 5, 3] } }, seed: 11, shards: { shard, shards } });
      const r = keyRanges(model.numParams, shards)[shard];
      assert.equal(got.numParams, model.numParams);
      assert.deepEqual(got.slice, theta.slice(r.offset, r.offset + r.length), `shard ${shard} of ${shards}`);
    }
  }
  const sizeOnly = await initialParams({ model: { name: 'quadratic-sparse', options: { d: 12 } }, seed: 0 });
  assert.equal(sizeOnly.numParams, 12);
  assert.equal(sizeOnly.slice, undefined);
});

void test("initialParams rejects with the model's own error", async () => {
  await assert.rejects(initialParams({ model: { name: 'vgg', options: {} }, seed: 0 }), /createModel: name must be one of/);
  await assert.rejects(initialParams({ model: { name: 'mlp', options: { sizes: [3] } }, seed: 0 }), /createMlp: sizes must be/);
});

void test('the parameter-server process does not load TensorFlow.js', () => {
  const probe = `require(${JSON.stringify(require.resolve('./main'))}); require(${JSON.stringify(require.resolve('./shard_server'))});
    process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes('@tensorflow'))));`;
  const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout) as string[], [], 'modules of TensorFlow.js in the PS isolate');
});
