import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveKey } from './derive-key';
import { RngDomain } from './domain';

function popcount(x: number): number {
  let c = 0;
  for (let v = x >>> 0; v; v >>>= 1) c += v & 1;
  return c;
}

void describe('deriveKey', () => {
  void test('is deterministic', () => {
    assert.deepEqual(deriveKey(7, RngDomain.PROBES), deriveKey(7, RngDomain.PROBES));
  });

  void test('nearby seeds give unrelated keys (avalanche)', () => {
    // For a random function the mean Hamming distance over 256 pairs of 64-bit keys
    // is 32 with standard deviation 0.25; ±2 is 8σ (false-failure odds < 1e-15).
    let total = 0;
    for (let s = 0; s < 256; s++) {
      const [a0, a1] = deriveKey(s, RngDomain.MODEL_INIT);
      const [b0, b1] = deriveKey(s + 1, RngDomain.MODEL_INIT);
      total += popcount(a0 ^ b0) + popcount(a1 ^ b1);
    }
    const mean = total / 256;
    assert.ok(Math.abs(mean - 32) < 2, `mean Hamming distance ${mean}`);
  });

  void test('domains separate streams', () => {
    const keys = new Set(Object.values(RngDomain).map((d) => deriveKey(1, d).join(',')));
    assert.equal(keys.size, Object.values(RngDomain).length);
  });

  void test('accepts seeds beyond 2^32 and tells them apart', () => {
    assert.notDeepEqual(deriveKey(2 ** 32, RngDomain.LABEL_NOISE), deriveKey(0, RngDomain.LABEL_NOISE));
    assert.notDeepEqual(deriveKey(Number.MAX_SAFE_INTEGER, RngDomain.LABEL_NOISE), deriveKey(2 ** 32 - 1, RngDomain.LABEL_NOISE));
  });

  void test('rejects bad seeds and domains, naming them', () => {
    assert.throws(() => deriveKey(-1, RngDomain.LABEL_NOISE), /deriveKey: seed.*-1/);
    assert.throws(() => deriveKey(1.5, RngDomain.LABEL_NOISE), /deriveKey: seed.*1\.5/);
    assert.throws(() => deriveKey(2 ** 53, RngDomain.LABEL_NOISE), RangeError);
    assert.throws(() => deriveKey(1, 99 as RngDomain), /deriveKey: domain.*99/);
  });
});
