import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startHvpRoundHost } from '@lnsgd/ps';
import { evalChunks, type HvpExecutor } from './hvp_executor';
import { spawn } from 'node:child_process';
import { HVP_HOST_SILENT_EXIT, hvpRoundWorkerScript, serveHvpRounds } from './hvp_round_worker';
import type { HvpRoundWorkerArgs } from './hvp_round_worker_process';

// A worker's time in rounds (lnsgd_worker_hvp_round_seconds_total) is the time its
// executor computed: a fake executor that takes ≥ 80 ms per task over real ZeroMQ.
void test('serveHvpRounds counts the seconds spent answering (the time its training waits)', async () => {
  const chunks = evalChunks({ seed: 1, n: 40, size: 40, chunks: 2 });
  const executor: HvpExecutor = {
    chunks,
    answer: ({ directions, task }) => {
      const until = performance.now() + 80;
      while (performance.now() < until) {
        /* busy: the event loop is held, as a real HVP holds it */
      }
      let samples = 0;
      for (let c = task.lo; c < task.hi; c++) samples += chunks.samples[c];
      return directions.map((d) => samples * d);
    },
    endRound: () => undefined,
  };
  const host = await startHvpRoundHost({ endpoint: 'tcp://127.0.0.1:0', chunkSamples: chunks.samples, lossTimeoutMs: 60_000 });
  const worker = serveHvpRounds({ endpoint: host.endpoint, rank: 0, executor });
  try {
    assert.equal(worker.busySeconds(), 0);
    await host.waitForWorkers(1, 30_000);
    const out = await host.runRound({ estimate: 1, theta: new Float32Array(2), epsilon: 1e-3, directions: Float64Array.from([1, 2]) });
    assert.deepEqual(Array.from(out), [1, 2]);
    assert.equal(worker.answered(), 1);
    // One task (chunks [0, 2) for the only rank), ≥ 80 ms of computing.
    assert.ok(worker.busySeconds() >= 0.08, `busy ${worker.busySeconds()} s`);
  } finally {
    await worker.close();
    await host.close();
  }
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
    await sleep(20);
  }
}

// Pings every 300 ms, silent after 3 unanswered (0.9 s): a live host answers each in
// milliseconds on loopback, so 2 s of idle time with it up must not look silent.
void test('serveHvpRounds pings its host: silent once it is gone, back (and known to it without a hello) when it restarts', { timeout: 90_000 }, async () => {
  const chunks = evalChunks({ seed: 1, n: 40, size: 40, chunks: 2 });
  const executor: HvpExecutor = { chunks, answer: ({ directions }) => directions.map((d) => 40 * d), endRound: () => undefined };
  const events: string[] = [];
  let host = await startHvpRoundHost({ endpoint: 'tcp://127.0.0.1:0', chunkSamples: chunks.samples, lossTimeoutMs: 60_000 });
  const endpoint = host.endpoint;
  const worker = serveHvpRounds({
    endpoint,
    rank: 0,
    executor,
    pingMs: 300,
    silentPings: 3,
    onHostSilent: () => events.push('silent'),
    onHostBack: () => events.push('back'),
  });
  try {
    await host.waitForWorkers(1, 30_000);
    await sleep(2000);
    assert.deepEqual(events, [], 'a live host between rounds is not silent');
    assert.ok(host.counters.pings >= 3, `${host.counters.pings} pings answered in 2 s`);
    await host.close();
    await until('the worker calls the closed host silent', () => events.length > 0);
    assert.deepEqual(events, ['silent']);
    // The same endpoint, a new host that never got the hello: the next ping registers rank 0.
    host = await startHvpRoundHost({ endpoint, chunkSamples: chunks.samples, lossTimeoutMs: 60_000 });
    await host.waitForWorkers(1, 30_000);
    const out = await host.runRound({ estimate: 1, theta: new Float32Array(2), epsilon: 1e-3, directions: Float64Array.from([1, 2]) });
    assert.deepEqual(Array.from(out), [1, 2]);
    assert.deepEqual(events, ['silent', 'back']);
  } finally {
    await worker.close();
    await host.close();
  }
});

void test('a round-worker process exits with status 4 once its host is silent, and not while it is up', { timeout: 90_000 }, async () => {
  const chunks = evalChunks({ seed: 0, n: 2, size: 2, chunks: 1 });
  const host = await startHvpRoundHost({ endpoint: 'tcp://127.0.0.1:0', chunkSamples: chunks.samples, lossTimeoutMs: 60_000 });
  const args: HvpRoundWorkerArgs = { endpoint: host.endpoint, rank: 0, model: { preset: 'uv-toy' }, seed: 0, samples: 64, chunks: 1, pingMs: 300 };
  const child = spawn(process.execPath, [hvpRoundWorkerScript(), JSON.stringify(args)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((res) => child.once('exit', res));
  try {
    await host.waitForWorkers(1, 60_000);
    await sleep(2000);
    assert.equal(child.exitCode, null, `exited with the host up:\n${stderr}`);
  } finally {
    await host.close();
  }
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([exited, new Promise<'still running'>((res) => (timer = setTimeout(() => res('still running'), 30_000)))]);
  clearTimeout(timer);
  if (code === 'still running') child.kill('SIGKILL');
  assert.equal(code, HVP_HOST_SILENT_EXIT, stderr);
  assert.match(stderr, /host tcp:\/\/127\.0\.0\.1:\d+ silent for \d+ ms; exiting/);
});
