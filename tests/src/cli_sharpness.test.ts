import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run_cli';

interface SharpnessLine {
  readonly top_eigenvalue: number;
  readonly top_eigenvalue_error: number;
  readonly trace_hessian: number;
  readonly trace_hessian_stderr: number;
  readonly implicit_regularizer: number | null;
  readonly implicit_regularizer_stderr: number | null;
  readonly unstable_eigenvalues: number[];
  readonly hvp_count: number;
}

function parseOne(stdout: string): SharpnessLine {
  const lines = stdout.trim().split('\n');
  assert.equal(lines.length, 1, 'exactly one JSON line');
  return JSON.parse(lines[0]) as SharpnessLine;
}

// Ground truth: linreg-diag's Hessian is exactly diag(k/d), d = 1000.
void test('sharpness on linreg-diag matches the exact spectrum', async () => {
  const r = await runCli(['sharpness', '--preset', 'linreg-diag', '--lr', '1', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = parseOne(r.stdout);
  const d = 1000;
  let exactR = 0;
  for (let k = 1; k <= d; k++) exactR += -0.5 * Math.log(1 - k / (2 * d));
  assert.ok(Math.abs(s.top_eigenvalue - 1) < 0.01, `λ_max ${s.top_eigenvalue}`);
  assert.ok(Math.abs(s.trace_hessian - 500.5) / 500.5 < 0.05, `trace ${s.trace_hessian}`);
  assert.ok(s.implicit_regularizer !== null && Math.abs(s.implicit_regularizer - exactR) / exactR < 0.05, `R ${s.implicit_regularizer} vs ${exactR}`);
  assert.ok(s.hvp_count > 0);
  assert.ok(s.top_eigenvalue_error >= 0 && s.trace_hessian_stderr >= 0);
});

void test('R(θ) is reported undefined, not NaN, when λ_max exceeds 2/η', async () => {
  const r = await runCli(['sharpness', '--preset', 'linreg-diag', '--lr', '4', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = parseOne(r.stdout);
  assert.equal(s.implicit_regularizer, null);
  assert.ok(s.unstable_eigenvalues.length > 0 && s.unstable_eigenvalues.every((x) => x >= 0.5));
  assert.doesNotMatch(r.stdout, /NaN/);
});

void test('sharpness reads a parameter file written by train --save-params', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-e2e-'));
  try {
    const file = join(dir, 'uv.bin');
    const t = await runCli(['train', '--inprocess', '--preset', 'uv-toy', '--steps', '200', '--save-params', file, '--json']);
    assert.equal(t.code, 0, t.stderr);
    const r = await runCli(['sharpness', '--preset', 'uv-toy', '--checkpoint', file, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(parseOne(r.stdout).trace_hessian > 0);
    const bad = await runCli(['sharpness', '--preset', 'linreg-diag', '--checkpoint', file, '--json']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /holds 2 parameters/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('with --probes 1 the infinite standard errors print as "Infinity", never as null (which means R undefined)', async () => {
  const r = await runCli(['sharpness', '--preset', 'linreg-diag', '--lr', '1', '--probes', '1', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.equal(s['trace_hessian_stderr'], 'Infinity');
  assert.equal(s['implicit_regularizer_stderr'], 'Infinity');
  assert.equal(typeof s['implicit_regularizer'], 'number');
  for (const k of ['top_eigenvalue_error', 'top_eigenvalue_sample_stderr', 'trace_hessian_sample_stderr', 'implicit_regularizer_sample_stderr']) {
    assert.equal(typeof s[k], 'number', k);
  }
});

void test('--checkpoint: the preset, η and β come from the file, and flags override η', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-e2e-'));
  try {
    const file = join(dir, 'q.bin');
    const t = await runCli([
      'train',
      '--inprocess',
      '--preset',
      'quadratic-sparse',
      '--steps',
      '300',
      '--lr',
      '0.0375',
      '--momentum',
      '0.5',
      '--save-params',
      file,
      '--json',
    ]);
    assert.equal(t.code, 0, t.stderr);
    // No --preset: the file's (the default preset would not even have its parameter count).
    const a = await runCli(['sharpness', '--checkpoint', file, '--json']);
    const b = await runCli(['sharpness', '--checkpoint', file, '--seed', '1', '--json']);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const sa = JSON.parse(a.stdout) as { preset: string; trace_hessian: number };
    const sb = JSON.parse(b.stdout) as { preset: string; trace_hessian: number };
    assert.equal(sa.preset, 'quadratic-sparse');
    assert.equal(sb.preset, 'quadratic-sparse');
    // η and β come from the file too (not the preset's), so R(θ) and 2(1+β)/η are the run's.
    const fa = JSON.parse(a.stdout) as { eta: number; beta: number };
    assert.equal(fa.eta, 0.0375);
    assert.equal(fa.beta, 0.5);
    const c = await runCli(['sharpness', '--checkpoint', file, '--preset', 'quadratic-sparse', '--lr', '0.123', '--json']);
    assert.equal(c.code, 0, c.stderr);
    assert.equal((JSON.parse(c.stdout) as { eta: number }).eta, 0.123);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('a long estimate reports Hessian-vector products done and the time left on stderr, JSON alone on stdout', async () => {
  // mlp at 512 samples takes well over the 3 s between progress lines on these machines.
  const r = await runCli(['sharpness', '--preset', 'mlp', '--samples', '512', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('sharpness: '));
  assert.ok(lines.length >= 1, `progress lines on stderr:\n${r.stderr}`);
  for (const l of lines) assert.match(l, /^sharpness: \d+\/\d+ Hessian-vector products, \d+ s, about \d+ s left$/);
  const done = lines.map((l) => Number(/^sharpness: (\d+)\//.exec(l)?.[1]));
  assert.deepEqual(
    done,
    [...done].sort((a, b) => a - b),
    'the count only grows',
  );
  assert.equal(parseOne(r.stdout).hvp_count > 0, true);
});

void test('--target-rel-error estimates again with more probes until every error is within the target, or says which limit stopped it', async () => {
  const reached = await runCli(['sharpness', '--preset', 'quadratic-sparse', '--target-rel-error', '0.02', '--json']);
  assert.equal(reached.code, 0, reached.stderr);
  const r = JSON.parse(reached.stdout) as SharpnessLine & {
    target_reached: boolean;
    worst_rel_error: number;
    stopped_by: string;
    probes: number;
    hvp_count_total: number;
  };
  assert.equal(r.target_reached, true);
  assert.equal(r.stopped_by, 'target');
  assert.ok(r.probes > 10, `more probes than the default 10: ${r.probes}`);
  assert.ok(r.trace_hessian_stderr / r.trace_hessian <= 0.02, `trace ${r.trace_hessian} ± ${r.trace_hessian_stderr}`);
  assert.ok(r.implicit_regularizer !== null && (r.implicit_regularizer_stderr ?? Infinity) / r.implicit_regularizer <= 0.02);
  assert.ok(r.top_eigenvalue_error / r.top_eigenvalue <= 0.02);
  assert.ok(r.hvp_count_total > r.hvp_count, 'the rounds add up');
  assert.match(reached.stderr, /again with 20 probes/);

  const capped = await runCli(['sharpness', '--preset', 'quadratic-sparse', '--target-rel-error', '0.0001', '--max-hvps', '600', '--json']);
  assert.equal(capped.code, 0, capped.stderr);
  const c = JSON.parse(capped.stdout) as { target_reached: boolean; stopped_by: string; hvp_count_total: number; worst_rel_error: number };
  assert.equal(c.target_reached, false);
  assert.equal(c.stopped_by, 'max_hvps');
  assert.ok(c.hvp_count_total <= 600, `within the budget: ${c.hvp_count_total}`);
  assert.ok(c.worst_rel_error > 0.0001);
});
