import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { generatedBlockNames } from '@lnsgd/report';
import { ENV_CONTRACT } from './env_contract';
import { ENV_DOCS, renderEnvDocs } from './env_docs';

void test('docs/kubernetes.md lists exactly ENV_CONTRACT (else: npm run docs:tables)', () => {
  const doc = fs.readFileSync(ENV_DOCS, 'utf8');
  assert.deepEqual(generatedBlockNames(doc), ['env-contract']);
  assert.equal(doc, renderEnvDocs(doc), 'docs/kubernetes.md is stale: run `npm run docs:tables`');
  for (const v of ENV_CONTRACT) assert.ok(doc.includes(`| \`${v.name}\` |`), v.name);
});
