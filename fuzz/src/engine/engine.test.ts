import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFuzz, type FuzzRunOptions } from './run';

// The fuzzer's own test: it must find a bug that only coverage guidance finds in
// seconds, notice a hang, and write each input that did it.

const PLANTED = join(__dirname, 'planted.js');

function options(exportName: string, findings: string): FuzzRunOptions {
  return {
    target: exportName,
    targetModule: { path: PLANTED, export: exportName },
    seconds: 60,
    runs: 0,
    corpus: [],
    findings,
    seed: 5,
    hangMs: 2000,
    heapMb: 256,
  };
}

void test('the fuzzer finds a three-byte planted crash by coverage and saves its input', async () => {
  const findings = mkdtempSync(join(tmpdir(), 'lnsgd-fuzz-engine-'));
  try {
    const r = await runFuzz(options('plantedCrash', findings));
    assert.equal(r.status, 'crash', JSON.stringify(r));
    assert.match(r.finding?.message ?? '', /planted crash/);
    const input = readFileSync(r.finding?.file ?? '');
    assert.equal(input.subarray(0, 3).toString('ascii'), 'FUZ');
    assert.ok(r.covered >= 4, `coverage recorded (${r.covered} counters)`);
  } finally {
    rmSync(findings, { recursive: true, force: true });
  }
});

void test('the watchdog ends a run whose execution hangs and saves that input', async () => {
  const findings = mkdtempSync(join(tmpdir(), 'lnsgd-fuzz-engine-'));
  try {
    const r = await runFuzz(options('plantedHang', findings));
    assert.equal(r.status, 'hang', JSON.stringify(r));
    const input = readFileSync(r.finding?.file ?? '');
    assert.equal(input.subarray(0, 2).toString('ascii'), 'HA');
  } finally {
    rmSync(findings, { recursive: true, force: true });
  }
});
