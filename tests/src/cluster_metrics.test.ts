/**
 * The issue's observability must-shows on a real local cluster, end to end: `lnsgd
 * train` starts parameter server, workers and the sharpness monitor; a real Prometheus
 * (Debian package `prometheus`) scrapes them every second; the test reads the series
 * back through Prometheus's HTTP API and runs `promtool check metrics` on every
 * process's /metrics. Skipped with a message when prometheus or promtool is absent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, runCliStreaming } from './cluster_helpers';
import { findExecutable, parseExposition, runPromtool } from '@lnsgd/telemetry';
import { freePort, startPrometheus, type RangeSample, type TestPrometheus } from '@lnsgd/telemetry/testing';
import type { CliResult } from './run_cli';
import { prerequisite } from '@lnsgd/testing';

interface Proc {
  readonly role: 'ps' | 'worker' | 'metrics';
  readonly pid: number;
  readonly metrics_url: string | null;
}

/** What one process served mid-run. */
interface Served {
  readonly proc: Proc;
  readonly body: string;
  readonly healthz: number;
  readonly readyz: number;
}

const SHARPNESS = ['lnsgd_hessian_top_eigenvalue', 'lnsgd_hessian_trace', 'lnsgd_implicit_regularizer'] as const;
const RUN_TIMEOUT_MS = 150_000;

/** Fetches /metrics, /healthz and /readyz of every process; the monitor's until its first estimate is in (bounded). */
async function scrapeAll(procs: readonly Proc[]): Promise<Served[]> {
  return Promise.all(
    procs.map(async (proc): Promise<Served> => {
      const url = proc.metrics_url;
      assert.ok(url !== null, `${proc.role} pid ${proc.pid} has no metrics_url`);
      const deadline = Date.now() + 30_000;
      let body = await (await fetch(url)).text();
      while (proc.role === 'metrics' && !SHARPNESS.every((n) => new RegExp(`^${n}\\{`, 'm').test(body))) {
        if (Date.now() > deadline) throw new Error(`the monitor at ${url} served no sharpness estimate within 30 s:\n${body.slice(0, 2000)}`);
        await new Promise((r) => setTimeout(r, 100));
        body = await (await fetch(url)).text();
      }
      const healthz = (await fetch(url.replace(/metrics$/, 'healthz'))).status;
      const readyz = (await fetch(url.replace(/metrics$/, 'readyz'))).status;
      return { proc, body, healthz, readyz };
    }),
  );
}

/** Runs one cluster; scrapes every endpoint once the first progress event shows the run is under way. */
function runCluster(args: { run: string; sigma: number; monitorPort: number; prom: TestPrometheus }): {
  result: Promise<CliResult>;
  served: Promise<Served[]>;
  procs: () => Proc[];
  child: () => ChildProcess | undefined;
} {
  let procs: Proc[] = [];
  let child: ChildProcess | undefined;
  let resolveServed: (s: Promise<Served[]>) => void = () => undefined;
  const served = new Promise<Promise<Served[]>>((r) => (resolveServed = r)).then((p) => p);
  let scraping = false;
  const result = runCliStreaming(
    [
      'train',
      '--preset',
      'uv-toy',
      '--workers',
      '2',
      '--sigma',
      String(args.sigma),
      '--no-sharpness',
      '--json',
      '--run',
      args.run,
      '--metrics-every-steps',
      '1000',
      '--metrics-port',
      String(args.monitorPort),
    ],
    {
      timeoutMs: RUN_TIMEOUT_MS,
      onLine: (line, c) => {
        child = c;
        const e = JSON.parse(line) as { event: string; processes?: Proc[] };
        if (e.event === 'endpoints') {
          procs = e.processes ?? [];
          // The monitor is a static target (its port is fixed); the others are discovered now.
          args.prom.addTargets(procs.filter((p) => p.role !== 'metrics' && p.metrics_url !== null).map((p) => new URL(p.metrics_url ?? '').host));
        } else if (e.event === 'progress' && !scraping) {
          scraping = true;
          resolveServed(scrapeAll(procs));
        }
      },
    },
  );
  // A run that ends before any progress event fails the scrape instead of hanging the test.
  void result.then(() => {
    if (!scraping) resolveServed(Promise.reject(new Error(`${args.run}: the run ended before its endpoints were scraped`)));
  });
  return { result, served, procs: () => procs, child: () => child };
}

/** Every stored sample of `name` for `run`, by scrape time. */
async function series(prom: TestPrometheus, args: { name: string; run: string }): Promise<RangeSample[]> {
  const rows = await prom.queryRange(`${args.name}{run="${args.run}"}[10m]`);
  assert.equal(rows.length, 1, `${args.name}{run="${args.run}"}: expected one series, got ${rows.length}`);
  return rows[0].samples;
}

void test(
  'a real Prometheus scrapes a local cluster: sharpness series arrive finite, tr∇²L falls with label noise and stays flat with σ = 0; promtool is silent on every endpoint',
  { timeout: 240_000 },
  async (t) => {
    const prometheus = findExecutable('prometheus');
    const promtool = findExecutable('promtool');
    const missing = (prometheus === undefined || promtool === undefined) && 'prometheus/promtool not installed (apt-get install prometheus)';
    if (!prerequisite(t, missing) || prometheus === undefined || promtool === undefined) return;
    const root = mkdtempSync(join(tmpdir(), 'lnsgd-cluster-metrics-'));
    let prom: TestPrometheus | undefined;
    const clusters: ReturnType<typeof runCluster>[] = [];
    try {
      const runs = [
        { run: 'cluster-noise', sigma: 0.5, monitorPort: await freePort() },
        { run: 'cluster-clean', sigma: 0, monitorPort: await freePort() },
      ];
      mkdirSync(join(root, 'prom'));
      // Prometheus first, so that it scrapes the monitors from their first estimate on.
      prom = await startPrometheus({ binary: prometheus, staticTargets: runs.map((r) => `127.0.0.1:${r.monitorPort}`), dir: join(root, 'prom') });
      const p = prom;
      for (const r of runs) clusters.push(runCluster({ ...r, prom: p }));
      const results = await Promise.all(clusters.map((c) => c.result));
      results.forEach((r, i) => assert.equal(r.code, 0, `${runs[i].run}: ${r.stderr}`));

      // Every process served /metrics, /healthz and /readyz while training; promtool finds nothing.
      for (const [i, c] of clusters.entries()) {
        const served = await c.served;
        assert.deepEqual(served.map((s) => s.proc.role).sort(), ['metrics', 'ps', 'worker', 'worker'], `${runs[i].run}: one monitor, one server, two workers`);
        for (const s of served) {
          const where = `${runs[i].run} ${s.proc.role} ${String(s.proc.metrics_url)}`;
          assert.equal(s.healthz, 200, `${where} /healthz`);
          assert.equal(s.readyz, 200, `${where} /readyz`);
          const names = new Set(parseExposition(s.body).samples.map((x) => x.name));
          const expected = {
            ps: ['lnsgd_train_step', 'lnsgd_cluster_live_workers', 'lnsgd_transport_rejected_messages_total'],
            worker: ['lnsgd_train_samples_total', 'lnsgd_transport_push_duration_seconds_bucket'],
            metrics: [...SHARPNESS],
          }[s.proc.role];
          for (const n of expected) assert.ok(names.has(n), `${where} lacks ${n}`);
          const check = await runPromtool({ promtool, args: ['check', 'metrics'], stdin: s.body });
          assert.equal(check.code, 0, `${where}: ${check.stdout}${check.stderr}`);
          assert.equal((check.stdout + check.stderr).trim(), '', `promtool check metrics on ${where}:\n${check.stdout}${check.stderr}`);
        }
        for (const proc of c.procs()) assert.equal(isAlive(proc.pid), false, `${runs[i].run}: ${proc.role} pid ${proc.pid} outlived the run`);
      }

      // Through Prometheus: the sharpness series of each run, paired by scrape with the snapshot's step.
      const trace: Record<string, { step: number; value: number }[]> = {};
      for (const r of runs) {
        const steps = await series(prom, { name: 'lnsgd_sharpness_step', run: r.run });
        const stepAt = new Map(steps.map((s) => [s.t, s.value]));
        for (const name of SHARPNESS) {
          for (const s of await series(prom, { name, run: r.run }))
            assert.ok(Number.isFinite(s.value) && s.value > 0, `${r.run}: ${name} = ${s.value} at ${s.t}`);
        }
        const byStep = new Map<number, number>();
        for (const s of await series(prom, { name: 'lnsgd_hessian_trace', run: r.run })) {
          const step = stepAt.get(s.t);
          if (step !== undefined && !byStep.has(step)) byStep.set(step, s.value);
        }
        trace[r.run] = [...byStep].map(([step, value]) => ({ step, value })).sort((a, b) => a.step - b.step);
        t.diagnostic(
          `${r.run} (σ = ${r.sigma}): tr∇²L by step as Prometheus stored it: ${trace[r.run].map((x) => `${x.step}:${x.value.toFixed(3)}`).join(' ')}`,
        );
        assert.ok(trace[r.run].length >= 3, `${r.run}: Prometheus stored estimates of only ${trace[r.run].length} snapshots`);
      }
      // Both runs start from the preset's sharp minimizer θ0 = (u, v) = (4, 0.25). With σ = 0 the
      // gradient there is zero, so the clean run's level is tr∇²L(θ0) = m·(u² + v²), m = mean(x²),
      // whatever step the monitor's first estimate lands on. The fall is measured from that common
      // start rather than from the noisy run's first stored estimate: on a loaded machine the
      // monitor's first estimate came at step 3320 of 20000 (CI, 2026-11-27), by which point most of
      // the fall (16.1 → 3.1) had already happened, and a ratio to that point measured only the tail.
      const clean = trace['cluster-clean'];
      const start = clean[0].value;
      for (const x of clean) assert.ok(Math.abs(x.value - start) <= 0.05 * start, `σ = 0 keeps tr∇²L within 5% of ${start}: ${x.value} at step ${x.step}`);
      const noisy = trace['cluster-noise'];
      const last = noisy[noisy.length - 1];
      for (const x of noisy) assert.ok(x.value <= 1.05 * start, `label noise never raises tr∇²L above its start ${start}: ${x.value} at step ${x.step}`);
      assert.ok(last.value < 0.6 * start, `label noise flattens: tr∇²L ${start} at θ0 (the σ = 0 run's level) → ${last.value} at step ${last.step}`);
      // Closed form at the flat minimizer |u| = |v| = 1: tr∇²L = 2m, with m read off the start. The
      // preset keeps ‖θ‖ within ±0.1 of √2 at stationarity, so ‖θ‖² ∈ [1.73, 2.29]: allow ±25% of 2m.
      const flat = (2 * start) / (4 * 4 + 0.25 * 0.25);
      assert.ok(
        Math.abs(last.value - flat) <= 0.25 * flat,
        `label noise ends near the flat minimizer's closed form tr∇²L = ${flat.toFixed(3)}: ${last.value} at step ${last.step}`,
      );

      // The servers and workers were scraped too (discovered from the endpoints events).
      const up = await prom.query('max_over_time(up{job="discovered"}[10m])');
      assert.equal(up.length, 6, `discovered targets: ${JSON.stringify(up)}`);
      for (const u of up) assert.equal(u.value, 1, `${u.metric['instance']} was never up`);
      const live = await prom.query('max_over_time(lnsgd_cluster_live_workers[10m])');
      assert.deepEqual(
        live.map((l) => l.value),
        [2, 2],
      );
    } finally {
      for (const c of clusters) c.child()?.kill('SIGKILL');
      await prom?.stop();
      rmSync(root, { recursive: true, force: true });
    }
  },
);
