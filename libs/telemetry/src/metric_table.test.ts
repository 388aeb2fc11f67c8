import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALLOWED_LABELS, METRICS, METRIC_SPECS, exportedSeriesNames, referencedMetricNames } from './metric_table';

void test('every name has the lnsgd_ prefix, is snake_case and unique', () => {
  const names = METRIC_SPECS.map((m) => m.name);
  for (const n of names) assert.match(n, /^lnsgd_[a-z][a-z0-9]*(_[a-z0-9]+)*$/, n);
  assert.equal(new Set(names).size, names.length, 'duplicate metric names');
});

void test('counters end in _total and nothing else does', () => {
  for (const m of METRIC_SPECS) assert.equal(m.name.endsWith('_total'), m.type === 'counter', `${m.name} is a ${m.type}`);
});

void test('durations and sizes use base units (seconds, bytes)', () => {
  for (const m of METRIC_SPECS) {
    assert.doesNotMatch(m.name, /_(ms|milliseconds|us|microseconds|minutes|hours|kb|kilobytes|mb|megabytes|percent)(_|$)/, m.name);
    if (m.type === 'histogram') assert.match(m.name, /_(seconds|bytes)$/, `${m.name}: histograms here are durations or sizes`);
    if (/duration|latency/.test(m.name)) assert.match(m.name, /_seconds$/, m.name);
    if (/bytes/.test(m.name)) assert.match(m.name, /_bytes(_total)?$/, m.name);
  }
});

void test('help is one sentence that states a unit', () => {
  for (const m of METRIC_SPECS) {
    assert.match(m.help, /^[A-Z][^\n]*\.$/, `${m.name}: help must be one capitalised sentence ending in '.'`);
    assert.match(m.help, /\b(in|as a ratio|dimensionless|ratio|accuracy)\b/, `${m.name}: help must state the unit`);
  }
});

void test('labels come only from the bounded set', () => {
  for (const m of METRIC_SPECS) for (const l of m.labels) assert.ok(ALLOWED_LABELS.includes(l), `${m.name}: label ${l}`);
  assert.deepEqual(METRICS.rejectedMessages.labels, ['reason']);
});

void test("the issue's required metrics are in the table", () => {
  const names = exportedSeriesNames();
  for (const n of [
    'lnsgd_hessian_top_eigenvalue',
    'lnsgd_hessian_top_eigenvalue_error',
    'lnsgd_hessian_trace',
    'lnsgd_hessian_trace_stderr',
    'lnsgd_implicit_regularizer',
    'lnsgd_implicit_regularizer_stderr',
    'lnsgd_edge_of_stability_ratio',
    'lnsgd_train_samples_total',
    'lnsgd_train_step_duration_seconds_bucket',
    'lnsgd_transport_push_duration_seconds_count',
    'lnsgd_transport_rejected_messages_total',
    'lnsgd_cluster_live_workers',
    'lnsgd_gradient_noise_scale',
    'lnsgd_sharpness_skipped_snapshots_total',
  ]) {
    assert.ok(names.has(n), n);
  }
});

void test('referencedMetricNames finds each lnsgd_ name once', () => {
  assert.deepEqual(referencedMetricNames('sum(rate(lnsgd_train_samples_total{run="a"}[1m])) / lnsgd_train_samples_total + up'), ['lnsgd_train_samples_total']);
  assert.deepEqual(referencedMetricNames('histogram_quantile(0.9, rate(lnsgd_transport_push_duration_seconds_bucket[5m]))'), [
    'lnsgd_transport_push_duration_seconds_bucket',
  ]);
});
