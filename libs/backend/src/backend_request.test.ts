import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BackendError } from './backend_error';
import { BACKEND_REQUESTS, backendRequestFromEnv, parseBackendRequest } from './backend_request';

void describe('parseBackendRequest', () => {
  void test('accepts every valid name, case- and blank-insensitively', () => {
    for (const name of BACKEND_REQUESTS) assert.equal(parseBackendRequest(name), name);
    assert.equal(parseBackendRequest('  WASM '), 'wasm');
    assert.equal(parseBackendRequest('TensorFlow-GPU'), 'tensorflow-gpu');
  });

  void test('rejects an unknown name with UNKNOWN_BACKEND, listing the valid ones', () => {
    assert.throws(
      () => parseBackendRequest('gpu'),
      (e: unknown) => {
        assert.ok(e instanceof BackendError);
        assert.equal(e.code, 'UNKNOWN_BACKEND');
        assert.match(e.message, /parseBackendRequest: unknown backend "gpu"; expected one of auto, tensorflow-gpu, tensorflow, wasm, cpu/);
        return true;
      },
    );
  });
});

void describe('backendRequestFromEnv', () => {
  void test('unset or blank means auto', () => {
    assert.equal(backendRequestFromEnv({}), 'auto');
    assert.equal(backendRequestFromEnv({ LNSGD_BACKEND: ' ' }), 'auto');
  });

  void test('reads LNSGD_BACKEND', () => {
    assert.equal(backendRequestFromEnv({ LNSGD_BACKEND: 'cpu' }), 'cpu');
  });

  void test('names the variable and the value when it is wrong', () => {
    assert.throws(() => backendRequestFromEnv({ LNSGD_BACKEND: 'webgl' }), /backendRequestFromEnv: LNSGD_BACKEND="webgl" is not a backend; expected one of/);
  });
});
