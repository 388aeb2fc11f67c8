import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Registry } from 'prom-client';
import * as zmq from 'zeromq';
import { createTelemetry } from '@lnsgd/telemetry';
import { pb } from '@lnsgd/transport';
import { parseServerConfig } from './config';
import { startShardServer, type ShardServer } from './shard_server';
import { floats, rpc, shardFixture, testWorker } from './test_rpc';

// The end of a run under a supervisor that restarts every exit (a Kubernetes
// StatefulSet): with --stay-after-run the shard keeps serving the final parameters
// instead of exiting, and a shard restarted over a checkpoint already at the run's
// last step knows the run is over instead of waiting for workers that will not come.

const STEPS = 3;
const { dir, servers, socks, workers } = shardFixture('lnsgd-stay-after-run-');

async function start(extra: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ server: ShardServer; logs: string[]; metrics: () => Promise<string> }> {
  const logs: string[] = [];
  const config = parseServerConfig(['--preset', 'uv-toy', '--workers', '1', '--steps', String(STEPS), '--checkpoint-dir', dir, ...extra], env);
  const telemetry = createTelemetry({ registry: new Registry(), identity: { run: 'stay', role: 'ps', shard: 0 } });
  const server = await startShardServer({ config, log: (l) => logs.push(l), telemetry, onEvent: () => undefined });
  servers.push(server);
  return { server, logs, metrics: () => telemetry.registry.metrics() };
}

/** Resolves 'exited' when the shard's run loop ends within `ms`, else 'running'. */
async function within(server: ShardServer, ms: number): Promise<'exited' | 'running'> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<'running'>((r) => (timer = setTimeout(() => r('running'), ms)));
  const got = await Promise.race([server.done.then(() => 'exited' as const), waited]);
  clearTimeout(timer);
  return got;
}

/** A worker (the real client) that trains the whole run, says goodbye, and returns the final θ. */
async function trainToTheEnd(endpoint: string): Promise<number[]> {
  const w = await testWorker(endpoint, workers);
  let theta: number[] = [];
  for (let k = 0; k < STEPS; k++) {
    const r = await w.step(k);
    assert.equal(r.version, k + 1);
    assert.equal(r.final, k + 1 === STEPS);
    theta = r.theta;
  }
  // What a worker sends once it has the final parameters.
  w.kv.goodbye();
  return theta;
}

/** What a late worker and a metrics service see of a shard whose run is over. */
async function expectFinalState(endpoint: string, theta: readonly number[]): Promise<void> {
  const late = new zmq.Dealer({ linger: 0, receiveTimeout: 5000 });
  socks.push(late);
  late.connect(endpoint);
  const reg = await rpc(late, { register: { workerId: 'late', requestedRank: -1 } });
  assert.equal(reg.env.error?.code, pb.ErrorCode.SHUTTING_DOWN, JSON.stringify(reg.env));
  const snap = await rpc(late, { snapshotRequest: { includeParams: true } });
  assert.equal(snap.env.snapshot?.version, STEPS);
  assert.deepEqual(floats(snap.frames[0]), theta, 'the final parameters, bit for bit');
}

let finalTheta: number[] = [];

void test('control: without --stay-after-run the shard exits once its only worker has the final parameters', async () => {
  const { server } = await start(['--checkpoint-every', '1', '--bind', 'tcp://127.0.0.1:0']);
  finalTheta = await trainToTheEnd(server.endpoint);
  assert.equal(await within(server, 5000), 'exited');
});

void test('--stay-after-run: after the last step the shard keeps serving the final parameters until stopped', async () => {
  rmSync(dir, { recursive: true, force: true });
  const { server, logs, metrics } = await start(['--stay-after-run']);
  const theta = await trainToTheEnd(server.endpoint);
  assert.deepEqual(theta, finalTheta, 'the same run as the control');
  // The control exited at this point; this one stays (the worker's goodbye came first).
  assert.equal(await within(server, 500), 'running');
  assert.ok(
    logs.some((l) => l.includes('serving the final parameters until stopped')),
    logs.join('\n'),
  );
  await expectFinalState(server.endpoint, theta);
  assert.match(await metrics(), /^lnsgd_run_finished\{[^}]*\} 1$/m);
  server.requestStop('SIGTERM');
  assert.equal(await within(server, 5000), 'exited');
});

void test('a shard restarted over a checkpoint at the last step: exits at once, or with --stay-after-run serves it', async () => {
  // The previous test's final close wrote the checkpoint at step STEPS into `dir`.
  const gone = await start([], { LNSGD_RESUME_IF_PRESENT: '1' });
  assert.equal(await within(gone.server, 5000), 'exited', 'no waiting for workers that will not come');
  assert.equal(await gone.server.done, STEPS);
  assert.ok(
    gone.logs.some((l) => l.includes(`the checkpoint is at step ${STEPS}, the run's last: the run is over; exiting`)),
    gone.logs.join('\n'),
  );

  const kept = await start(['--stay-after-run'], { LNSGD_RESUME_IF_PRESENT: '1' });
  assert.equal(await within(kept.server, 500), 'running');
  await expectFinalState(kept.server.endpoint, finalTheta);
  assert.match(await kept.metrics(), /^lnsgd_run_finished\{[^}]*\} 1$/m);
  kept.server.requestStop('SIGTERM');
  assert.equal(await within(kept.server, 5000), 'exited');
});

void test(
  'the PS process: /readyz is 200 while the run takes work and 503 once it is over and kept up, so that a drain may evict it',
  { timeout: 60_000 },
  async () => {
    rmSync(dir, { recursive: true, force: true });
    const child = spawn(
      process.execPath,
      [
        join(__dirname, 'main.js'),
        '--preset',
        'uv-toy',
        '--workers',
        '1',
        '--steps',
        String(STEPS),
        '--stay-after-run',
        '--bind',
        'tcp://127.0.0.1:0',
        '--metrics-port',
        '0',
        '--run',
        'stay-process',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      const listening = await new Promise<{ endpoint: string; metrics_url: string }>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          const e = JSON.parse(line) as { event: string; endpoint: string; metrics_url: string };
          if (e.event === 'listening') resolve(e);
        });
        void exited.then((code) => reject(new Error(`the PS exited (${String(code)}) before listening: ${stderr}`)));
      });
      const readyz = async (): Promise<number> => (await fetch(listening.metrics_url.replace(/metrics$/, 'readyz'))).status;
      assert.equal(await readyz(), 200, 'waiting for its workers: ready');
      const theta = await trainToTheEnd(listening.endpoint);
      assert.deepEqual(theta, finalTheta, 'the same run as the control');
      assert.equal(await readyz(), 503, 'the run is over: not ready');
      await expectFinalState(listening.endpoint, theta);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
    } finally {
      child.kill('SIGKILL');
    }
  },
);

void test('--stay-after-run and LNSGD_STAY_AFTER_RUN parse; a malformed value is an error', () => {
  assert.equal(parseServerConfig(['--stay-after-run'], {}).stayAfterRun, true);
  assert.equal(parseServerConfig([], { LNSGD_STAY_AFTER_RUN: '1' }).stayAfterRun, true);
  assert.equal(parseServerConfig([], {}).stayAfterRun, false);
  assert.throws(() => parseServerConfig([], { LNSGD_STAY_AFTER_RUN: 'later' }), /LNSGD_STAY_AFTER_RUN: 'later' must be/);
});
