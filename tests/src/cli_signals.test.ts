import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LNSGD_BIN, jsonLines } from './run_cli';
import { runInPty } from './pty_run';
import { isAlive } from './cluster_helpers';

// Signals as people send them: Ctrl-C in a terminal (SIGINT to the whole foreground
// process group) and SIGINT to the launcher alone both stop after the current step,
// print the summary with interrupted: true and the step reached, and exit 130.
// Every signal is sent on an event (a progress line), never after a sleep.

/** A long uv-toy cluster run: it ends only when interrupted. */
const LONG_CLUSTER = ['train', '--preset', 'uv-toy', '--workers', '2', '--steps', '5000000', '--progress-every', '500', '--no-sharpness'];

interface Interrupted {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly stepSeen: number;
}

/** Starts `lnsgd args --json` as the leader of a new process group; on its first progress event past step 0, `interrupt(pid)`. */
function runAndInterrupt(
  args: readonly string[],
  interrupt: (pid: number) => void,
  onEvent: (e: Record<string, unknown>) => void = () => undefined,
): Promise<Interrupted> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LNSGD_BIN, ...args, '--json'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let stepSeen = -1;
    createInterface({ input: child.stdout }).on('line', (l) => {
      stdout += `${l}\n`;
      if (l.startsWith('{')) onEvent(JSON.parse(l) as Record<string, unknown>);
      if (stepSeen >= 0 || !l.startsWith('{"event":"progress"')) return;
      const step = (JSON.parse(l) as { step: number }).step;
      if (step > 0 && child.pid !== undefined) {
        stepSeen = step;
        interrupt(child.pid);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, stepSeen }));
  });
}

function assertInterruptedSummary(r: Interrupted): void {
  assert.ok(r.stepSeen > 0, `a progress event was seen before the signal\n${r.stderr}`);
  assert.equal(r.code, 130, `exit code 130\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /exited with code|was killed by|no summary/);
  const events = jsonLines(r.stdout);
  const s = events[events.length - 1];
  assert.equal(s.event, 'summary');
  assert.equal(s['interrupted'], true);
  const steps = s['steps'] as number;
  assert.ok(steps >= r.stepSeen && steps < 5_000_000, `steps ${steps}: at least the step seen (${r.stepSeen}), short of the last`);
}

void test(
  "cluster: SIGINT to the whole process group (a terminal's Ctrl-C) stops after the step, keeps the summary, exits 130",
  { timeout: 180_000 },
  async () => {
    const r = await runAndInterrupt([...LONG_CLUSTER, '--no-metrics'], (pid) => process.kill(-pid, 'SIGINT'));
    assertInterruptedSummary(r);
  },
);

void test('cluster: SIGINT to the launcher alone does the same', { timeout: 180_000 }, async () => {
  const r = await runAndInterrupt([...LONG_CLUSTER, '--no-metrics'], (pid) => process.kill(pid, 'SIGINT'));
  assertInterruptedSummary(r);
});

void test("cluster: SIGINT to the process group skips the reporting worker's final estimate too", { timeout: 180_000 }, async () => {
  const withSharpness = LONG_CLUSTER.filter((a) => a !== '--no-sharpness');
  const r = await runAndInterrupt([...withSharpness, '--no-metrics'], (pid) => process.kill(-pid, 'SIGINT'));
  assertInterruptedSummary(r);
  const events = jsonLines(r.stdout);
  assert.equal(events[events.length - 1]['sharpness_skipped'], true);
});

void test('in process: SIGINT to the process group stops after the step, skips the final estimate, exits 130', { timeout: 180_000 }, async () => {
  const r = await runAndInterrupt(['train', '--inprocess', '--preset', 'uv-toy', '--steps', '500000000', '--progress-every', '20000'], (pid) =>
    process.kill(-pid, 'SIGINT'),
  );
  assertInterruptedSummary(r);
  const events = jsonLines(r.stdout);
  assert.equal(events[events.length - 1]['sharpness_skipped'], true);
});

void test('cluster on a terminal: Ctrl-C stops it after the step with the summary (monitor included), exit 130', { timeout: 180_000 }, async () => {
  const r = await runInPty([process.execPath, LNSGD_BIN, ...LONG_CLUSTER], /step +[1-9]\d*\//);
  assert.ok(r.ctrlCSent, r.output);
  assert.equal(r.code, 130, r.output);
  assert.match(r.output, /interrupted at step \d+/);
  assert.doesNotMatch(r.output, /exited with code|was killed by|no summary/);
});

void test('in process on a terminal: Ctrl-C stops it after the step with the summary, exit 130', { timeout: 180_000 }, async () => {
  const r = await runInPty(
    [process.execPath, LNSGD_BIN, 'train', '--inprocess', '--preset', 'uv-toy', '--steps', '500000000', '--progress-every', '20000'],
    /step +[1-9]\d*\//,
  );
  assert.ok(r.ctrlCSent, r.output);
  assert.equal(r.code, 130, r.output);
  assert.match(r.output, /interrupted at step \d+/);
  assert.match(r.output, /skipped \(interrupted\)/);
});

void test('study on a terminal: Ctrl-C lets the current cluster run finish and records it; the rest is left for the rerun', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-sig-study-'));
  try {
    const out = join(dir, 'study');
    const argv = [process.execPath, LNSGD_BIN, 'study', '--preset', 'uv-toy', '--grid', 'lr=0.05,0.1', '--grid', 'workers=2', '--steps', '4000', '--out', out];
    // The study's bar passes 1% once the first run's progress events come in.
    const r = await runInPty(argv, / +[1-9]\d*% +0\/2 runs done.*run 1\/2:/);
    assert.ok(r.ctrlCSent, r.output);
    assert.equal(r.code, 130, r.output);
    assert.doesNotMatch(r.output, /exited with code|no summary/);
    assert.match(r.output, /1\/2 runs finished/);
    const rows = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { steps: number; status: string });
    assert.equal(rows.length, 1);
    assert.equal(rows[0].status, 'ok');
    assert.equal(rows[0].steps, 4000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('in process on a terminal: Ctrl-C during a long final sharpness estimate skips it and prints the summary at once', { timeout: 180_000 }, async () => {
  const t0 = Date.now();
  const r = await runInPty([process.execPath, LNSGD_BIN, 'train', '--inprocess', '--preset', 'mlp', '--steps', '3', '--no-metrics'], /Ctrl-C skips it/);
  const seconds = (Date.now() - t0) / 1000;
  assert.ok(r.ctrlCSent, r.output);
  assert.equal(r.code, 130, r.output);
  assert.match(r.output, /mlp on \w+ in process: interrupted at step 3,/);
  assert.match(r.output, /sharpness at the final θ: skipped \(interrupted\)/);
  // The estimate alone takes 20–40 s here; skipped, the whole run is a few seconds.
  assert.ok(seconds < 20, `${seconds.toFixed(1)} s`);
});

void test('cluster: children in their own process groups still end when the launcher is SIGKILLed', { timeout: 180_000 }, async () => {
  let pids: number[] = [];
  const r = await runAndInterrupt(
    [...LONG_CLUSTER.filter((a) => a !== '--no-sharpness')],
    (pid) => process.kill(pid, 'SIGKILL'),
    (e) => {
      if (e['event'] === 'endpoints') pids = (e['processes'] as { pid: number }[]).map((p) => p.pid);
    },
  );
  assert.equal(r.code, null, 'killed');
  assert.ok(pids.length >= 4, `ps, 2 workers and the monitor: ${pids.join(', ')}`);
  // They see their stdin close and exit; poll until they are gone (bounded, not a sleep the result depends on).
  const deadline = Date.now() + 60_000;
  while (pids.some(isAlive) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
  assert.deepEqual(pids.filter(isAlive), [], 'no orphans');
});

void test('in process on a terminal: Ctrl-C during a long sharpness estimate while training stops at once', { timeout: 180_000 }, async () => {
  const t0 = Date.now();
  // mlp's first estimate (at θ₀, before step 1) takes 20–40 s here.
  const r = await runInPty([process.execPath, LNSGD_BIN, 'train', '--inprocess', '--preset', 'mlp', '--steps', '300'], /lnsgd: preset mlp/);
  const seconds = (Date.now() - t0) / 1000;
  assert.ok(r.ctrlCSent, r.output);
  assert.equal(r.code, 130, r.output);
  assert.match(r.output, /interrupted at step 0,/);
  assert.ok(seconds < 20, `${seconds.toFixed(1)} s`);
});
