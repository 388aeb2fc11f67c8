import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inCi, onPath, prerequisite, prerequisiteReport } from './prerequisite';

const recorder = (): { skipped: string[]; skip(m?: string): void } => {
  const skipped: string[] = [];
  return { skipped, skip: (m) => skipped.push(m ?? '') };
};

void test('CI is any value of CI but empty, 0 or false', () => {
  assert.equal(inCi({}), false);
  for (const v of ['', '0', 'false', 'FALSE']) assert.equal(inCi({ CI: v }), false, v);
  for (const v of ['true', '1', 'yes']) assert.equal(inCi({ CI: v }), true, v);
});

void test('a present prerequisite lets the test go on, without skipping, with or without CI', () => {
  for (const env of [{}, { CI: 'true' }]) {
    const t = recorder();
    assert.equal(prerequisite(t, false, env), true);
    assert.deepEqual(t.skipped, []);
  }
});

void test('a missing prerequisite skips locally with the reason, and fails under CI', () => {
  const t = recorder();
  assert.equal(prerequisite(t, 'promtool not installed', {}), false);
  assert.deepEqual(t.skipped, ['promtool not installed']);
  const c = recorder();
  assert.throws(() => prerequisite(c, 'promtool not installed', { CI: 'true' }), /CI is set so this test fails instead of skipping: promtool not installed/);
  assert.deepEqual(c.skipped, []);
});

void test('onPath finds an executable on PATH and nothing else', () => {
  assert.equal(onPath('node', { PATH: process.execPath.replace(/\/node$/, '') }), process.execPath);
  assert.equal(onPath('node', { PATH: '' }), undefined);
  assert.equal(onPath('no-such-binary-lnsgd', process.env), undefined);
});

void test('the report lists every prerequisite and CI, so their presence changes the cache key', () => {
  const r = prerequisiteReport({ PATH: '', CI: 'true' });
  for (const name of ['prometheus', 'promtool', 'kubectl', 'ip', 'fashion-mnist', 'python3-torch', 'python3-zmq', 'python3-protobuf', 'protoc', 'root'])
    assert.match(r, new RegExp(`^${name}=(yes|no)$`, 'm'));
  assert.match(r, /^prometheus=no$/m);
  assert.match(r, /^ci=yes$/m);
});
