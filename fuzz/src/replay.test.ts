import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { scratchPath } from './engine/target';
import { TARGETS } from './targets';

// The regression half of the CI fuzz run: every checked-in input (seeds, and each
// finding once fixed) replayed through its target, uninstrumented; a target throws
// only on a broken property.

const CORPUS = join(__dirname, '..', 'corpus');

after(() => rmSync(scratchPath(), { recursive: true, force: true }));

for (const entry of TARGETS) {
  void test(`fuzz corpus of ${entry.name} replays without a finding`, () => {
    const target = entry.load();
    const files = readdirSync(join(CORPUS, entry.name)).sort();
    assert.ok(files.length > 0, `fuzz/corpus/${entry.name} has no seeds`);
    for (const f of files) {
      const data = new Uint8Array(readFileSync(join(CORPUS, entry.name, f)));
      assert.doesNotThrow(() => target.fuzz(data), `fuzz/corpus/${entry.name}/${f}`);
    }
  });
}
