import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { jsonLines, LNSGD_BIN, runCli } from './run_cli';

// The study acceptance check, as a user would run it: a 4-point uv-toy grid,
// killed (SIGKILL, no clean-up chance) after its first finished run, then rerun.

const GRID = ['study', '--preset', 'uv-toy', '--grid', 'lr=0.05,0.1 batch=8,16', '--steps', '100000'];

function resultLines(file: string): { run_id: string }[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { run_id: string });
}

void test('study: killed halfway, the rerun completes only the missing runs; one row per run and PNG plots', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lnsgd-study-'));
  const results = path.join(out, 'results.jsonl');
  const child = spawn(process.execPath, [LNSGD_BIN, ...GRID, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  try {
    // Poll until the first run is on disk, then kill without warning.
    const deadline = Date.now() + 120_000;
    while (resultLines(results).length === 0) {
      assert.ok(Date.now() < deadline, `no run finished within 120 s; stderr: ${stderr}`);
      assert.equal(child.exitCode, null, `study exited early: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    const before = resultLines(results).map((r) => r.run_id);
    assert.ok(before.length >= 1 && before.length < 4, `killed after ${before.length} of 4 runs (each run takes ~1 s, so this should be 1 or 2)`);

    const rerun = await runCli([...GRID, '--out', out, '--json']);
    assert.equal(rerun.code, 0, rerun.stderr);
    const lines = jsonLines(rerun.stdout);
    const summary = lines[lines.length - 1];
    assert.equal(summary.event, 'summary');
    assert.equal(summary['runs_total'], 4);
    assert.equal(summary['runs_skipped'], before.length, 'finished runs are not rerun');
    assert.equal(summary['runs_completed'], 4 - before.length);
    const rerunIds = lines.filter((l) => l.event === 'run').map((l) => String(l['run_id']));
    assert.deepEqual(
      rerunIds.filter((id) => before.includes(id)),
      [],
      'no finished run trained again',
    );

    const after = resultLines(results).map((r) => r.run_id);
    assert.equal(after.length, 4);
    assert.equal(new Set(after).size, 4, 'one row per run');
    const csv = fs.readFileSync(path.join(out, 'results.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 1 + 4, 'results.csv: a header and one row per run');
    const pngs = fs.readdirSync(out).filter((f) => f.endsWith('.png'));
    assert.ok(pngs.length >= 1, 'at least one PNG plot');
    assert.ok(fs.statSync(path.join(out, pngs[0])).size > 1000);
    assert.match(fs.readFileSync(path.join(out, 'report.md'), 'utf8'), /!\[.*\]\(.*\.png\)/);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.rmSync(out, { recursive: true, force: true });
  }
});

void test('study: contradictory flags and unknown axes are refused before any run', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lnsgd-study-'));
  try {
    const both = await runCli(['study', '--grid', 'lr=0.1', '--constant-lambda', '--linear-scaling', '--out', out]);
    assert.notEqual(both.code, 0);
    assert.match(both.stderr, /exclusive/);
    const bad = await runCli(['study', '--grid', 'lr=0.1 nope=3', '--out', out]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /nope=3.*axes: lr, batch/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
