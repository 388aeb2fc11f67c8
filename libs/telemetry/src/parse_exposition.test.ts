import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExposition } from './parse_exposition';

void test('parses types, help, labels with escapes and special values', () => {
  const e = parseExposition('# HELP a_total A thing, in things.\n# TYPE a_total counter\na_total{x="q\\"uote",y="z"} 3\nb Nan\nc{le="+Inf"} +Inf 1700000000\n');
  assert.equal(e.types.get('a_total'), 'counter');
  assert.equal(e.helps.get('a_total'), 'A thing, in things.');
  assert.deepEqual(e.samples[0], { name: 'a_total', labels: { x: 'q"uote', y: 'z' }, value: 3 });
  assert.ok(Number.isNaN(e.samples[1].value));
  assert.equal(e.samples[2].value, Number.POSITIVE_INFINITY);
});

void test('a malformed line is an error naming it', () => {
  assert.throws(() => parseExposition('ok 1\nbad{x=1} 2\n'), /line 2 has malformed labels/);
  assert.throws(() => parseExposition('x abc\n'), /line 1 has a value that is not a number/);
});
