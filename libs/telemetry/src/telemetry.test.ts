import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { ALLOWED_LABELS, METRICS, exportedSeriesNames } from './metric_table';
import { parseExposition } from './parse_exposition';
import { createTelemetry, type TelemetryIdentity } from './telemetry';

const identities: readonly TelemetryIdentity[] = [
  { run: 'r1', role: 'ps', shard: 0 },
  { run: 'r1', role: 'worker', rank: 1 },
  { run: 'r1', role: 'metrics' },
  { run: 'r1', role: 'trainer' },
];

void test('every role registers exactly its metrics, with identity labels only from the bounded set', async () => {
  for (const identity of identities) {
    const t = createTelemetry({ registry: new Registry(), identity });
    t.update({ hessianEigenvalues: [3, 2, 1], trainStep: 5 });
    const scrape = parseExposition(await t.registry.metrics());
    const lnsgd = [...scrape.types.keys()].filter((n) => n.startsWith('lnsgd_'));
    const expected = Object.values(METRICS)
      .filter((m) => (m.roles as readonly string[]).includes(identity.role))
      .map((m) => m.name);
    assert.deepEqual(lnsgd.sort(), expected.sort(), identity.role);
    for (const s of scrape.samples) {
      assert.equal(s.labels['run'], 'r1', s.name);
      assert.equal(s.labels['role'], identity.role, s.name);
      // prom-client's own process metrics carry their fixed labels (type, space, kind); ours only the bounded set.
      if (!s.name.startsWith('lnsgd_')) continue;
      for (const l of Object.keys(s.labels)) if (l !== 'le') assert.ok(ALLOWED_LABELS.includes(l), `${s.name} carries label ${l}`);
      assert.ok(exportedSeriesNames().has(s.name), s.name);
    }
    assert.ok(scrape.types.has('process_cpu_seconds_total'), 'default process metrics are included');
  }
});

void test('gauges read the cache and the sources at scrape time; absent gauges export no series', async () => {
  const t = createTelemetry({ registry: new Registry(), identity: { run: 'r', role: 'metrics' }, defaultMetrics: false });
  const value = (scrape: string, name: string): number | undefined => parseExposition(scrape).samples.find((s) => s.name === name)?.value;
  let scrape = await t.registry.metrics();
  assert.equal(value(scrape, 'lnsgd_hessian_trace'), undefined);
  t.update({ hessianTrace: 2.5, implicitRegularizer: Number.NaN });
  let live = 1;
  t.addSource(() => ({ hessianTopEigenvalue: live }));
  live = 7;
  scrape = await t.registry.metrics();
  assert.equal(value(scrape, 'lnsgd_hessian_trace'), 2.5);
  assert.equal(value(scrape, 'lnsgd_hessian_top_eigenvalue'), 7);
  assert.ok(Number.isNaN(value(scrape, 'lnsgd_implicit_regularizer')));
});

void test('counters: add, totals from sources, rejected messages by every reason', async () => {
  const t = createTelemetry({ registry: new Registry(), identity: { run: 'r', role: 'ps', shard: 2 }, defaultMetrics: false });
  const stats = { bytes: 10 };
  t.addSource(() => ({ sentBytes: stats.bytes }));
  t.reject('stale_push');
  t.reject('stale_push');
  stats.bytes = 99;
  const scrape = parseExposition(await t.registry.metrics());
  const rejected = scrape.samples.filter((s) => s.name === 'lnsgd_transport_rejected_messages_total');
  assert.equal(rejected.length, 13);
  assert.equal(rejected.find((s) => s.labels['reason'] === 'stale_push')?.value, 2);
  assert.equal(rejected.find((s) => s.labels['reason'] === 'malformed')?.value, 0);
  assert.equal(scrape.samples.find((s) => s.name === 'lnsgd_transport_sent_bytes_total')?.value, 99);
  assert.equal(scrape.samples.find((s) => s.name === 'lnsgd_transport_sent_bytes_total')?.labels['shard'], '2');
  assert.throws(() => t.add('sharpnessEstimates', 1), /'sharpnessEstimates' \(lnsgd_sharpness_estimates_total\) is not exported by role 'ps'/);
  assert.throws(() => t.add('sentBytes', -1), /must be ≥ 0/);
});

void test('a scrape reads every source once, and the next scrape (or an update between) sees new values', async () => {
  const t = createTelemetry({ registry: new Registry(), identity: { run: 'r', role: 'ps', shard: 0 }, defaultMetrics: false });
  let reads = 0;
  let step = 1;
  t.addSource(() => {
    reads++;
    return { trainStep: step, liveWorkers: 2 };
  });
  t.update({ trainLoss: 0.5 });
  let scrape = parseExposition(await t.registry.metrics());
  // The PS exports ~25 gauges and counters; before, each merged the sources afresh.
  assert.equal(reads, 1, 'one read of the source per scrape');
  assert.equal(scrape.samples.find((s) => s.name === 'lnsgd_train_step')?.value, 1);
  assert.equal(scrape.samples.find((s) => s.name === 'lnsgd_cluster_live_workers')?.value, 2);
  step = 2;
  t.update({ trainLoss: 0.25 });
  scrape = parseExposition(await t.registry.metrics());
  assert.equal(reads, 2);
  assert.equal(scrape.samples.find((s) => s.name === 'lnsgd_train_step')?.value, 2, 'no stale merge carried into the next scrape');
  assert.equal(scrape.samples.find((s) => s.name === 'lnsgd_train_loss')?.value, 0.25);
  // Two scrapes started in the same tick share one read; values are still the current ones.
  step = 3;
  const both = await Promise.all([t.registry.metrics(), t.registry.metrics()]);
  assert.equal(reads, 3);
  for (const b of both) assert.equal(parseExposition(b).samples.find((s) => s.name === 'lnsgd_train_step')?.value, 3);
});

void test('histograms export zero buckets before the first observation', async () => {
  const t = createTelemetry({ registry: new Registry(), identity: { run: 'r', role: 'worker', rank: 0 }, defaultMetrics: false });
  let scrape = parseExposition(await t.registry.metrics());
  assert.equal(scrape.samples.find((s) => s.name === 'lnsgd_transport_push_duration_seconds_count')?.value, 0);
  t.observe('pushDuration', 0.002);
  scrape = parseExposition(await t.registry.metrics());
  assert.equal(scrape.samples.find((s) => s.name === 'lnsgd_transport_push_duration_seconds_count')?.value, 1);
  assert.throws(() => t.observe('sharpnessDuration', 1), /not exported by role 'worker'/);
});

void test('identity errors name the field', () => {
  const registry = new Registry();
  assert.throws(() => createTelemetry({ registry, identity: { run: 'r', role: 'worker' } }), /role 'worker' needs identity.rank/);
  assert.throws(() => createTelemetry({ registry, identity: { run: 'r', role: 'metrics', shard: 1 } }), /identity.shard is only for role 'ps'/);
  assert.throws(() => createTelemetry({ registry, identity: { run: '', role: 'metrics' } }), /identity.run/);
  assert.throws(() => createTelemetry({ registry, identity: { run: 'r', role: 'boss' as 'ps' } }), /identity.role must be one of/);
});

void test('a parameter server exports each worker rank’s push delay under the worker label', async () => {
  const registry = new Registry();
  const t = createTelemetry({ registry, identity: { run: 'r', role: 'ps', shard: 0 }, defaultMetrics: false });
  t.update({ pushDelay: [0, 0.75, undefined, 0.005] });
  const text = await registry.metrics();
  const lines = text.split('\n').filter((l) => l.startsWith('lnsgd_ps_push_delay_seconds{'));
  assert.deepEqual(lines.sort(), [
    'lnsgd_ps_push_delay_seconds{run="r",role="ps",shard="0",worker="0"} 0',
    'lnsgd_ps_push_delay_seconds{run="r",role="ps",shard="0",worker="1"} 0.75',
    'lnsgd_ps_push_delay_seconds{run="r",role="ps",shard="0",worker="3"} 0.005',
  ]);
});
