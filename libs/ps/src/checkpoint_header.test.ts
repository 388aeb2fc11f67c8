import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointPath, readCheckpointFile } from './checkpoint';

// Found by the fuzzer (fuzz/, target checkpoint-file): a checkpoint whose digest is
// right but whose JSON header is `null`, or has sizes that are no counts, made
// readCheckpoint throw a TypeError or RangeError instead of naming the file.

const layout = { shard: 0, shards: 1 };

/** A v2 container with a correct SHA-256 around `header` and `body`. */
function container(header: string, body: Uint8Array): Buffer {
  const h = Buffer.from(header, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(h.length);
  const content = Buffer.concat([Buffer.from('LNSGDCK2', 'ascii'), len, h, body]);
  return Buffer.concat([content, createHash('sha256').update(content).digest()]);
}

for (const [what, header, body] of [
  ['a null header', 'null', new Uint8Array(0)],
  ['a number as header', '7', new Uint8Array(0)],
  ['a negative length whose sizes add up', '{"length":-1,"optimizerBytes":4}', new Uint8Array(0)],
  ['a fractional length', '{"length":0.5,"optimizerBytes":2}', new Uint8Array(4)],
  ['sizes as strings', '{"length":"1","optimizerBytes":"0"}', new Uint8Array(4)],
] as const) {
  void test(`readCheckpoint refuses ${what} with an error naming the file`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'lnsgd-ckpt-hdr-'));
    try {
      const path = checkpointPath(dir, layout, 0);
      writeFileSync(path, container(header, body));
      assert.throws(
        () => readCheckpointFile(path),
        (err: unknown) => err instanceof Error && err.constructor === Error && err.message.startsWith(`checkpoint ${path}: corrupt header`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
