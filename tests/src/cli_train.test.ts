import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonLines, runCli } from './run_cli';

// The acceptance checks, run exactly as a user would (a real process).

void test('uv-toy with label noise reaches the flat minimizer, reproducibly', async () => {
  const [a, b] = await Promise.all([
    runCli(['train', '--inprocess', '--preset', 'uv-toy', '--json']),
    runCli(['train', '--inprocess', '--preset', 'uv-toy', '--json']),
  ]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const la = jsonLines(a.stdout);
  const sa = la[la.length - 1];
  const lb = jsonLines(b.stdout);
  const sb = lb[lb.length - 1];
  assert.equal(sa.event, 'summary');
  for (const k of ['preset', 'backend', 'steps', 'global_batch', 'eta', 'sigma', 'beta', 'lambda', 'train_loss', 'test_metric', 'params_l2', 'params_sha256']) {
    assert.ok(k in sa, `summary lacks ${k}`);
  }
  assert.ok(sa.params_l2 < 1.6, `params_l2 = ${String(sa.params_l2)} should be < 1.6`);
  assert.equal(sa.params_sha256, sb.params_sha256, 'same command twice must give the same parameters');
  assert.match(sa.params_sha256, /^[0-9a-f]{64}$/);
});

void test('uv-toy without label noise stays at the sharp minimizer', async () => {
  const r = await runCli(['train', '--inprocess', '--preset', 'uv-toy', '--sigma', '0', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const lines = jsonLines(r.stdout);
  const s = lines[lines.length - 1];
  assert.equal(s.event, 'summary');
  assert.equal(s.lambda, 0);
  assert.ok(s.params_l2 > 3.9, `params_l2 = ${String(s.params_l2)} should be > 3.9`);
});

void test('bad flags are clear errors with a non-zero exit, not stack traces', async () => {
  const r = await runCli(['train', '--inprocess', '--preset', 'uv-toy', '--lr', '-1', '--json']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /lr/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  const u = await runCli(['train', '--inprocess', '--preset', 'no-such-preset']);
  assert.notEqual(u.code, 0);
  assert.match(u.stderr, /uv-toy/, 'lists the valid presets');
});

void test('--help works and shows the examples', async () => {
  const r = await runCli(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /train/);
  assert.match(r.stdout, /Examples/);
});
