import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { appEntry } from '@lnsgd/cli/cluster/app-entry';
import { METRICS_PORT, PS_PORT, psEndpoints } from '@lnsgd/cli/k8s/render-overlay';
import { prerequisite } from '@lnsgd/testing';

// A multi-host run: the PS, two workers and the metrics service each in its own network
// namespace (10.77.0.0/24 on veth pairs joined by a bridge in a namespace of our own; the
// test itself is 10.77.0.1), configured only through the variables deploy/k8s sets,
// names resolved like Kubernetes' headless Services (lnsgd-ps-0.lnsgd-ps) through
// /etc/netns/<ns>/hosts. Needs root (CAP_NET_ADMIN) and iproute2.

const TAG = `ln${process.pid % 100000}`;
const SW = `${TAG}-sw`;
const HOSTS = { ps: '10.77.0.10', w0: '10.77.0.11', w1: '10.77.0.12', m: '10.77.0.13' } as const;
type Host = keyof typeof HOSTS;
const ns = (h: Host): string => `${TAG}-${h}`;
const HOSTS_FILE = `127.0.0.1 localhost\n${HOSTS.ps} lnsgd-ps-0.lnsgd-ps lnsgd-ps-0\n${HOSTS.w0} lnsgd-worker-0.lnsgd-worker\n${HOSTS.w1} lnsgd-worker-1.lnsgd-worker\n${HOSTS.m} lnsgd-metrics\n`;

function ip(args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim() || String(r.error)}`);
}

function capability(): string | false {
  if (process.getuid?.() !== 0) return 'needs root (CAP_NET_ADMIN) for ip netns';
  const probe = `${TAG}-probe`;
  const r = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) return `ip netns add failed (${(r.stderr ?? String(r.error)).trim()}); install iproute2 and run as root`;
  spawnSync('ip', ['netns', 'del', probe], { timeout: 10_000 });
  return false;
}

/** Builds the namespaces; returns the teardown (safe to call more than once). */
function buildNetwork(): () => void {
  const hadEtcNetns = existsSync('/etc/netns');
  const teardown = (): void => {
    for (const h of Object.keys(HOSTS) as Host[]) {
      spawnSync('ip', ['netns', 'del', ns(h)], { timeout: 10_000 });
      rmSync(`/etc/netns/${ns(h)}`, { recursive: true, force: true });
    }
    spawnSync('ip', ['netns', 'del', SW], { timeout: 10_000 });
    spawnSync('ip', ['link', 'del', `${TAG}-t`], { timeout: 10_000 });
    // Only when empty: another test's namespaces may still be using it.
    if (!hadEtcNetns && existsSync('/etc/netns') && readdirSync('/etc/netns').length === 0) rmdirSync('/etc/netns');
  };
  try {
    ip(['netns', 'add', SW]);
    ip(['-n', SW, 'link', 'add', 'br0', 'type', 'bridge']);
    ip(['-n', SW, 'link', 'set', 'br0', 'up']);
    const attach = (hostEnd: string, swEnd: string): void => {
      ip(['link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', swEnd]);
      ip(['link', 'set', swEnd, 'netns', SW]);
      ip(['-n', SW, 'link', 'set', swEnd, 'master', 'br0']);
      ip(['-n', SW, 'link', 'set', swEnd, 'up']);
    };
    for (const h of Object.keys(HOSTS) as Host[]) {
      ip(['netns', 'add', ns(h)]);
      // Interface names have at most 15 characters.
      attach(`${TAG}${h}`, `${h}-p`);
      ip(['link', 'set', `${TAG}${h}`, 'netns', ns(h)]);
      ip(['-n', ns(h), 'link', 'set', `${TAG}${h}`, 'name', 'eth0']);
      ip(['-n', ns(h), 'addr', 'add', `${HOSTS[h]}/24`, 'dev', 'eth0']);
      ip(['-n', ns(h), 'link', 'set', 'eth0', 'up']);
      ip(['-n', ns(h), 'link', 'set', 'lo', 'up']);
      mkdirSync(`/etc/netns/${ns(h)}`, { recursive: true });
      writeFileSync(`/etc/netns/${ns(h)}/hosts`, HOSTS_FILE);
    }
    // The test process itself (a Prometheus stand-in) is 10.77.0.1.
    attach(`${TAG}-t`, 't-p');
    ip(['addr', 'add', '10.77.0.1/24', 'dev', `${TAG}-t`]);
    ip(['link', 'set', `${TAG}-t`, 'up']);
  } catch (err: unknown) {
    teardown();
    throw err;
  }
  return teardown;
}

interface Proc {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  readonly exited: Promise<number | null>;
}

function start(host: Host, app: 'parameter-server' | 'worker' | 'metrics', env: Record<string, string>): Proc {
  // Only PATH/HOME from outside: everything else is what the manifests set.
  const child = spawn('ip', ['netns', 'exec', ns(host), process.execPath, appEntry(app)], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const p: Proc = { child, stdout: [], stderr: [], exited: new Promise((r) => child.once('close', (code) => r(code))) };
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (l) => p.stdout.push(l));
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (l) => p.stderr.push(l));
  return p;
}

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function scrape(host: Host): Promise<string | undefined> {
  try {
    const r = await fetch(`http://${HOSTS[host]}:${METRICS_PORT}/metrics`, { signal: AbortSignal.timeout(2000) });
    return r.ok ? await r.text() : undefined;
  } catch {
    return undefined;
  }
}

const gauge = (text: string, name: string): number | undefined => {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text);
  return m?.[1] === undefined ? undefined : Number(m[1]);
};

function runEnv(dir: string, steps: number): { ps: Record<string, string>; worker: (rank: number) => Record<string, string>; metrics: Record<string, string> } {
  const runConfig = join(dir, `run-${steps}.json`);
  writeFileSync(runConfig, JSON.stringify({ preset: 'uv-toy', steps }));
  const common = { LNSGD_RUN: `netns-${steps}`, LNSGD_METRICS_HOST: '0.0.0.0', LNSGD_METRICS_PORT: String(METRICS_PORT) };
  return {
    ps: {
      ...common,
      LNSGD_POD_NAME: 'lnsgd-ps-0',
      LNSGD_WORKERS: '2',
      LNSGD_SHARDS: '1',
      LNSGD_RUN_CONFIG: runConfig,
      LNSGD_BIND: `tcp://0.0.0.0:${PS_PORT}`,
      LNSGD_HEARTBEAT_TIMEOUT_MS: '3000',
    },
    worker: (rank) => ({
      ...common,
      JOB_COMPLETION_INDEX: String(rank),
      LNSGD_PS_ENDPOINTS: psEndpoints(1),
      LNSGD_WORKER_ID: `lnsgd-worker-${rank}`,
      LNSGD_BACKEND: 'cpu',
      LNSGD_TIMEOUT_MS: '5000',
    }),
    metrics: { ...common, LNSGD_PS_ENDPOINTS: psEndpoints(1), LNSGD_RUN_CONFIG: runConfig, LNSGD_METRICS_EVERY_SECONDS: '1', LNSGD_BACKEND: 'cpu' },
  };
}

void test(
  'multi-host: PS, two workers and the metrics service in separate network namespaces train to completion; a cut link is reported',
  { timeout: 150_000 },
  async (t) => {
    if (!prerequisite(t, capability())) return;
    const dir = mkdtempSync(join(tmpdir(), 'lnsgd-netns-'));
    const procs: Proc[] = [];
    const teardown = buildNetwork();
    const logs = (): string => procs.map((p) => [...p.stdout.slice(-5), ...p.stderr.slice(-10)].join('\n')).join('\n---\n');
    try {
      // Phase 1: a whole run.
      const e1 = runEnv(dir, 40);
      const ps = start('ps', 'parameter-server', e1.ps);
      procs.push(ps);
      await until('the PS to listen', 30_000, () => (ps.stdout.some((l) => l.includes('"listening"')) ? true : undefined));
      const metrics = start('m', 'metrics', e1.metrics);
      const workers = [start('w0', 'worker', e1.worker(0)), start('w1', 'worker', e1.worker(1))];
      procs.push(metrics, ...workers);
      let timer: NodeJS.Timeout | undefined;
      const codes = await Promise.race([
        Promise.all([ps.exited, ...workers.map((w) => w.exited)]),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`run 1 did not finish in 60 s:\n${logs()}`)), 60_000))),
      ]).finally(() => clearTimeout(timer));
      assert.deepEqual(codes, [0, 0, 0], logs());
      const done = ps.stdout.map((l) => JSON.parse(l) as Record<string, unknown>).find((e) => e['event'] === 'ps-done');
      assert.equal(done?.['version'], 40, `the PS ran 40 steps:\n${logs()}`);
      assert.ok(
        ps.stderr.every((l) => !/lost/.test(l)),
        'no worker was lost in run 1',
      );
      const m = await until('the metrics service to serve /metrics', 20_000, () => scrape('m'));
      assert.match(m, /run="netns-40"/);
      metrics.child.kill('SIGTERM');
      await metrics.exited;

      // Phase 2: a long run; cut worker 1's link; the PS reports it lost.
      const e2 = runEnv(dir, 1_000_000);
      const ps2 = start('ps', 'parameter-server', e2.ps);
      procs.push(ps2);
      await until('the PS to listen', 30_000, () => (ps2.stdout.some((l) => l.includes('"listening"')) ? true : undefined));
      procs.push(start('w0', 'worker', e2.worker(0)), start('w1', 'worker', e2.worker(1)));
      // Both workers must have pushed (a closed step needs both) before the cut: a worker
      // that has not pushed yet gets the PS's startup grace (120 s by default, for tfjs
      // warm-up), which is not what this phase is about.
      await until('two live workers at the PS and a few closed steps', 30_000, async () => {
        const t = await scrape('ps');
        return t !== undefined && gauge(t, 'lnsgd_cluster_live_workers') === 2 && (gauge(t, 'lnsgd_train_step') ?? 0) >= 3 ? true : undefined;
      });
      ip(['-n', SW, 'link', 'set', 'w1-p', 'down']);
      const lost = await until('the PS to report worker 1 lost', 20_000, () => ps2.stderr.find((l) => /rank 1\)/.test(l) && /lost/.test(l)));
      assert.match(lost, /lnsgd-worker-1/);
      const t = await until('lnsgd_cluster_live_workers = 1', 10_000, async () => {
        const x = await scrape('ps');
        return x !== undefined && gauge(x, 'lnsgd_cluster_live_workers') === 1 ? x : undefined;
      });
      assert.equal(gauge(t, 'lnsgd_cluster_expected_workers'), 2);
    } finally {
      for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
      await Promise.all(procs.map((p) => p.exited));
      teardown();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
