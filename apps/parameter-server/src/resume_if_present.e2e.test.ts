import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listCheckpoints } from '@lnsgd/ps';
import { parseServerConfig } from './config';
import { startShardServer, type ShardServer } from './shard_server';
import { shardFixture, testWorker, type TestWorker } from './test_rpc';

// --resume-if-present (LNSGD_RESUME_IF_PRESENT): a PS restarted in place over its own
// checkpoint directory continues from the checkpoint; with no checkpoint it starts fresh.
// This is what the Kubernetes StatefulSet sets, where a restarted container finds the
// checkpoint volume of the one that died.

const { dir, servers, workers } = shardFixture('lnsgd-resume-if-present-');

/** Starts a one-worker uv-toy shard over `dir` and registers its worker (the real client). */
async function startAndRegister(
  extra: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ server: ShardServer; worker: TestWorker; startStep: number; logs: string[] }> {
  const logs: string[] = [];
  const config = parseServerConfig(
    ['--preset', 'uv-toy', '--workers', '1', '--steps', '100', '--checkpoint-dir', dir, '--checkpoint-every', '2', ...extra],
    env,
  );
  const server = await startShardServer({ config, log: (l) => logs.push(l), onEvent: () => undefined });
  servers.push(server);
  const worker = await testWorker(server.endpoint, workers);
  return { server, worker, startStep: worker.startStep, logs };
}

async function push(w: { worker: TestWorker }, step: number): Promise<number[]> {
  const r = await w.worker.step(step);
  assert.equal(r.version, step + 1);
  return r.theta;
}

void test('--resume-if-present starts fresh without a checkpoint and continues from it after a restart', async () => {
  assert.equal(listCheckpoints(dir, { shard: 0, shards: 1 }).length, 0);
  const first = await startAndRegister(['--resume-if-present']);
  assert.equal(first.startStep, 0, 'no checkpoint: a fresh start');
  assert.ok(
    first.logs.some((l) => /no checkpoint of shard 0 of 1 in .*starting fresh/.test(l)),
    first.logs.join('\n'),
  );
  let theta: number[] = [];
  for (let k = 0; k < 5; k++) theta = await push(first, k);
  // Steps 2 and 4 wrote checkpoints; step 5 did not. A crash now loses step 5 only.
  assert.ok(listCheckpoints(dir, { shard: 0, shards: 1 }).length > 0);
  await first.server.close();

  // The same directory through the environment variable the StatefulSet sets.
  const second = await startAndRegister([], { LNSGD_RESUME_IF_PRESENT: '1' });
  assert.equal(second.startStep, 4, 'resumed at the last checkpoint (step 4), not at 0');
  assert.ok(
    second.logs.some((l) => l.includes(`resumed from ${dir} at step 4`)),
    second.logs.join('\n'),
  );
  // Step 4 recomputed with the same gradient gives the same parameters as before the restart.
  const again = await push(second, 4);
  assert.deepEqual(again, theta);
  await second.server.close();
});

void test('--resume-if-present needs a checkpoint directory, excludes --resume, and rejects a malformed env value', () => {
  assert.throws(() => parseServerConfig(['--resume-if-present'], {}), /needs --checkpoint-dir/);
  assert.throws(() => parseServerConfig(['--resume-if-present', '--checkpoint-dir', dir, '--resume', dir], {}), /either --resume <dir> or --resume-if-present/);
  assert.throws(() => parseServerConfig(['--checkpoint-dir', dir], { LNSGD_RESUME_IF_PRESENT: 'maybe' }), /LNSGD_RESUME_IF_PRESENT: 'maybe' must be/);
  assert.equal(parseServerConfig(['--checkpoint-dir', dir], { LNSGD_RESUME_IF_PRESENT: 'true' }).resumeIfPresent, true);
  assert.equal(parseServerConfig(['--checkpoint-dir', dir], { LNSGD_RESUME_IF_PRESENT: '0' }).resumeIfPresent, false);
  assert.equal(parseServerConfig([], {}).resumeIfPresent, false);
});

void test("--resume-if-present over another run's checkpoint: the error names the file and the way out, not --resume", async () => {
  // The first test left a checkpoint of a 100-step uv-toy run at lr 0.1 in `dir`.
  assert.ok(listCheckpoints(dir, { shard: 0, shards: 1 }).length > 0);
  const config = parseServerConfig(
    ['--preset', 'uv-toy', '--workers', '1', '--steps', '100', '--lr', '0.05', '--checkpoint-dir', dir, '--resume-if-present'],
    {},
  );
  await assert.rejects(startShardServer({ config, log: () => undefined, onEvent: () => undefined }), (err: Error) => {
    assert.match(err.message, /--resume-if-present: the checkpoint .*shard-0-of-1\.step-\d+\.ckpt is of another run/);
    assert.match(err.message, /give this run its own, or delete the file/);
    assert.doesNotMatch(err.message, /--resume \//);
    return true;
  });
});
