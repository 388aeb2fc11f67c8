import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { createTelemetry, parseExposition } from '@lnsgd/telemetry';
import type { SnapshotEstimate } from './estimate_snapshot';
import type { AsyncEstimator } from './estimator_client';
import { startMonitor } from './monitor';
import { inMemorySource } from './sources/in_memory_source';
import { SnapshotSourceError, type Snapshot, type SnapshotSource } from './snapshot';

/** An estimator whose estimates finish only when the test says so. */
function manualEstimator(): AsyncEstimator & { started: number[]; finish(): void; fail(msg: string): void } {
  const waiting: Array<{ step: number; resolve: (e: SnapshotEstimate) => void; reject: (e: Error) => void }> = [];
  const started: number[] = [];
  return {
    started,
    estimate(s: Snapshot) {
      started.push(s.step);
      return new Promise((resolve, reject) => waiting.push({ step: s.step, resolve, reject }));
    },
    finish() {
      const w = waiting.shift()!;
      w.resolve({
        step: w.step,
        topEigenvalue: 10 - w.step / 100,
        topEigenvalueError: 0.1,
        topK: [10, 3],
        traceHessian: 20 - w.step / 100,
        traceHessianStderr: 0.5,
        implicitRegularizer: 5,
        implicitRegularizerStderr: 0.2,
        unstableEigenvalues: 0,
        edgeOfStabilityRatio: 0.5,
        hvpCount: 170,
        evalLoss: 0.1,
        testMetric: 0.2,
        distanceFromStart: 1.5,
        wallSeconds: 2,
      });
    },
    fail(msg) {
      waiting.shift()!.reject(new Error(msg));
    },
    close: () => Promise.resolve(),
  };
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

void test('estimates due snapshots, coalesces those due while busy (counting the passed over), publishes the last estimate', async () => {
  const telemetry = createTelemetry({ registry: new Registry(), identity: { run: 'r', role: 'metrics' }, defaultMetrics: false });
  const source = inMemorySource();
  const estimator = manualEstimator();
  const errors: Error[] = [];
  const monitor = startMonitor({ source, estimator, telemetry, schedule: { everySteps: 100 }, pollSeconds: 0, onError: (e) => errors.push(e) });
  const theta = new Float32Array(2);
  const value = async (name: string): Promise<number | undefined> =>
    parseExposition(await telemetry.registry.metrics()).samples.find((s) => s.name === name)?.value;

  await monitor.tick(); // nothing published yet
  assert.deepEqual(estimator.started, []);
  source.publish({ step: 0, theta, gradientNoiseScale: 64 });
  await monitor.tick();
  await settle();
  assert.deepEqual(estimator.started, [0]);
  assert.equal(await value('lnsgd_hessian_trace'), undefined, 'no gauge before the first estimate');
  for (const step of [100, 200, 300]) {
    source.publish({ step, theta });
    await monitor.tick();
  }
  assert.deepEqual(estimator.started, [0], 'nothing queued while busy');
  assert.equal(await value('lnsgd_sharpness_skipped_snapshots_total'), 2, '100 waited, 200 and 300 passed it over');
  estimator.finish();
  await settle();
  assert.equal(await value('lnsgd_hessian_trace'), 20);
  assert.equal(await value('lnsgd_sharpness_step'), 0);
  assert.equal(await value('lnsgd_gradient_noise_scale'), 64);
  assert.equal(await value('lnsgd_sharpness_hessian_vector_products_total'), 170);

  source.publish({ step: 400, theta });
  await monitor.tick();
  await settle();
  assert.deepEqual(estimator.started, [0, 400], 'the newest snapshot once free, not the passed-over ones');
  estimator.fail('boom');
  await settle();
  assert.equal(await value('lnsgd_sharpness_failures_total'), 1);
  assert.match(errors[0]?.message ?? '', /boom/);
  assert.equal(await value('lnsgd_hessian_trace'), 20, 'a failure keeps the last good estimate');

  source.publish({ step: 450, theta });
  source.finish();
  await monitor.tick();
  await settle();
  assert.deepEqual(estimator.started, [0, 400, 450], 'the final snapshot is estimated');
  estimator.finish();
  await settle();
  await monitor.tick();
  assert.deepEqual(await monitor.done, { ok: true, step: 450 });
  assert.equal(await value('lnsgd_sharpness_step'), 450);
  assert.equal(await value('lnsgd_sharpness_estimates_total'), 2);
  await monitor.stop();
});

void test('done says which snapshot failed when the final estimate fails, and ends on a source error that cannot cure', async () => {
  const telemetry = createTelemetry({ registry: new Registry(), identity: { run: 'r', role: 'metrics' }, defaultMetrics: false });
  const source = inMemorySource();
  const estimator = manualEstimator();
  const monitor = startMonitor({ source, estimator, telemetry, schedule: { everySteps: 100 }, pollSeconds: 0 });
  source.publish({ step: 7, theta: new Float32Array(2) });
  source.finish();
  await monitor.tick();
  await settle();
  estimator.fail('no workers');
  await settle();
  await monitor.tick();
  const outcome = await monitor.done;
  assert.equal(outcome.ok, false);
  assert.equal(outcome.step, 7);
  assert.match(outcome.ok ? '' : outcome.error.message, /no workers/);
  await monitor.stop();

  const broken: SnapshotSource = {
    latestStep: () => Promise.reject(new SnapshotSourceError('mismatch', 'file of 3 parameters')),
    fetch: () => Promise.resolve(undefined),
    finished: () => Promise.resolve(false),
    close: () => Promise.resolve(),
  };
  const stuck = startMonitor({ source: broken, estimator, telemetry, schedule: { everySteps: 100 }, pollSeconds: 0 });
  await stuck.tick();
  const o = await stuck.done;
  assert.equal(o.ok, false);
  assert.equal(o.step, undefined);
  await stuck.stop();
});
