import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkerConfig } from './config';

const ps = { LNSGD_PS_ENDPOINTS: 'tcp://lnsgd-ps-0.lnsgd-ps:7000,tcp://lnsgd-ps-1.lnsgd-ps:7000' };

void test('rank from an Indexed Job (JOB_COMPLETION_INDEX); LNSGD_RANK and --rank win; none means assigned', () => {
  const c = parseWorkerConfig([], { ...ps, JOB_COMPLETION_INDEX: '5' });
  assert.equal(c.rank, 5);
  assert.deepEqual(c.ps, ['tcp://lnsgd-ps-0.lnsgd-ps:7000', 'tcp://lnsgd-ps-1.lnsgd-ps:7000']);
  assert.equal(parseWorkerConfig([], { ...ps, JOB_COMPLETION_INDEX: '5', LNSGD_RANK: '1' }).rank, 1);
  assert.equal(parseWorkerConfig(['--rank', '0'], { ...ps, JOB_COMPLETION_INDEX: '5' }).rank, 0);
  assert.equal(parseWorkerConfig([], ps).rank, -1);
  assert.throws(() => parseWorkerConfig([], { ...ps, JOB_COMPLETION_INDEX: 'x' }), /worker: invalid configuration:[\s\S]*\$JOB_COMPLETION_INDEX = 'x'/);
});

void test('without parameter-server endpoints the worker fails fast naming LNSGD_PS_ENDPOINTS', () => {
  assert.throws(() => parseWorkerConfig([], { JOB_COMPLETION_INDEX: '0' }), /LNSGD_PS_ENDPOINTS/);
});

void test('flags on commander: --no-sharpness and --no-checksum switch off, usage errors and --help are errors main prints', () => {
  const c = parseWorkerConfig(['--no-sharpness', '--no-checksum', '--events', '--timeout-ms', '500'], ps);
  assert.deepEqual([c.sharpness, c.checksum, c.events, c.timeoutMs], [false, false, true, 500]);
  const d = parseWorkerConfig([], ps);
  assert.deepEqual([d.sharpness, d.checksum, d.events], [true, true, false]);
  assert.throws(() => parseWorkerConfig(['--bogus'], ps), /worker: invalid configuration:[\s\S]*unknown option '--bogus'/);
  assert.throws(() => parseWorkerConfig(['--help'], ps), /Usage: worker[\s\S]*--reconnect-timeout-ms <ms>[\s\S]*LNSGD_CURVE_SERVER_KEY/);
});
