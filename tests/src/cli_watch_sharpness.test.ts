import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonLines, runCli, type JsonEvent } from './run_cli';

// Sharpness you can watch: about ten estimates spread over the run (the first at its
// start), each carried by the progress events after it, in both modes.

function checkProgress(events: JsonEvent[], totalSteps: number): { withSharpness: JsonEvent[]; steps: number[] } {
  const progress = events.filter((e) => e.event === 'progress');
  const withSharpness = progress.filter((e) => typeof e['top_eigenvalue'] === 'number');
  assert.ok(withSharpness.length >= 5, `${withSharpness.length} progress events carry top_eigenvalue, want >= 5`);
  const first = withSharpness[0];
  assert.ok((first['step'] as number) <= 0.2 * totalSteps, `first at step ${String(first['step'])}, want within the first 20%`);
  for (const e of withSharpness) {
    assert.equal(e['stability_threshold'], 20, '2(1+β)/η beside λ_max (η = 0.1, β = 0)');
    for (const k of ['trace_hessian', 'implicit_regularizer', 'top_eigenvalue_error']) assert.equal(typeof e[k], 'number', k);
    assert.ok((e['sharpness_step'] as number) <= (e['step'] as number), 'measured at or before the event');
  }
  const steps = [...new Set(withSharpness.map((e) => e['sharpness_step'] as number))];
  assert.ok(steps.length >= 5, `${steps.length} distinct estimates (${steps.join(', ')}), want >= 5 spread over the run`);
  assert.ok(steps[0] <= 0.2 * totalSteps && steps[steps.length - 1] >= 0.6 * totalSteps, `estimates at ${steps.join(', ')}`);
  return { withSharpness, steps };
}

void test('lnsgd train --preset uv-toy --workers 2 --json: progress events carry λ_max, tr∇²L and R(θ) from the start', { timeout: 240_000 }, async () => {
  const r = await runCli(['train', '--preset', 'uv-toy', '--workers', '2', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const events = jsonLines(r.stdout);
  const { steps } = checkProgress(events, 20000);
  const s = events[events.length - 1];
  assert.equal(s.event, 'summary');
  assert.equal(s['top_eigenvalue_start_step'], steps[0]);
  assert.ok((s['sharpness_estimates'] as number) >= 5);
});

void test('lnsgd train --inprocess --preset uv-toy --json: the same, the first estimate at θ₀, wall_s apart from the final estimate', async () => {
  const r = await runCli(['train', '--inprocess', '--preset', 'uv-toy', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const events = jsonLines(r.stdout);
  const { steps } = checkProgress(events, 20000);
  assert.deepEqual(steps, [0, 2000, 4000, 6000, 8000, 10000, 12000, 14000, 16000, 18000]);
  const final = events.find((e) => e.event === 'final_sharpness');
  assert.equal(final?.['step'], 20000, 'the final estimate is announced');
  const s = events[events.length - 1];
  assert.equal(s['top_eigenvalue_start_step'], 0);
  assert.equal(s['sharpness_estimates'], 10);
  assert.equal(typeof s['sharpness_wall_s'], 'number');
  assert.equal(typeof s['wall_s'], 'number');
});

void test('the human progress line names the noisy batch loss and shows λ_max beside 2(1+β)/η; the summary is a few lines, --verbose every field', async () => {
  const r = await runCli(['train', '--inprocess', '--preset', 'uv-toy', '--steps', '2000']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /noisy batch loss [\d.]+ +λ_max [\d.]+ \(2\(1\+β\)\/η 20\) +tr∇²L [\d.]+ +R\(θ\) [\d.]+ @\d+/);
  const lines = r.stdout.trim().split('\n');
  assert.ok(lines.length <= 7, `${lines.length} summary lines:\n${r.stdout}`);
  assert.match(r.stdout, /λ_max [\d.]+ at step 0 → [\d.]+ at the end .*2\(1\+β\)\/η = 20/);
  assert.match(r.stdout, /R\(θ\) [\d.]+ ± /);
  assert.match(r.stdout, /clean train loss/);
  const v = await runCli(['train', '--inprocess', '--preset', 'uv-toy', '--steps', '2000', '--verbose']);
  assert.match(v.stdout, /^params_sha256 +[0-9a-f]{64}$/m);
  assert.match(v.stdout, /^unstable_eigenvalues +\(none\)$/m);
});
