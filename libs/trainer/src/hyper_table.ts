import { OPTIMIZER_DEFAULTS, OPTIMIZER_NAMES, SCHEDULE_NAMES } from '@lnsgd/optim';
import { WIRE_DTYPES, type WireDtype } from '@lnsgd/tensor-codec';
import { z } from 'zod';

/**
 * The one table of run parameters. Everything else is derived from it: the `Hyper` type,
 * the zod schemas (run config, run file, metrics service), the commander options of every
 * command and app, the environment variables, the proto RunSpec mapping both ways, the
 * env contract rows and docs/hyperparameters.md. A test fails when a surface is out of step.
 */

/** A value's type and range. Numbers are finite; bounds are inclusive unless `gt`/`lt`. */
export type ValueType =
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'number'; readonly gt?: number; readonly gte?: number; readonly lt?: number; readonly lte?: number }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'preset' };

/** One row: a parameter of a run, with every name it goes by. */
export interface ParamRow {
  /** `hyper`: in the preset's defaults and the run file; `run`: the preset itself and the cluster layout. */
  readonly scope: 'hyper' | 'run';
  readonly type: ValueType;
  /** Long CLI flag and its value name: `--flip-prob <p>`. */
  readonly flag: `--${string}`;
  readonly arg: string;
  /** Environment variable, for the parameters the apps read from one (the others travel in the run file). */
  readonly env?: `LNSGD_${string}`;
  /** Field of the proto RunSpec (proto/trainer.proto), snake_case as written there. */
  readonly proto: string;
  /** Default for every preset that does not set its own; none: each preset must. */
  readonly default?: number | string;
  /** One line for help texts and the docs table. */
  readonly doc: string;
}

/** The table. Order is the order of help texts and docs. */
export const PARAM_TABLE = {
  preset: {
    scope: 'run',
    type: { kind: 'preset' },
    flag: '--preset',
    arg: 'name',
    env: 'LNSGD_PRESET',
    proto: 'preset',
    default: 'uv-toy',
    doc: 'training preset: model, data and default hyper-parameters (see `lnsgd presets`)',
  },
  steps: { scope: 'hyper', type: { kind: 'int', min: 1, max: 1e9 }, flag: '--steps', arg: 'n', proto: 'steps', doc: 'number of optimizer steps' },
  lr: { scope: 'hyper', type: { kind: 'number', gt: 0 }, flag: '--lr', arg: 'eta', proto: 'lr', doc: 'learning rate η' },
  batch: {
    scope: 'hyper',
    type: { kind: 'int', min: 1, max: 1 << 24 },
    flag: '--batch',
    arg: 'B',
    proto: 'batch',
    doc: 'global batch size B (of the run, not per worker)',
  },
  sigma: { scope: 'hyper', type: { kind: 'number', gte: 0 }, flag: '--sigma', arg: 's', proto: 'sigma', doc: 'regression label-noise scale σ (0 = plain SGD)' },
  noise: {
    scope: 'hyper',
    type: { kind: 'enum', values: ['rademacher', 'gaussian'] },
    flag: '--noise',
    arg: 'kind',
    proto: 'noise',
    default: 'rademacher',
    doc: 'regression noise distribution',
  },
  flipProb: {
    scope: 'hyper',
    type: { kind: 'number', gte: 0, lte: 1 },
    flag: '--flip-prob',
    arg: 'p',
    proto: 'flip_prob',
    default: 0,
    doc: 'classification label-flip probability p (0 = plain SGD)',
  },
  momentum: {
    scope: 'hyper',
    type: { kind: 'number', gte: 0, lt: 1 },
    flag: '--momentum',
    arg: 'beta',
    proto: 'momentum',
    default: 0,
    doc: 'heavy-ball momentum β',
  },
  weightDecay: {
    scope: 'hyper',
    type: { kind: 'number', gte: 0 },
    flag: '--weight-decay',
    arg: 'wd',
    proto: 'weight_decay',
    default: 0,
    doc: 'L2 weight decay',
  },
  warmupSteps: {
    scope: 'hyper',
    type: { kind: 'int', min: 0, max: 1e9 },
    flag: '--warmup-steps',
    arg: 'n',
    proto: 'warmup_steps',
    default: 0,
    doc: 'linear learning-rate warm-up steps',
  },
  optimizer: {
    scope: 'hyper',
    type: { kind: 'enum', values: OPTIMIZER_NAMES },
    flag: '--optimizer',
    arg: 'name',
    proto: 'optimizer',
    default: OPTIMIZER_DEFAULTS.optimizer,
    doc: 'optimizer: sgd (heavy ball, weight decay) or lars (layer-wise trust ratio; the PS needs --shards 1)',
  },
  schedule: {
    scope: 'hyper',
    type: { kind: 'enum', values: SCHEDULE_NAMES },
    flag: '--schedule',
    arg: 'name',
    proto: 'schedule',
    default: OPTIMIZER_DEFAULTS.schedule,
    doc: 'learning-rate schedule η_k (warm-up multiplies it): constant, or cosine decay from --lr to 0 over the run',
  },
  clipNorm: {
    scope: 'hyper',
    type: { kind: 'number', gte: 0 },
    flag: '--clip-norm',
    arg: 'c',
    proto: 'clip_norm',
    default: OPTIMIZER_DEFAULTS.clipNorm,
    doc: 'clip the combined gradient to global ℓ2 norm c first (0 = off; the PS needs --shards 1)',
  },
  trustCoefficient: {
    scope: 'hyper',
    type: { kind: 'number', gt: 0 },
    flag: '--trust-coefficient',
    arg: 'tau',
    proto: 'trust_coefficient',
    default: OPTIMIZER_DEFAULTS.trustCoefficient,
    doc: 'LARS trust coefficient τ (with --optimizer lars)',
  },
  seed: {
    scope: 'hyper',
    type: { kind: 'int', min: 0, max: 0xffffffff },
    flag: '--seed',
    arg: 'n',
    proto: 'seed',
    default: 0,
    doc: 'run seed (data order, label noise, init)',
  },
  microBatch: {
    scope: 'run',
    type: { kind: 'int', min: 0, max: 1 << 24 },
    flag: '--micro-batch',
    arg: 'm',
    env: 'LNSGD_MICRO_BATCH',
    proto: 'micro_batch',
    default: 0,
    doc: 'largest micro-batch a worker differentiates at once (0: its whole share)',
  },
  wireDtype: {
    scope: 'run',
    type: { kind: 'enum', values: WIRE_DTYPES },
    flag: '--wire-dtype',
    arg: 'dtype',
    env: 'LNSGD_WIRE_DTYPE',
    proto: 'wire_dtype',
    default: 'float32',
    doc: 'element type of gradient pushes (parameters stay float32; the PS combines in float64): float32, or bfloat16 / float16 rounded to nearest even at half the bytes',
  },
} as const satisfies Readonly<Record<string, ParamRow>>;

type Table = typeof PARAM_TABLE;
export type ParamKey = keyof Table;
type ValueOf<T extends ValueType> = T extends { readonly kind: 'enum'; readonly values: readonly (infer V)[] }
  ? V
  : T extends { readonly kind: 'preset' }
    ? string
    : number;
export type HyperKey = { [K in ParamKey]: Table[K]['scope'] extends 'hyper' ? K : never }[ParamKey];

/** Hyper-parameters a run may override: the table's `hyper` rows. */
export type Hyper = { readonly [K in HyperKey]: ValueOf<Table[K]['type']> };

/** The rows in table order, with their keys. */
export const PARAM_ROWS: readonly (ParamRow & { readonly key: ParamKey })[] = Object.entries(PARAM_TABLE).map(([key, row]) => ({
  key: key as ParamKey,
  ...(row as ParamRow),
}));

/** The keys of `Hyper`, in table order. */
export const HYPER_KEYS: readonly HyperKey[] = PARAM_ROWS.filter((r) => r.scope === 'hyper').map((r) => r.key as HyperKey);

type DefaultedKey = { [K in HyperKey]: Table[K] extends { readonly default: unknown } ? K : never }[HyperKey];

/** What a preset must give: every hyper-parameter without a table default; the others optionally. */
export type PresetHyper = Omit<Hyper, DefaultedKey> & Partial<Pick<Hyper, DefaultedKey>>;

/**
 * A preset's full defaults: the table's defaults overridden by the preset's own.
 *
 * @example presetDefaults({ steps: 100, lr: 1, batch: 8, sigma: 0 }).momentum // 0
 */
export function presetDefaults(own: PresetHyper): Hyper {
  const defaults = Object.fromEntries(PARAM_ROWS.filter((r) => r.scope === 'hyper' && r.default !== undefined).map((r) => [r.key, r.default]));
  return { ...defaults, ...own } as Hyper;
}

/** The zod schema of one row's value. */
export function paramSchema(type: ValueType): z.ZodType {
  switch (type.kind) {
    case 'int':
      return z.number().int().min(type.min).max(type.max);
    case 'number': {
      let s = z.number().finite();
      if (type.gt !== undefined) s = s.gt(type.gt);
      if (type.gte !== undefined) s = s.min(type.gte);
      if (type.lt !== undefined) s = s.lt(type.lt);
      if (type.lte !== undefined) s = s.max(type.lte);
      return s;
    }
    case 'enum':
      return z.enum(type.values as [string, ...string[]]);
    case 'preset':
      return z.string().min(1);
  }
}

/** Validated hyper-parameters: every field present and in range. */
export const hyperSchema = z.object(Object.fromEntries(HYPER_KEYS.map((k) => [k, paramSchema(PARAM_TABLE[k].type)]))) as unknown as z.ZodType<Hyper>;

/**
 * A strict schema of some hyper-parameters, each optional (run file, metrics service).
 *
 * @param keys the fields allowed; the default is every hyper-parameter.
 */
export function partialHyperSchema<K extends HyperKey = HyperKey>(
  keys: readonly K[] = HYPER_KEYS as readonly K[],
): z.ZodObject<{ [P in K]: z.ZodOptional<z.ZodType<Hyper[P]>> }> {
  return z.object(Object.fromEntries(keys.map((k) => [k, paramSchema(PARAM_TABLE[k].type).optional()]))) as unknown as z.ZodObject<{
    [P in K]: z.ZodOptional<z.ZodType<Hyper[P]>>;
  }>;
}

/** The range of a value type, in words (help texts, docs). */
export function rangeText(type: ValueType): string {
  switch (type.kind) {
    case 'int':
      return `integer in [${type.min}, ${type.max}]`;
    case 'number': {
      const lo = type.gt !== undefined ? `(${type.gt}` : type.gte !== undefined ? `[${type.gte}` : '(-∞';
      const hi = type.lt !== undefined ? `${type.lt})` : type.lte !== undefined ? `${type.lte}]` : '∞)';
      return `number in ${lo}, ${hi}`;
    }
    case 'enum':
      return `one of ${type.values.join(', ')}`;
    case 'preset':
      return 'a preset name';
  }
}

/** The CLI flag of a hyper-parameter key, for messages people act on (`flipProb` → `--flip-prob`). */
export function flagOf(key: string): string {
  return (PARAM_TABLE as Readonly<Record<string, ParamRow>>)[key]?.flag ?? key;
}

/** protobufjs's camelCase of a proto field name (`flip_prob` → `flipProb`). */
function camel(protoField: string): string {
  return protoField.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A RunSpec as protobufjs reads and writes it (camelCase fields), as far as the table goes. */
export type RunSpecFields = Readonly<Record<string, string | number | null | undefined>>;

/**
 * The RunSpec fields of a run: preset, every hyper-parameter, the micro-batch cap and the
 * gradients' wire dtype.
 *
 * @example runSpecFields({ preset: { name: 'uv-toy' }, hyper }, 0).flipProb // hyper.flipProb
 */
export function runSpecFields(
  run: { readonly preset: { readonly name: string }; readonly hyper: Hyper },
  microBatch: number,
  wireDtype: WireDtype = 'float32',
): Record<string, string | number> {
  const values: Record<ParamKey, string | number> = { ...run.hyper, preset: run.preset.name, microBatch, wireDtype };
  return Object.fromEntries(PARAM_ROWS.map((r) => [camel(r.proto), values[r.key]]));
}

/**
 * The preset and hyper-parameters a RunSpec carries (proto3 leaves '' for an unset string;
 * that and a missing field give undefined, so the preset's default applies).
 */
export function hyperFromRunSpec(spec: RunSpecFields): { readonly preset: string; readonly hyper: Partial<Record<HyperKey, string | number>> } {
  const hyper: Partial<Record<HyperKey, string | number>> = {};
  for (const k of HYPER_KEYS) {
    const v = spec[camel(PARAM_TABLE[k].proto)];
    if (v !== undefined && v !== null && v !== '') hyper[k] = v;
  }
  const preset = spec[camel(PARAM_TABLE.preset.proto)];
  return { preset: typeof preset === 'string' ? preset : '', hyper };
}

/** The table as Markdown (docs/hyperparameters.md), with each preset's defaults. */
export function paramTableMarkdown(presets: readonly { readonly name: string; readonly defaults: Hyper }[]): string {
  const code = (s: string): string => `\`${s}\``;
  const rows = PARAM_ROWS.map((r) => {
    // A hyper-parameter's default is each preset's own; a run parameter's is the table's (the preset row's is the preset).
    const defaults = presets.map((p) =>
      r.scope === 'hyper' ? String(p.defaults[r.key as HyperKey]) : r.type.kind === 'preset' ? '' : String(r.default ?? ''),
    );
    return `| ${code(r.key)} | ${rangeText(r.type)} | ${defaults.join(' | ')} | ${code(`${r.flag} <${r.arg}>`)} | ${r.env !== undefined ? code(r.env) : r.scope === 'hyper' ? `run file ${code(r.key)}` : ''} | ${code(r.proto)} | ${r.doc}${r.scope === 'run' && r.default !== undefined ? ` (default ${String(r.default)})` : ''} |`;
  });
  const head = `| Parameter | Type and range | ${presets.map((p) => code(p.name)).join(' | ')} | CLI flag | Environment | RunSpec field | Meaning |`;
  return [head, `|${'---|'.repeat(6 + presets.length)}`, ...rows].join('\n');
}
