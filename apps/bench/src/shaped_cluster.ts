import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { PathEchoSample } from '@lnsgd/plan';
import { CHILD_NODE_FLAGS, CLUSTER_MALLOC_ENV, PS_NODE_FLAGS } from '@lnsgd/trainer/node-flags';

/*
 * A cluster of real PS and worker processes, each host in its own network namespace
 * (veth pairs into a bridge in a namespace of its own), every host's link shaped with
 * `tc … tbf` in both directions, so that the link rate, not the 2 cores, bounds the
 * exchange. Configured only through the apps' environment variables (as deploy/k8s
 * does); host names resolve through /etc/netns/<ns>/hosts. Needs root and iproute2.
 * This kernel has no netem, so latency is not shaped: the links add only the veth and
 * bridge's own (tens of µs).
 */

/** The apps' process entries (dist/main.js next to each package's index), resolved through the workspace. */
const appEntry = (app: 'parameter-server' | 'worker'): string => join(dirname(require.resolve(`@lnsgd/${app}/package.json`)), 'dist', 'main.js');

/** Port every shard binds on its host; shard s is reached as ps-<s>. */
const PS_PORT = 7000;
const psEndpoints = (shards: number): string => Array.from({ length: shards }, (_, s) => `tcp://ps-${s}:${PS_PORT}`).join(',');

/** Largest layout the network holds. */
export const MAX_SHARDS = 2;
export const MAX_WORKERS = 4;

/**
 * tbf's bucket in bytes at a rate: 2 ms of it, at least 128 KiB. A packet larger than the
 * bucket never leaves (it blocks the queue for good), and veth hands tbf segments of up to
 * 64 KiB. The bucket also refills while a link idles (a step's compute phase) and then lets
 * that much through above the rate, which a real NIC never does, so it is no larger.
 */
export function tbfBurstBytes(bitsPerS: number): number {
  return Math.max(128 * 1024, Math.round((bitsPerS / 8) * 0.002));
}

/** Payload fraction of a tbf-shaped veth link at MTU 1500: 1448 TCP payload bytes (timestamps on) per 1514-byte frame. */
export const TBF_PAYLOAD_FRACTION = 1448 / 1514;

function run(cmd: string, args: readonly string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr?.trim() || String(r.error)}`);
}

/** Why the shaped network cannot be built here, or false when it can (root, ip netns, tc tbf). */
export function shapedNetworkMissing(): string | false {
  if (process.getuid?.() !== 0) return 'needs root (CAP_NET_ADMIN) for ip netns and tc';
  const probe = `lnprobe${process.pid % 100000}`;
  const r = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) return `ip netns add failed (${(r.stderr ?? String(r.error)).trim()}); install iproute2 and run as root`;
  try {
    const l = spawnSync('ip', ['-n', probe, 'link', 'add', 'pa', 'type', 'veth', 'peer', 'name', 'pb'], { encoding: 'utf8', timeout: 10_000 });
    if (l.status !== 0) return `veth pairs unavailable (${l.stderr.trim()})`;
    const t = spawnSync(
      'ip',
      ['netns', 'exec', probe, 'tc', 'qdisc', 'add', 'dev', 'pa', 'root', 'tbf', 'rate', '1gbit', 'burst', '256kb', 'latency', '50ms'],
      {
        encoding: 'utf8',
        timeout: 10_000,
      },
    );
    if (t.status !== 0) return `tc tbf unavailable (${(t.stderr ?? String(t.error)).trim()})`;
  } finally {
    spawnSync('ip', ['netns', 'del', probe], { timeout: 10_000 });
  }
  return false;
}

type Host = `ps${number}` | `w${number}`;
const HOSTS: readonly Host[] = [
  ...Array.from({ length: MAX_SHARDS }, (_, s) => `ps${s}` as Host),
  ...Array.from({ length: MAX_WORKERS }, (_, w) => `w${w}` as Host),
];
const addressOf = (h: Host): string => (h.startsWith('ps') ? `10.78.0.${10 + Number(h.slice(2))}` : `10.78.0.${20 + Number(h.slice(1))}`);

/** A built network; close() removes every namespace and file it made. */
export interface ShapedNetwork {
  /** Shapes every host's link, both directions, to `bitsPerS`. */
  shape(bitsPerS: number): void;
  /**
   * Runs one synchronous training run through every phase's link rate in turn (reshaped
   * live when rank 0 reports the end of a phase) and times each phase's steps from rank
   * 0's progress events, one timing per phase.
   */
  timeRun(o: RunSpec): Promise<PhaseTiming[]>;
  /**
   * A raw ZeroMQ echo from worker host w0 to shard host ps0 over the links shaped to
   * `bitsPerS`, with the whole machine's busy CPU per round trip (kernel work included):
   * the transport's CPU over the run's own path, measured before and apart from any run.
   */
  echoOverPath(bitsPerS: number, sizesMB: readonly number[], rounds: number): Promise<PathEcho>;
  close(): void;
}

/** One timed run on the shaped network. */
export interface RunSpec {
  readonly preset: string;
  readonly workers: number;
  readonly shards: number;
  readonly batch: number;
  /** Link rate of each phase, bits/s. */
  readonly phases: readonly number[];
  /** Steps before the first phase's timing starts, and after each reshape before the next's (and the progress cadence). */
  readonly warmup: number;
  /** Timed steps per phase: a multiple of warmup. */
  readonly timed: number;
  readonly log: (line: string) => void;
}

/** One phase of a timed run: its step time and where the machine's CPU went meanwhile. */
export interface PhaseTiming {
  /** ms per step between rank 0's progress events. */
  readonly msPerStep: number;
  /** Cores busy on the whole machine over the phase (all processes, the kernel's network work, anything else running). */
  readonly busyCores: number;
  /** CPU ms per step (user + system) of the workers together and of the shards together. */
  readonly workerCpuMsPerStep: number;
  readonly shardCpuMsPerStep: number;
}

/** What echoOverPath measured: each size's mean wall and busy machine CPU per round trip, and the busy cores while idle. */
export interface PathEcho {
  readonly baselineBusyCores: number;
  readonly samples: readonly PathEchoSample[];
}

/** Busy and total jiffies of the whole machine (/proc/stat's first line; idle and iowait count as not busy). */
function machineJiffies(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - f[3] - f[4], total };
}

/** user + system jiffies of one process (fields 14 and 15 of /proc/<pid>/stat), 0 once it is gone. */
function processJiffies(pid: number | undefined): number {
  try {
    const s = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

/** Builds the namespaces (PS hosts ps0…, worker hosts w0…); throws (after cleaning up) when a command fails. */
export function buildShapedNetwork(): ShapedNetwork {
  const tag = `lp${process.pid % 100000}`;
  const sw = `${tag}-sw`;
  const ns = (h: Host): string => `${tag}-${h}`;
  const hostsFile = [
    '127.0.0.1 localhost',
    ...Array.from({ length: MAX_SHARDS }, (_, s) => `${addressOf(`ps${s}`)} ps-${s}`),
    ...Array.from({ length: MAX_WORKERS }, (_, w) => `${addressOf(`w${w}`)} worker-${w}`),
  ].join('\n');
  const hadEtcNetns = existsSync('/etc/netns');
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-shaped-'));
  const teardown = (): void => {
    for (const h of HOSTS) {
      spawnSync('ip', ['netns', 'del', ns(h)], { timeout: 10_000 });
      rmSync(`/etc/netns/${ns(h)}`, { recursive: true, force: true });
    }
    spawnSync('ip', ['netns', 'del', sw], { timeout: 10_000 });
    if (!hadEtcNetns && existsSync('/etc/netns') && readdirSync('/etc/netns').length === 0) rmdirSync('/etc/netns');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run('ip', ['netns', 'add', sw]);
    run('ip', ['-n', sw, 'link', 'add', 'br0', 'type', 'bridge']);
    run('ip', ['-n', sw, 'link', 'set', 'br0', 'up']);
    for (const h of HOSTS) {
      run('ip', ['netns', 'add', ns(h)]);
      // Made inside the host's namespace, then one end moved to the switch: no name clashes in the root namespace.
      run('ip', ['-n', ns(h), 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', `${h}-p`]);
      run('ip', ['-n', ns(h), 'link', 'set', `${h}-p`, 'netns', sw]);
      run('ip', ['-n', sw, 'link', 'set', `${h}-p`, 'master', 'br0']);
      run('ip', ['-n', sw, 'link', 'set', `${h}-p`, 'up']);
      run('ip', ['-n', ns(h), 'addr', 'add', `${addressOf(h)}/24`, 'dev', 'eth0']);
      run('ip', ['-n', ns(h), 'link', 'set', 'eth0', 'up']);
      run('ip', ['-n', ns(h), 'link', 'set', 'lo', 'up']);
      mkdirSync(`/etc/netns/${ns(h)}`, { recursive: true });
      writeFileSync(`/etc/netns/${ns(h)}/hosts`, `${hostsFile}\n`);
    }
  } catch (err: unknown) {
    teardown();
    throw err;
  }
  let closed = false;
  return {
    shape(bitsPerS) {
      const rate = `${Math.round(bitsPerS / 1000)}kbit`;
      const burst = `${tbfBurstBytes(bitsPerS)}b`;
      // Egress of the host's end shapes what it sends; egress of the switch's end what it receives.
      for (const h of HOSTS) {
        run('ip', ['netns', 'exec', ns(h), 'tc', 'qdisc', 'replace', 'dev', 'eth0', 'root', 'tbf', 'rate', rate, 'burst', burst, 'latency', '50ms']);
        run('ip', ['netns', 'exec', sw, 'tc', 'qdisc', 'replace', 'dev', `${h}-p`, 'root', 'tbf', 'rate', rate, 'burst', burst, 'latency', '50ms']);
      }
    },
    timeRun(o) {
      return timeRun(o, { dir, ns, shape: (r) => this.shape(r) });
    },
    async echoOverPath(bitsPerS, sizesMB, rounds) {
      this.shape(bitsPerS);
      return echoOverPath(ns, sizesMB, rounds);
    },
    close() {
      if (closed) return;
      closed = true;
      teardown();
    },
  };
}

/** Port of the path echo on ps0 (the apps' PS_PORT stays free). */
const ECHO_PORT = 7100;
const PATH_ECHO = join(__dirname, 'path_echo.js');

async function echoOverPath(ns: (h: Host) => string, sizesMB: readonly number[], rounds: number): Promise<PathEcho> {
  const server = spawn('ip', ['netns', 'exec', ns('ps0'), process.execPath, PATH_ECHO, 'server', `tcp://0.0.0.0:${ECHO_PORT}`], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const serverErr: string[] = [];
  createInterface({ input: server.stderr as NodeJS.ReadableStream }).on('line', (l) => serverErr.push(l));
  const serverExit = new Promise<void>((r) => server.once('close', () => r()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`path echo: the server did not bind in 30 s: ${serverErr.join('\n')}`)), 30_000);
      server.once('close', (code) => {
        clearTimeout(timer);
        reject(new Error(`path echo: the server exited ${String(code)}: ${serverErr.join('\n')}`));
      });
      createInterface({ input: server.stdout as NodeJS.ReadableStream }).once('line', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    const r = spawnSync(
      'ip',
      ['netns', 'exec', ns('w0'), process.execPath, PATH_ECHO, 'client', `tcp://${addressOf('ps0')}:${ECHO_PORT}`, sizesMB.join(','), String(rounds)],
      { encoding: 'utf8', timeout: 300_000 },
    );
    if (r.status !== 0) throw new Error(`path echo: the client exited ${String(r.status)}: ${r.stderr?.trim() || String(r.error)}`);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, number>);
    const baseline = lines[0]?.['baseline_busy_cores'];
    if (typeof baseline !== 'number') throw new Error(`path echo: no baseline line in ${r.stdout}`);
    const samples = lines.slice(1).map((l) => ({ bytes: l['bytes'], wallMs: l['wallMs'], busyCpuMs: l['busyCpuMs'] }));
    return { baselineBusyCores: baseline, samples };
  } finally {
    server.stdin?.end();
    server.kill('SIGKILL');
    await serverExit;
  }
}

interface Proc {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly stderr: string[];
  readonly exited: Promise<number | null>;
}

/** A worker's progress event (step and seconds since its start), or undefined for any other line. */
function progressOf(line: string): { step: number; elapsed_s: number } | undefined {
  if (!line.startsWith('{')) return undefined;
  const e = JSON.parse(line) as { event?: string; step?: number; elapsed_s?: number };
  return e.event === 'progress' && typeof e.step === 'number' && typeof e.elapsed_s === 'number' ? { step: e.step, elapsed_s: e.elapsed_s } : undefined;
}

/** One app process in a host's namespace: its flags, environment and a live stdout-line hook. */
interface Launch {
  readonly netns: string;
  readonly app: 'parameter-server' | 'worker';
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  readonly onLine?: (line: string) => void;
}

function start({ netns, app, args, env, onLine }: Launch): Proc {
  const flags = app === 'parameter-server' ? PS_NODE_FLAGS : CHILD_NODE_FLAGS;
  const child = spawn('ip', ['netns', 'exec', netns, process.execPath, ...flags, appEntry(app), ...args], {
    env: { ...CLUSTER_MALLOC_ENV, PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const p: Proc = { child, lines: [], stderr: [], exited: new Promise((r) => child.once('close', (code) => r(code))) };
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (l) => {
    p.lines.push(l);
    onLine?.(l);
  });
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (l) => p.stderr.push(l));
  return p;
}

async function timeRun(o: RunSpec, net: { dir: string; ns: (h: Host) => string; shape: (bitsPerS: number) => void }): Promise<PhaseTiming[]> {
  if (o.shards < 1 || o.shards > MAX_SHARDS || o.workers < 1 || o.workers > MAX_WORKERS)
    throw new RangeError(`shaped cluster: ${o.workers} workers x ${o.shards} shards is outside 1..${MAX_WORKERS} x 1..${MAX_SHARDS}`);
  if (o.timed % o.warmup !== 0) throw new RangeError(`shaped cluster: timed steps (${o.timed}) must be a multiple of warmup (${o.warmup})`);
  if (o.phases.length < 1) throw new RangeError('shaped cluster: no phases');
  // Phase i is timed over steps [from_i, from_i + timed]; the links change at its end.
  const from = o.phases.map((_, i) => o.warmup + i * (o.timed + o.warmup));
  // A few steps past the last timed one, so that no process exits inside a timed window (its CPU sample).
  const steps = from[from.length - 1] + o.timed + o.warmup;
  net.shape(o.phases[0]);
  const runId = `shaped-${o.workers}w${o.shards}s-${Date.now()}`;
  const runConfig = join(net.dir, `${runId}.json`);
  writeFileSync(runConfig, JSON.stringify({ preset: o.preset, steps, batch: o.batch }));
  const common = { LNSGD_RUN: runId };
  const procs: Proc[] = [];
  // CPU samples at each phase's first and last timed step (`ip netns exec` execs node, so the pid is the app's).
  const shardProcs: Proc[] = [];
  const workers: Proc[] = [];
  type Sample = { machine: { busy: number; total: number }; workers: number; shards: number };
  const sample = (): Sample => ({
    machine: machineJiffies(),
    workers: workers.reduce((a, p) => a + processJiffies(p.child.pid), 0),
    shards: shardProcs.reduce((a, p) => a + processJiffies(p.child.pid), 0),
  });
  const samples = new Map<number, Sample>();
  const logs = (): string => procs.map((p) => p.stderr.slice(-6).join('\n')).join('\n---\n');
  try {
    for (let s = 0; s < o.shards; s++) {
      shardProcs.push(
        start({
          netns: net.ns(`ps${s}`),
          app: 'parameter-server',
          args: [],
          env: {
            ...common,
            LNSGD_SHARD: String(s),
            LNSGD_WORKERS: String(o.workers),
            LNSGD_SHARDS: String(o.shards),
            LNSGD_RUN_CONFIG: runConfig,
            LNSGD_BIND: `tcp://0.0.0.0:${PS_PORT}`,
          },
        }),
      );
    }
    procs.push(...shardProcs);
    for (let w = 0; w < o.workers; w++) {
      // --no-sharpness: the final sharpness estimate is not part of a step and would only lengthen the run.
      const args = w === 0 ? ['--events', '--progress-every', String(o.warmup), '--no-sharpness'] : ['--no-sharpness'];
      const onLine =
        w === 0
          ? (line: string): void => {
              const step = progressOf(line)?.step;
              if (step !== undefined && from.some((f) => f === step || f + o.timed === step)) samples.set(step, sample());
              const i = step === undefined ? -1 : from.findIndex((f) => f + o.timed === step);
              if (i >= 0 && i + 1 < o.phases.length) {
                o.log(`${runId}: step ${step}: links to ${o.phases[i + 1] / 1e6} Mbit/s`);
                net.shape(o.phases[i + 1]);
              }
            }
          : undefined;
      workers.push(
        start({
          netns: net.ns(`w${w}`),
          app: 'worker',
          args,
          env: { ...common, JOB_COMPLETION_INDEX: String(w), LNSGD_PS_ENDPOINTS: psEndpoints(o.shards), LNSGD_WORKER_ID: `worker-${w}` },
          onLine,
        }),
      );
    }
    procs.push(...workers);
    let timer: NodeJS.Timeout | undefined;
    const codes = await Promise.race([
      Promise.all(procs.map((p) => p.exited)),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`shaped cluster: ${runId} did not finish in 300 s:\n${logs()}`)), 300_000))),
    ]).finally(() => clearTimeout(timer));
    if (codes.some((c) => c !== 0)) throw new Error(`shaped cluster: ${runId} exit codes [${codes.join(', ')}]:\n${logs()}`);
    const elapsed = new Map<number, number>();
    for (const l of workers[0].lines) {
      const e = progressOf(l);
      if (e !== undefined) elapsed.set(e.step, e.elapsed_s);
    }
    return from.map((f) => {
      const a = elapsed.get(f);
      const b = elapsed.get(f + o.timed);
      if (a === undefined || b === undefined)
        throw new Error(`shaped cluster: ${runId}: rank 0 reported no progress at steps ${f} and ${f + o.timed}:\n${workers[0].lines.slice(-5).join('\n')}`);
      const s0 = samples.get(f);
      const s1 = samples.get(f + o.timed);
      if (s0 === undefined || s1 === undefined) throw new Error(`shaped cluster: ${runId}: no CPU sample at steps ${f} and ${f + o.timed}`);
      const jiffyMs = 10; // USER_HZ is 100 on Linux
      return {
        msPerStep: ((b - a) * 1000) / o.timed,
        busyCores: ((s1.machine.busy - s0.machine.busy) / (s1.machine.total - s0.machine.total)) * cpus().length,
        workerCpuMsPerStep: ((s1.workers - s0.workers) * jiffyMs) / o.timed,
        shardCpuMsPerStep: ((s1.shards - s0.shards) * jiffyMs) / o.timed,
      };
    });
  } finally {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
  }
}

/**
 * Cores free for a run right now: one busy-looping process per core for `ms`, and the CPU
 * they got over the wall time (the machine's cores when nothing else runs). A reading of
 * the other tenants' load beside each timed run; the model does not use it.
 */
export async function freeCores(ms = 1000): Promise<number> {
  const loop = `const u0=process.cpuUsage(),t=performance.now();while(performance.now()-t<${ms}){}const u=process.cpuUsage(u0);process.stdout.write(String((u.user+u.system)/1000/(performance.now()-t)))`;
  const shares = await Promise.all(
    cpus().map(
      () =>
        new Promise<number>((resolve, reject) => {
          const c = spawn(process.execPath, ['-e', loop], { stdio: ['ignore', 'pipe', 'ignore'] });
          let out = '';
          c.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
          c.on('error', reject);
          c.on('close', () => resolve(Number(out)));
        }),
    ),
  );
  return shares.reduce((a, b) => a + b, 0);
}
