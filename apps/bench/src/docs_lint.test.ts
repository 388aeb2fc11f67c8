import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { anchorsOf, brokenLinks, diaryFindings, headingAnchor, missingCodePaths, productDocs, relativeLinks, type DocFinding } from './docs_lint';
import { REPO_ROOT } from './docs_tables';

// Documents not written yet whose links may dangle meanwhile: none today.
const PENDING = new Set<string>();

const show = (fs_: readonly DocFinding[]): string => fs_.map((f) => `${path.relative(REPO_ROOT, f.file)}:${f.line}: ${f.what}: ${f.text}`).join('\n');
const docs = productDocs(REPO_ROOT);

void test('the product docs exist, and README.md stays a front door (at most 160 lines) that opens with the set-up commands', () => {
  for (const f of docs) assert.ok(fs.existsSync(f), f);
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const lines = readme.trimEnd().split('\n');
  assert.ok(lines.length <= 160, `README.md has ${lines.length} lines`);
  const firstCode = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  assert.match(firstCode, /^npm ci && npx lnsgd train --preset uv-toy --workers 2\b/m);
  assert.match(firstCode, /^npm test\b/m);
});

void test('no dated or diary text in README.md, docs/ or proto/README.md', () => {
  const findings = docs.flatMap((f) => diaryFindings(f, fs.readFileSync(f, 'utf8')));
  assert.deepEqual(findings, [], `\n${show(findings)}`);
});

void test('every relative link in the docs resolves to a file, and to a heading where it names one', (t) => {
  const all = docs.map((f) => brokenLinks(f, fs.readFileSync(f, 'utf8'), PENDING));
  const broken = all.flatMap((r) => r.broken);
  assert.deepEqual(broken, [], `\n${show(broken)}`);
  const waiting = all.flatMap((r) => r.pending);
  if (waiting.length > 0) t.diagnostic(`links to documents not written yet:\n${show(waiting)}`);
});

void test('every repository path the docs name in code spans exists', () => {
  const missing = docs.flatMap((f) => missingCodePaths(f, fs.readFileSync(f, 'utf8'), REPO_ROOT));
  assert.deepEqual(missing, [], `\n${show(missing)}`);
});

void test('the checks catch what they are for', () => {
  const bad = [
    'Three runs at 18:23, 18:27 and 19:16 UTC on 2026-11-27 (load ~2):',
    'Then (issue #5, second pass) four more:',
    '¹ A timing script of mine ran beside it.',
    'Since then the step is one fused pass.',
  ].join('\n');
  const whats = diaryFindings('x.md', bad).map((f) => `${f.line} ${f.what}`);
  for (const w of ['1 a clock time', '1 clock times', '1 a date', '2 a tracker reference', '2 a diary phrase', '3 a diary phrase', '4 a diary phrase'])
    assert.ok(whats.includes(w), `${w} in ${whats.join('; ')}`);
  const clean = 'Each shard binds tcp://0.0.0.0:7000; a ratio of 2:1; `--steps 20000`; λ ≈ 3.1e-3; `lnsgd-ps-0.lnsgd-ps:7000`.';
  assert.deepEqual(diaryFindings('x.md', clean), []);
  assert.equal(headingAnchor("Memory over long runs: the processes' V8 flags"), 'memory-over-long-runs-the-processes-v8-flags');
  assert.equal(headingAnchor('`lnsgd sharpness`'), 'lnsgd-sharpness');
  assert.deepEqual([...anchorsOf('# A\n```\n# not a heading\n```\n## A\n')], ['a', 'a-1']);
  assert.deepEqual(relativeLinks('[x](a.md#b) [y](https://e.org) `[z](c.md)`'), [{ line: 1, target: 'a.md#b' }]);
  const readme = path.join(REPO_ROOT, 'README.md');
  const r = brokenLinks(readme, '[a](docs/no-such.md) [b](docs/cli.md#no-such-heading) [c](docs/cli.md) [d](docs/hyperparameters.md)', PENDING);
  assert.deepEqual(
    r.broken.map((f) => f.text),
    ['docs/no-such.md', 'docs/cli.md#no-such-heading'],
  );
  assert.deepEqual(
    missingCodePaths(readme, '`libs/no/such.ts` and `apps/cli/package.json`', REPO_ROOT).map((f) => f.text),
    ['libs/no/such.ts'],
  );
});
