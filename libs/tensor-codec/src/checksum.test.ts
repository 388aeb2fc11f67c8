import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { inCi } from '@lnsgd/testing';
import { CRC32_IMPLEMENTATION, crc32, zlibCrc32Of } from './checksum';

/** Bit-at-a-time CRC-32 (reflected, polynomial 0xEDB88320) from its definition: shares no code with either library. */
function crc32ByDefinition(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** A shared WebAssembly memory's buffer, as the PS's SgdArena holds θ (the ES2023 lib without DOM does not declare the API). */
function wasmSharedMemory(): SharedArrayBuffer {
  const api = (
    globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum: number; shared: boolean }) => { buffer: SharedArrayBuffer } } }
  ).WebAssembly;
  return new api.Memory({ initial: 2, maximum: 4, shared: true }).buffer;
}

void describe('crc32', () => {
  void test('the native CRC-32 is loaded where its prebuilt binary exists (linux x64)', (t) => {
    if (process.platform !== 'linux' || process.arch !== 'x64') return t.skip(`no check on ${process.platform}-${process.arch}`);
    // Locally LNSGD_CRC32=zlib may be set on purpose; under CI a silent fallback to zlib would hide a broken install.
    if (process.env['LNSGD_CRC32'] === 'zlib' && !inCi()) return t.skip('LNSGD_CRC32=zlib');
    assert.equal(CRC32_IMPLEMENTATION, 'node-rs');
  });

  void test('matches CRC-32 by definition and zlib at every length, offset and content', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 3000 }), fc.nat(15), (data, skip) => {
        const view = data.subarray(Math.min(skip, data.length));
        const want = crc32ByDefinition(view);
        assert.equal(crc32(view), want);
        assert.equal(zlibCrc32Of(view), want);
      }),
      { seed: 1604, numRuns: 300 },
    );
  });

  void test('reads float32 views, shared memory and WebAssembly memory as the PS hands them over', () => {
    const floats = new Float32Array(70_001).map((_, i) => Math.sin(i) * 1e3);
    const views: Uint8Array[] = [
      new Uint8Array(floats.buffer, 4, 4 * 65_536),
      new Uint8Array(new SharedArrayBuffer(1 << 20)).fill(0xa5),
      new Uint8Array(wasmSharedMemory(), 1234, 100_000).fill(0x3c),
      Buffer.from(floats.buffer, 8, 1 << 16),
    ];
    for (const v of views) assert.equal(crc32(v), crc32ByDefinition(v), `${v.constructor.name} of ${v.byteLength} bytes`);
  });

  void test('LNSGD_CRC32=zlib selects zlib in a fresh process', () => {
    const out = execFileSync(process.execPath, ['-e', `process.stdout.write(require(${JSON.stringify(require.resolve('./checksum'))}).CRC32_IMPLEMENTATION)`], {
      env: { ...process.env, LNSGD_CRC32: 'zlib' },
      encoding: 'utf8',
    });
    assert.equal(out, 'zlib');
  });
});
