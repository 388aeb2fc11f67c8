/**
 * `lnsgd-metrics --exit-when-done` when no estimate can succeed: it exits non-zero and
 * names the snapshot and the reason, never hangs (a parameter file of another model; a
 * distributed estimate whose workers never come).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModel } from '@lnsgd/models';
import { writeParamsFile } from '@lnsgd/trainer';

const BIN = join(__dirname, '..', 'bin', 'lnsgd-metrics.js');
const SMALL = ['--backend', 'wasm', '--samples', '64', '--lanczos-steps', '4', '--probes', '1', '--slq-steps', '3', '--test-samples', '16', '--top-k', '1'];

/** Runs the service on `theta` saved as step 0 (the final step); resolves to its exit code and stderr, or kills it after `limitMs`. */
async function runToExit(theta: Float32Array, extra: string[], limitMs: number): Promise<{ code: number | null; stderr: string; killed: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-exit-done-'));
  try {
    const file = join(dir, 'step-0.bin');
    writeParamsFile(file, { header: { preset: 'uv-toy', step: 0, seed: 0 }, theta });
    const child = spawn(
      process.execPath,
      [BIN, '--params', file, '--preset', 'uv-toy', '--final-step', '0', '--exit-when-done', '--poll-seconds', '0.1', ...SMALL, ...extra],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, limitMs);
    const code = await new Promise<number | null>((res) => child.once('exit', res));
    clearTimeout(timer);
    return { code, stderr, killed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void test('--exit-when-done exits 1 naming the file when the parameter file does not fit the preset', { timeout: 120_000 }, async () => {
  // Three parameters where uv-toy has two: every poll fails the same way.
  const r = await runToExit(new Float32Array(3), [], 60_000);
  assert.equal(r.killed, false, `still running after 60 s:\n${r.stderr}`);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /--exit-when-done: no snapshot could be read: paramsFileSource: .*step-0\.bin holds 3 parameters .* has 2/);
});

void test('--exit-when-done exits 1 naming the step when the final estimate fails (distributed, no worker ever joins)', { timeout: 120_000 }, async () => {
  const theta = createModel('uv-toy', {}).init(0);
  const distributed = ['--sharpness', 'distributed', '--hvp-bind', 'tcp://127.0.0.1:0', '--hvp-workers', '1'];
  // Grace and heartbeat timeout of 0.5 s each: the estimate gives up after about 1 s.
  const r = await runToExit(theta, [...distributed, '--startup-grace-ms', '500', '--heartbeat-timeout-ms', '500'], 60_000);
  assert.equal(r.killed, false, `still running after 60 s:\n${r.stderr}`);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /--exit-when-done: the final snapshot \(step 0\) could not be estimated: estimate failed: .+/);
});
