import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run_cli';

// `lnsgd plan` from a calibration file (no measuring): the prediction for a layout worked
// out by hand from the model's definition (docs/plan.md), and clear errors for bad input.

const TERMS = {
  computeMsFixed: 2,
  computeMsPerSample: 0.1,
  workerMsPerMessage: 0.5,
  workerMsPerMB: 1,
  psMsPerMessage: 0.25,
  psMsPerMB: 3,
  stepMsPerMB: 2,
  hostMsPerMB: 0.5,
  latencyMs: 0.05,
  transportCpuMsPerMB: 1,
};

function calibrationFile(dir: string, terms: Record<string, unknown> = TERMS): string {
  const file = join(dir, 'cal.json');
  const machine = { cpu_model: 'test', cores: 2, load_average: [0, 0, 0] };
  writeFileSync(file, JSON.stringify({ format: 'lnsgd-plan-calibration/2', preset: 'mlp', machine, terms, measurements: {}, clamped: [] }));
  return file;
}

void test('lnsgd plan --json: 4 workers, 2 shards, 10 MB at 1 Gbit/s is 407 ms a step whole and 223 ms in parts, by hand', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-plan-'));
  try {
    const args = ['plan', '--calibration', calibrationFile(dir), '--model-mb', '10', '--workers', '4', '--shards', '2', '--batch', '100', '--part-bytes', '0'];
    const r = await runCli([...args, '--link-gbps', '1', '--latency-ms', '0.2', '--payload-fraction', '1', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { prediction: Record<string, number | string>; recommended_shards: number; by_shards: unknown[] };
    // compute 2 + 0.1·25; worker 2·0.5 + 10; transfer 2·(0.05 + 0.2) + 2·4·5 MB·8 ms/MB; shard 4·(0.25 + 3·5) + 2·5.
    assert.equal(out.prediction['computeMs'], 4.5);
    assert.equal(out.prediction['workerMs'], 11);
    assert.ok(Math.abs((out.prediction['transferMs'] as number) - 320.5) < 1e-9);
    assert.equal(out.prediction['psMs'], 71);
    assert.ok(Math.abs((out.prediction['totalMs'] as number) - 407) < 1e-9);
    assert.equal(out.by_shards.length, 16);
    const text = await runCli([...args, '--link-gbps', '1', '--latency-ms', '0.2', '--payload-fraction', '1']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /step 407\.0 ms = compute 4\.50 ms \+ worker 11\.0 ms \+ exchange 391\.5 ms \(wire: shard link; push and pull alone 320\.5 ms, shard 71\.0 ms/,
    );
    assert.match(text.stdout, /recommended shards: \d+/);
    // Parts of 1 MB: 5 rounds of 4 MB through a shard link each way (32 ms) and shard work 15, 14, 14, 14, 14:
    // stage ends (32, 47, 79), (64, 78, 111), (96, 110, 143), (128, 142, 175), (160, 174, 207); exchange 0.5 + 207.
    const parted = await runCli([...args, '--part-bytes', '1000000', '--link-gbps', '1', '--latency-ms', '0.2', '--payload-fraction', '1', '--json']);
    assert.equal(parted.code, 0, parted.stderr);
    const p = (JSON.parse(parted.stdout) as { prediction: Record<string, number> }).prediction;
    assert.ok(Math.abs(p['exchangeMs'] - 207.5) < 1e-9 && Math.abs(p['totalMs'] - 223) < 1e-9, JSON.stringify(p));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('lnsgd plan: a missing or malformed calibration, or a bad flag, is a one-line error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-plan-'));
  try {
    const missing = await runCli(['plan', '--calibration', join(dir, 'none.json'), '--model-mb', '1']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read the calibration .*none\.json.*lnsgd plan --calibrate --out/);
    const bad = await runCli(['plan', '--calibration', calibrationFile(dir, { ...TERMS, psMsPerMB: -1 }), '--model-mb', '1']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /psMsPerMB must be a finite number >= 0/);
    const flag = await runCli(['plan', '--calibration', calibrationFile(dir), '--model-mb', '1', '--workers', 'two']);
    assert.equal(flag.code, 1);
    assert.match(flag.stderr, /--workers must be an integer >= 1, got 'two'/);
    assert.ok(!/\n\s+at /.test(flag.stderr), 'no stack trace');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
