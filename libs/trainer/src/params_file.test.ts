import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { readParamsFile, writeParamsFile } from './params_file';
import { paramsDigest } from './params_digest';

void test('parameter files round-trip bit-exactly and reject corruption', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-params-'));
  try {
    const theta = Float32Array.from([1.5, -0, Number.MIN_VALUE, 3.4028234663852886e38, -2.25]);
    const file = join(dir, 'p.bin');
    writeParamsFile(file, { header: { preset: 'x', step: 7, seed: 3 }, theta });
    const back = readParamsFile(file);
    assert.deepEqual(Buffer.from(back.theta.buffer), Buffer.from(theta.buffer));
    assert.equal(back.header.step, 7);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] ^= 1;
    writeFileSync(file, bytes);
    assert.throws(() => readParamsFile(file), /checksum mismatch/);
    writeFileSync(file, bytes.subarray(0, bytes.length - 2));
    assert.throws(() => readParamsFile(file), /corrupted or truncated/);
    assert.equal(bytes.subarray(0, 8).toString('ascii'), 'LNSGDC01', 'the lnsgd container');
    writeFileSync(file, 'hello world, not a parameter file');
    assert.throws(() => readParamsFile(file), /not an lnsgd parameter file/);
    assert.throws(() => readParamsFile(join(dir, 'missing.bin')), /cannot read parameter file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('paramsDigest hashes little-endian float32 bytes', () => {
  const d = paramsDigest(Float32Array.from([3, 4]));
  assert.equal(d.l2, 5);
  // 3.0f = 0x40400000, 4.0f = 0x40800000, little-endian.
  const expected = createHash('sha256')
    .update(Buffer.from([0, 0, 0x40, 0x40, 0, 0, 0x80, 0x40]))
    .digest('hex');
  assert.equal(d.sha256, expected);
});

void test('parameter files of the older LNSGDPv1 layout are still read and checked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-params-'));
  try {
    const theta = Float32Array.from([0.5, -1.25]);
    const json = Buffer.from(JSON.stringify({ preset: 'uv-toy', numParams: 2, step: 9, seed: 0, sha256: paramsDigest(theta).sha256 }), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32LE(json.length, 0);
    const body = Buffer.alloc(8);
    body.writeFloatLE(0.5, 0);
    body.writeFloatLE(-1.25, 4);
    const file = join(dir, 'old.bin');
    writeFileSync(file, Buffer.concat([Buffer.from('LNSGDPv1', 'ascii'), len, json, body]));
    const back = readParamsFile(file);
    assert.deepEqual([...back.theta], [0.5, -1.25]);
    assert.equal(back.header.step, 9);
    writeFileSync(file, Buffer.concat([Buffer.from('LNSGDPv1', 'ascii'), len, json, body.subarray(0, 6)]));
    assert.throws(() => readParamsFile(file), /bytes follow/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
