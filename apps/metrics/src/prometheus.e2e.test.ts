/**
 * End to end through a real Prometheus server: two metrics services (label noise on,
 * σ = 0) poll parameter snapshots of uv-toy runs; Prometheus scrapes them every second;
 * the test reads the sharpness series back through the HTTP API. Needs the Debian
 * package `prometheus` (prometheus + promtool); skipped with a message without it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createModel } from '@lnsgd/models';
import { resolveRunConfig, trainInProcess, writeParamsFile } from '@lnsgd/trainer';
import { findExecutable, parseExposition, runPromtool } from '@lnsgd/telemetry';
import { endChild, startPrometheus, type TestPrometheus } from '@lnsgd/telemetry/testing';
import { prerequisite } from '@lnsgd/testing';

const BIN = join(__dirname, '..', 'bin', 'lnsgd-metrics.js');
const STEPS = [0, 5000, 10000, 20000];
const WAIT_MS = 60_000;

/** θ of uv-toy after `step` steps (runs are deterministic in the seed: a shorter run is a prefix of a longer one). */
async function writeSnapshot(args: { dir: string; sigma: number; step: number }): Promise<void> {
  const path = join(args.dir, `step-${args.step}.bin`);
  if (args.step === 0) {
    const theta = createModel('uv-toy', {}).init(0);
    writeParamsFile(path, { header: { preset: 'uv-toy', step: 0, seed: 0 }, theta });
    return;
  }
  await trainInProcess({
    config: resolveRunConfig('uv-toy', { steps: args.step, sigma: args.sigma }),
    sharpness: false,
    saveParams: path,
    progressEvery: args.step,
  });
}

interface Service {
  readonly child: ChildProcess;
  readonly metricsUrl: string;
  readonly stderr: () => string;
}

async function startService(args: { run: string; dir: string; sigma: number }): Promise<Service> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      '--params',
      args.dir,
      '--preset',
      'uv-toy',
      '--sigma',
      String(args.sigma),
      '--run',
      args.run,
      '--every-steps',
      '1',
      '--poll-seconds',
      '0.1',
      '--backend',
      'wasm',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const lines = createInterface({ input: child.stdout });
  const metricsUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`metrics service ${args.run} printed no listening line:\n${stderr}`)), WAIT_MS);
    lines.on('line', (l) => {
      const e = JSON.parse(l) as { event: string; metrics_url?: string };
      if (e.event === 'listening' && e.metrics_url !== undefined) {
        clearTimeout(timer);
        resolve(e.metrics_url);
      }
    });
    child.once('exit', (code) => reject(new Error(`metrics service ${args.run} exited with ${code}:\n${stderr}`)));
  });
  return { child, metricsUrl, stderr: () => stderr };
}

/** Polls Prometheus until every run's lnsgd_sharpness_step reaches `step`; returns the series of that instant by run and name. */
async function seriesAtStep(prom: TestPrometheus, args: { runs: readonly string[]; step: number }): Promise<Map<string, Map<string, number>>> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    // One instant query: all names come from the same scrape of each target.
    const rows = await prom.query(
      '{__name__=~"lnsgd_sharpness_step|lnsgd_hessian_.*|lnsgd_implicit_regularizer.*|lnsgd_edge_of_stability_ratio|lnsgd_eval_.*|lnsgd_params_distance_from_start"}',
    );
    const byRun = new Map<string, Map<string, number>>();
    for (const r of rows) {
      const run = r.metric['run'] ?? '';
      const name = r.metric['__name__'] ?? '';
      if (!byRun.has(run)) byRun.set(run, new Map());
      byRun.get(run)!.set(name + (r.metric['index'] !== undefined ? `{${r.metric['index']}}` : ''), r.value);
    }
    if (args.runs.every((run) => byRun.get(run)?.get('lnsgd_sharpness_step') === args.step)) return byRun;
    if (Date.now() > deadline)
      throw new Error(`Prometheus never saw lnsgd_sharpness_step = ${args.step} for ${args.runs.join(', ')}; last rows: ${JSON.stringify(rows)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

void test('a real Prometheus receives the sharpness series: sane values, trace falls with label noise, flat with σ = 0', { timeout: 240_000 }, async (t) => {
  const prometheus = findExecutable('prometheus');
  const promtool = findExecutable('promtool');
  const missing = (prometheus === undefined || promtool === undefined) && 'prometheus/promtool not installed (apt-get install prometheus)';
  if (!prerequisite(t, missing) || prometheus === undefined || promtool === undefined) return;
  const root = mkdtempSync(join(tmpdir(), 'lnsgd-prom-e2e-'));
  const services: Service[] = [];
  let prom: TestPrometheus | undefined;
  try {
    const runs = [
      { run: 'uv-noise', sigma: 0.5, dir: join(root, 'noise') },
      { run: 'uv-clean', sigma: 0, dir: join(root, 'clean') },
    ];
    for (const r of runs) mkdirSync(r.dir);
    for (const r of runs) services.push(await startService(r));
    mkdirSync(join(root, 'prom'));
    prom = await startPrometheus({
      binary: prometheus,
      staticTargets: services.map((s) => new URL(s.metricsUrl).host),
      staticJob: 'lnsgd-metrics',
      dir: join(root, 'prom'),
    });

    const seen: Array<Map<string, Map<string, number>>> = [];
    for (const step of STEPS) {
      for (const r of runs) await writeSnapshot({ dir: r.dir, sigma: r.sigma, step });
      seen.push(await seriesAtStep(prom, { runs: runs.map((r) => r.run), step }));
    }

    for (const [i, at] of seen.entries()) {
      for (const r of runs) {
        const s = at.get(r.run)!;
        const v = (name: string): number => {
          const x = s.get(name);
          assert.ok(x !== undefined, `${r.run} step ${STEPS[i]}: ${name} missing`);
          return x;
        };
        for (const name of [
          'lnsgd_hessian_top_eigenvalue',
          'lnsgd_hessian_trace',
          'lnsgd_implicit_regularizer',
          'lnsgd_hessian_top_eigenvalue_error',
          'lnsgd_hessian_trace_stderr',
          'lnsgd_implicit_regularizer_stderr',
        ]) {
          assert.ok(Number.isFinite(v(name)), `${r.run} step ${STEPS[i]}: ${name} = ${v(name)}`);
        }
        assert.ok(v('lnsgd_hessian_trace') > 0, 'tr∇²L > 0');
        assert.ok(v('lnsgd_hessian_top_eigenvalue') > 0);
        assert.ok(v('lnsgd_edge_of_stability_ratio') < 1, 'uv-toy with η = 0.1 stays below the edge of stability');
        // −log(1 − x) ≥ x for x < 1, so R(h) ≥ h/4 per eigenvalue and R(θ) ≥ tr∇²L/4 (exact here: 2 parameters).
        assert.ok(v('lnsgd_implicit_regularizer') >= v('lnsgd_hessian_trace') / 4 - 1e-6, `R(θ) ≥ tr∇²L/4`);
        assert.ok(v('lnsgd_hessian_top_eigenvalue_error') >= 0);
        assert.ok(Math.abs(v('lnsgd_edge_of_stability_ratio') - (0.1 * v('lnsgd_hessian_top_eigenvalue')) / 2) < 1e-9, 'η·λ_max/2 with η = 0.1');
        assert.equal(v('lnsgd_hessian_eigenvalue{1}'), v('lnsgd_hessian_top_eigenvalue'));
      }
    }
    const trace = (run: string): number[] => seen.map((at) => at.get(run)!.get('lnsgd_hessian_trace')!);
    const noisy = trace('uv-noise');
    const clean = trace('uv-clean');
    t.diagnostic(`tr∇²L with σ = 0.5 at steps ${STEPS.join(', ')}: ${noisy.map((x) => x.toFixed(3)).join(', ')}`);
    t.diagnostic(`tr∇²L with σ = 0   at steps ${STEPS.join(', ')}: ${clean.map((x) => x.toFixed(3)).join(', ')}`);
    assert.ok(noisy[noisy.length - 1] < 0.5 * noisy[0], `label noise flattens: trace ${noisy[0]} → ${noisy[noisy.length - 1]}`);
    // Not monotone to the end: near the flat minimizer (trace ≈ 2) label noise keeps θ fluctuating.
    assert.ok(noisy[1] < noisy[0], `trace falls from the sharp start: ${noisy.join(' → ')}`);
    for (const x of clean) assert.ok(Math.abs(x - clean[0]) <= 0.05 * clean[0], `σ = 0 keeps the trace within 5% of its start: ${clean.join(', ')}`);

    const up = await prom.query('up{job="lnsgd-metrics"}');
    assert.deepEqual(
      up.map((u) => u.value),
      [1, 1],
    );
    for (const s of services) {
      const body = await (await fetch(s.metricsUrl)).text();
      assert.ok(parseExposition(body).samples.length > 0);
      const check = await runPromtool({ promtool, args: ['check', 'metrics'], stdin: body });
      assert.equal(check.code, 0, check.stdout + check.stderr);
      assert.equal((check.stdout + check.stderr).trim(), '', `promtool check metrics on ${s.metricsUrl}:\n${check.stdout}${check.stderr}`);
    }
  } finally {
    await prom?.stop();
    for (const s of services) await endChild(s.child);
    rmSync(root, { recursive: true, force: true });
  }
});
