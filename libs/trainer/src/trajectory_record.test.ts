import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveRunConfig } from './run_config';
import { trainInProcess } from './train_inprocess';
import type { ProgressEvent, TrainEvent } from './train_events';
import type { TrajectoryRecord } from './trajectory_record';

void test('recordEvery: records at θ₀, every k steps and the last step; the last equals the summary, tensors stay flat', async () => {
  const events: TrainEvent[] = [];
  const records: TrajectoryRecord[] = [];
  // linreg-diag takes the tfjs gradient path, so leaks in the recorder would show.
  const config = resolveRunConfig('linreg-diag', { steps: 300 });
  const summary = await trainInProcess({
    config,
    backend: 'cpu',
    progressEvery: 100,
    recordEvery: 120,
    onRecord: (r) => records.push(r),
    onEvent: (e) => events.push(e),
    sharpness: false,
  });
  assert.deepEqual(
    records.map((r) => r.step),
    [0, 120, 240, 300],
  );
  assert.deepEqual(
    records.map((r) => r.samples),
    [0, 120, 240, 300].map((s) => s * config.hyper.batch),
  );
  const last = records[records.length - 1];
  // Same θ, same evaluation subset and test split as the summary: equal to the bit.
  assert.equal(last.train_loss, summary.train_loss);
  assert.equal(last.test_metric, summary.test_metric);
  assert.ok(records[0].train_loss > last.train_loss, 'training lowers the clean loss');
  for (const r of records) {
    assert.ok(r.noise_trace_sigma !== null && Number.isFinite(r.noise_trace_sigma), `tr Σ at step ${r.step}`);
    assert.ok(r.noise_grad_sq_norm !== null && Number.isFinite(r.noise_grad_sq_norm));
  }
  const counts = events.filter((e): e is ProgressEvent => e.event === 'progress').map((e) => e.num_tensors);
  assert.equal(new Set(counts).size, 1, `numTensors drifted: ${counts.join(', ')}`);
  await assert.rejects(trainInProcess({ config, backend: 'cpu', recordEvery: -1, sharpness: false }), /recordEvery/);
});
