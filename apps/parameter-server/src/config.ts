import { Command } from 'commander';
import { z } from 'zod';
import { WIRE_DTYPES } from '@lnsgd/tensor-codec';
import { DEFAULT_CHECKPOINT_KEEP, DEFAULT_PART_BYTES, type ShardServerConfig } from '@lnsgd/ps';
// tfjs-free entry points: the package index loads TensorFlow.js (the PS builds its model in a thread: @lnsgd/ps/initial-params).
import { runFileFromEnv, shardFromEnv, type RunFile } from '@lnsgd/trainer/deploy-env';
import { HYPER_KEYS, PARAM_TABLE } from '@lnsgd/trainer/hyper-table';
import { paramOption, paramOptions, parseAppFlags } from '@lnsgd/trainer/hyper-options';
import type { Hyper } from '@lnsgd/trainer/presets';
import { resolveRunConfig, type RunConfig } from '@lnsgd/trainer/run-config';

/** Everything a parameter-server shard needs, validated: libs/ps's shard config and this process's own. */
export interface ServerConfig extends ShardServerConfig {
  readonly run: RunConfig;
  /** Exit when stdin closes (the launching process died). */
  readonly exitWithParent: boolean;
  /** Run id, the `run` label of this shard's metrics. */
  readonly runId: string;
  /** Interface and port of /metrics, /healthz and /readyz (port 0: a free one, reported on stdout). */
  readonly metricsHost: string;
  readonly metricsPort: number;
}

const intFrom = (min: number) => z.coerce.number().int().min(min);

const schema = z.object({
  preset: z.string().min(1),
  microBatch: intFrom(0),
  wireDtype: z.enum(WIRE_DTYPES),
  workers: intFrom(1).max(4096),
  shard: intFrom(0),
  shards: intFrom(1).max(1024),
  bind: z.string().regex(/^(tcp|ipc|inproc):\/\/\S+$/, 'must be a ZeroMQ endpoint such as tcp://127.0.0.1:0'),
  checkpointDir: z.string().min(1).optional(),
  checkpointEvery: intFrom(0),
  checkpointKeep: intFrom(1),
  resume: z.string().min(1).optional(),
  resumeStep: intFrom(0).optional(),
  resumeIfPresent: z.boolean(),
  stayAfterRun: z.boolean(),
  maxMessageBytes: intFrom(1024),
  partBytes: intFrom(0),
  checksum: z.boolean(),
  authToken: z.string(),
  heartbeatTimeoutMs: intFrom(100),
  onWorkerLoss: z.enum(['wait', 'rebalance', 'fail']),
  startupGraceMs: intFrom(0),
  noiseEmaDecay: z.coerce.number().min(0).lt(1),
  exitWithParent: z.boolean(),
  runId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'must be 1–128 of A–Z a–z 0–9 _ . : - starting with a letter or digit'),
  metricsHost: z.string().min(1),
  metricsPort: intFrom(0).max(65535),
});

/** Flags as commander gives them: table rows parsed (numbers, choices), the rest strings for the schema to coerce. */
type Flags = Readonly<Partial<Record<keyof Hyper, string | number>>> & {
  readonly preset?: string;
  readonly microBatch?: number;
  readonly wireDtype?: string;
  readonly workers?: string;
  readonly shard?: string;
  readonly shards?: string;
  readonly bind?: string;
  readonly checkpointDir?: string;
  readonly checkpointEvery?: string;
  readonly checkpointKeep?: string;
  readonly resume?: string;
  readonly resumeStep?: string;
  readonly resumeIfPresent?: boolean;
  readonly stayAfterRun?: boolean;
  readonly maxMessageBytes?: string;
  readonly partBytes?: string;
  readonly checksum?: boolean;
  readonly heartbeatTimeoutMs?: string;
  readonly onWorkerLoss?: string;
  readonly startupGraceMs?: string;
  readonly noiseEmaDecay?: string;
  readonly exitWithParent?: boolean;
  readonly run?: string;
  readonly metricsHost?: string;
  readonly metricsPort?: string;
};

/** The shard's command line: the parameter table's rows, then this app's own flags. */
export function serverCommand(): Command {
  const envNote = (key: 'preset' | 'microBatch' | 'wireDtype'): string => ` (env ${PARAM_TABLE[key].env})`;
  const cmd = new Command('parameter-server')
    .description('lnsgd parameter server: one shard of the flat parameter vector. Flags win over environment variables.')
    .addOption(
      paramOption('preset', { description: `${PARAM_TABLE.preset.doc}${envNote('preset')}; default the run file's, else ${PARAM_TABLE.preset.default}` }),
    );
  for (const o of paramOptions(HYPER_KEYS)) cmd.addOption(o);
  return cmd
    .addOption(paramOption('microBatch', { description: `${PARAM_TABLE.microBatch.doc}${envNote('microBatch')}` }))
    .addOption(paramOption('wireDtype', { description: `${PARAM_TABLE.wireDtype.doc}${envNote('wireDtype')}` }))
    .option('--workers <N>', 'workers per step (env LNSGD_WORKERS; default 1)')
    .option('--shard <s>', 'this shard (env LNSGD_SHARD; default: the StatefulSet ordinal of LNSGD_POD_NAME, else 0)')
    .option('--shards <S>', 'parameter-server shards (env LNSGD_SHARDS; default 1)')
    .option('--bind <endpoint>', 'ZeroMQ endpoint to bind (env LNSGD_BIND; default tcp://127.0.0.1:0)')
    .option('--checkpoint-dir <dir>', 'checkpoint directory (env LNSGD_CHECKPOINT_DIR)')
    .option('--checkpoint-every <k>', 'checkpoint every k steps, 0: at the end (env LNSGD_CHECKPOINT_EVERY)')
    .option('--checkpoint-keep <k>', `checkpoints kept per shard, newest first (env LNSGD_CHECKPOINT_KEEP; default ${DEFAULT_CHECKPOINT_KEEP})`)
    .option('--resume <dir>', 'continue from the newest intact checkpoint in <dir> (env LNSGD_RESUME)')
    .option('--resume-step <v>', 'only from a checkpoint at or before step v (env LNSGD_RESUME_STEP)')
    .option('--resume-if-present', "continue from --checkpoint-dir when this shard's checkpoint is there, else start fresh (env LNSGD_RESUME_IF_PRESENT=1)")
    .option(
      '--stay-after-run',
      'once the run is over, keep serving the final parameters (snapshots, pulls, /metrics) until SIGTERM instead of exiting; /readyz turns 503 (env LNSGD_STAY_AFTER_RUN=1)',
    )
    .option('--max-message-bytes <n>', 'largest accepted message (env LNSGD_MAX_MESSAGE_BYTES)')
    .option('--part-bytes <n>', `pushes travel, are stepped and answered in parts of n bytes, 0: whole (env LNSGD_PART_BYTES; default ${DEFAULT_PART_BYTES})`)
    .option('--no-checksum', 'no CRC-32 on parameter frames')
    .option('--heartbeat-timeout-ms <ms>', 'a worker silent this long is lost (env LNSGD_HEARTBEAT_TIMEOUT_MS; default 120000)')
    .option('--on-worker-loss <p>', 'rebalance (keep B over the survivors; default) | wait | fail (env LNSGD_ON_WORKER_LOSS)')
    .option('--startup-grace-ms <ms>', 'a worker that has not pushed yet is lost only after this long (env LNSGD_STARTUP_GRACE_MS; default 120000)')
    .option('--noise-ema-decay <d>', 'decay of the gradient-noise EMA (default 0.95)')
    .option('--exit-with-parent', 'exit when stdin closes (env LNSGD_EXIT_WITH_PARENT=1)')
    .option('--run <id>', 'run id, the `run` label of the metrics (env LNSGD_RUN; default local)')
    .option('--metrics-host <addr>', 'interface for /metrics /healthz /readyz (env LNSGD_METRICS_HOST; default 127.0.0.1)')
    .option('--metrics-port <n>', 'port for them, 0 for a free one (env LNSGD_METRICS_PORT; default 0)')
    .addHelpText(
      'after',
      `
Environment only: LNSGD_RUN_CONFIG (run file, JSON: preset and hyper-parameters; flags win),
LNSGD_POD_NAME (without a shard: the StatefulSet ordinal of this pod name), LNSGD_AUTH_TOKEN
(run token workers must present), CURVE: LNSGD_CURVE_PUBLIC_KEY, LNSGD_CURVE_SECRET_KEY (key or
key file); LNSGD_CURVE_ALLOWED_CLIENTS (client public keys, comma-separated or a file, one per line).`,
    );
}

/**
 * Reads the server's configuration from flags and the environment (flags win) and
 * validates it; fails fast with every problem listed.
 *
 * @param argv arguments after the script name.
 * @param env e.g. process.env.
 * @throws Error 'parameter-server: invalid configuration' with one line per problem (or the help text for --help).
 */
export function parseServerConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServerConfig {
  const values = parseAppFlags<Flags>(serverCommand(), argv, 'parameter-server');
  let runFile: RunFile;
  let envShard: number | undefined;
  try {
    runFile = runFileFromEnv(env);
    envShard = shardFromEnv(env)?.shard;
  } catch (err: unknown) {
    throw new Error(`parameter-server: invalid configuration:\n  - ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = schema.safeParse({
    preset: values.preset ?? env[PARAM_TABLE.preset.env] ?? runFile.preset ?? PARAM_TABLE.preset.default,
    microBatch: values.microBatch ?? env[PARAM_TABLE.microBatch.env] ?? PARAM_TABLE.microBatch.default,
    wireDtype: values.wireDtype ?? env[PARAM_TABLE.wireDtype.env] ?? PARAM_TABLE.wireDtype.default,
    workers: values.workers ?? env['LNSGD_WORKERS'] ?? 1,
    shard: values.shard ?? envShard ?? 0,
    shards: values.shards ?? env['LNSGD_SHARDS'] ?? 1,
    bind: values.bind ?? env['LNSGD_BIND'] ?? 'tcp://127.0.0.1:0',
    checkpointDir: values.checkpointDir ?? env['LNSGD_CHECKPOINT_DIR'],
    checkpointEvery: values.checkpointEvery ?? env['LNSGD_CHECKPOINT_EVERY'] ?? 0,
    checkpointKeep: values.checkpointKeep ?? env['LNSGD_CHECKPOINT_KEEP'] ?? DEFAULT_CHECKPOINT_KEEP,
    resume: values.resume ?? env['LNSGD_RESUME'],
    resumeStep: values.resumeStep ?? env['LNSGD_RESUME_STEP'],
    resumeIfPresent: values.resumeIfPresent === true || envFlag(env, 'LNSGD_RESUME_IF_PRESENT'),
    stayAfterRun: values.stayAfterRun === true || envFlag(env, 'LNSGD_STAY_AFTER_RUN'),
    maxMessageBytes: values.maxMessageBytes ?? env['LNSGD_MAX_MESSAGE_BYTES'] ?? 1 << 30,
    partBytes: values.partBytes ?? env['LNSGD_PART_BYTES'] ?? DEFAULT_PART_BYTES,
    checksum: values.checksum !== false,
    authToken: env['LNSGD_AUTH_TOKEN'] ?? '',
    heartbeatTimeoutMs: values.heartbeatTimeoutMs ?? env['LNSGD_HEARTBEAT_TIMEOUT_MS'] ?? 120_000,
    onWorkerLoss: values.onWorkerLoss ?? env['LNSGD_ON_WORKER_LOSS'] ?? 'rebalance',
    startupGraceMs: values.startupGraceMs ?? env['LNSGD_STARTUP_GRACE_MS'] ?? 120_000,
    noiseEmaDecay: values.noiseEmaDecay ?? 0.95,
    exitWithParent: values.exitWithParent === true || env['LNSGD_EXIT_WITH_PARENT'] === '1',
    runId: values.run ?? env['LNSGD_RUN'] ?? 'local',
    metricsHost: values.metricsHost ?? env['LNSGD_METRICS_HOST'] ?? '127.0.0.1',
    metricsPort: values.metricsPort ?? env['LNSGD_METRICS_PORT'] ?? 0,
  });
  if (!parsed.success) {
    throw new Error(`parameter-server: invalid configuration:\n  - ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  - ')}`);
  }
  const c = parsed.data;
  if (c.shard >= c.shards) throw new Error(`parameter-server: invalid configuration:\n  - shard: ${c.shard} must be < shards = ${c.shards}`);
  if (c.resumeIfPresent && c.checkpointDir === undefined) {
    throw new Error(
      'parameter-server: invalid configuration:\n  - resumeIfPresent: needs --checkpoint-dir (LNSGD_CHECKPOINT_DIR), where the checkpoint would be',
    );
  }
  if (c.resumeIfPresent && c.resume !== undefined) {
    throw new Error('parameter-server: invalid configuration:\n  - resume: give either --resume <dir> or --resume-if-present, not both');
  }
  const overrides: Partial<Record<string, unknown>> = Object.fromEntries(HYPER_KEYS.map((k) => [k, values[k]]));
  // The run file (LNSGD_RUN_CONFIG) gives the run's hyper-parameters; flags override them.
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const run = resolveRunConfig(c.preset, { ...runFile.hyper, ...(given as Partial<Hyper>) });
  return { ...c, run };
}

/**
 * A boolean environment variable: 1/true/yes on, 0/false/no/empty or unset off;
 * anything else is an error rather than a silent off.
 */
function envFlag(env: NodeJS.ProcessEnv, name: string): boolean {
  const v = env[name]?.trim().toLowerCase();
  if (v === undefined || v === '' || v === '0' || v === 'false' || v === 'no') return false;
  if (v === '1' || v === 'true' || v === 'yes') return true;
  throw new Error(`parameter-server: invalid configuration:\n  - ${name}: '${env[name] ?? ''}' must be 1/true/yes or 0/false/no`);
}
