import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PARAM_ROWS, tableOptionProblems } from '@lnsgd/trainer';
import { buildProgram } from '../main';
import { ENV_CONTRACT } from '../k8s/env_contract';
import { PARAM_DOCS_PATH, paramDocs } from './param_docs';

const ROOT = resolve(__dirname, '..', '..', '..', '..');

void test('every lnsgd option named like a table row is built from it, keeps its default, and train and k8s render take every row', () => {
  // The calibration preset, whose Hessian is known exactly, is sharpness's own default.
  const { problems, seen } = tableOptionProblems(buildProgram(), {
    ownDefaults: { 'lnsgd sharpness --preset': 'linreg-diag' },
    wholeRun: ['lnsgd train', 'lnsgd k8s render'],
  });
  assert.deepEqual(problems, []);
  assert.ok(seen >= 25, `only ${seen} table options found`);
});

void test('every table environment variable is in the env contract, and every variable under deploy/ too', () => {
  const contract = new Set(ENV_CONTRACT.map((v) => v.name));
  for (const r of PARAM_ROWS) if (r.env !== undefined) assert.ok(contract.has(r.env), r.env);
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const f of readdirSync(dir)) {
      const p = join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ya?ml|json|env|sh)$/.test(f)) files.push(p);
    }
  };
  walk(join(ROOT, 'deploy'));
  const used = new Set(files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/\b(LNSGD_[A-Z0-9_]*[A-Z0-9])\b/g)].map((m) => m[1] ?? '')));
  assert.ok(used.has('LNSGD_RUN_CONFIG'), 'no LNSGD_ variable found under deploy/');
  assert.deepEqual([...used].filter((v) => !contract.has(v)).sort(), [], 'variables in deploy/ that no app reads');
});

void test('docs/hyperparameters.md is what `npm run docs:params` writes', () => {
  assert.equal(readFileSync(PARAM_DOCS_PATH, 'utf8'), paramDocs(), 'docs/hyperparameters.md is stale: run `npm run docs:params`');
});
