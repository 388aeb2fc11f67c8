import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, runCliStreaming } from './cluster_helpers';
import { jsonLines, runCli } from './run_cli';

void test('a parameter server killed mid-run and restarted with --resume ends bit-identical to an uninterrupted run', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-resume-'));
  const ckpt = join(dir, 'ckpt');
  const steps = 5000;
  // --max-restarts 0: the launcher must not restart the server itself here (see cluster_faults for that).
  const base = [
    'train',
    '--preset',
    'quadratic-sparse',
    '--steps',
    String(steps),
    '--workers',
    '2',
    '--no-sharpness',
    '--json',
    '--progress-every',
    '100',
    '--max-restarts',
    '0',
  ];
  let pids: number[] = [];
  try {
    const reference = runCli(base);
    let killedAt = -1;
    const crashed = await runCliStreaming([...base, '--checkpoint-dir', ckpt, '--checkpoint-every', '100'], {
      timeoutMs: 120_000,
      onLine: (line) => {
        const e = JSON.parse(line) as { event: string; step?: number; processes?: { role: string; pid: number }[] };
        if (e.event === 'endpoints') pids = (e.processes ?? []).map((p) => p.pid);
        if (e.event === 'progress' && killedAt < 0 && (e.step ?? 0) >= 500) {
          killedAt = e.step ?? 0;
          process.kill(pids[0], 'SIGKILL'); // pids[0] is ps0 (the endpoints list servers first)
        }
      },
    });
    assert.ok(killedAt > 0, 'the run was interrupted');
    assert.notEqual(crashed.code, 0, 'a killed parameter server fails the run');
    assert.match(crashed.stderr, /ps0 \(pid \d+\) was killed by SIGKILL/);
    for (const pid of pids) assert.equal(isAlive(pid), false, `pid ${pid} outlived the failed run`);
    const files = readdirSync(ckpt);
    assert.ok(files.length >= 1 && files.length <= 3, `the newest 3 checkpoints at most: ${files.join(' ')}`);
    for (const f of files) assert.match(f, /^shard-0-of-1\.step-\d{9}\.ckpt$/, 'only complete checkpoints (no temp files) remain');

    const resumed = await runCli([...base, '--checkpoint-dir', ckpt, '--checkpoint-every', '100', '--resume', ckpt]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const from = Number(/resumed from .* at step (\d+)/.exec(resumed.stderr)?.[1] ?? -1);
    assert.ok(from >= 500 && from < steps && from % 100 === 0, `resumed from step ${from}`);
    const ref = await reference;
    assert.equal(ref.code, 0, ref.stderr);
    const a = jsonLines(ref.stdout).at(-1);
    const b = jsonLines(resumed.stdout).at(-1);
    assert.equal(b?.['steps'], steps);
    assert.equal(b?.params_sha256, a?.params_sha256, 'bitwise-identical parameters');
  } finally {
    for (const pid of pids) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
