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

void test('a header length past the end of the file is an error, not a 4 GB allocation', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-pfs-len-'));
  try {
    const file = join(dir, 'p.bin');
    const head = Buffer.alloc(12);
    head.write('LNSGDPv1', 0, 'ascii');
    head.writeUInt32LE(0xffffffff, 8);
    writeFileSync(file, Buffer.concat([head, Buffer.from('{}')]));
    const src = paramsFileSource({ path: file, numParams: 2 });
    const before = process.memoryUsage().arrayBuffers;
    await assert.rejects(src.latestStep(), /truncated or corrupt: header of 4294967295 bytes, file of 14/);
    assert.ok(process.memoryUsage().arrayBuffers - before < 1 << 20, 'no large buffer was allocated');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
