import * as fs from 'node:fs';
import * as path from 'node:path';
import { readBenchmarkRecords, renderBenchmarksDoc, REPO_ROOT } from './docs_tables';

// `npm run docs:tables`: regenerates the tables of docs/benchmarks.md from docs/benchmarks/*.json.
const doc = path.join(REPO_ROOT, 'docs/benchmarks.md');
const before = fs.readFileSync(doc, 'utf8');
const after = renderBenchmarksDoc(before, readBenchmarkRecords(path.join(REPO_ROOT, 'docs/benchmarks')));
if (after !== before) fs.writeFileSync(doc, after);
process.stdout.write(`${path.relative(REPO_ROOT, doc)}: ${after === before ? 'up to date' : 'rewritten'}\n`);
