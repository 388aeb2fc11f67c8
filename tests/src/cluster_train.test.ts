import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, readParams, relativeDifference } from './cluster_helpers';
import { jsonLines, runCli } from './run_cli';

// The must-shows for the local cluster, run as a user would: real processes,
// real ZeroMQ sockets on 127.0.0.1.

void test('uv-toy on 2 worker processes reaches the flat minimizer; endpoints come first; no process outlives the run', async () => {
  const r = await runCli(['train', '--preset', 'uv-toy', '--workers', '2', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const lines = jsonLines(r.stdout);
  const first = lines[0];
  assert.equal(first.event, 'endpoints');
  const procs = first['processes'] as { role: string; pid: number; address: string | null; metrics_url: string | null }[];
  assert.deepEqual(
    procs.map((p) => p.role),
    ['ps', 'worker', 'worker', 'metrics'],
  );
  assert.match(procs[0].address ?? '', /^tcp:\/\/127\.0\.0\.1:\d+$/);
  for (const p of procs) assert.match(p.metrics_url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/metrics$/, `${p.role} serves /metrics`);
  const pids = new Set(procs.map((p) => p.pid));
  assert.equal(pids.size, 4, 'separate processes');
  assert.ok(!pids.has(process.pid));
  const s = lines[lines.length - 1];
  assert.equal(s.event, 'summary');
  assert.ok(s.params_l2 < 1.6, `params_l2 = ${s.params_l2} should be < 1.6`);
  assert.equal(s['workers'], 2);
  assert.equal(s['shards'], 1);
  assert.equal(typeof s['transport'], 'string');
  assert.equal(s['steps'], 20000);
  for (const k of ['train_loss', 'test_metric', 'params_sha256', 'lambda', 'top_eigenvalue']) assert.ok(k in s, `summary lacks ${k}`);
  for (const p of procs) assert.equal(isAlive(p.pid), false, `${p.role} pid ${p.pid} still running`);
});

void test('--workers 1, --workers 2 and --workers 2 --shards 2 agree after 200 steps (and 1 worker equals in-process)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-agree-'));
  try {
    const base = ['train', '--preset', 'quadratic-sparse', '--steps', '200', '--no-sharpness', '--json'];
    const layouts = [['--workers', '1'], ['--workers', '2'], ['--workers', '2', '--shards', '2'], ['--inprocess']];
    const runs = await Promise.all(layouts.map((l, i) => runCli([...base, ...l, '--save-params', join(dir, `p${i}.bin`)])));
    runs.forEach((r, i) => assert.equal(r.code, 0, `${layouts[i].join(' ')}: ${r.stderr}`));
    const summaries = runs.map((r) => jsonLines(r.stdout).at(-1));
    const params = layouts.map((_, i) => readParams(join(dir, `p${i}.bin`)));
    for (const i of [1, 2]) {
      const rel = relativeDifference(params[i], params[0]);
      assert.ok(rel < 1e-4, `${layouts[i].join(' ')} vs --workers 1: relative difference ${rel}`);
      assert.ok(Math.abs((summaries[i]?.params_l2 ?? 0) - (summaries[0]?.params_l2 ?? 1)) / (summaries[0]?.params_l2 ?? 1) < 1e-4);
    }
    // Shards split keys, not samples: 2 shards give bit-identical parameters to 1.
    assert.equal(summaries[2]?.params_sha256, summaries[1]?.params_sha256);
    // One worker takes the same gradient as the in-process trainer: bit-identical.
    assert.equal(summaries[0]?.params_sha256, summaries[3]?.params_sha256);
    assert.equal(summaries[2]?.['shards'], 2);
    // tr G: the reporting worker computes it from the same θ and batch as the trainer, and streams it.
    assert.equal(typeof summaries[3]?.['trace_noise_covariance'], 'number');
    assert.equal(summaries[0]?.['trace_noise_covariance'], summaries[3]?.['trace_noise_covariance']);
    const live = jsonLines(runs[1].stdout).filter((e) => e.event === 'progress' && typeof e['trace_noise_covariance'] === 'number');
    assert.ok(live.length >= 80, `2-worker progress events with tr G: ${live.length}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('cluster flags are validated before any process starts', async () => {
  const r = await runCli(['train', '--preset', 'uv-toy', '--workers', '0']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--workers must be an integer in \[1, 256\], got 0/);
  const s = await runCli(['train', '--inprocess', '--preset', 'uv-toy', '--shards', '2']);
  assert.notEqual(s.code, 0);
  assert.match(s.stderr, /--shards applies to the cluster mode/);
  const c = await runCli(['train', '--preset', 'uv-toy', '--workers', '2', '--shards', '2', '--optimizer', 'lars']);
  assert.notEqual(c.code, 0);
  assert.match(c.stderr, /--optimizer lars reduces over the whole parameter vector .*run it with --shards 1 \(got --shards 2\)/);
  assert.doesNotMatch(c.stderr, /\[ps0\]/);
  for (const [extra, why] of [
    [['--workers', '2', '--metrics-sharpness-budget', '0'], /--metrics-sharpness-budget must be in \(0, 1\], got 0/],
    [
      ['--workers', '2', '--metrics-sharpness-budget', '0.1', '--metrics-sharpness', 'local'],
      /--metrics-sharpness-budget .* conflicts with --metrics-sharpness local/,
    ],
    [['--workers', '2', '--metrics-sharpness-budget', '0.1', '--no-metrics'], /--metrics-sharpness-budget conflicts with --no-metrics/],
    [['--inprocess', '--metrics-sharpness-budget', '0.1'], /--metrics-sharpness-budget applies to the cluster mode/],
  ] as const) {
    const b = await runCli(['train', '--preset', 'uv-toy', ...extra]);
    assert.notEqual(b.code, 0, extra.join(' '));
    assert.match(b.stderr, why);
  }
});

void test('the PS steps the optimizer the run names: LARS + clipping + cosine, 1 worker equals in-process bit for bit', async () => {
  const base = ['train', '--preset', 'quadratic-sparse', '--steps', '40', '--no-sharpness', '--json', '--momentum', '0.9'];
  const named = ['--optimizer', 'lars', '--clip-norm', '1', '--schedule', 'cosine', '--trust-coefficient', '0.05'];
  const [cluster, inprocess, plain] = await Promise.all([
    runCli([...base, ...named, '--workers', '1']),
    runCli([...base, ...named, '--inprocess']),
    runCli([...base, '--workers', '1']),
  ]);
  for (const r of [cluster, inprocess, plain]) assert.equal(r.code, 0, r.stderr);
  const sha = (r: { stdout: string }) => jsonLines(r.stdout).at(-1)?.params_sha256;
  assert.equal(sha(cluster), sha(inprocess));
  // The options reached the PS: plain SGD from the same start ends elsewhere.
  assert.notEqual(sha(plain), sha(cluster));
});
