import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerHeader, ContainerError, decodeContainer, encodeContainer, isContainer, writeFileAtomic } from './container';

const concat = (parts: Uint8Array[]): Buffer => Buffer.concat(parts);

void test('a container round-trips its fields and sections, and its layout is the documented one', () => {
  const a = Uint8Array.from([1, 2, 3, 4, 5]);
  const b = new Uint8Array(0);
  const bytes = concat(
    encodeContainer('demo', { step: 3, name: 'x' }, [
      { name: 'a', bytes: a },
      { name: 'b', bytes: b },
    ]),
  );
  assert.ok(isContainer(bytes));
  // Independent parse: magic, uint32 LE length, JSON, sections, SHA-256 of the rest.
  assert.equal(bytes.subarray(0, 8).toString('ascii'), 'LNSGDC01');
  const h = bytes.readUInt32LE(8);
  assert.deepEqual(JSON.parse(bytes.subarray(12, 12 + h).toString('utf8')), {
    kind: 'demo',
    sections: [
      { name: 'a', bytes: 5 },
      { name: 'b', bytes: 0 },
    ],
    fields: { step: 3, name: 'x' },
  });
  assert.deepEqual([...bytes.subarray(12 + h, 17 + h)], [1, 2, 3, 4, 5]);
  assert.equal(bytes.length, 12 + h + 5 + 32);
  assert.ok(
    createHash('sha256')
      .update(bytes.subarray(0, bytes.length - 32))
      .digest()
      .equals(bytes.subarray(bytes.length - 32)),
  );

  const c = decodeContainer(bytes, 'demo');
  assert.deepEqual(c.fields, { step: 3, name: 'x' });
  assert.deepEqual([...(c.sections.get('a') ?? [])], [1, 2, 3, 4, 5]);
  assert.equal(c.sections.get('b')?.byteLength, 0);
  assert.equal(containerHeader(bytes.subarray(0, 12 + h))?.kind, 'demo');
  assert.equal(containerHeader(bytes.subarray(0, 12 + h - 1)), undefined, 'too short for the header');
});

void test('every flipped byte, a truncation, another kind or no magic is refused with the reason', () => {
  const bytes = concat(encodeContainer('demo', { v: 1 }, [{ name: 'a', bytes: Uint8Array.from([7, 8, 9]) }]));
  for (let i = 0; i < bytes.length; i++) {
    const bad = Buffer.from(bytes);
    bad[i] ^= 0x01;
    assert.throws(
      () => decodeContainer(bad, 'demo'),
      (err: Error) => err instanceof ContainerError && /corrupted or truncated|no 'LNSGDC01' magic/.test(err.message),
      `byte ${i}`,
    );
  }
  assert.throws(() => decodeContainer(bytes.subarray(0, bytes.length - 1), 'demo'), /corrupted or truncated/);
  assert.throws(() => decodeContainer(bytes.subarray(0, 20), 'demo'), /corrupted or truncated/);
  assert.throws(() => decodeContainer(bytes, 'other'), /a demo file, not a other file/);
  assert.throws(() => decodeContainer(Buffer.from('hello, world'), 'demo'), /no 'LNSGDC01' magic/);
});

void test('writeFileAtomic writes parts, strings and bytes; a failed write leaves the old file and no temporary file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-container-'));
  try {
    const file = join(dir, 'sub', 'f.bin');
    writeFileAtomic(file, [Uint8Array.from([1, 2]), Uint8Array.from([3])]);
    assert.deepEqual([...readFileSync(file)], [1, 2, 3]);
    writeFileAtomic(file, 'text');
    assert.equal(readFileSync(file, 'utf8'), 'text');
    // A directory where the file should go: the rename fails.
    const blocked = join(dir, 'blocked');
    mkdirSync(join(blocked, 'inside'), { recursive: true });
    assert.throws(
      () => writeFileAtomic(blocked, Uint8Array.from([9])),
      (err: NodeJS.ErrnoException) => ['EISDIR', 'ENOTEMPTY', 'EEXIST', 'EPERM'].includes(err.code ?? ''),
    );
    assert.deepEqual(readdirSync(dir).sort(), ['blocked', 'sub'], 'no temporary file left');
    writeFileSync(join(dir, 'plain'), 'x');
    assert.throws(
      () => writeFileAtomic(join(dir, 'plain', 'f'), 'y'),
      (err: NodeJS.ErrnoException) => ['ENOTDIR', 'EEXIST'].includes(err.code ?? ''),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
