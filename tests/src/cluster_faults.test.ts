import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, readParams, relativeDifference, runCliStreaming } from './cluster_helpers';
import { jsonLines, runCli } from './run_cli';

// Fault tolerance across real processes: processes of a local cluster are
// SIGKILLed at seeded random steps while it trains. The launcher replaces a dead
// worker and restarts a dead parameter server on its port from its last checkpoint;
// shard 0 spreads B over the survivors meanwhile, so every step still combines
// exactly B samples. Change SEED to kill at other points.

/** Seed of the kill points (mulberry32). */
const SEED = 20261127;
/** A worker silent this long is lost (short, so the tests spend little time waiting). */
const HEARTBEAT_TIMEOUT_MS = 2000;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
/** A step in [lo, hi), multiple of `every` (the progress events' spacing). */
const killStep = (lo: number, hi: number, every: number): number => lo + every * Math.floor((rand() * (hi - lo)) / every);

interface Event {
  readonly event: string;
  readonly step?: number;
  readonly processes?: readonly { role: string; pid: number; rank?: number }[];
  readonly [k: string]: unknown;
}

/** Runs the cluster and SIGKILLs the process `victim` picks once progress reaches `atStep`. */
async function runAndKill(
  args: readonly string[],
  kill: { atStep: number; victim: (procs: readonly { role: string; pid: number; rank?: number }[]) => number },
): Promise<{ code: number | null; stderr: string; events: Event[]; killedPid: number }> {
  let procs: readonly { role: string; pid: number; rank?: number }[] = [];
  let killedPid = -1;
  const res = await runCliStreaming(args, {
    timeoutMs: 240_000,
    onLine: (line) => {
      const e = JSON.parse(line) as Event;
      if (e.event === 'endpoints') procs = e.processes ?? [];
      if (e.event === 'progress' && killedPid < 0 && (e.step ?? 0) >= kill.atStep) {
        killedPid = kill.victim(procs);
        process.kill(killedPid, 'SIGKILL');
      }
    },
  });
  for (const p of procs) assert.equal(isAlive(p.pid), false, `pid ${p.pid} (${p.role}) outlived the run`);
  return { code: res.code, stderr: res.stderr, events: jsonLines(res.stdout), killedPid };
}

void test('kill -9 one of two workers mid-run: B stays fixed and the params equal an uninterrupted run to 1e-4', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-faults-'));
  const steps = 6000;
  const base = [
    'train',
    '--preset',
    'uv-toy',
    '--steps',
    String(steps),
    '--workers',
    '2',
    '--no-sharpness',
    '--no-metrics',
    '--json',
    '--progress-every',
    '50',
  ];
  try {
    const reference = await runCli([...base, '--save-params', join(dir, 'ref.bin')]);
    assert.equal(reference.code, 0, reference.stderr);
    const B = (jsonLines(reference.stdout).at(-1) as Event)['global_batch'];
    for (const [name, victimRank, extra] of [
      // Rank 1 dies and is not replaced: rank 0 carries all of B to the end.
      ['rank 1, no replacement', 1, ['--max-restarts', '0']],
      // Rank 0 (the reporting one) dies and is not replaced: rank 1 carries B and reports.
      ['rank 0, no replacement', 0, ['--max-restarts', '0']],
      // Rank 0 dies; its replacement is admitted at a later step and reports again.
      ['rank 0, replaced', 0, ['--max-restarts', '1']],
      // Two shards: shard 0 re-partitions, shard 1 follows the pushes' shares.
      ['rank 1 of 2 shards, replaced', 1, ['--max-restarts', '1', '--shards', '2']],
    ] as const) {
      const at = killStep(300, 1000, 50);
      const out = join(dir, `run-rank${victimRank}.bin`);
      const run = await runAndKill([...base, '--save-params', out, '--heartbeat-timeout-ms', String(HEARTBEAT_TIMEOUT_MS), ...extra], {
        atStep: at,
        victim: (procs) => procs.find((p) => p.role === 'worker' && p.rank === victimRank)?.pid ?? -1,
      });
      assert.equal(run.code, 0, `${name}: ${run.stderr}`);
      assert.ok(run.killedPid > 0, `${name}: a worker was killed`);
      const summary = run.events.at(-1) as Event;
      assert.equal(summary.event, 'summary');
      assert.equal(summary['steps'], steps, name);
      assert.equal(summary['global_batch'], B, `${name}: B in the summary`);
      // Every step this (surviving or replacement) rank 0 saw combined exactly B samples.
      assert.equal(summary['step_samples_min'], B, `${name}: fewest samples in a step`);
      assert.equal(summary['step_samples_max'], B, `${name}: most samples in a step`);
      assert.match(run.stderr, /membership epoch \d+ at step \d+ \(lost rank \d\): B = \d+ over rank\(s\)/, `${name}: shard 0 rebalanced`);
      if (extra[1] === '1') {
        assert.ok(
          run.events.some((e) => e.event === 'restart' && e['role'] === 'worker' && e['rank'] === victimRank),
          `${name}: a replacement was started`,
        );
        assert.match(run.stderr, new RegExp(`admitted rank\\(s\\) ${victimRank}`), `${name}: the replacement was admitted`);
      }
      const rel = relativeDifference(readParams(out), readParams(join(dir, 'ref.bin')));
      process.stdout.write(`# ${name}: killed at step ${at}, relative difference to the uninterrupted run ${rel.toExponential(2)}\n`);
      assert.ok(rel < 1e-4, `${name}: relative difference ${rel}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('kill -9 the parameter server mid-run: restarted from its checkpoint, the workers re-register and the params are bit-identical', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-faults-ps-'));
  const steps = 4000;
  const base = [
    'train',
    '--preset',
    'quadratic-sparse',
    '--steps',
    String(steps),
    '--workers',
    '2',
    '--no-sharpness',
    '--no-metrics',
    '--json',
    '--progress-every',
    '50',
  ];
  try {
    const reference = await runCli(base);
    assert.equal(reference.code, 0, reference.stderr);
    const ref = jsonLines(reference.stdout).at(-1) as Event;
    const at = killStep(500, 3000, 50);
    const run = await runAndKill([...base, '--checkpoint-dir', join(dir, 'ckpt'), '--checkpoint-every', '200'], {
      atStep: at,
      victim: (procs) => procs.find((p) => p.role === 'ps')?.pid ?? -1,
    });
    assert.equal(run.code, 0, run.stderr);
    const restart = run.events.find((e) => e.event === 'restart' && e['role'] === 'ps');
    assert.ok(restart !== undefined, 'the launcher restarted the parameter server');
    const from = Number(/resumed from .* at step (\d+)/.exec(run.stderr)?.[1] ?? -1);
    assert.ok(from >= 0 && from <= at + 50 && from % 200 === 0, `resumed from step ${from} (killed at ${at})`);
    const summary = run.events.at(-1) as Event;
    assert.equal(summary.event, 'summary');
    assert.ok((summary['reregistrations'] as number) >= 1, 'rank 0 registered again');
    process.stdout.write(
      `# PS killed at step ${at}, resumed from ${from}: params_sha256 ${String(summary['params_sha256']).slice(0, 16)}… vs ${String(ref['params_sha256']).slice(0, 16)}…\n`,
    );
    assert.equal(summary['params_sha256'], ref['params_sha256'], 'bit-identical to the uninterrupted run');
    assert.equal(summary['steps'], steps);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('--on-worker-loss fail: a lost worker ends the local cluster with an error naming it', async () => {
  const run = await runAndKill(
    [
      'train',
      '--preset',
      'uv-toy',
      '--steps',
      '100000',
      '--workers',
      '2',
      '--no-sharpness',
      '--no-metrics',
      '--json',
      '--progress-every',
      '50',
      '--on-worker-loss',
      'fail',
      '--heartbeat-timeout-ms',
      String(HEARTBEAT_TIMEOUT_MS),
    ],
    { atStep: killStep(200, 1000, 50), victim: (procs) => procs.find((p) => p.role === 'worker' && p.rank === 1)?.pid ?? -1 },
  );
  assert.notEqual(run.code, 0, 'the run failed');
  // The launcher sees the death before shard 0's heartbeat timeout does.
  assert.match(run.stderr, /worker1 \(pid \d+\) was killed by SIGKILL; stopped the other processes/);
});
