import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFuzz } from './engine/run';
import { TARGETS } from './targets';

// The bounded half of the CI fuzz run: each target replays its corpus, then fuzzes
// for a few seconds from a fresh seed (the time is a bound, not a measurement; the
// long run is `npm run fuzz`). A crash, hang or heap blow-up fails with its input.

const SECONDS = Number(process.env['LNSGD_FUZZ_SECONDS'] ?? '4');

void test('every fuzz target survives a short coverage-guided run', async () => {
  const findings = mkdtempSync(join(tmpdir(), 'lnsgd-fuzz-findings-'));
  try {
    for (const entry of TARGETS) {
      const r = await runFuzz({
        target: entry.name,
        seconds: SECONDS,
        runs: 0,
        seed: Date.now() % 2 ** 31,
        corpus: [join(__dirname, '..', 'corpus', entry.name)],
        findings,
        // Generous: the CI machine may be busy; a true hang never finishes.
        hangMs: 60_000,
        heapMb: 1024,
      });
      assert.equal(r.status, 'ok', `${entry.name}: ${r.status}: ${r.finding?.file ?? ''}\n${r.finding?.message ?? ''}`);
      assert.ok(r.execs > r.seeds, `${entry.name}: only ${r.execs} executions`);
      assert.ok(r.covered > 0, `${entry.name}: no coverage recorded`);
    }
  } finally {
    rmSync(findings, { recursive: true, force: true });
  }
});
