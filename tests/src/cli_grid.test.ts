import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonLines, runCli } from './run_cli';

// One grid syntax: repeated --grid merges axes in `study` and `k8s render`; an axis twice is an error.

void test('study: --grid lr=… --grid sigma=… runs the four configurations of both axes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-grid-'));
  try {
    const r = await runCli([
      'study',
      '--preset',
      'uv-toy',
      '--grid',
      'lr=0.05,0.1',
      '--grid',
      'sigma=0.5,1',
      '--steps',
      '200',
      '--out',
      join(dir, 's'),
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const summary = jsonLines(r.stdout).find((e) => e.event === 'summary');
    assert.equal(summary?.['runs_total'], 4);
    const rows = readFileSync(join(dir, 's', 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { lr: number; sigma: number });
    assert.deepEqual(rows.map((x) => `${x.lr}/${x.sigma}`).sort(), ['0.05/0.5', '0.05/1', '0.1/0.5', '0.1/1']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

void test('study and k8s render refuse an axis given twice, naming --grid; k8s render also takes the quoted form', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-grid-'));
  try {
    const s = await runCli(['study', '--grid', 'lr=0.05,0.1', '--grid', 'lr=1', '--out', join(dir, 's')]);
    assert.equal(s.code, 1);
    assert.match(s.stderr, /--grid: axis 'lr' is given twice/);
    const k = await runCli([
      'k8s',
      'render',
      '--workers',
      '2',
      '--shards',
      '1',
      '--preset',
      'uv-toy',
      '--grid',
      'lr=0.1',
      '--grid',
      'lr=0.2',
      '--out',
      join(dir, 'k'),
    ]);
    assert.equal(k.code, 1);
    assert.match(k.stderr, /--grid: axis 'lr' is given twice/);
    const q = await runCli([
      'k8s',
      'render',
      '--workers',
      '2',
      '--shards',
      '1',
      '--preset',
      'uv-toy',
      '--grid',
      'lr=0.1,0.2 batch=8',
      '--grid',
      'seed=1,2',
      '--out',
      join(dir, 'q'),
    ]);
    assert.equal(q.code, 0, q.stderr);
    assert.equal(readdirSync(join(dir, 'q')).filter((n) => n !== 'deploy').length, 4, 'one overlay per point, beside the copied base');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
