import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { parseExposition } from './parse_exposition';
import { createTelemetry } from './telemetry';
import { trainEventSink } from './train_event_sink';

void test('start, progress and summary events become trainer metrics', async () => {
  const t = createTelemetry({ registry: new Registry(), identity: { run: 'r', role: 'trainer' }, defaultMetrics: false });
  const sink = trainEventSink(t);
  sink({ event: 'start', global_batch: 8, eta: 0.1, sigma: 0.5, flip_prob: 0, beta: 0, lambda: (0.1 * 0.25) / 8 });
  sink({ event: 'progress', step: 10, loss: 0.3, elapsed_s: 0.02 });
  sink({ event: 'progress', step: 20, loss: 0.2, elapsed_s: 0.03, num_tensors: 7, trace_noise_covariance: 0.4, trace_noise_covariance_stderr: 0.02 });
  const live = parseExposition(await t.registry.metrics()).samples;
  assert.equal(live.find((s) => s.name === 'lnsgd_label_noise_covariance_trace')?.value, 0.4);
  sink({
    event: 'summary',
    steps: 20,
    train_loss: 0.1,
    test_metric: 0.11,
    trace_noise_covariance: 0.3,
    trace_noise_covariance_stderr: 0.01,
    top_eigenvalue: 10,
    top_eigenvalue_error: 0.01,
    trace_hessian: 12,
    trace_hessian_stderr: 0.5,
    implicit_regularizer: null,
    implicit_regularizer_stderr: null,
    unstable_eigenvalues: [],
    sharpness_wall_s: 0.5,
  });
  const samples = parseExposition(await t.registry.metrics()).samples;
  const v = (name: string): number | undefined => samples.find((s) => s.name === name)?.value;
  assert.equal(v('lnsgd_train_step'), 20);
  assert.equal(v('lnsgd_train_samples_total'), 160);
  assert.equal(v('lnsgd_train_loss'), 0.2);
  assert.equal(v('lnsgd_tfjs_tensors'), 7);
  assert.equal(v('lnsgd_train_step_duration_seconds_count'), 20);
  assert.ok(Math.abs(v('lnsgd_train_step_duration_seconds_sum')! - 0.03) < 1e-12);
  assert.equal(v('lnsgd_hyper_batch_size'), 8);
  assert.equal(v('lnsgd_implicit_regularization_strength'), 0.003125);
  assert.equal(v('lnsgd_hessian_stability_threshold'), 20);
  assert.equal(v('lnsgd_edge_of_stability_ratio'), 0.5);
  assert.equal(v('lnsgd_hessian_trace'), 12);
  assert.ok(Number.isNaN(v('lnsgd_implicit_regularizer')));
  assert.equal(v('lnsgd_eval_test_metric'), 0.11);
  assert.equal(v('lnsgd_label_noise_covariance_trace'), 0.3);
  assert.equal(v('lnsgd_label_noise_covariance_trace_stderr'), 0.01);
  assert.equal(v('lnsgd_sharpness_duration_seconds_count'), 1);
});
