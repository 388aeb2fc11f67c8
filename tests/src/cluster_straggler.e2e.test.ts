import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { appEntry } from '@lnsgd/cli/cluster/app-entry';
import { KvWorker, shareSamples, type Synced } from '@lnsgd/ps';
import { parseExposition } from '@lnsgd/telemetry';

// A worker that pushes late by more than the step time, step after step, against a
// real parameter-server process over ZeroMQ on loopback (the two workers are
// KvWorkers in this process: the late one sleeps before each push). The honest
// worker is served every step (no refusal, no re-registration), and the PS names
// the straggler: lnsgd_ps_push_delay_seconds{worker="1"} shows its lateness while
// rank 0's stays small.

const STEPS = 12;
const LATE_MS = 300;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

void test('a worker late by more than a step for many steps is named by the PS; the honest one is served every step', async () => {
  const ps = spawn(
    process.execPath,
    [
      appEntry('parameter-server'),
      '--preset',
      'quadratic-sparse',
      '--steps',
      String(STEPS),
      '--workers',
      '2',
      '--shard',
      '0',
      '--shards',
      '1',
      '--bind',
      'tcp://127.0.0.1:0',
      '--run',
      'straggler',
      '--metrics-host',
      '127.0.0.1',
      '--metrics-port',
      '0',
      '--stay-after-run',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  ps.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  try {
    const listening = await new Promise<{ endpoint: string; metrics: string }>((resolve, reject) => {
      createInterface({ input: ps.stdout }).on('line', (l) => {
        const e = JSON.parse(l) as { event?: string; endpoint?: string; metrics_url?: string };
        if (e.event === 'listening') resolve({ endpoint: e.endpoint ?? '', metrics: e.metrics_url ?? '' });
      });
      ps.on('exit', (code) => reject(new Error(`the PS exited (${code}) before listening: ${stderr}`)));
    });
    const logs: string[] = [];
    const worker = async (rank: number, lateMs: number): Promise<{ steps: number; reregistrations: number }> => {
      const kv = await KvWorker.connect({
        endpoints: [listening.endpoint],
        workerId: `w${rank}`,
        rank,
        authToken: '',
        // Longer than the straggler's delay: the honest worker waits for it, it is not timed out.
        timeoutMs: 20_000,
        retries: 2,
        registerTimeoutMs: 20_000,
        reconnectTimeoutMs: 20_000,
        checksum: true,
        log: (l) => logs.push(l),
      });
      assert.ok(kv !== undefined, `worker ${rank} found the run over`);
      kv.startHeartbeats();
      const n = kv.assignment.numParams ?? 0;
      const batch = kv.assignment.run?.batch ?? 0;
      let s: Synced = await kv.sync(new Float32Array(n));
      let steps = 0;
      while (!s.final) {
        if (lateMs > 0) await sleep(lateMs);
        s = await kv.pushPull({
          step: s.version,
          theta: s.theta,
          share: s.share,
          next: new Float32Array(n),
          compute: (share) => ({ grad: new Float32Array(n).fill(0.01), samples: shareSamples(batch, share), loss: 1 }),
        });
        steps++;
      }
      kv.goodbye();
      await kv.close();
      return { steps, reregistrations: kv.reregistrations };
    };
    const [honest, late] = await Promise.all([worker(0, 0), worker(1, LATE_MS)]);
    assert.equal(honest.steps, STEPS, `the honest worker was served every step; log: ${logs.join(' | ')}`);
    assert.equal(late.steps, STEPS);
    assert.equal(honest.reregistrations, 0, 'the honest worker never had to register again');
    const body = await (await fetch(listening.metrics)).text();
    const delay = new Map(
      parseExposition(body)
        .samples.filter((x) => x.name === 'lnsgd_ps_push_delay_seconds')
        .map((x) => [x.labels['worker'], x.value]),
    );
    console.log(`lnsgd_ps_push_delay_seconds: ${JSON.stringify(Object.fromEntries(delay))} (straggler late by ${LATE_MS} ms a step)`);
    assert.ok((delay.get('1') ?? 0) >= (0.8 * LATE_MS) / 1000, `the straggler's delay ${delay.get('1')} s shows its ${LATE_MS} ms lateness`);
    assert.ok((delay.get('0') ?? Number.POSITIVE_INFINITY) < (0.5 * LATE_MS) / 1000, `the honest worker's delay ${delay.get('0')} s stays small`);
    const rejected = parseExposition(body).samples.filter((x) => x.name === 'lnsgd_transport_rejected_messages_total' && x.value > 0);
    assert.deepEqual(rejected, [], 'no request of either worker was refused');
  } finally {
    ps.kill('SIGKILL');
  }
});
