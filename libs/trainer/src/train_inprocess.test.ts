import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evalBatchIndices, uvToyData } from '@lnsgd/data';
import { resolveRunConfig } from './run_config';
import { trainInProcess } from './train_inprocess';
import { readParamsFile } from './params_file';
import type { ProgressEvent, TrainEvent } from './train_events';

function progressTensors(events: TrainEvent[]): number[] {
  return events.filter((e): e is ProgressEvent => e.event === 'progress').map((e) => e.num_tensors);
}

void test('a 1000-step run through the tfjs gradient path keeps tf.memory().numTensors flat', async () => {
  const events: TrainEvent[] = [];
  // linreg-diag has no host fast path: every step builds tensors, takes tf.valueAndGrad, disposes.
  const config = resolveRunConfig('linreg-diag', { steps: 1000 });
  await trainInProcess({ config, backend: 'cpu', progressEvery: 100, onEvent: (e) => events.push(e), sharpness: false });
  const counts = progressTensors(events);
  assert.equal(counts.length, 10);
  assert.deepEqual(new Set(counts).size, 1, `numTensors drifted: ${counts.join(', ')}`);
});

void test('uv-toy: summary trace_hessian matches the closed form m·(u² + v²) at the final θ', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-trainer-'));
  try {
    const file = join(dir, 'theta.bin');
    const config = resolveRunConfig('uv-toy', { steps: 3000 });
    const summary = await trainInProcess({ config, backend: 'cpu', saveParams: file });
    const { theta, header } = readParamsFile(file);
    assert.equal(header.step, 3000);
    const [u, v] = theta;
    // The estimator uses a fixed eval batch of min(n, 1024) samples drawn from the seed.
    const { train } = uvToyData({ n: 1024, nTest: 1024, seed: 0 });
    const idx = evalBatchIndices({ seed: 0, n: train.n, size: 1024 });
    let m = 0;
    for (const i of idx) m += train.x[i] * train.x[i];
    m /= idx.length;
    const exact = m * (u * u + v * v);
    assert.ok('trace_hessian' in summary);
    // FD-HVP error is ~1e-5 relative on this model; 1e-3 leaves room for float32 rounding.
    assert.ok(Math.abs(summary.trace_hessian - exact) / exact < 1e-3, `trace ${summary.trace_hessian} vs exact ${exact}`);
    assert.equal(summary.params_sha256.length, 64);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('a diverging run stops with a TrainingError naming the step and the learning rate', async () => {
  const config = resolveRunConfig('uv-toy', { steps: 500, lr: 5 });
  await assert.rejects(trainInProcess({ config, backend: 'cpu', sharpness: false }), (err: Error) => {
    assert.equal(err.name, 'TrainingError');
    assert.match(err.message, /diverged at step \d+/);
    assert.match(err.message, /--lr/);
    return true;
  });
});

void test('bad hyper-parameters are rejected with every problem listed', () => {
  assert.throws(
    () => resolveRunConfig('uv-toy', { lr: -1, batch: 0 }),
    (err: Error) => {
      assert.equal(err.name, 'ConfigError');
      assert.match(err.message, /lr = -1/);
      assert.match(err.message, /batch = 0/);
      return true;
    },
  );
  assert.throws(() => resolveRunConfig('mlp', { sigma: 1 }), /classification task/);
  assert.throws(() => resolveRunConfig('nope'), /valid presets: uv-toy/);
});

void test('uv-toy: progress events and the summary carry tr G, near σ²(u² + v²)·E[x²] at the final θ', async () => {
  const events: TrainEvent[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-trainer-'));
  try {
    const file = join(dir, 'theta.bin');
    const config = resolveRunConfig('uv-toy', { steps: 400, batch: 64, sigma: 0.5 });
    const summary = await trainInProcess({ config, backend: 'cpu', sharpness: false, saveParams: file, onEvent: (e) => events.push(e) });
    const live = events.filter((e): e is ProgressEvent => e.event === 'progress' && typeof e.trace_noise_covariance === 'number');
    assert.ok(live.length >= 90, `progress events with tr G: ${live.length}`);
    assert.deepEqual([...new Set(live.map((e) => e.trace_noise_covariance_step))], [0, 40, 80, 120, 160, 200, 240, 280, 320, 360]);
    const [u, v] = readParamsFile(file).theta;
    const { train } = uvToyData({ n: 1024, nTest: 1024, seed: 0 });
    let m = 0;
    for (const x of train.x) m += (x * x) / train.n;
    const closed = 0.25 * (u * u + v * v) * m;
    const { trace_noise_covariance: t, trace_noise_covariance_stderr: se } = summary;
    assert.ok(t !== null && se !== null);
    // One estimate over 8 groups of 8: |t₇| > 5 has probability ~0.2% (fixed seed: deterministic).
    // uv-toy's noise gradients all point along (v, u), so each group's n‖d‖² is σ²-scaled χ²₁: ~50% relative stderr.
    assert.ok(se > 0 && Math.abs(t - closed) <= 5 * se, `tr G ${t} ± ${se} vs closed form ${closed}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
