import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { jsonLines, runCli } from './run_cli';

// The experiment acceptance checks, run as a user would (real processes).

function lastSummary(stdout: string): Record<string, unknown> {
  const lines = jsonLines(stdout);
  const s = lines[lines.length - 1];
  assert.equal(s.event, 'summary');
  return s;
}

function assertArtifacts(out: string, charts: readonly string[]): void {
  for (const f of ['results.jsonl', 'results.csv', 'summary.json', 'report.md', ...charts.flatMap((c) => [`${c}.svg`, `${c}.png`])]) {
    assert.ok(fs.existsSync(path.join(out, f)), `${f} written`);
  }
  const report = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
  for (const c of charts) assert.ok(report.includes(`(${c}.png)`), `report embeds ${c}.png`);
}

void test('experiment sparse-recovery --quick: label noise recovers the sparse teacher, plain GD does not', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lnsgd-exp-'));
  try {
    const r = await runCli(['experiment', 'sparse-recovery', '--quick', '--json', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const s = lastSummary(r.stdout);
    assert.equal(s['experiment'], 'sparse-recovery');
    assert.ok(Number(s['test_error_label_noise']) < 0.05, `test_error_label_noise = ${String(s['test_error_label_noise'])}`);
    assert.ok(Number(s['test_error_plain']) > 10, `test_error_plain = ${String(s['test_error_plain'])}`);
    assert.ok(Number(s['trace_hessian_label_noise']) < Number(s['trace_hessian_plain']));
    assertArtifacts(out, ['test-error', 'trace-hessian']);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

void test('experiment edge-of-stability --quick: λ_max ends within 10% of 2/η', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lnsgd-exp-'));
  try {
    const r = await runCli(['experiment', 'edge-of-stability', '--quick', '--json', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const s = lastSummary(r.stdout);
    const top = Number(s['top_eigenvalue_final']);
    const limit = Number(s['two_over_eta']);
    assert.ok(Math.abs(top - limit) / limit < 0.1, `λ_max ${top} vs 2/η ${limit}`);
    assert.ok(Number(s['top_eigenvalue_initial']) < 0.9 * limit, 'it starts well below 2/η (progressive sharpening)');
    assertArtifacts(out, ['sharpness']);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

void test('experiment: an unknown name lists the valid ones', async () => {
  const r = await runCli(['experiment', 'no-such-experiment']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /sparse-recovery/);
});

void test('experiment fashion-mnist-adversarial without the data set: a skip with the apt-get hint, exit code 2', async () => {
  const missing = path.join(os.tmpdir(), 'lnsgd-no-such-fashion-mnist-dir');
  const r = await runCli(['experiment', 'fashion-mnist-adversarial', '--quick', '--json', '--data-dir', missing]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /apt-get install dataset-fashion-mnist/);
  const s = lastSummary(r.stdout);
  assert.equal(s['skipped'], true);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
