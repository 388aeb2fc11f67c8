import { z } from 'zod';
import { getPreset, type Hyper, type Preset } from './presets';

/** Validated hyper-parameters: every field present and in range. */
const hyperSchema = z.object({
  steps: z.number().int().min(1).max(1e9),
  lr: z.number().positive().finite(),
  batch: z.number().int().min(1).max(1 << 24),
  sigma: z.number().min(0).finite(),
  noise: z.enum(['rademacher', 'gaussian']),
  flipProb: z.number().min(0).max(1),
  momentum: z.number().min(0).lt(1),
  weightDecay: z.number().min(0).finite(),
  warmupSteps: z.number().int().min(0),
  seed: z.number().int().min(0).max(0xffffffff),
});

/** The CLI flag of each hyper-parameter, for messages people act on. */
const FLAG: Readonly<Record<string, string>> = {
  steps: '--steps',
  lr: '--lr',
  batch: '--batch',
  sigma: '--sigma',
  noise: '--noise',
  flipProb: '--flip-prob',
  momentum: '--momentum',
  weightDecay: '--weight-decay',
  warmupSteps: '--warmup-steps',
  seed: '--seed',
};

/** A fully resolved in-process run: the preset plus validated hyper-parameters. */
export interface RunConfig {
  readonly preset: Preset;
  readonly hyper: Hyper;
}

/** Thrown for a configuration that cannot run; `issues` lists every problem found. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly issues: readonly string[]) {
    super(`invalid run configuration:\n  - ${issues.join('\n  - ')}`);
  }
}

/**
 * Merges CLI overrides onto a preset's defaults and validates the result.
 *
 * @param presetName e.g. 'uv-toy'.
 * @param overrides hyper-parameters given explicitly (undefined fields keep the preset's).
 * @throws ConfigError naming each bad field by its CLI flag, its value and the allowed range.
 * @example resolveRunConfig('uv-toy', { sigma: 0 }).hyper.sigma // 0
 */
export function resolveRunConfig(presetName: string, overrides: Partial<Hyper> = {}): RunConfig {
  const preset = getPreset(presetName);
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const merged: unknown = { ...preset.defaults, ...defined };
  const parsed = hyperSchema.safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const key = i.path.join('.');
        const value = (merged as Record<string, unknown>)[key];
        return `${FLAG[key] ?? key} = ${JSON.stringify(value)}: ${i.message}`;
      }),
    );
  }
  const hyper = parsed.data;
  const task = presetTask(preset);
  if (task === 'classification' && hyper.sigma > 0) {
    throw new ConfigError([`--sigma = ${hyper.sigma}: preset '${preset.name}' is a classification task; its label noise is --flip-prob`]);
  }
  if (task === 'regression' && hyper.flipProb > 0) {
    throw new ConfigError([`--flip-prob = ${hyper.flipProb}: preset '${preset.name}' is a regression task; its label noise is --sigma`]);
  }
  return { preset, hyper };
}

/** Whether a preset's labels are real values (σ noise) or classes (flip noise). */
export function presetTask(preset: Preset): 'regression' | 'classification' {
  switch (preset.data.kind) {
    case 'uv-toy':
    case 'quadratic-sparse':
    case 'linreg-diag':
      return 'regression';
    case 'teacher-classification':
    case 'fashion-mnist':
    case 'cifar10':
      return 'classification';
  }
}
