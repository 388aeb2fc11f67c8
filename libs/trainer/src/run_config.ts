import { flagOf, hyperSchema } from './hyper_table';
import { getPreset, type Hyper, type Preset } from './presets';

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
        return `${flagOf(key)} = ${JSON.stringify(value)}: ${i.message}`;
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
