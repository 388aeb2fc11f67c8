import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointPath, readCheckpoint, writeCheckpoint } from './checkpoint';

const layout = { shard: 0, shards: 1 };

function writeOne(dir: string): { path: string; headerEnd: number; thetaStart: number; optStart: number; bytes: Buffer } {
  const params = Float32Array.from([1.5, -2.25, 3.125, 4]);
  const optimizerState = Uint8Array.from([9, 8, 7, 6, 5, 4, 3, 2]);
  const path = writeCheckpoint(dir, {
    header: { ...layout, offset: 0, length: params.length, version: 17, configHash: 'ab'.repeat(32), noiseEma: { gradSqNorm: 1, traceSigma: 2, count: 3 } },
    params,
    optimizerState,
  });
  const bytes = readFileSync(path);
  const headerEnd = 12 + bytes.readUInt32LE(8);
  return { path, headerEnd, thetaStart: headerEnd, optStart: headerEnd + 4 * params.length, bytes };
}

void test('a checkpoint round-trips and carries a SHA-256 of its contents', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-ckpt-'));
  try {
    const { bytes, optStart } = writeOne(dir);
    assert.equal(bytes.subarray(0, 8).toString('ascii'), 'LNSGDCK2');
    assert.equal(bytes.length, optStart + 8 + 32, 'header, θ, optimizer state, then 32 digest bytes');
    const c = readCheckpoint(dir, layout);
    assert.deepEqual([...c.params], [1.5, -2.25, 3.125, 4]);
    assert.deepEqual([...c.optimizerState], [9, 8, 7, 6, 5, 4, 3, 2]);
    assert.equal(c.header.version, 17);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('one flipped byte in the header, θ, the optimizer state or the digest, or a truncation, is refused naming the file and what to do', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-ckpt-'));
  try {
    const good = writeOne(dir);
    const path = checkpointPath(dir, layout);
    // A digit of "version":17 in the JSON header: still valid JSON, a different step.
    const versionAt = good.bytes.indexOf('"version":17') + '"version":1'.length;
    const cases: [string, (b: Buffer) => Buffer][] = [
      ['header (version digit)', (b) => ((b[versionAt] = '8'.charCodeAt(0)), b)],
      ['header (magic)', (b) => ((b[7] ^= 0x01), b)],
      ['θ (one bit)', (b) => ((b[good.thetaStart + 5] ^= 0x01), b)],
      ['θ (last byte)', (b) => ((b[good.optStart - 1] ^= 0x80), b)],
      ['optimizer state', (b) => ((b[good.optStart + 2] ^= 0xff), b)],
      ['digest', (b) => ((b[b.length - 1] ^= 0x01), b)],
      ['truncated by one byte', (b) => b.subarray(0, b.length - 1)],
      ['truncated to the header', (b) => b.subarray(0, good.headerEnd)],
      ['empty', () => Buffer.alloc(0)],
    ];
    for (const [what, damage] of cases) {
      writeFileSync(path, damage(Buffer.from(good.bytes)));
      assert.throws(
        () => readCheckpoint(dir, layout),
        (err: Error) => {
          assert.ok(err.message.includes(path), `${what}: names the file: ${err.message}`);
          assert.match(err.message, /resume from an intact copy|start the run again/, `${what}: says what to do`);
          return true;
        },
        what,
      );
    }
    writeFileSync(path, good.bytes);
    assert.equal(readCheckpoint(dir, layout).header.version, 17, 'the intact bytes read again');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
