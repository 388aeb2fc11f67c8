import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { planStudy } from './study-plan';
import type { StudyRow } from './study-row';
import { parseTarget, type TrajectoryPoint } from './time-to-target';
import { analyseTimeToTarget, formatTimeToTarget, writeTimeToTargetReport } from './time-to-target-report';
import { readTrajectory, writeTrajectory } from './trajectory-file';

const S_MIN = 200;
const B_CRIT = 16;

/** Loss falling linearly from 1 to 0 at step 2·S(B), S(B) = S_min(1 + B_crit/B) (+ a per-seed shift). */
function trajectoryFor(batch: number, seed: number): TrajectoryPoint[] {
  const s = S_MIN * (1 + B_CRIT / batch) * (1 + 0.02 * (seed - 1));
  const pts: TrajectoryPoint[] = [];
  for (let step = 0; step <= 2000; step += 1) {
    pts.push({ step, samples: step * batch, train_loss: Math.max(0, 1 - step / (2 * s)), test_metric: 0, noise_trace_sigma: batch, noise_grad_sq_norm: 1 });
  }
  return pts;
}

function rowOf(p: ReturnType<typeof planStudy>[number], status: 'ok' | 'diverged'): StudyRow {
  return {
    ...p,
    status,
    preset: 'synthetic',
    steps: 2000,
    train_loss: null,
    test_metric: null,
    test_metric_name: null,
    top_eigenvalue: null,
    trace_hessian: null,
    implicit_regularizer: null,
    params_l2: null,
    wall_s: 0,
    finished_at: '',
  };
}

void describe('time-to-target report', () => {
  void test('per-configuration medians, censored and diverged runs, and B_crit of a synthetic study', async () => {
    const points = planStudy({
      grid: { batch: [2, 4, 8, 16, 32, 64] },
      defaults: { lr: 0.1, batch: 8, sigma: 0, momentum: 0, flip_prob: 0 },
      task: 'regression',
      mode: 'grid',
      seeds: 3,
    });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lnsgd-ttt-'));
    try {
      const rows: StudyRow[] = [];
      const trajectories = new Map<string, TrajectoryPoint[]>();
      for (const p of points) {
        // B = 64, seed 2 diverged: it must count as censored, not vanish.
        if (p.batch === 64 && p.seed === 2) {
          rows.push(rowOf(p, 'diverged'));
          continue;
        }
        writeTrajectory(out, p.run_id, trajectoryFor(p.batch, p.seed));
        const t = readTrajectory(out, p.run_id);
        assert.ok(t !== undefined);
        trajectories.set(p.run_id, t);
        rows.push(rowOf(p, 'ok'));
      }
      const t = analyseTimeToTarget({ rows, trajectories, targets: [parseTarget('train_loss<=0.5'), parseTarget('train_loss<=0')], mode: 'grid' });
      const [half, zero] = t.targets;
      assert.equal(half.families.length, 1);
      const fam = half.families[0];
      // Loss 1 − step/(2S) reaches 0.5 at step S exactly; seed 1 is the unshifted median.
      for (const c of fam.configs) {
        const s = S_MIN * (1 + B_CRIT / c.batch);
        if (c.batch === 64) {
          assert.equal(c.reached, 2);
          assert.equal(c.runs, 3);
          assert.equal(c.steps.censored, 1);
          assert.equal(c.steps.hi, Infinity);
        } else {
          assert.equal(c.steps.median, Math.ceil(s - 1e-9), `B = ${c.batch}`);
          assert.equal(c.samples.median, c.steps.median * c.batch);
        }
        assert.equal(c.b_simple, c.batch, 'B_simple = mean tr Σ / mean |G|²');
      }
      assert.ok(fam.critical !== null);
      assert.ok(Math.abs(fam.critical.bCrit / B_CRIT - 1) < 0.05, `B_crit ${fam.critical.bCrit}`);
      assert.ok(fam.critical.lo <= B_CRIT * 1.05 && fam.critical.hi >= B_CRIT * 0.95, `[${fam.critical.lo}, ${fam.critical.hi}]`);
      // Loss 0 is reached at step 2S: B = 2 never (3600 > 2000); B = 4 at 1960, 2000, 2040 over the seeds (2 of 3).
      const reached = zero.families[0].configs.map((c) => [c.batch, c.reached]);
      assert.deepEqual(reached, [
        [2, 0],
        [4, 2],
        [8, 3],
        [16, 3],
        [32, 3],
        [64, 2],
      ]);
      const text = formatTimeToTarget(t);
      assert.match(text, /steps to train_loss<=0\.5/);
      assert.match(text, /B_crit = \d/);
      assert.match(text, /censored \[censored, censored\]/);
      const { charts, section } = await writeTimeToTargetReport(out, t);
      assert.ok(charts.length >= 1 && charts.every((c) => fs.existsSync(path.join(out, c))), charts.join(', '));
      assert.match(section, /B_crit/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
