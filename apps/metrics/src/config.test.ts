import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableOptionProblems } from '@lnsgd/trainer';
import { resolveMetricsConfig } from './config';
import { metricsCommand } from './main';

void test('flags override the environment, which overrides the defaults', () => {
  const c = resolveMetricsConfig({
    flags: { params: 'p.bin', preset: 'uv-toy', port: 9400 },
    env: { LNSGD_METRICS_PORT: '9500', LNSGD_RUN: 'exp-1', LNSGD_METRICS_EVERY_STEPS: '500' },
  });
  assert.equal(c.port, 9400);
  assert.equal(c.run, 'exp-1');
  assert.equal(c.everySteps, 500);
  assert.equal(c.everySeconds, undefined);
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.nice, 10);
});

void test('without a schedule it estimates about ten times over a run of known length, else every 10 s', () => {
  assert.equal(resolveMetricsConfig({ flags: { params: 'p', preset: 'uv-toy' }, env: {} }).everySeconds, 10);
  const ps = resolveMetricsConfig({ flags: { ps: ['tcp://127.0.0.1:7000'], preset: 'mlp' }, env: {} });
  assert.equal(ps.everySteps, 30, 'mlp: 300 steps');
  assert.equal(ps.everySeconds, undefined);
  assert.equal(resolveMetricsConfig({ flags: { params: 'p', preset: 'uv-toy', finalStep: 20000 }, env: {} }).everySteps, 2000);
  assert.equal(resolveMetricsConfig({ flags: { params: 'p', preset: 'uv-toy', finalStep: 20000, everySeconds: 5 }, env: {} }).everySteps, undefined);
});

void test('errors name each bad field, where it came from and its value', () => {
  assert.throws(
    () => resolveMetricsConfig({ flags: { params: 'p', preset: 'uv-toy', topK: 11 }, env: { LNSGD_METRICS_PORT: '70000' } }),
    (err: Error) => {
      assert.match(err.message, /\$LNSGD_METRICS_PORT = 70000/);
      assert.match(err.message, /--top-k = 11/);
      return true;
    },
  );
  assert.throws(() => resolveMetricsConfig({ flags: { preset: 'uv-toy' }, env: {} }), /params = undefined/);
});

void test("the run's flags come from the parameter table (no hand-made copy, no default of their own)", () => {
  const { problems, seen } = tableOptionProblems(metricsCommand());
  assert.deepEqual(problems, []);
  assert.equal(seen, 6);
});

void test('sharpness: distributed when workers answer rounds (--hvp-bind and --hvp-workers), else local; a flag wins', () => {
  const base = { ps: ['tcp://127.0.0.1:7000'], preset: 'mlp' };
  assert.equal(resolveMetricsConfig({ flags: base, env: {} }).sharpness, 'local');
  const withWorkers = { LNSGD_METRICS_HVP_BIND: 'tcp://0.0.0.0:7100', LNSGD_METRICS_HVP_WORKERS: '8' };
  assert.equal(resolveMetricsConfig({ flags: base, env: withWorkers }).sharpness, 'distributed');
  assert.equal(resolveMetricsConfig({ flags: { ...base, sharpness: 'local' }, env: withWorkers }).sharpness, 'local');
  assert.equal(resolveMetricsConfig({ flags: { ...base, hvpBind: 'tcp://127.0.0.1:0' }, env: {} }).sharpness, 'local');
  assert.throws(() => resolveMetricsConfig({ flags: { ...base, sharpness: 'distributed' }, env: {} }), /--hvp-bind and --hvp-workers/);
});

void test("the round budget and the run's heartbeat timeout and start-up grace come from flags or the PS's variables", () => {
  const base = { ps: ['tcp://127.0.0.1:7000'], preset: 'mlp', hvpBind: 'tcp://127.0.0.1:0', hvpWorkers: 2 };
  const d = resolveMetricsConfig({ flags: base, env: {} });
  assert.equal(d.sharpness, 'distributed');
  assert.equal(d.sharpnessBudget, 0.05);
  assert.equal(d.heartbeatTimeoutMs, 120_000, "the parameter server's default");
  assert.equal(d.startupGraceMs, 120_000);
  const e = resolveMetricsConfig({
    flags: base,
    env: { LNSGD_METRICS_SHARPNESS_BUDGET: '0.2', LNSGD_HEARTBEAT_TIMEOUT_MS: '60000', LNSGD_STARTUP_GRACE_MS: '5000' },
  });
  assert.deepEqual([e.sharpnessBudget, e.heartbeatTimeoutMs, e.startupGraceMs], [0.2, 60_000, 5000]);
  assert.equal(resolveMetricsConfig({ flags: { ...base, sharpnessBudget: 1 }, env: { LNSGD_METRICS_SHARPNESS_BUDGET: '0.2' } }).sharpnessBudget, 1);
  assert.throws(() => resolveMetricsConfig({ flags: base, env: { LNSGD_METRICS_SHARPNESS_BUDGET: '0' } }), /\$LNSGD_METRICS_SHARPNESS_BUDGET = 0/);
  assert.throws(() => resolveMetricsConfig({ flags: { ...base, sharpnessBudget: 1.5 }, env: {} }), /--sharpness-budget = 1.5/);
  assert.throws(() => resolveMetricsConfig({ flags: base, env: { LNSGD_HEARTBEAT_TIMEOUT_MS: 'soon' } }), /\$LNSGD_HEARTBEAT_TIMEOUT_MS/);
});
