import { z } from 'zod';
import { MAX_TOP_K } from '@lnsgd/telemetry';
import { defaultSharpnessEvery, getPreset, PARAM_TABLE, partialHyperSchema, runFileFromEnv, type RunFile } from '@lnsgd/trainer';

/**
 * Configuration of the metrics service, from flags and environment variables
 * (a flag wins over its variable). Every field is validated once, at start-up.
 */
export const metricsConfigSchema = z
  .object({
    /** Parameter file or directory of them to poll. */
    params: z.string().min(1).optional(),
    /** Parameter-server shard endpoints, in shard order, to ask for snapshots (instead of files). */
    ps: z
      .array(z.string().regex(/^(tcp|ipc|inproc):\/\/\S+$/, 'each must be a ZeroMQ endpoint such as tcp://127.0.0.1:7000'))
      .min(1)
      .optional(),
    /** Preset of the run (model, data, default hyper-parameters). */
    preset: z.string().min(1),
    /** Run id, the `run` label: letters, digits and `_.:-`, like a Kubernetes name. */
    run: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'must be 1–128 of A–Z a–z 0–9 _ . : - starting with a letter or digit'),
    host: z.string().min(1),
    port: z.number().int().min(0).max(65535),
    everySteps: z.number().int().min(1).optional(),
    everySeconds: z.number().positive().finite().optional(),
    pollSeconds: z.number().positive().max(3600),
    /** Last step of the run: its snapshot marks the source finished. */
    finalStep: z.number().int().min(0).optional(),
    exitWhenDone: z.boolean(),
    lanczosSteps: z.number().int().min(1).max(1000),
    probes: z.number().int().min(1).max(1000),
    slqSteps: z.number().int().min(1).max(1000),
    samples: z.number().int().min(1),
    topK: z.number().int().min(1).max(MAX_TOP_K),
    testSamples: z.number().int().min(1),
    /** Nice value for the estimator (0 normal … 19 lowest priority). */
    nice: z.number().int().min(-20).max(19),
    backend: z.string().min(1),
    /** Where the Hessian-vector products run: on the estimator thread, or by estimation rounds on the workers. */
    sharpness: z.enum(['local', 'distributed']),
    /** Endpoint the round host binds (distributed). */
    hvpBind: z
      .string()
      .regex(/^(tcp|ipc|inproc):\/\/\S+$/, 'must be a ZeroMQ endpoint such as tcp://0.0.0.0:7100')
      .optional(),
    /** Workers that connect to the round host before the first estimate (distributed). */
    hvpWorkers: z.number().int().min(1).optional(),
    /** Chunks of the evaluation batch: the most workers a round splits over (the workers must use the same). */
    hvpChunks: z.number().int().min(1).max(4096),
    /**
     * The run's heartbeat timeout (the parameter server's): a worker silent this long in a
     * round, or 3 typical rounds if longer, is lost and its chunks go to the others.
     */
    heartbeatTimeoutMs: z.number().int().min(1).max(86_400_000),
    /** The run's start-up grace: the loss limit (and the wait for --hvp-workers) before the first round closed. */
    startupGraceMs: z.number().int().min(0).max(86_400_000),
    /** Most fraction of wall time the workers spend answering rounds: after a round of d s the next waits d·(1−f)/f. */
    sharpnessBudget: z.number().positive().max(1),
    // The run's hyper-parameters the estimator uses, where they differ from the preset's.
    ...partialHyperSchema(['lr', 'momentum', 'sigma', 'batch', 'seed']).shape,
  })
  .refine((c) => c.everySteps !== undefined || c.everySeconds !== undefined, { message: 'give --every-steps, --every-seconds or both' })
  .refine((c) => c.sharpness === 'local' || (c.hvpBind !== undefined && c.hvpWorkers !== undefined && c.hvpWorkers <= c.hvpChunks), {
    message: '--sharpness distributed needs --hvp-bind and --hvp-workers (at most --hvp-chunks)',
    path: ['sharpness'],
  })
  .refine((c) => (c.params === undefined) !== (c.ps === undefined), {
    message: 'give exactly one source: --params <path> or --ps <endpoint,…>',
    path: ['params'],
  });

export type MetricsConfig = z.infer<typeof metricsConfigSchema>;

/** Environment variable of each field that has one. */
export const METRICS_ENV: Readonly<Partial<Record<keyof MetricsConfig, string>>> = {
  params: 'LNSGD_METRICS_PARAMS',
  ps: 'LNSGD_PS_ENDPOINTS',
  preset: PARAM_TABLE.preset.env,
  run: 'LNSGD_RUN',
  host: 'LNSGD_METRICS_HOST',
  port: 'LNSGD_METRICS_PORT',
  everySteps: 'LNSGD_METRICS_EVERY_STEPS',
  everySeconds: 'LNSGD_METRICS_EVERY_SECONDS',
  nice: 'LNSGD_METRICS_NICE',
  backend: 'LNSGD_BACKEND',
  sharpness: 'LNSGD_METRICS_SHARPNESS',
  hvpBind: 'LNSGD_METRICS_HVP_BIND',
  hvpWorkers: 'LNSGD_METRICS_HVP_WORKERS',
  sharpnessBudget: 'LNSGD_METRICS_SHARPNESS_BUDGET',
  heartbeatTimeoutMs: 'LNSGD_HEARTBEAT_TIMEOUT_MS',
  startupGraceMs: 'LNSGD_STARTUP_GRACE_MS',
};

/** Default round budget: the workers answer rounds at most 5% of the time (see docs/benchmarks.md, metrics-overhead). */
export const DEFAULT_SHARPNESS_BUDGET = 0.05;

const DEFAULTS = {
  run: 'local',
  host: '127.0.0.1',
  port: 0,
  pollSeconds: 0.5,
  exitWhenDone: false,
  lanczosSteps: 20,
  probes: 10,
  slqSteps: 15,
  samples: 1024,
  topK: 5,
  testSamples: 2048,
  nice: 10,
  backend: 'auto',
  hvpChunks: 8,
  // The parameter server's defaults, which the run's processes share.
  heartbeatTimeoutMs: 120_000,
  startupGraceMs: 120_000,
  sharpnessBudget: DEFAULT_SHARPNESS_BUDGET,
} as const;

/**
 * Splits a comma-separated endpoint list (`--ps`, LNSGD_PS_ENDPOINTS), dropping blanks.
 *
 * @example splitEndpoints('tcp://a:1, tcp://b:2') // ['tcp://a:1', 'tcp://b:2']
 */
export function splitEndpoints(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A configuration that cannot run; the message lists every bad field. */
export class MetricsConfigError extends Error {
  override readonly name = 'MetricsConfigError';
  constructor(readonly issues: readonly string[]) {
    super(`invalid metrics service configuration:\n  - ${issues.join('\n  - ')}`);
  }
}

/**
 * Merges defaults, environment and flags (in that order of precedence, lowest first)
 * and validates the result; without --every-steps or --every-seconds it estimates
 * about ten times over the run when its last step is known (--final-step, the run
 * file, or with --ps the preset's steps), otherwise every 10 s.
 *
 * @param args the parsed flags (undefined: not given) and the environment.
 * @throws MetricsConfigError naming each bad field, where it came from and its value.
 */
export function resolveMetricsConfig(args: { readonly flags: Readonly<Record<string, unknown>>; readonly env: NodeJS.ProcessEnv }): MetricsConfig {
  const fromEnv: Record<string, unknown> = {};
  const origin: Record<string, string> = {};
  // The run file (LNSGD_RUN_CONFIG) ranks below the other variables and the flags.
  const fromFile = runFileFields(args.env);
  for (const key of Object.keys(fromFile)) origin[key] = '$LNSGD_RUN_CONFIG';
  for (const [key, name] of Object.entries(METRICS_ENV)) {
    const raw = args.env[name];
    if (raw === undefined || raw === '') continue;
    const numeric = ['port', 'everySteps', 'everySeconds', 'nice', 'hvpWorkers', 'sharpnessBudget', 'heartbeatTimeoutMs', 'startupGraceMs'].includes(key);
    fromEnv[key] = numeric ? Number(raw) : key === 'ps' ? splitEndpoints(raw) : raw;
    origin[key] = `$${name}`;
  }
  const flags = Object.fromEntries(Object.entries(args.flags).filter(([, v]) => v !== undefined));
  for (const key of Object.keys(flags)) origin[key] = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  const merged: Record<string, unknown> = { ...DEFAULTS, ...fromFile, ...fromEnv, ...flags };
  if (merged['everySteps'] === undefined && merged['everySeconds'] === undefined) {
    // About ten estimates over the run when its length is known (a short run never
    // reaches a wall-clock period); every 10 s otherwise.
    const finalStep = typeof merged['finalStep'] === 'number' ? merged['finalStep'] : merged['ps'] !== undefined ? presetSteps(merged['preset']) : undefined;
    if (finalStep !== undefined && Number.isInteger(finalStep) && finalStep > 0) merged['everySteps'] = defaultSharpnessEvery(finalStep);
    else merged['everySeconds'] = 10;
  }
  // Distributed when there are workers to answer rounds (--hvp-bind and --hvp-workers);
  // local for a service on its own.
  merged['sharpness'] ??= merged['hvpBind'] !== undefined && merged['hvpWorkers'] !== undefined ? 'distributed' : 'local';
  const parsed = metricsConfigSchema.safeParse(merged);
  if (!parsed.success) {
    throw new MetricsConfigError(
      parsed.error.issues.map((i) => {
        const key = String(i.path[0] ?? '');
        if (key === '') return i.message;
        return `${origin[key] ?? key} = ${JSON.stringify(merged[key])}: ${i.message}`;
      }),
    );
  }
  return parsed.data;
}

/** The preset's default step count, or undefined for an unknown preset (reported by the schema). */
function presetSteps(preset: unknown): number | undefined {
  try {
    return typeof preset === 'string' ? getPreset(preset).defaults.steps : undefined;
  } catch {
    return undefined;
  }
}

/** The fields of the run file the service uses (its steps are the final step), undefined ones dropped. */
function runFileFields(env: NodeJS.ProcessEnv): Record<string, unknown> {
  let file: RunFile;
  try {
    file = runFileFromEnv(env);
  } catch (err: unknown) {
    throw new MetricsConfigError([err instanceof Error ? err.message : String(err)]);
  }
  const h = file.hyper;
  const fields = { preset: file.preset, lr: h.lr, momentum: h.momentum, sigma: h.sigma, batch: h.batch, seed: h.seed, finalStep: h.steps };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
