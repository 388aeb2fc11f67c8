import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricsConfigError, resolveMetricsConfig } from './config';

void test('the run file (LNSGD_RUN_CONFIG) gives preset, hyper-parameters and the final step; env and flags win', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-metrics-runfile-'));
  try {
    const file = join(dir, 'run.json');
    writeFileSync(file, JSON.stringify({ preset: 'uv-toy', steps: 40, lr: 0.05, sigma: 0.3, flipProb: 0 }));
    const env = { LNSGD_RUN_CONFIG: file, LNSGD_PS_ENDPOINTS: 'tcp://lnsgd-ps-0.lnsgd-ps:7000' };
    const c = resolveMetricsConfig({ flags: {}, env });
    assert.deepEqual([c.preset, c.lr, c.sigma, c.finalStep], ['uv-toy', 0.05, 0.3, 40]);
    assert.equal(resolveMetricsConfig({ flags: { lr: 0.2 }, env }).lr, 0.2);
    assert.equal(resolveMetricsConfig({ flags: {}, env: { ...env, LNSGD_PRESET: 'mlp' } }).preset, 'mlp');
    writeFileSync(file, '{"preset": 3}');
    assert.throws(
      () => resolveMetricsConfig({ flags: {}, env }),
      (e: unknown) => e instanceof MetricsConfigError && /LNSGD_RUN_CONFIG[\s\S]*preset/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
