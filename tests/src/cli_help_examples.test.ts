import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run_cli';

/** The `$ lnsgd …` lines of a help text; a trailing `# (long)` marks examples too slow for CI. */
function examples(help: string): string[][] {
  return help
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('$ lnsgd ') && !l.includes('# (long)'))
    .map((l) => l.replace(/\s+#.*$/, ''))
    .flatMap((l) => l.slice(2).split(' && '))
    .map((cmd) => cmd.trim().split(/\s+/).slice(1));
}

// Help texts are documentation people copy from: every example must run as written.
void test('every example in the help texts runs and exits 0', async () => {
  const top = await runCli(['--help']);
  assert.equal(top.code, 0, top.stderr);
  const commands = [...top.stdout.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]).filter((c) => c !== 'help');
  assert.ok(commands.includes('train') && commands.includes('sharpness'), `commands: ${commands.join(', ')}`);
  const all = [examples(top.stdout)];
  for (const c of commands) {
    const h = await runCli([c, '--help']);
    assert.equal(h.code, 0, `${c} --help: ${h.stderr}`);
    all.push(examples(h.stdout));
  }
  const dir = mkdtempSync(join(tmpdir(), 'lnsgd-examples-'));
  try {
    let ran = 0;
    for (const args of all.flat()) {
      const r = await runCli(args, {}, { cwd: dir });
      assert.equal(r.code, 0, `lnsgd ${args.join(' ')} failed:\n${r.stderr}`);
      ran++;
    }
    assert.ok(ran >= 5, `only ${ran} examples found`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
