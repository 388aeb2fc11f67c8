import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { jsonLines, runCli } from './run_cli';

// A batch-axis study with targets, as a user runs it: quadratic-sparse with label
// noise σ = 2 at B = 1 … 32, 3 seeds, 600 steps (about 10 s on one core). Small
// batches sit above the noise floor ∝ ησ²/B longer, so steps to a loss target fall
// with B and level off: a finite B_crit.
const STUDY = [
  'study',
  '--preset',
  'quadratic-sparse',
  '--grid',
  'batch=1,2,4,8,16,32 sigma=2',
  '--seeds',
  '3',
  '--steps',
  '600',
  '--target',
  'train_loss<=0.3',
  '--target',
  'train_loss<=0.1',
  '--record-every',
  '5',
];

interface Interval {
  readonly median: number | null;
  readonly lo: number | null;
  readonly hi: number | null;
  readonly censored: number;
}

void test('study --target prints steps-to-target per configuration with intervals and a B_crit estimate', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lnsgd-study-target-'));
  try {
    const r = await runCli([...STUDY, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    for (const t of ['train_loss<=0.3', 'train_loss<=0.1']) assert.ok(r.stdout.includes(`steps to ${t}`), r.stdout);
    for (const b of [1, 2, 4, 8, 16, 32]) {
      // "  B  median [lo, hi]  samples [lo, hi]  reached/3  B_simple"; a bound may read "censored".
      assert.match(
        r.stdout,
        new RegExp(`^  ${b}\\s+(\\d+|censored) \\[(\\d+|censored), (\\d+|censored)\\]\\s+\\S+ \\[\\S+, \\S+\\]\\s+[0-3]/3`, 'm'),
        `B = ${b}:\n${r.stdout}`,
      );
    }
    assert.match(r.stdout, /B_crit = [\d.]+ \[[\d.]+, [\d.]+\] \(S_min = [\d.]+, E_min = [\d.]+; fit over B = /, r.stdout);
    assert.match(r.stdout, /B_simple \(measured gradient noise scale\) = /);
    assert.equal(fs.readdirSync(path.join(out, 'trajectories')).length, 18, 'one trajectory per run');
    assert.ok(fs.existsSync(path.join(out, 'steps-to-target-1.png')));
    assert.match(fs.readFileSync(path.join(out, 'report.md'), 'utf8'), /## Steps to target and the critical batch size/);

    // Rerun: nothing to train, the same analysis from the stored trajectories, as JSON.
    const again = await runCli([...STUDY, '--out', out, '--json']);
    assert.equal(again.code, 0, again.stderr);
    const summary = jsonLines(again.stdout).at(-1);
    assert.ok(summary !== undefined && summary.event === 'summary');
    assert.equal(summary['runs_skipped'], 18);
    const ttt = summary['time_to_target'] as {
      targets: {
        target: string;
        families: {
          configs: { batch: number; steps: Interval; reached: number; runs: number }[];
          critical: { bCrit: number | null; lo: number | null; hi: number | null };
        }[];
      }[];
    };
    assert.deepEqual(
      ttt.targets.map((t) => t.target),
      ['train_loss<=0.3', 'train_loss<=0.1'],
    );
    const fam = ttt.targets[0].families[0];
    assert.deepEqual(
      fam.configs.map((c) => c.batch),
      [1, 2, 4, 8, 16, 32],
    );
    for (const c of fam.configs) assert.equal(c.runs, 3);
    const { bCrit, lo, hi } = fam.critical;
    assert.ok(bCrit !== null && lo !== null && bCrit > 0, `B_crit ${String(bCrit)}`);
    assert.ok(lo <= bCrit && (hi === null || bCrit <= hi), `B_crit ${bCrit} outside its interval [${lo}, ${String(hi)}]`);
    // Large batches reach the looser target; steps to it do not grow with B beyond noise.
    const large = fam.configs.find((c) => c.batch === 32);
    assert.ok(large !== undefined && large.reached === 3 && large.steps.median !== null);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

void test('study refuses a malformed --target, a bad --record-every and trajectories on a cluster axis before training', async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lnsgd-study-target-bad-'));
  try {
    const cases: [string[], RegExp][] = [
      [['--target', 'loss<5'], /--target: 'loss<5' is not test_metric<=X/],
      [['--target', 'train_loss<=abc'], /--target: 'abc' in 'train_loss<=abc' is not a finite number/],
      [['--record-every', '0'], /--record-every expects an integer >= 1, got 0/],
      [['--grid', 'workers=1,2', '--target', 'train_loss<=0.1'], /workers=1.*drop the workers axis/],
    ];
    for (const [extra, message] of cases) {
      const r = await runCli(['study', '--preset', 'uv-toy', '--grid', 'batch=1,2', '--steps', '10', '--out', path.join(out, 'x'), ...extra]);
      assert.equal(r.code, 1, `${extra.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.ok(!fs.existsSync(path.join(out, 'x', 'results.jsonl')), 'nothing trained');
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
