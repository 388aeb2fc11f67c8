import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { parseExposition } from '@lnsgd/telemetry';
import { runCliStreaming } from './cluster_helpers';
import { jsonLines } from './run_cli';

// Peers that misbehave slowly, across real processes over real ZeroMQ on loopback:
// while a 2-worker cluster trains, one host opens 1,000 TCP connections to the
// parameter server's port and leaves every one of them unfinished — a third stop
// inside the ZMTP greeting, a third complete the handshake and announce a 1 GB frame
// they trickle 64 KB of (the slowloris; libzmq's cap, set just above the largest
// push, drops them at the frame header), a third send half of a 2 KB frame and stop.
// The PS's RSS (read from /proc) may grow by less than 50 MB, and the honest workers'
// steps may take at most twice as long as just before the flood.

const CONNECTIONS = 1000;
/** More steps than the measurement needs on any machine: the test stops the run with SIGINT once measured. */
const STEPS = 10_000_000;
const MAX_RSS_GROWTH_MB = 50;
const MAX_SLOWDOWN = 2;
/** Measuring windows (ms): steps per second just before and during the flood. */
const WINDOW_MS = 4000;

/** A ZMTP 3.0 greeting for the NULL mechanism, as a client (as-server 0). */
function greeting(): Buffer {
  const b = Buffer.alloc(64);
  b[0] = 0xff;
  b[9] = 0x7f;
  b[10] = 3;
  b.write('NULL', 12, 'ascii');
  return b;
}

/** The READY command of a DEALER. */
function ready(): Buffer {
  const name = Buffer.from('Socket-Type');
  const value = Buffer.from('DEALER');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(value.length);
  const body = Buffer.concat([Buffer.from([5]), Buffer.from('READY'), Buffer.from([name.length]), name, len, value]);
  return Buffer.concat([Buffer.from([0x04, body.length]), body]);
}

/** A message frame header (long form) announcing `size` bytes, last frame. */
function frameHeader(size: number): Buffer {
  const h = Buffer.alloc(9);
  h[0] = 0x02;
  h.writeBigUInt64BE(BigInt(size), 1);
  return h;
}

/** Opens the flood; resolves once every connection has sent its part (or failed). */
function flood(port: number): Promise<{ sockets: Socket[]; connected: number; dropped: () => number }> {
  const sockets: Socket[] = [];
  let connected = 0;
  let closedByPeer = 0;
  return new Promise((resolve) => {
    let settled = 0;
    const done = (): void => {
      if (++settled === CONNECTIONS) resolve({ sockets, connected, dropped: () => closedByPeer });
    };
    for (let i = 0; i < CONNECTIONS; i++) {
      // Once per socket: a flood socket the PS resets after it connected must not count twice.
      let counted = false;
      const settle = (): void => {
        if (counted) return;
        counted = true;
        done();
      };
      const s = connect(port, '127.0.0.1', () => {
        connected++;
        const kind = i % 3;
        if (kind === 0) s.write(greeting().subarray(0, 10));
        else if (kind === 1) s.write(Buffer.concat([greeting(), ready(), frameHeader(1 << 30), Buffer.alloc(64 << 10, 7)]));
        else s.write(Buffer.concat([greeting(), ready(), frameHeader(2048), Buffer.alloc(1024, 7)]));
        settle();
      });
      s.on('data', () => undefined);
      s.on('error', () => undefined);
      s.on('close', () => closedByPeer++);
      s.once('error', settle);
      sockets.push(s);
    }
  });
}

function rssMb(pid: number): number {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return Number.NaN; // the PS is gone: the run's own assertions say why
  }
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m === null ? Number.NaN : Number(m[1]) / 1024;
}

async function psStep(metricsUrl: string): Promise<number> {
  const body = await (await fetch(metricsUrl)).text();
  return parseExposition(body).samples.find((s) => s.name === 'lnsgd_train_step')?.value ?? Number.NaN;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

void test('a 1,000-connection flood of unfinished messages: PS RSS grows < 50 MB, honest steps at most 2x slower', async () => {
  const args = [
    'train',
    '--preset',
    'quadratic-sparse',
    '--steps',
    String(STEPS),
    '--seed',
    '3',
    '--workers',
    '2',
    '--no-sharpness',
    '--json',
    '--progress-every',
    String(STEPS),
  ];
  let ps: { pid: number; port: number; metrics: string } | undefined;
  let scenario: Promise<{ rate0: number; rate1: number; rss0: number; rssPeak: number; connected: number; dropped: number }> | undefined;
  const run = await runCliStreaming(args, {
    timeoutMs: 300_000,
    onLine: (line, child) => {
      if (!line.startsWith('{')) return;
      const e = JSON.parse(line) as { event: string; processes?: { role: string; pid: number; address: string | null; metrics_url?: string | null }[] };
      if (e.event === 'endpoints') {
        const p = e.processes?.find((x) => x.role === 'ps');
        if (p !== undefined) ps = { pid: p.pid, port: Number(/:(\d+)$/.exec(p.address ?? '')?.[1]), metrics: p.metrics_url ?? '' };
      }
      if (e.event === 'start' && scenario === undefined && ps !== undefined) {
        const { pid, port, metrics } = ps;
        scenario = (async () => {
          await sleep(4000);
          const before: number[] = [];
          const sampler = setInterval(() => before.push(rssMb(pid)), 100);
          sampler.unref(); // a failed scenario must not keep the test process alive
          const s0 = await psStep(metrics);
          const t0 = performance.now();
          await sleep(WINDOW_MS);
          const s1 = await psStep(metrics);
          const rate0 = (s1 - s0) / ((performance.now() - t0) / 1000);
          clearInterval(sampler);
          const rss0 = before.reduce((a, b) => a + b, 0) / before.length;
          let rssPeak = rss0;
          const during = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(pid))), 100);
          during.unref();
          const f = await flood(port);
          const s2 = await psStep(metrics);
          const t2 = performance.now();
          await sleep(WINDOW_MS);
          const s3 = await psStep(metrics);
          const rate1 = (s3 - s2) / ((performance.now() - t2) / 1000);
          clearInterval(during);
          rssPeak = Math.max(rssPeak, rssMb(pid));
          const dropped = f.dropped();
          for (const s of f.sockets) s.destroy();
          return { rate0, rate1, rss0, rssPeak, connected: f.connected, dropped };
        })();
        // Measured (or failed): stop the run as Ctrl-C would, after the current step.
        void scenario.finally(() => child.kill('SIGINT')).catch(() => undefined);
        scenario.catch(() => undefined);
      }
    },
  });
  assert.equal(run.code, 130, `the run should end by the test's SIGINT (exit 130)\n${run.stderr}`);
  assert.equal(jsonLines(run.stdout).at(-1)?.['interrupted'], true);
  assert.ok(scenario !== undefined, 'the run printed no start event');
  const r = await scenario;
  console.log(
    `flood: ${r.connected}/${CONNECTIONS} connected, ${r.dropped} dropped by the PS; steps/s ${r.rate0.toFixed(0)} before, ${r.rate1.toFixed(0)} during; PS RSS ${r.rss0.toFixed(1)} MB before, peak ${r.rssPeak.toFixed(1)} MB during (+${(r.rssPeak - r.rss0).toFixed(1)} MB)`,
  );
  assert.equal(r.connected, CONNECTIONS, 'every flood connection was accepted by the kernel');
  assert.ok(r.rate0 > 0 && r.rate1 > 0, `the run progressed before (${r.rate0}) and during (${r.rate1}) the flood`);
  assert.ok(r.rssPeak - r.rss0 < MAX_RSS_GROWTH_MB, `PS RSS grew ${(r.rssPeak - r.rss0).toFixed(1)} MB under the flood`);
  assert.ok(r.rate0 / r.rate1 <= MAX_SLOWDOWN, `honest steps ${(r.rate0 / r.rate1).toFixed(2)}x slower under the flood`);
});
