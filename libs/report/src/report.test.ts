import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appendJsonLine, lineChart, markdownTable, readJsonLines, renderChart, toCsv, writeChart, formatValue } from './index';

void test('toCsv quotes fields with commas and quotes and leaves null cells empty', () => {
  assert.equal(
    toCsv([
      { a: 1, b: 'x,y' },
      { a: null, b: 'say "hi"' },
    ]),
    'a,b\n1,"x,y"\n,"say ""hi"""\n',
  );
});

void test('markdownTable formats numbers to 4 significant digits and escapes pipes', () => {
  const md = markdownTable([{ method: 'a|b', err: 0.000123456, n: 3 }]);
  assert.match(md, /\| a\\\|b \| 1\.235e-4 \| 3 \|/);
  assert.equal(formatValue(null), '—');
});

void test('appendJsonLine survives a torn last line: readers skip it and the next append starts a fresh line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lnsgd-report-'));
  try {
    const file = path.join(dir, 'r.jsonl');
    appendJsonLine(file, { id: 1 });
    fs.appendFileSync(file, '{"id": 2, "tor');
    appendJsonLine(file, { id: 3 });
    const { values, skipped } = readJsonLines(file);
    assert.deepEqual(values, [{ id: 1 }, { id: 3 }]);
    assert.equal(skipped, 1);
    assert.deepEqual(readJsonLines(path.join(dir, 'missing.jsonl')), { values: [], skipped: 0 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

void test('lineChart renders to an SVG with the title and a PNG, with log axes and reference lines', async () => {
  const values = [0, 1, 2, 3].flatMap((s) => [
    { step: s, err: 10 ** -s, method: 'label noise' },
    { step: s, err: 50, method: 'plain' },
  ]);
  const spec = lineChart({
    title: 'Test error',
    values,
    x: { field: 'step' },
    y: { field: 'err', scale: 'log' },
    color: { field: 'method' },
    references: [{ y: 1, label: 'one' }],
  });
  const { svg, png } = await renderChart(spec);
  assert.match(svg, /^<svg/);
  assert.match(svg, /Test error/);
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]); // 'PNG'
});

void test('writeChart writes svg, png and the spec, and rejects path-like names', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lnsgd-report-'));
  try {
    const spec = lineChart({
      title: 't',
      values: [
        { x: 1, y: 2 },
        { x: 2, y: 1 },
      ],
      x: { field: 'x' },
      y: { field: 'y' },
    });
    const out = await writeChart({ dir, name: 'c', spec });
    assert.ok(fs.statSync(out.pngPath).size > 100);
    assert.ok(fs.readFileSync(out.svgPath, 'utf8').startsWith('<svg'));
    await assert.rejects(writeChart({ dir, name: '../x', spec }), /writeChart: name/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
