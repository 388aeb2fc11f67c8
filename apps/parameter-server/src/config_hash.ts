import { createHash } from 'node:crypto';
import type { RunConfig } from '@lnsgd/trainer';

/**
 * Identity of a run for checkpoints: SHA-256 of the preset name, every
 * hyper-parameter except the step count (a resumed run may be extended), the
 * micro-batch cap and the shard layout. A checkpoint only resumes the same run.
 *
 * @param run the run config.
 * @param layout micro-batch cap and number of shards.
 */
export function configHash(run: RunConfig, layout: { readonly microBatch: number; readonly shards: number }): string {
  const { steps: _steps, ...hyper } = run.hyper;
  const keys = Object.keys(hyper).sort() as (keyof typeof hyper)[];
  const canonical = JSON.stringify({ preset: run.preset.name, hyper: keys.map((k) => [k, hyper[k]]), ...layout });
  return createHash('sha256').update(canonical).digest('hex');
}
