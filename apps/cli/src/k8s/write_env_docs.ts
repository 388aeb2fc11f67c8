import * as fs from 'node:fs';
import { ENV_DOCS, renderEnvDocs } from './env_docs';

// `npm run docs:tables`: regenerates docs/kubernetes.md's environment-variable table from ENV_CONTRACT.
const before = fs.readFileSync(ENV_DOCS, 'utf8');
const after = renderEnvDocs(before);
if (after !== before) fs.writeFileSync(ENV_DOCS, after);
process.stdout.write(`docs/kubernetes.md: ${after === before ? 'up to date' : 'rewritten'}\n`);
