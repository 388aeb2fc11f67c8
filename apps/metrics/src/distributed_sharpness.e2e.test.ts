/**
 * The metrics service with --sharpness distributed: two round-worker processes compute
 * the Hessian-vector products over ZeroMQ; the estimate equals the service's own
 * (--sharpness local) on the same snapshot to float32 summation order, and reports the
 * rounds' wall time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createModel } from '@lnsgd/models';
import { hvpRoundWorkerScript, writeParamsFile, type HvpRoundWorkerArgs } from '@lnsgd/trainer';

const BIN = join(__dirname, '..', 'bin', 'lnsgd-metrics.js');

interface EstimateLine {
  readonly topEigenvalue: number;
  readonly traceHessian: number;
  readonly implicitRegularizer: number | null;
  readonly hvpCount: number;
  readonly roundSeconds?: number;
}

/** Runs the service to its final estimate; `onHost` gets the round host's endpoint (distributed). */
async function estimateOnce(file: string, extra: string[], onHost?: (endpoint: string) => void): Promise<EstimateLine> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      '--params',
      file,
      '--preset',
      'uv-toy',
      '--final-step',
      '0',
      '--exit-when-done',
      '--every-steps',
      '1',
      '--backend',
      'wasm',
      '--samples',
      '256',
      '--lanczos-steps',
      '6',
      '--probes',
      '2',
      '--slq-steps',
      '4',
      '--test-samples',
      '16',
      '--top-k',
      '1',
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let estimate: EstimateLine | undefined;
  createInterface({ input: child.stdout }).on('line', (l) => {
    const e = JSON.parse(l) as { event: string; endpoint?: string } & EstimateLine;
    if (e.event === 'hvp_round_host' && e.endpoint !== undefined) onHost?.(e.endpoint);
    if (e.event === 'estimate') estimate = e;
  });
  const code = await new Promise<number | null>((res) => child.once('exit', res));
  assert.equal(code, 0, `metrics service exited with ${code}:\n${stderr}`);
  assert.ok(estimate !== undefined, `no estimate line:\n${stderr}`);
  return estimate;
}

void test('--sharpness distributed with 2 workers equals --sharpness local on the same snapshot', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-dist-sharp-'));
  const workers: ChildProcess[] = [];
  try {
    const file = join(dir, 'step-0.bin');
    const model = createModel('uv-toy', {});
    writeParamsFile(file, { header: { preset: 'uv-toy', step: 0, seed: 0 }, theta: model.init(0) });
    const local = await estimateOnce(file, ['--sharpness', 'local']);
    const distributed = await estimateOnce(file, ['--sharpness', 'distributed', '--hvp-bind', 'tcp://127.0.0.1:0', '--hvp-workers', '2'], (endpoint) => {
      for (const rank of [0, 1]) {
        const args: HvpRoundWorkerArgs = { endpoint, rank, model: { preset: 'uv-toy' }, seed: 0, samples: 256, chunks: 8 };
        workers.push(spawn(process.execPath, [hvpRoundWorkerScript(), JSON.stringify(args)], { stdio: ['ignore', 'inherit', 'inherit'] }));
      }
    });
    for (const [name, a, b] of [
      ['λ_max', distributed.topEigenvalue, local.topEigenvalue],
      ['tr', distributed.traceHessian, local.traceHessian],
    ] as const) {
      // Chunked vs whole-batch float32 gradients (measured ≤ 5e-5 in the trainer's tests).
      assert.ok(Math.abs(a - b) <= 2e-4 * Math.abs(b), `${name}: distributed ${a} vs local ${b}`);
    }
    // R(θ) is null (undefined) on both sides or close on both.
    const [ra, rb] = [distributed.implicitRegularizer, local.implicitRegularizer];
    assert.ok(ra === null ? rb === null : rb !== null && Math.abs(ra - rb) <= 2e-4 * Math.abs(rb), `R: distributed ${ra} vs local ${rb}`);
    assert.ok((distributed.roundSeconds ?? 0) > 0, 'the rounds report their wall time');
    assert.equal(local.roundSeconds, undefined);
  } finally {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => (w.exitCode !== null ? Promise.resolve() : new Promise<void>((res) => w.once('exit', () => res())))));
    rmSync(dir, { recursive: true, force: true });
  }
});
