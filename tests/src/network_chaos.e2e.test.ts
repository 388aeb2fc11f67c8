import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { appEntry } from '@lnsgd/cli/cluster/app-entry';
import { PS_PORT, psEndpoints } from '@lnsgd/cli/k8s/render-overlay';
import { readParams, relativeDifference } from './cluster_helpers';

// Network chaos between hosts: two parameter-server shards and two workers, each in its
// own network namespace (10.78.0.0/24; every address inside namespaces this test creates
// and deletes), joined by tests/tools/chaos_switch.py: a user-space switch between TAP
// devices that applies netem-like faults to both directions of each host's link. (The
// kernels these tests run on may lack sch_netem, `tc netem`; the switch needs only TUN.)
// One run goes through delay with jitter on every link, then loss + duplication +
// reordering on one worker's link, a short partition of a worker and of a shard that
// heal, and a worker partitioned for longer than the heartbeat timeout. It must end with
// B on every step and the parameters of a run on clean links; each fault's switch and
// kernel TCP counters are logged and asserted. Needs root (CAP_NET_ADMIN), iproute2
// (ip, nstat) and /usr/bin/python3.

const TAG = `lc${process.pid % 100000}`;
const HOSTS = { ps0: '10.78.0.10', ps1: '10.78.0.11', w0: '10.78.0.20', w1: '10.78.0.21' } as const;
type Host = keyof typeof HOSTS;
const ALL = Object.keys(HOSTS) as Host[];
const ns = (h: Host): string => `${TAG}-${h}`;
const tap = (h: Host): string => `${TAG}${h}`; // at most 15 characters
const HOSTS_FILE = `127.0.0.1 localhost\n${HOSTS.ps0} lnsgd-ps-0.lnsgd-ps lnsgd-ps-0\n${HOSTS.ps1} lnsgd-ps-1.lnsgd-ps lnsgd-ps-1\n`;
const SWITCH = join(__dirname, '..', 'tools', 'chaos_switch.py');
const PYTHON = '/usr/bin/python3';
const STEPS = 400;
const B = 8; // uv-toy's global batch
/** Above the stalls a 1 s cut causes (TCP's retransmission backoff stretches it to ~3 s). */
const HEARTBEAT_MS = 6000;
/** Base fault on every link for the whole chaos run: 3 ms ± 2 ms each way. */
const BASE = 'delay=3 jitter=2 loss=0 dup=0 reorder=0';

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${(r.stderr || String(r.error)).trim()}`);
  return r.stdout;
}
const ip = (args: string[]): string => run('ip', args);

function capability(): string | false {
  if (process.getuid?.() !== 0) return 'needs root (CAP_NET_ADMIN) for ip netns and TAP devices';
  if (!existsSync(PYTHON) || !existsSync('/dev/net/tun')) return `needs ${PYTHON} and /dev/net/tun`;
  const probe = `${TAG}-probe`;
  const r = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) return `ip netns add failed (${(r.stderr ?? String(r.error)).trim()}); install iproute2 and run as root`;
  try {
    run('ip', ['netns', 'exec', probe, 'nstat', '-asz', 'TcpRetransSegs']);
    return false;
  } catch (err: unknown) {
    return `nstat unavailable: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    spawnSync('ip', ['netns', 'del', probe], { timeout: 10_000 });
  }
}

/** The switch's per-port counters (frames), keyed by host. */
type PortStats = Record<'rx' | 'tx' | 'lost' | 'cut' | 'duplicated' | 'reordered' | 'overflow', number>;

interface Network {
  /** Sends one command to the switch; resolves with its JSON answer. */
  ctl(command: string): Promise<Record<string, unknown>>;
  /** Sets host h's link faults (both directions), e.g. 'delay=3 jitter=2 loss=0.1'. */
  faults(h: Host, rules: string): Promise<void>;
  stats(): Promise<Record<Host, PortStats>>;
  teardown(): Promise<void>;
}

/** Starts the switch, then builds the namespaces on its TAP devices. */
async function buildNetwork(): Promise<Network> {
  const hadEtcNetns = existsSync('/etc/netns');
  const sw = spawn(PYTHON, [SWITCH, '20', ...ALL.map(tap)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const answers: string[] = [];
  let waiting: ((line: string) => void) | undefined;
  let swErr = '';
  sw.stderr.setEncoding('utf8').on('data', (d: string) => (swErr += d));
  createInterface({ input: sw.stdout }).on('line', (l) => {
    if (waiting !== undefined) {
      const w = waiting;
      waiting = undefined;
      w(l);
    } else answers.push(l);
  });
  const next = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const queued = answers.shift();
      if (queued !== undefined) return resolve(queued);
      const timer = setTimeout(() => reject(new Error(`the chaos switch did not answer: ${swErr}`)), 10_000);
      waiting = (l) => {
        clearTimeout(timer);
        resolve(l);
      };
    });
  const exited = new Promise<void>((r) => sw.once('close', () => r()));
  const ctl = async (command: string): Promise<Record<string, unknown>> => {
    sw.stdin.write(`${command}\n`);
    const a = JSON.parse(await next()) as Record<string, unknown>;
    if (typeof a['error'] === 'string') throw new Error(`chaos switch: ${command}: ${a['error']}`);
    return a;
  };
  const teardown = async (): Promise<void> => {
    for (const h of ALL) {
      spawnSync('ip', ['netns', 'del', ns(h)], { timeout: 10_000 });
      rmSync(`/etc/netns/${ns(h)}`, { recursive: true, force: true });
    }
    // Only when empty: another test's namespaces may still be using it.
    if (!hadEtcNetns && existsSync('/etc/netns') && readdirSync('/etc/netns').length === 0) rmdirSync('/etc/netns');
    sw.stdin.end();
    const t = setTimeout(() => sw.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
  };
  try {
    assert.equal(await next(), 'ready');
    for (const h of ALL) {
      ip(['netns', 'add', ns(h)]);
      ip(['link', 'set', tap(h), 'netns', ns(h)]);
      ip(['-n', ns(h), 'link', 'set', tap(h), 'name', 'eth0']);
      ip(['-n', ns(h), 'addr', 'add', `${HOSTS[h]}/24`, 'dev', 'eth0']);
      ip(['-n', ns(h), 'link', 'set', 'eth0', 'up']);
      ip(['-n', ns(h), 'link', 'set', 'lo', 'up']);
      mkdirSync(`/etc/netns/${ns(h)}`, { recursive: true });
      writeFileSync(`/etc/netns/${ns(h)}/hosts`, HOSTS_FILE);
    }
  } catch (err: unknown) {
    await teardown();
    throw err;
  }
  return {
    ctl,
    faults: async (h, rules) => void (await ctl(`set ${tap(h)} ${rules}`)),
    stats: async () => {
      const s = await ctl('stats');
      return Object.fromEntries(ALL.map((h) => [h, s[tap(h)] as PortStats])) as Record<Host, PortStats>;
    },
    teardown,
  };
}

const TCP_COUNTERS = [
  'TcpRetransSegs',
  'TcpExtTCPDSACKRecv',
  'TcpExtTCPDSACKOldSent',
  'TcpExtTCPOFOQueue',
  'TcpExtTCPSACKReorder',
  'TcpExtTCPTimeouts',
] as const;
type TcpCounter = (typeof TCP_COUNTERS)[number];

/** The TCP counters of host h's namespace (absolute, since it was created). */
function tcpStats(h: Host): Record<TcpCounter, number> {
  const out = ip(['netns', 'exec', ns(h), 'nstat', '-asz', ...TCP_COUNTERS]);
  const r = Object.fromEntries(TCP_COUNTERS.map((c) => [c, 0])) as Record<TcpCounter, number>;
  for (const line of out.split('\n')) {
    const [name, value] = line.trim().split(/\s+/);
    if ((TCP_COUNTERS as readonly string[]).includes(name)) r[name as TcpCounter] = Number(value);
  }
  return r;
}

const sumTcp = (hosts: readonly Host[]): Record<TcpCounter, number> => {
  const r = Object.fromEntries(TCP_COUNTERS.map((c) => [c, 0])) as Record<TcpCounter, number>;
  for (const h of hosts) for (const [k, v] of Object.entries(tcpStats(h))) r[k as TcpCounter] += v;
  return r;
};
const diffTcp = (a: Record<TcpCounter, number>, b: Record<TcpCounter, number>): Record<TcpCounter, number> =>
  Object.fromEntries(TCP_COUNTERS.map((c) => [c, b[c] - a[c]])) as Record<TcpCounter, number>;

interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly exited: Promise<number | null>;
}

function start(host: Host, app: 'parameter-server' | 'worker', args: readonly string[], env: Record<string, string>): Proc {
  const child = spawn('ip', ['netns', 'exec', ns(host), process.execPath, appEntry(app), ...args], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const p: Proc = { name: host, child, stdout: [], stderr: [], exited: new Promise((r) => child.once('close', (code) => r(code))) };
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (l) => p.stdout.push(l));
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (l) => p.stderr.push(l));
  return p;
}

async function until<T>(what: string, ms: number, probe: () => T | undefined, logs: () => string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}:\n${logs()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const events = (p: Proc): Record<string, unknown>[] =>
  p.stdout.flatMap((l) => {
    try {
      return [JSON.parse(l) as Record<string, unknown>];
    } catch {
      return [];
    }
  });

/** One whole run: two shards, two workers; resolves with their processes once all have exited. */
async function trainRun(
  dir: string,
  name: string,
  during: (ctx: { step: () => number; procs: Record<Host, Proc>; logs: () => string }) => Promise<void>,
): Promise<{ procs: Record<Host, Proc>; codes: (number | null)[]; theta: Float32Array; logs: () => string }> {
  const runConfig = join(dir, `${name}.json`);
  writeFileSync(runConfig, JSON.stringify({ preset: 'uv-toy', steps: STEPS }));
  const saved = join(dir, `${name}.params`);
  const common = { LNSGD_RUN: name, LNSGD_METRICS_PORT: '0' };
  const ps = (s: 0 | 1): Proc =>
    start(s === 0 ? 'ps0' : 'ps1', 'parameter-server', [], {
      ...common,
      LNSGD_POD_NAME: `lnsgd-ps-${s}`,
      LNSGD_WORKERS: '2',
      LNSGD_SHARDS: '2',
      LNSGD_RUN_CONFIG: runConfig,
      LNSGD_BIND: `tcp://0.0.0.0:${PS_PORT}`,
      LNSGD_HEARTBEAT_TIMEOUT_MS: String(HEARTBEAT_MS),
    });
  const worker = (rank: 0 | 1): Proc =>
    start(
      rank === 0 ? 'w0' : 'w1',
      'worker',
      ['--events', '--progress-every', '1', '--no-sharpness', '--retries', '8', ...(rank === 0 ? ['--save-params', saved] : [])],
      {
        ...common,
        JOB_COMPLETION_INDEX: String(rank),
        LNSGD_PS_ENDPOINTS: psEndpoints(2),
        LNSGD_WORKER_ID: `lnsgd-worker-${rank}`,
        LNSGD_BACKEND: 'cpu',
        // A push unanswered for 1 s is resent (8 times at most), then the worker registers again.
        LNSGD_TIMEOUT_MS: '1000',
        LNSGD_RECONNECT_TIMEOUT_MS: '60000',
      },
    );
  const procs = { ps0: ps(0), ps1: ps(1) } as Record<Host, Proc>;
  const logs = (): string =>
    Object.values(procs)
      .map((p) => [`--- ${p.name}`, ...p.stdout.slice(-3), ...p.stderr.slice(-15)].join('\n'))
      .join('\n');
  try {
    for (const s of ['ps0', 'ps1'] as const)
      await until(`${s} to listen`, 30_000, () => (procs[s].stdout.some((l) => l.includes('"listening"')) ? true : undefined), logs);
    procs.w0 = worker(0);
    procs.w1 = worker(1);
    let last = 0;
    const step = (): number => {
      for (const e of events(procs.w0).slice(-5)) if (e['event'] === 'progress' && typeof e['step'] === 'number') last = Math.max(last, e['step']);
      return last;
    };
    await during({ step, procs, logs });
    let timer: NodeJS.Timeout | undefined;
    const codes = await Promise.race([
      Promise.all(Object.values(procs).map((p) => p.exited)),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${name} did not finish in 120 s:\n${logs()}`)), 120_000))),
    ]).finally(() => clearTimeout(timer));
    return { procs, codes, theta: readParams(saved), logs };
  } finally {
    for (const p of Object.values(procs)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(Object.values(procs).map((p) => p.exited));
  }
}

const psDone = (p: Proc): Record<string, unknown> & { counters: Record<string, number> } => {
  const e = events(p).find((x) => x['event'] === 'ps-done');
  assert.ok(e !== undefined, `${p.name} printed ps-done`);
  return e as Record<string, unknown> & { counters: Record<string, number> };
};
const count = (p: Proc, re: RegExp): number => p.stderr.filter((l) => re.test(l)).length;

const skip = process.env['CI'] !== undefined && process.env['CI'] !== '' ? false : capability();

void test(
  'network chaos (delay, jitter, loss, duplication, reordering, partitions that heal, one past the heartbeat timeout) with 2 workers and 2 shards: B on every step, θ as on clean links',
  { skip, timeout: 300_000 },
  async () => {
    const missing = capability();
    assert.equal(missing, false, `CI is set but ${String(missing)}`);
    const dir = mkdtempSync(join(tmpdir(), 'lnsgd-chaos-'));
    const net = await buildNetwork();
    const log = (line: string): void => void process.stderr.write(`chaos: ${line}\n`);
    try {
      const t0 = Date.now();
      const clean = await trainRun(dir, 'clean', () => Promise.resolve());
      assert.deepEqual(clean.codes, [0, 0, 0, 0], clean.logs());
      log(`clean run: ${STEPS} steps in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

      for (const h of ALL) await net.faults(h, BASE);
      type Frames = Omit<PortStats, 'rx' | 'tx'> & { frames: number };
      const phases: Record<string, { tcp: Record<TcpCounter, number>; frames: Frames; seconds: number; steps: [number, number] }> = {};
      const total = async (): Promise<Frames> => {
        const st = await net.stats();
        const sum = (k: keyof PortStats): number => ALL.reduce((acc, h) => acc + st[h][k], 0);
        return { frames: sum('rx'), lost: sum('lost'), cut: sum('cut'), duplicated: sum('duplicated'), reordered: sum('reordered'), overflow: sum('overflow') };
      };
      const t1 = Date.now();
      const chaos = await trainRun(dir, 'chaos', async ({ step, procs, logs }) => {
        const atStep = (n: number, ms = 60_000): Promise<number> => until(`step ${n}`, ms, () => (step() >= n ? step() : undefined), logs);
        const phase = async (name: string, body: () => Promise<void>): Promise<void> => {
          const [tcp0, f0, s0, start0] = [sumTcp(ALL), await total(), step(), Date.now()];
          await body();
          const [tcp1, f1] = [sumTcp(ALL), await total()];
          const frames = Object.fromEntries(Object.entries(f1).map(([k, v]) => [k, v - f0[k as keyof Frames]])) as Frames;
          phases[name] = { tcp: diffTcp(tcp0, tcp1), frames, seconds: (Date.now() - start0) / 1000, steps: [s0, step()] };
          log(`${name}: ${JSON.stringify(phases[name])}`);
        };
        await phase('delay 3±2 ms on every link', () => atStep(30).then(() => undefined));
        await phase('loss 10% + duplicate 10% + reorder 25% on w0', async () => {
          await net.faults('w0', 'loss=0.1 dup=0.1 reorder=0.25');
          await atStep(step() + 50);
          await net.faults('w0', BASE);
        });
        await phase('partition w1 for 1 s', async () => {
          await net.faults('w1', 'down=1');
          await sleep(1000);
          await net.faults('w1', 'down=0');
          await atStep(step() + 10);
        });
        await phase('partition ps1 for 1 s', async () => {
          await net.faults('ps1', 'down=1');
          await sleep(1000);
          await net.faults('ps1', 'down=0');
          await atStep(step() + 10);
        });
        await phase(`partition w1 past the ${HEARTBEAT_MS} ms heartbeat timeout`, async () => {
          await net.faults('w1', 'down=1');
          await until('shard 0 to report worker 1 lost', 30_000, () => (count(procs.ps0, /rank 1\).*lost|lost.*rank 1\)/) > 0 ? true : undefined), logs);
          // w0 trains on alone (B rebalanced onto it) for a few steps before the link heals,
          // on a slow link (100 ms each way) until w1 is back: TCP's backed-off retransmission
          // timer keeps w1 away for seconds after the heal, and the run must not end first.
          await net.faults('w0', 'delay=100');
          await atStep(step() + 5, 30_000);
          await net.faults('w1', 'down=0');
          const healed = Date.now();
          await until('worker 1 to be admitted again', 90_000, () => (count(procs.ps0, /admitted rank\(s\) 1/) > 0 ? true : undefined), logs);
          log(`worker 1 admitted again ${((Date.now() - healed) / 1000).toFixed(1)} s after the heal, at step ${step()}`);
          await net.faults('w0', BASE);
        });
      });
      log(`chaos run: ${STEPS} steps in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
      assert.deepEqual(chaos.codes, [0, 0, 0, 0], chaos.logs());

      // B on every step, every step done.
      const summary = events(chaos.procs.w0).find((e) => e['event'] === 'summary');
      assert.ok(summary !== undefined, chaos.logs());
      log(`summary: ${JSON.stringify(summary)}`);
      assert.equal(summary['steps'], STEPS);
      assert.equal(summary['step_samples_min'], B, 'fewest samples in a step');
      assert.equal(summary['step_samples_max'], B, 'most samples in a step');

      // The parameters: the only membership change is the long partition, after which w0
      // recomputed the lost worker's share: bitwise equality is not promised there (a
      // different float32 summation order), agreement to 1e-6 is.
      const rel = relativeDifference(chaos.theta, clean.theta);
      log(`relative difference to the clean run: ${rel}; bitwise: ${Buffer.from(chaos.theta.buffer).equals(Buffer.from(clean.theta.buffer))}`);
      assert.ok(rel <= 1e-6, `relative difference ${rel}`);

      // Each fault's events.
      const p = (prefix: string): (typeof phases)[string] => {
        const v = Object.entries(phases).find(([k]) => k.startsWith(prefix))?.[1];
        assert.ok(v !== undefined, prefix);
        return v;
      };
      assert.ok(p('delay').frames.frames > 0, 'the switch carried the traffic');
      const lossy = p('loss');
      assert.ok(
        lossy.frames.lost > 0 && lossy.frames.duplicated > 0 && lossy.frames.reordered > 0,
        `loss, duplication and reordering happened: ${JSON.stringify(lossy.frames)}`,
      );
      assert.ok(lossy.tcp.TcpRetransSegs > 0, 'TCP retransmitted the lost segments');
      assert.ok(lossy.tcp.TcpExtTCPDSACKOldSent + lossy.tcp.TcpExtTCPDSACKRecv > 0, 'the duplicated segments were seen (D-SACK)');
      for (const prefix of ['partition w1 for', 'partition ps1', 'partition w1 past']) {
        const ph = p(prefix);
        assert.ok(ph.frames.cut > 0, `${prefix}: frames cut`);
        assert.ok(ph.tcp.TcpRetransSegs > 0, `${prefix}: retransmissions across the cut`);
      }
      for (const ph of Object.values(phases)) assert.equal(ph.frames.overflow, 0, 'no queue overflowed');
      const ps0 = psDone(chaos.procs.ps0).counters;
      const ps1 = psDone(chaos.procs.ps1).counters;
      log(`ps0 counters: ${JSON.stringify(ps0)}`);
      log(`ps1 counters: ${JSON.stringify(ps1)}`);
      assert.equal(ps0['workersLost'], 1, 'exactly one loss: the long partition (the short ones stay under the heartbeat timeout)');
      assert.ok(ps0['workersAdmitted'] >= 1, 'worker 1 admitted again after the long partition');
      assert.ok(ps0['membershipChanges'] >= 2, 'rebalanced onto w0, then back onto both');
      const resends = (['w0', 'w1'] as const).reduce((acc, h) => acc + count(chaos.procs[h], /resending \(attempt/), 0);
      log(`worker resends: ${resends}`);
      assert.ok(resends > 0, 'pushes stalled by the partitions were resent');
      assert.ok(ps0['pushesResent'] + ps1['pushesResent'] > 0, 'the servers answered the resent pushes from their replay cache');
      // Back after being dropped, worker 1 registered again: told so by a shard (unknownWorker), or on its own once its resends ran out.
      assert.ok(count(chaos.procs.w1, /; registering again$/) > 0, `worker 1 registered again (unknownWorker at shard 0: ${ps0['unknownWorker']})`);
      // Bounded: no retransmission storm.
      const frames = (await total()).frames;
      log(`frames through the switch in both runs: ${frames}`);
      assert.ok(frames < 200_000, `frames ${frames}`);
    } finally {
      await net.teardown();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
