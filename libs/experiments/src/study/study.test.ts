import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseGrid } from './grid';
import { planStudy, type StudyPoint } from './study-plan';
import { runStudy } from './run-study';
import type { StudyRow } from './study-row';

const defaults = { lr: 0.1, batch: 8, sigma: 0.5, momentum: 0, flip_prob: 0 };

void describe('parseGrid', () => {
  void test('reads axes, aliases and values; rejects unknown axes and bad values by name', () => {
    assert.deepEqual(parseGrid('lr=0.05,0.1  batch=64,256 beta=0,0.9'), { lr: [0.05, 0.1], batch: [64, 256], momentum: [0, 0.9] });
    assert.throws(() => parseGrid('lr=0.1 foo=1'), /'foo=1'.*axes: lr/);
    assert.throws(() => parseGrid('lr=0.1,x'), /axis 'lr' has a non-number value 'x'/);
    assert.throws(() => parseGrid('batch=1.5'), /batch values must be integers/);
    assert.throws(() => parseGrid('  '), /empty/);
  });
});

void describe('planStudy', () => {
  void test('grid: the Cartesian product times the seeds, with λ = ησ²/(B(1−β))', () => {
    const pts = planStudy({ grid: parseGrid('lr=0.05,0.1 batch=8,32'), defaults, task: 'regression', mode: 'grid', seeds: 2 });
    assert.equal(pts.length, 8);
    assert.equal(new Set(pts.map((p) => p.run_id)).size, 8);
    const p = pts.find((q) => q.lr === 0.1 && q.batch === 32 && q.seed === 1);
    assert.ok(p !== undefined);
    assert.ok(Math.abs((p.lambda ?? 0) - (0.1 * 0.25) / 32) < 1e-15);
  });

  void test('constant-lambda: every run of a σ level has the same λ', () => {
    const pts = planStudy({
      grid: parseGrid('lr=0.05,0.1,0.2 batch=8,16 sigma=0.5,1 momentum=0,0.5'),
      defaults,
      task: 'regression',
      mode: 'constant-lambda',
      seeds: 1,
    });
    const levels = new Set(pts.map((p) => (p.lambda ?? 0).toPrecision(10)));
    assert.equal(levels.size, 2, [...levels].join(' '));
    assert.ok(levels.has(((0.05 * 0.25) / 8).toPrecision(10)));
  });

  void test('linear-scaling: η/B is fixed per base batch, so λ is too (σ fixed)', () => {
    const pts = planStudy({ grid: parseGrid('lr=0.05,0.1,0.2 batch=8'), defaults, task: 'regression', mode: 'linear-scaling', seeds: 1 });
    assert.deepEqual(
      pts.map((p) => p.batch),
      [8, 16, 32],
    );
    assert.equal(new Set(pts.map((p) => p.lambda)).size, 1);
  });

  void test('λ modes need a regression preset', () => {
    assert.throws(() => planStudy({ grid: {}, defaults, task: 'classification', mode: 'constant-lambda', seeds: 1 }), /regression preset/);
  });
});

void describe('runStudy', () => {
  const fakeRow = (p: StudyPoint): StudyRow => ({
    ...p,
    status: 'ok',
    preset: 'fake',
    steps: 1,
    train_loss: p.lr,
    test_metric: p.lr,
    test_metric_name: 'mse',
    top_eigenvalue: 1,
    trace_hessian: 1,
    implicit_regularizer: 1,
    params_l2: 1,
    wall_s: 0,
    finished_at: 'now',
  });

  void test('an interrupted study resumes with only the missing runs', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lnsgd-study-unit-'));
    try {
      const points = planStudy({ grid: parseGrid('lr=0.1,0.2,0.3,0.4'), defaults, task: 'regression', mode: 'grid', seeds: 1 });
      const description = { preset: 'fake', steps: 1 };
      const trained: string[] = [];
      let calls = 0;
      const first = await runStudy({
        points,
        out,
        description,
        runOne: (p) => {
          calls++;
          if (calls === 3) return Promise.resolve('interrupted' as const);
          trained.push(p.run_id);
          return Promise.resolve(fakeRow(p));
        },
      });
      assert.deepEqual([first.completed, first.skipped, first.missing], [2, 0, 2]);
      const second = await runStudy({
        points,
        out,
        description,
        runOne: (p) => {
          trained.push(p.run_id);
          return Promise.resolve(fakeRow(p));
        },
      });
      assert.deepEqual([second.completed, second.skipped, second.missing], [2, 2, 0]);
      assert.deepEqual(
        trained,
        points.map((p) => p.run_id),
        'each run trained exactly once, in plan order',
      );
      assert.deepEqual(
        second.rows.map((r) => r.run_id),
        points.map((p) => p.run_id),
      );
      await assert.rejects(
        runStudy({ points, out, description: { preset: 'other', steps: 1 }, runOne: () => Promise.reject(new Error('unreachable')) }),
        /holds a study with preset = "fake"/,
      );
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
