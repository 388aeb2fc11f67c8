import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableOptionProblems } from '@lnsgd/trainer/hyper-options';
import { PARAM_ROWS } from '@lnsgd/trainer/hyper-table';
import { parseServerConfig, serverCommand } from './config';

void test('shard from the StatefulSet ordinal of LNSGD_POD_NAME; LNSGD_SHARD and --shard win', () => {
  const env = { LNSGD_POD_NAME: 'lnsgd-ps-2', LNSGD_SHARDS: '3', LNSGD_WORKERS: '4' };
  const c = parseServerConfig([], env);
  assert.equal(c.shard, 2);
  assert.equal(c.shards, 3);
  assert.equal(c.workers, 4);
  assert.equal(parseServerConfig([], { ...env, LNSGD_SHARD: '1' }).shard, 1);
  assert.equal(parseServerConfig(['--shard', '0'], env).shard, 0);
  assert.throws(
    () => parseServerConfig([], { ...env, LNSGD_POD_NAME: 'lnsgd-ps-3' }),
    /parameter-server: invalid configuration:[\s\S]*shard: 3 must be < shards = 3/,
  );
  assert.throws(
    () => parseServerConfig([], { ...env, LNSGD_POD_NAME: 'lnsgd-ps' }),
    /parameter-server: invalid configuration:[\s\S]*LNSGD_POD_NAME = 'lnsgd-ps'/,
  );
});

void test('run file (LNSGD_RUN_CONFIG) sets the preset and hyper-parameters; env and flags win', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-ps-config-'));
  try {
    const file = join(dir, 'run.json');
    writeFileSync(file, JSON.stringify({ preset: 'uv-toy', steps: 17, lr: 0.05, batch: 16 }));
    const c = parseServerConfig([], { LNSGD_RUN_CONFIG: file });
    assert.equal(c.run.preset.name, 'uv-toy');
    assert.deepEqual([c.run.hyper.steps, c.run.hyper.lr, c.run.hyper.batch], [17, 0.05, 16]);
    assert.equal(parseServerConfig(['--lr', '0.2'], { LNSGD_RUN_CONFIG: file }).run.hyper.lr, 0.2);
    assert.equal(parseServerConfig([], { LNSGD_RUN_CONFIG: file }).run.hyper.steps, 17);
    writeFileSync(file, JSON.stringify({ preset: 'uv-toy', stepz: 3 }));
    assert.throws(() => parseServerConfig([], { LNSGD_RUN_CONFIG: file }), /parameter-server: invalid configuration:[\s\S]*LNSGD_RUN_CONFIG[\s\S]*stepz/);
    assert.throws(() => parseServerConfig([], { LNSGD_RUN_CONFIG: join(dir, 'nope.json') }), /cannot read the run configuration file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('the flags come from the parameter table: every hyper-parameter, no hand-made copy', () => {
  const { problems, seen } = tableOptionProblems(serverCommand(), { wholeRun: ['parameter-server'] });
  assert.deepEqual(problems, []);
  assert.equal(seen, PARAM_ROWS.length);
  assert.equal(parseServerConfig(['--noise', 'gaussian', '--warmup-steps', '5', '--micro-batch', '4'], {}).run.hyper.warmupSteps, 5);
  assert.equal(parseServerConfig([], { LNSGD_MICRO_BATCH: '4' }).microBatch, 4);
  assert.throws(() => parseServerConfig(['--lr', 'x'], {}), /invalid configuration:[\s\S]*--lr expects a number, got 'x'/);
  assert.throws(() => parseServerConfig(['--momentum', '1'], {}), /--momentum = 1/);
  assert.throws(() => parseServerConfig(['--help'], {}), /Usage: parameter-server[\s\S]*--flip-prob <p>[\s\S]*LNSGD_CURVE_ALLOWED_CLIENTS/);
});
