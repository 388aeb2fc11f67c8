import { test } from 'node:test';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointPath, listCheckpoints, readCheckpoint, writeCheckpoint } from './checkpoint';

const layout = { shard: 0, shards: 1 };

function writeOne(dir: string, version = 17, keep?: number): { path: string; headerEnd: number; thetaStart: number; optStart: number; bytes: Buffer } {
  const params = Float32Array.from([1.5, -2.25, 3.125, version]);
  const optimizerState = Uint8Array.from([9, 8, 7, 6, 5, 4, 3, 2]);
  const path = writeCheckpoint(
    dir,
    {
      header: { ...layout, offset: 0, length: params.length, version, configHash: 'ab'.repeat(32), noiseEma: { gradSqNorm: 1, traceSigma: 2, count: 3 } },
      params,
      optimizerState,
    },
    keep,
  );
  const bytes = readFileSync(path);
  const headerEnd = 12 + bytes.readUInt32LE(8);
  return { path, headerEnd, thetaStart: headerEnd, optStart: headerEnd + 4 * params.length, bytes };
}

void test('a checkpoint round-trips and carries a SHA-256 of its contents', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-ckpt-'));
  try {
    const { bytes, optStart } = writeOne(dir);
    assert.equal(bytes.subarray(0, 8).toString('ascii'), 'LNSGDC01', 'the lnsgd container');
    assert.equal(bytes.length, optStart + 8 + 32, 'header, θ, optimizer state, then 32 digest bytes');
    const c = readCheckpoint(dir, layout);
    assert.deepEqual([...c.params], [1.5, -2.25, 3.125, 17]);
    assert.equal(c.path, checkpointPath(dir, layout, 17));
    assert.match(c.path, /shard-0-of-1\.step-000000017\.ckpt$/);
    assert.deepEqual(c.skipped, []);
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
    const path = good.path;
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

void test('the newest k checkpoints are kept; a damaged newest one is passed over, naming it, for the one before', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-ckpt-'));
  try {
    for (const v of [2, 4, 6, 8, 10]) writeOne(dir, v, 3);
    assert.deepEqual(
      listCheckpoints(dir, layout).map((c) => c.version),
      [10, 8, 6],
      'the two oldest were deleted',
    );
    assert.equal(readdirSync(dir).length, 3, 'no temporary files left');
    // Checkpoints of another shard count in the same directory are not this shard's to delete.
    writeCheckpoint(
      dir,
      {
        header: { shard: 1, shards: 2, offset: 2, length: 1, version: 1, configHash: 'cd', noiseEma: { gradSqNorm: 0, traceSigma: 0, count: 0 } },
        params: Float32Array.of(1),
        optimizerState: new Uint8Array(0),
      },
      1,
    );
    assert.equal(listCheckpoints(dir, layout).length, 3);

    const newest = checkpointPath(dir, layout, 10);
    const bytes = readFileSync(newest);
    writeFileSync(newest, bytes.subarray(0, bytes.length - 7)); // truncated after it was written
    const second = checkpointPath(dir, layout, 8);
    const flipped = readFileSync(second);
    flipped[20] ^= 0x10;
    writeFileSync(second, flipped);
    const c = readCheckpoint(dir, layout);
    assert.equal(c.header.version, 6, 'resumes from the newest intact one');
    assert.equal(c.params[3], 6);
    assert.deepEqual(
      c.skipped.map((s) => s.path),
      [newest, second],
    );
    for (const s of c.skipped) assert.match(s.reason, /corrupted or truncated|corrupt header|truncated or corrupt/);

    writeFileSync(newest, bytes);
    assert.equal(readCheckpoint(dir, layout).header.version, 10, 'intact again: the newest');
    const capped = readCheckpoint(dir, layout, 7);
    assert.equal(capped.header.version, 6, 'at most step 7');
    assert.match(capped.skipped[0].reason, /after step 7/);

    rmSync(checkpointPath(dir, layout, 6));
    assert.throws(
      () => readCheckpoint(dir, layout, 7),
      (err: Error) => {
        assert.match(
          err.message,
          /no intact checkpoint of shard 0 of 1 in .*passed over:\n {2}- .*step-000000010\.ckpt: after step 7.*\n {2}- .*step-000000008\.ckpt: after step 7/,
        );
        return true;
      },
    );
    assert.throws(() => readCheckpoint(join(dir, 'none'), layout), /none of shard 0 of 1 in .*none \(no shard-0-of-1\.step-<v>\.ckpt\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('a checkpoint file without a step in its name (the older layout) is still read, after every stepped one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-ckpt-'));
  try {
    renameSync(writeOne(dir, 5).path, join(dir, 'shard-0-of-1.ckpt'));
    assert.equal(readCheckpoint(dir, layout).header.version, 5);
    writeOne(dir, 3);
    assert.deepEqual(
      listCheckpoints(dir, layout).map((c) => c.version),
      [3, undefined],
    );
    assert.equal(readCheckpoint(dir, layout, 4).header.version, 3, 'the unnamed one is at step 5: past the cap');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('a write that fails (here the rename: a directory sits at the target) leaves no temporary file and keeps the older checkpoints', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-ckpt-'));
  try {
    writeOne(dir, 1, 1);
    mkdirSync(join(checkpointPath(dir, layout, 2), 'blocker'), { recursive: true });
    assert.throws(
      () => writeOne(dir, 2, 1),
      (err: Error) => {
        assert.match(
          err.message,
          /checkpoint .*step-000000002\.ckpt: cannot write it \((EISDIR|ENOTEMPTY|EEXIST|EPERM)[^)]*\); the older checkpoints are kept/,
        );
        return true;
      },
    );
    assert.deepEqual(
      readdirSync(dir).filter((n) => n.endsWith('.tmp')),
      [],
      'temporary file removed',
    );
    assert.equal(readCheckpoint(dir, layout).header.version, 1, 'the older checkpoint is intact and was not pruned');
    assert.throws(() => writeOne(join(dir, checkpointPath(dir, layout, 1).split('/').at(-1) ?? ''), 3), /cannot write it \(ENOTDIR|EEXIST/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('checkpoints of the older LNSGDCK2 layout (header, θ, optimizer state, SHA-256) are still read and checked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-ckpt-'));
  try {
    const header = { ...layout, offset: 0, length: 2, version: 4, configHash: 'ef', noiseEma: { gradSqNorm: 0, traceSigma: 0, count: 0 }, optimizerBytes: 3 };
    const json = Buffer.from(JSON.stringify(header), 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32LE(json.length, 0);
    const theta = Buffer.alloc(8);
    theta.writeFloatLE(0.25, 0);
    theta.writeFloatLE(-3, 4);
    const body = Buffer.concat([Buffer.from('LNSGDCK2', 'ascii'), len, json, theta, Buffer.from([1, 2, 3])]);
    const file = join(dir, 'shard-0-of-1.ckpt');
    writeFileSync(file, Buffer.concat([body, createHash('sha256').update(body).digest()]));
    const c = readCheckpoint(dir, layout);
    assert.deepEqual([...c.params], [0.25, -3]);
    assert.deepEqual([...c.optimizerState], [1, 2, 3]);
    assert.equal(c.header.version, 4);
    body[body.length - 1] ^= 1;
    writeFileSync(file, Buffer.concat([body, createHash('sha256').update(Buffer.from('x')).digest()]));
    assert.throws(() => readCheckpoint(dir, layout), /corrupted or truncated/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
