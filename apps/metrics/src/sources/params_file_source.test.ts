import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeParamsFile } from '@lnsgd/trainer';
import { paramsFileSource } from './params_file_source';

void test('a directory: the newest step wins; finished at the final step; wrong sizes are errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-params-src-'));
  try {
    const src = paramsFileSource({ path: dir, numParams: 2, finalStep: 200 });
    assert.equal(await src.latestStep(), undefined);
    assert.equal(await src.fetch(), undefined);
    writeParamsFile(join(dir, 'step-100.bin'), { header: { preset: 'uv-toy', step: 100, seed: 0 }, theta: Float32Array.of(1, 2) });
    writeParamsFile(join(dir, 'step-20.bin'), { header: { preset: 'uv-toy', step: 20, seed: 0 }, theta: Float32Array.of(3, 4) });
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    assert.equal(await src.latestStep(), 100);
    assert.deepEqual(await src.fetch(), { step: 100, theta: Float32Array.of(1, 2) });
    assert.equal(await src.finished(), false);
    writeParamsFile(join(dir, 'step-200.bin'), { header: { preset: 'uv-toy', step: 200, seed: 0 }, theta: Float32Array.of(5, 6) });
    assert.equal(await src.finished(), true);
    writeParamsFile(join(dir, 'other.bin'), { header: { preset: 'mlp', step: 1, seed: 0 }, theta: new Float32Array(3) });
    await assert.rejects(src.latestStep(), /other.bin holds 3 parameters \(preset mlp\) but the run's model has 2/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('a single file that does not exist yet reads as no snapshot', async () => {
  const src = paramsFileSource({ path: join(tmpdir(), 'lnsgd-no-such-file.bin'), numParams: 2 });
  assert.equal(await src.latestStep(), undefined);
  assert.equal(await src.finished(), false);
});
