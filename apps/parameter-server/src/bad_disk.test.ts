import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { checkpointPath, listCheckpoints } from '@lnsgd/ps';
import { createTelemetry } from '@lnsgd/telemetry';
import { parseServerConfig } from './config';
import { startShardServer, type ShardEvent, type ShardServer } from './shard_server';
import { shardFixture, testWorker, type TestWorker } from './test_rpc';

// Checkpoints on a bad disk, in process over real ZeroMQ: a write that fails is logged,
// counted (lnsgd_ps_checkpoint_failures_total) and survived; a damaged newest checkpoint
// is passed over on resume for the one before. A full disk (ENOSPC) and a read-only
// mount need root: tests/src/checkpoint_bad_disk.e2e.test.ts.

const { dir, servers, workers } = shardFixture('lnsgd-bad-disk-');
const layout = { shard: 0, shards: 1 };

async function start(
  ckptDir: string,
  extra: readonly string[],
): Promise<{ server: ShardServer; worker: TestWorker; logs: string[]; events: ShardEvent[]; metrics: () => Promise<string> }> {
  const logs: string[] = [];
  const events: ShardEvent[] = [];
  const config = parseServerConfig(
    ['--preset', 'uv-toy', '--workers', '1', '--steps', '100', '--checkpoint-dir', ckptDir, '--checkpoint-every', '1', ...extra],
    {},
  );
  const telemetry = createTelemetry({ registry: new Registry(), identity: { run: 'bad-disk', role: 'ps', shard: 0 } });
  const server = await startShardServer({ config, log: (l) => logs.push(l), onEvent: (e) => events.push(e), telemetry });
  servers.push(server);
  const worker = await testWorker(server.endpoint, workers);
  return { server, worker, logs, events, metrics: () => telemetry.registry.metrics() };
}

const counter = (text: string, name: string): number => Number(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);

void test('a checkpoint directory that cannot be written: every failure is logged and counted, training goes on, and checkpoints resume once it can', async () => {
  // A regular file where the directory should be: mkdir fails with EEXIST/ENOTDIR, even for root.
  const blocked = join(dir, 'blocked');
  writeFileSync(blocked, 'not a directory');
  const ckptDir = join(blocked, 'ckpt');
  const s = await start(ckptDir, []);
  const thetas: number[][] = [];
  for (let k = 0; k < 4; k++) thetas.push((await s.worker.step(k)).theta);
  assert.equal(new Set(thetas.map((t) => t.join())).size, 4, 'θ moved every step');
  assert.equal(s.server.counters.checkpointFailures, 4);
  assert.equal(s.server.counters.checkpointsWritten, 0);
  const failed = s.events.filter((e) => e.event === 'checkpoint-failed');
  assert.deepEqual(
    failed.map((e) => [e.version, e.failures]),
    [
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ],
  );
  const lines = s.logs.filter((l) => /checkpoint at step \d+ failed \(\d+ so far\); training goes on: checkpoint .*cannot write it \((EEXIST|ENOTDIR)/.test(l));
  assert.equal(lines.length, 4, s.logs.join('\n'));
  const m = await s.metrics();
  assert.equal(counter(m, 'lnsgd_ps_checkpoint_failures_total'), 4);
  assert.equal(counter(m, 'lnsgd_ps_checkpoints_written_total'), 0);

  // The disk comes back: the next step's checkpoint is written.
  rmSync(blocked);
  mkdirSync(ckptDir, { recursive: true });
  await s.worker.step(4);
  assert.equal(s.server.counters.checkpointsWritten, 1);
  assert.deepEqual(
    listCheckpoints(ckptDir, layout).map((c) => c.version),
    [5],
  );
  assert.equal(counter(await s.metrics(), 'lnsgd_ps_checkpoints_written_total'), 1);
  await s.server.close();
});

void test('a corrupted newest checkpoint is passed over on restart: the shard resumes from the one before and recomputes bit-identically', async () => {
  const ckptDir = join(dir, 'corrupt');
  const first = await start(ckptDir, ['--checkpoint-keep', '2']);
  const theta: number[][] = [];
  for (let k = 0; k < 6; k++) theta.push((await first.worker.step(k)).theta);
  await first.server.close();
  assert.deepEqual(
    listCheckpoints(ckptDir, layout).map((c) => c.version),
    [6, 5],
    '--checkpoint-keep 2: the newest two',
  );
  const newest = checkpointPath(ckptDir, layout, 6);
  const bytes = readFileSync(newest);
  bytes[bytes.length - 40] ^= 0x01; // one bit of θ / the optimizer state, after it was written
  writeFileSync(newest, bytes);

  const second = await start(ckptDir, ['--resume-if-present', '--checkpoint-keep', '2']);
  assert.equal(second.worker.startStep, 5, 'resumed at step 5, not the damaged step 6');
  assert.ok(
    second.logs.some((l) => l.includes(`passed over checkpoint ${newest}: corrupted or truncated`)),
    second.logs.join('\n'),
  );
  assert.ok(
    second.logs.some((l) => l.includes(`resumed from ${ckptDir} at step 5 (${checkpointPath(ckptDir, layout, 5)}; 1 newer passed over)`)),
    second.logs.join('\n'),
  );
  // Step 5 again with the same gradient: the same θ as before the restart, to the bit.
  assert.deepEqual((await second.worker.step(5)).theta, theta[5]);
  assert.deepEqual(
    listCheckpoints(ckptDir, layout).map((c) => c.version),
    [6, 5],
    'the damaged file was replaced by a good step-6 checkpoint',
  );
  await second.server.close();
});
