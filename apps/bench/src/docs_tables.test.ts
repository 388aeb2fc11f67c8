import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { readBenchmarkRecords, renderBenchmarkRecord, renderBenchmarksDoc, REPO_ROOT } from './docs_tables';

void test('docs/benchmarks.md tables are those generated from docs/benchmarks/*.json (else: npm run docs:tables)', () => {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs/benchmarks.md'), 'utf8');
  const records = readBenchmarkRecords(path.join(REPO_ROOT, 'docs/benchmarks'));
  assert.ok(records.size >= 4, `expected the recorded suites, found ${[...records.keys()].join(', ')}`);
  assert.equal(doc, renderBenchmarksDoc(doc, records), 'docs/benchmarks.md is stale: run `npm run docs:tables`');
});

void test('a record renders its provenance, its scalars and every row, with nested quantities as rows', () => {
  const md = renderBenchmarkRecord({
    description: 'd',
    command: 'npm run bench -- x --save',
    machine: { cpu_model: 'CPU X', cores: 2, mem_total_gib: 8, load_average_start: [1.5, 1, 1], load_average_end: [2, 1, 1] },
    versions: { node: '20.0.0' },
    summary: { ratio: 0.5 },
    rows: [{ steps: 0, reference: { loss: 1, a: 5, b: 6 }, a: { bias: 0.1, sd: 1 }, b: { bias: 0.2, sd: 2 } }],
  });
  assert.match(md, /CPU X, 2 cores, 8 GiB; load average \(1\/5\/15 min\) 1\.5 \/ 1 \/ 1 at the start/);
  assert.match(md, /Versions: node 20\.0\.0\./);
  assert.match(md, /\| summary\.ratio \| 0\.5 \|/);
  assert.match(md, /\| steps \| reference\.loss \| quantity \| reference \| bias \| sd \|/);
  assert.match(md, /\| 0 \| 1 \| a \| 5 \| 0\.1 \| 1 \|\n\| 0 \| 1 \| b \| 6 \| 0\.2 \| 2 \|/);
});

void test("a suite's further tables (SuiteResult.tables) render each under its name, after the rows", () => {
  const md = renderBenchmarkRecord({
    rows: [{ workers: 1, 'measured ms': 85.5 }],
    tables: { gpu_overlay: [{ model: 'mlp', 'step ms (S=2)': 97.3 }] },
  });
  const rows = md.indexOf('`rows`:');
  const extra = md.indexOf('`tables.gpu_overlay`:');
  assert.ok(rows >= 0 && extra > rows, md);
  assert.match(md.slice(extra), /\| model \| step ms \(S=2\) \|\n\| --- \| --- \|\n\| mlp \| 97\.3 \|/);
});

void test('a record without a block in the document, or a block without a record, is an error', () => {
  const records = new Map([['x', { rows: [] }]]);
  assert.throws(() => renderBenchmarksDoc('no blocks', records), /no generated block for docs\/benchmarks\/x\.json/);
  assert.throws(() => renderBenchmarksDoc('<!-- generated:bench:y -->\n<!-- end generated:bench:y -->', new Map()), /"bench:y": nothing generates it/);
});
