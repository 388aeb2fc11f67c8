import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { prerequisite } from '@lnsgd/testing';
import { ROLES } from './metric_table';
import { findExecutable, runPromtool } from './promtool';
import { createTelemetry, type TelemetryIdentity } from './telemetry';

// Runs promtool (a process), hence an e2e test.
const identities: readonly TelemetryIdentity[] = [
  { run: 'r1', role: 'ps', shard: 0 },
  { run: 'r1', role: 'worker', rank: 1 },
  { run: 'r1', role: 'metrics' },
  { run: 'r1', role: 'trainer' },
];

void test('promtool check metrics reports nothing for any role', async (t) => {
  const promtool = findExecutable('promtool');
  if (!prerequisite(t, promtool === undefined && 'promtool not installed (apt-get install prometheus)') || promtool === undefined) return;
  for (const role of ROLES) {
    const identity = identities.find((i) => i.role === role)!;
    const tel = createTelemetry({ registry: new Registry(), identity });
    tel.update({ hessianTopEigenvalue: 1, hessianTrace: 2, implicitRegularizer: 0.5, hessianEigenvalues: [1, 0.5], trainStep: 3 });
    const r = await runPromtool({ promtool, args: ['check', 'metrics'], stdin: await tel.registry.metrics() });
    assert.equal(r.code, 0, `${role}: ${r.stdout}${r.stderr}`);
    assert.equal((r.stdout + r.stderr).trim(), '', `${role}: promtool reported:\n${r.stdout}${r.stderr}`);
  }
});
