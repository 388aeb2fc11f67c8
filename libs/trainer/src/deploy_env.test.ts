import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunFile, runFileFromEnv, shardFromEnv, statefulSetOrdinal, workerRankFromEnv } from './deploy_env';

void test('worker rank: LNSGD_RANK wins over JOB_COMPLETION_INDEX; malformed values name the variable', () => {
  assert.deepEqual(workerRankFromEnv({}), undefined);
  assert.deepEqual(workerRankFromEnv({ JOB_COMPLETION_INDEX: '' }), undefined);
  assert.deepEqual(workerRankFromEnv({ JOB_COMPLETION_INDEX: '3' }), { rank: 3, from: 'JOB_COMPLETION_INDEX' });
  assert.deepEqual(workerRankFromEnv({ JOB_COMPLETION_INDEX: '3', LNSGD_RANK: '0' }), { rank: 0, from: 'LNSGD_RANK' });
  for (const bad of ['-1', '1.5', '1e3', ' 2', 'x', '01']) {
    assert.throws(() => workerRankFromEnv({ JOB_COMPLETION_INDEX: bad }), /\$JOB_COMPLETION_INDEX = .*non-negative integer/);
  }
  assert.throws(() => workerRankFromEnv({ LNSGD_RANK: 'two' }), /\$LNSGD_RANK = 'two'/);
});

void test('shard: LNSGD_SHARD wins over the StatefulSet ordinal of LNSGD_POD_NAME', () => {
  assert.equal(shardFromEnv({}), undefined);
  assert.deepEqual(shardFromEnv({ LNSGD_POD_NAME: 'lnsgd-ps-12' }), { shard: 12, from: 'LNSGD_POD_NAME' });
  assert.deepEqual(shardFromEnv({ LNSGD_POD_NAME: 'lnsgd-ps-12', LNSGD_SHARD: '1' }), { shard: 1, from: 'LNSGD_SHARD' });
  assert.equal(statefulSetOrdinal('ps-0'), 0);
  for (const bad of ['lnsgd-ps', 'lnsgd-ps-', 'lnsgd-ps-01', 'lnsgd-ps-x', 'Lnsgd-ps-1', '-1']) {
    assert.throws(() => statefulSetOrdinal(bad), /LNSGD_POD_NAME = .*<statefulset>-<ordinal>/, bad);
  }
  assert.throws(() => shardFromEnv({ LNSGD_SHARD: '-1' }), /\$LNSGD_SHARD = '-1'/);
});

void test('run file: preset and hyper-parameters; unknown or bad fields are named', () => {
  assert.deepEqual(parseRunFile('{"preset":"uv-toy","lr":0.05,"steps":20}', 'f'), { preset: 'uv-toy', hyper: { lr: 0.05, steps: 20 } });
  assert.throws(() => parseRunFile('{"preset":"uv-toy","learningRate":0.1}', 'f'), /f: invalid run configuration:[\s\S]*learningRate/);
  assert.throws(() => parseRunFile('{"lr":-1}', 'f'), /lr:/);
  assert.throws(() => parseRunFile('{', 'f'), /f: not valid JSON/);
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-runfile-'));
  try {
    const file = join(dir, 'run.json');
    writeFileSync(file, '{"preset":"mlp","batch":64}');
    assert.deepEqual(runFileFromEnv({ LNSGD_RUN_CONFIG: file }), { preset: 'mlp', hyper: { batch: 64 } });
    assert.deepEqual(runFileFromEnv({}), { hyper: {} });
    assert.throws(() => runFileFromEnv({ LNSGD_RUN_CONFIG: join(dir, 'missing.json') }), /\$LNSGD_RUN_CONFIG = .*missing\.json: cannot read/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
