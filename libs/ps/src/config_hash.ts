import { OPTIMIZER_DEFAULTS } from '@lnsgd/optim';
import { createHash } from 'node:crypto';

/** The run's hyper-parameters as the PS sees them (the run config's `Hyper`, structurally). */
export interface ShardHyper {
  readonly steps: number;
  readonly lr: number;
  readonly batch: number;
  readonly sigma: number;
  readonly noise: string;
  readonly flipProb: number;
  readonly momentum: number;
  readonly weightDecay: number;
  readonly warmupSteps: number;
  readonly seed: number;
  /** The optimizer fields (absent: plain SGD, see `OPTIMIZER_DEFAULTS` of @lnsgd/optim). */
  readonly optimizer?: string;
  readonly schedule?: string;
  readonly clipNorm?: number;
  readonly trustCoefficient?: number;
}

/** What a shard knows of the run (the run config, structurally: this package does not load the trainer). */
export interface ShardRun {
  readonly preset: { readonly name: string; readonly model: { readonly name: string; readonly options?: unknown } };
  readonly hyper: ShardHyper;
}

/**
 * Identity of a run for checkpoints: SHA-256 of the preset name, every
 * hyper-parameter except the step count (a resumed run may be extended), the
 * micro-batch cap, the shard layout and a reduced-precision wire dtype (it changes
 * the gradients the PS combines). A checkpoint only resumes the same run.
 *
 * @param run the run config.
 * @param layout micro-batch cap, number of shards and the gradients' wire dtype.
 */
export function configHash(
  run: { readonly preset: { readonly name: string }; readonly hyper: ShardHyper },
  layout: { readonly microBatch: number; readonly shards: number; readonly wireDtype?: string },
): string {
  const { steps: _steps, ...hyper } = run.hyper;
  // float32 (the default) is left out, so runs hash as they did before the option existed.
  const { wireDtype, ...rest } = layout;
  const wire = wireDtype === undefined || wireDtype === 'float32' ? {} : { wireDtype };
  // Optimizer fields at their defaults are left out, so a plain-SGD run hashes as it did
  // before those fields existed and its checkpoints still resume.
  const atDefault = (k: string) => k in OPTIMIZER_DEFAULTS && OPTIMIZER_DEFAULTS[k as keyof typeof OPTIMIZER_DEFAULTS] === hyper[k as keyof typeof hyper];
  const keys = (Object.keys(hyper) as (keyof typeof hyper)[]).filter((k) => hyper[k] !== undefined && !atDefault(k)).sort();
  const canonical = JSON.stringify({ preset: run.preset.name, hyper: keys.map((k) => [k, hyper[k]]), ...rest, ...wire });
  return createHash('sha256').update(canonical).digest('hex');
}
