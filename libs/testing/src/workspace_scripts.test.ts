import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// `npm test` runs each workspace package's `test` and `e2e` scripts (nx run-many): a
// test file no script of its package runs never runs in CI. libs/ps had two e2e files
// and no e2e script, so they ran only by hand.

const ROOT = join(__dirname, '..', '..', '..');

/** The workspace packages' directories, from the root package.json's globs (`dir/*` or `dir`). */
function packages(): string[] {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
  return root.workspaces.flatMap((w) => {
    if (!w.endsWith('/*')) return [join(ROOT, w)];
    const parent = join(ROOT, w.slice(0, -2));
    return readdirSync(parent)
      .map((d) => join(parent, d))
      .filter((d) => existsSync(join(d, 'package.json')));
  });
}

/** Every `*.test.ts` under `dir`. */
function testFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

void test("every test file is run by its package's test or e2e script", () => {
  const orphans: string[] = [];
  const all = packages();
  assert.ok(all.length >= 10, `found only ${all.length} workspace packages under ${ROOT}`);
  for (const dir of all) {
    const scripts = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
    // A script that hands node --test the whole dist/ runs every test file in it.
    const runsAll = (s: string | undefined): boolean => s !== undefined && /node --test dist\/?(\s|$)/.test(s);
    const runsE2e = runsAll(scripts['e2e']) || runsAll(scripts['test']) || (scripts['e2e'] ?? '').includes("-name '*.e2e.test.js'");
    const runsUnit = runsAll(scripts['e2e']) || runsAll(scripts['test']) || (scripts['test'] ?? '').includes("-name '*.test.js' ! -name '*.e2e.test.js'");
    for (const file of testFiles(join(dir, 'src'))) {
      const e2e = file.endsWith('.e2e.test.ts');
      if (e2e ? !runsE2e : !runsUnit) orphans.push(`${relative(ROOT, file)} (no ${e2e ? 'e2e' : 'test'} script of ${relative(ROOT, dir)} runs it)`);
    }
  }
  assert.deepEqual(orphans, []);
});
