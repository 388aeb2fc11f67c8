import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { createTelemetry, parseExposition, trainEventSink } from '@lnsgd/telemetry';
import { resolveRunConfig, trainInProcess } from '@lnsgd/trainer';

void test("the telemetry sink takes the in-process trainer's real event stream", async () => {
  const telemetry = createTelemetry({ registry: new Registry(), identity: { run: 'inproc', role: 'trainer' }, defaultMetrics: false });
  const summary = await trainInProcess({ config: resolveRunConfig('uv-toy', { steps: 2000 }), onEvent: trainEventSink(telemetry) });
  const samples = parseExposition(await telemetry.registry.metrics()).samples;
  const v = (name: string): number | undefined => samples.find((s) => s.name === name)?.value;
  assert.equal(v('lnsgd_train_step'), 2000);
  assert.equal(v('lnsgd_train_samples_total'), 2000 * 8);
  assert.equal(v('lnsgd_train_step_duration_seconds_count'), 2000);
  assert.ok('trace_hessian' in summary);
  assert.equal(v('lnsgd_hessian_trace'), summary.trace_hessian);
  assert.equal(v('lnsgd_implicit_regularization_strength'), summary.lambda);
  assert.ok(typeof summary.trace_noise_covariance === 'number' && summary.trace_noise_covariance > 0);
  assert.equal(v('lnsgd_label_noise_covariance_trace'), summary.trace_noise_covariance);
  assert.equal(v('lnsgd_label_noise_covariance_trace_stderr'), summary.trace_noise_covariance_stderr);
});
