import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './run_cli';

void test('lnsgd --version prints the CLI package version', async () => {
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'apps', 'cli', 'package.json'), 'utf8')) as { version: string };
  const r = await runCli(['--version']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), version);
});
