import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ACCURACY_DOC, readCalibrationFiles, renderCalibrationTables, replaceGeneratedBlock } from './sharpness_accuracy_doc';

const root = path.resolve(__dirname, '..', '..', '..');

void test('the calibration tables in docs/sharpness-accuracy.md are those rendered from the data files', () => {
  const doc = readFileSync(path.join(root, ACCURACY_DOC), 'utf8');
  const fresh = replaceGeneratedBlock(doc, renderCalibrationTables(readCalibrationFiles(root)));
  assert.equal(doc, fresh, 'run `node apps/bench/dist/sharpness_accuracy_doc.js` after changing docs/benchmarks/sharpness_calibration_*.json');
});

void test('every (model, state) has the three quantities, and coverage fractions are fractions', () => {
  for (const f of readCalibrationFiles(root)) {
    const states = new Set(f.rows.map((r) => `${r.model}@${r.steps}`));
    assert.equal(f.rows.length, 3 * states.size);
    for (const r of f.rows) assert.ok(r.within_1 <= r.within_2 && r.within_2 <= r.within_3 && r.within_3 <= 1 && r.seeds > 0, JSON.stringify(r));
  }
});

void test('replaceGeneratedBlock refuses a document without markers', () => {
  assert.throws(() => replaceGeneratedBlock('no markers', 'x'), /markers/);
});
