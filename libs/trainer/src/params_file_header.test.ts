import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParamsFileError, readParamsFile } from './params_file';

// Found by the fuzzer (fuzz/, target params-file): a parameter file whose JSON header
// is `null` made readParamsFile throw a TypeError instead of a ParamsFileError.

for (const header of ['null', '3', '"text"']) {
  void test(`readParamsFile refuses a header of ${header} with a ParamsFileError`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'lnsgd-params-hdr-'));
    try {
      const file = join(dir, 'p.bin');
      const h = Buffer.from(header);
      const len = Buffer.alloc(4);
      len.writeUInt32LE(h.length);
      writeFileSync(file, Buffer.concat([Buffer.from('LNSGDPv1', 'ascii'), len, h]));
      assert.throws(
        () => readParamsFile(file),
        (err: unknown) => err instanceof ParamsFileError && /corrupt header/.test(err.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
