import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { startMetricsServer } from './metrics_server';
import { createTelemetry } from './telemetry';

void test('serves /metrics, /healthz and /readyz on a free loopback port and closes', async () => {
  const registry = new Registry();
  const tel = createTelemetry({ registry, identity: { run: 'r', role: 'metrics' } });
  tel.update({ hessianTrace: 4 });
  const server = await startMetricsServer({ registry });
  try {
    assert.equal(server.address.host, '127.0.0.1');
    assert.ok(server.address.port > 0);
    assert.equal(server.metricsUrl, `http://127.0.0.1:${server.address.port}/metrics`);
    const metrics = await fetch(server.metricsUrl);
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers.get('content-type') ?? '', /text\/plain; version=0.0.4/);
    assert.match(await metrics.text(), /^lnsgd_hessian_trace\{run="r",role="metrics"\} 4$/m);
    const base = `http://127.0.0.1:${server.address.port}`;
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
    server.setReady(true);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    // A function is asked at every probe.
    let serving = true;
    server.setReady(() => serving);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    serving = false;
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
    server.setReady(true);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    assert.equal((await fetch(`${base}/nope`)).status, 404);
    assert.equal((await fetch(`${base}/metrics`, { method: 'POST' })).status, 405);
  } finally {
    await server.close();
  }
  await assert.rejects(fetch(server.metricsUrl));
});

void test('a taken port is an error naming the address', async () => {
  const a = await startMetricsServer({ registry: new Registry() });
  try {
    await assert.rejects(startMetricsServer({ registry: new Registry(), port: a.address.port }), new RegExp(`cannot listen on 127.0.0.1:${a.address.port}`));
  } finally {
    await a.close();
  }
});
