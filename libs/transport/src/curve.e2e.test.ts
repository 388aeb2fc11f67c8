import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zmq from 'zeromq';
import { curveConfigFromEnv, curveKeyPair, readAllowedClients } from './curve';
import { z85Encode } from './zap';

void test('z85Encode: the RFC 32 test vector; key pairs are 40 Z85 characters', () => {
  assert.equal(z85Encode(new Uint8Array([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b])), 'HelloWorld');
  assert.ok(zmq.capability.curve);
  assert.equal(curveKeyPair().publicKey.length, 40);
});

void test('LNSGD_CURVE_ALLOWED_CLIENTS: inline keys, a key file with comments, and bad entries', () => {
  const a = curveKeyPair().publicKey;
  const b = curveKeyPair().publicKey;
  assert.deepEqual([...readAllowedClients(`${a}, ${b}`)], [a, b]);
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-curve-'));
  try {
    const file = join(dir, 'clients');
    writeFileSync(file, `# workers of run 7\n${a}\n\n  ${b}  \n`);
    assert.deepEqual([...readAllowedClients(file)], [a, b]);
    const own = curveKeyPair();
    const cfg = curveConfigFromEnv(
      { LNSGD_CURVE_PUBLIC_KEY: own.publicKey, LNSGD_CURVE_SECRET_KEY: own.secretKey, LNSGD_CURVE_ALLOWED_CLIENTS: file },
      'server',
    );
    assert.deepEqual([...(cfg?.allowedClients ?? [])], [a, b]);
    assert.equal(curveConfigFromEnv({ LNSGD_CURVE_PUBLIC_KEY: own.publicKey, LNSGD_CURVE_SECRET_KEY: own.secretKey }, 'server')?.allowedClients, undefined);
    writeFileSync(file, `${a}\nnot a key\n`);
    assert.throws(() => readAllowedClients(file), /clients:2 .*not a 40-character Z85 public key/);
    assert.throws(() => readAllowedClients(join(dir, 'missing')), /neither comma-separated .* nor a readable file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
