import * as path from 'node:path';
import { fillGeneratedBlocks } from '@lnsgd/report';
import { envContractMarkdown } from './env_contract';

/** The document holding the generated environment-variable table. */
export const ENV_DOCS = path.resolve(__dirname, '../../../../docs/kubernetes.md');

/**
 * docs/kubernetes.md with its `env-contract` block regenerated from ENV_CONTRACT.
 *
 * @param doc the document's current text.
 * @throws Error when the document has a generated block this function does not know.
 */
export function renderEnvDocs(doc: string): string {
  return fillGeneratedBlocks(doc, (name) => (name === 'env-contract' ? envContractMarkdown() : undefined));
}
