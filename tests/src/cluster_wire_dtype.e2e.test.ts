import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readParams, relativeDifference } from './cluster_helpers';
import { jsonLines, runCli } from './run_cli';

// --wire-dtype over real processes and ZeroMQ: 2 workers push bfloat16 / float16
// gradients, the PS decodes and combines them in float64. The runs complete, end
// near the float32 run (the rounding is a relative 2⁻⁹ / 2⁻¹² per element), and
// differ from it: the dtype really travels and really rounds.

void test('--workers 2 --wire-dtype bfloat16 / float16 complete, and differ from float32 by about their rounding', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-wire-'));
  try {
    const base = ['train', '--preset', 'quadratic-sparse', '--steps', '200', '--no-sharpness', '--no-metrics', '--workers', '2', '--json'];
    const dtypes = ['float32', 'bfloat16', 'float16'];
    const runs = await Promise.all(dtypes.map((d, i) => runCli([...base, '--wire-dtype', d, '--save-params', join(dir, `p${i}.bin`)])));
    runs.forEach((r, i) => assert.equal(r.code, 0, `--wire-dtype ${dtypes[i]}: ${r.stderr}`));
    const summaries = runs.map((r) => jsonLines(r.stdout).at(-1));
    summaries.forEach((s, i) => assert.equal(s?.['steps'], 200, `--wire-dtype ${dtypes[i]} ran every step`));
    const params = dtypes.map((_, i) => readParams(join(dir, `p${i}.bin`)));
    for (const i of [1, 2]) {
      assert.notEqual(summaries[i]?.params_sha256, summaries[0]?.params_sha256, `${dtypes[i]} rounds the gradients`);
      const rel = relativeDifference(params[i], params[0]);
      assert.ok(rel > 0 && rel < 0.05, `${dtypes[i]} vs float32 after 200 steps: relative difference ${rel}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('--wire-dtype is refused with --inprocess and for an unknown dtype', async () => {
  const r = await runCli(['train', '--inprocess', '--preset', 'uv-toy', '--wire-dtype', 'bfloat16']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--wire-dtype applies to the cluster mode/);
  const u = await runCli(['train', '--preset', 'uv-toy', '--wire-dtype', 'int8']);
  assert.notEqual(u.code, 0);
  assert.match(u.stderr, /int8/);
});
