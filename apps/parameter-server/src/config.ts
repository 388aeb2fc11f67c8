import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_CHECKPOINT_KEEP, type ShardServerConfig } from '@lnsgd/ps';
// tfjs-free entry points: the package index loads TensorFlow.js (the PS builds its model in a thread: @lnsgd/ps/initial-params).
import { runFileFromEnv, shardFromEnv, type RunFile } from '@lnsgd/trainer/deploy-env';
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

const HELP = `lnsgd parameter server: one shard of the flat parameter vector.

Flags (environment variable in brackets; flags win):
  --preset <name> [LNSGD_PRESET]            training preset (default uv-toy)
  --steps --lr --batch --sigma --noise --flip-prob --momentum
  --weight-decay --warmup-steps --seed       hyper-parameter overrides
  [LNSGD_RUN_CONFIG]                         run file (JSON: preset and hyper-parameters; flags win)
  --micro-batch <m> [LNSGD_MICRO_BATCH]      workers' micro-batch cap (0 = whole share)
  --workers <N> [LNSGD_WORKERS]              workers per step (default 1)
  --shard <s> [LNSGD_SHARD] --shards <S> [LNSGD_SHARDS]
  [LNSGD_POD_NAME]                           without a shard: the StatefulSet ordinal of this pod name
  --bind <endpoint> [LNSGD_BIND]             default tcp://127.0.0.1:0
  --checkpoint-dir <dir> [LNSGD_CHECKPOINT_DIR] --checkpoint-every <k> [LNSGD_CHECKPOINT_EVERY]
  --checkpoint-keep <k> [LNSGD_CHECKPOINT_KEEP] checkpoints kept per shard, newest first (default 3)
  --resume <dir> [LNSGD_RESUME]              continue from the newest intact checkpoint in <dir>
  --resume-step <v> [LNSGD_RESUME_STEP]      only from a checkpoint at or before step v
  --resume-if-present [LNSGD_RESUME_IF_PRESENT=1]
                                             continue from --checkpoint-dir when this shard's
                                             checkpoint is there, else start fresh
  --stay-after-run [LNSGD_STAY_AFTER_RUN=1]  once the run is over, keep serving the final
                                             parameters (snapshots, pulls, /metrics) until
                                             SIGTERM instead of exiting; /readyz turns 503
  --max-message-bytes <n> [LNSGD_MAX_MESSAGE_BYTES]
  --no-checksum                              no CRC-32 on parameter frames
  [LNSGD_AUTH_TOKEN]                         run token workers must present
  --heartbeat-timeout-ms <ms> [LNSGD_HEARTBEAT_TIMEOUT_MS]
  --on-worker-loss <p> [LNSGD_ON_WORKER_LOSS] rebalance (keep B over the survivors; default) | wait | fail
  --startup-grace-ms <ms> [LNSGD_STARTUP_GRACE_MS] a worker that has not pushed yet is lost only
                                             after this long (default 120000)
  --exit-with-parent [LNSGD_EXIT_WITH_PARENT=1]
  --run <id> [LNSGD_RUN]                     run id, the \`run\` label of the metrics (default local)
  --metrics-host <addr> [LNSGD_METRICS_HOST] interface for /metrics /healthz /readyz (default 127.0.0.1)
  --metrics-port <n> [LNSGD_METRICS_PORT]    port for them, 0 for a free one (default 0)
  CURVE: LNSGD_CURVE_PUBLIC_KEY, LNSGD_CURVE_SECRET_KEY (key or key file);
         LNSGD_CURVE_ALLOWED_CLIENTS (client public keys, comma-separated or a file, one per line)`;

const intFrom = (min: number) => z.coerce.number().int().min(min);

const schema = z.object({
  preset: z.string().min(1),
  microBatch: intFrom(0),
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

/**
 * Reads the server's configuration from flags and the environment (flags win) and
 * validates it; fails fast with every problem listed.
 *
 * @param argv arguments after the script name.
 * @param env e.g. process.env.
 * @throws Error 'parameter-server: invalid configuration' with one line per problem (or the help text for --help).
 */
export function parseServerConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ServerConfig {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      help: { type: 'boolean' },
      preset: { type: 'string' },
      steps: { type: 'string' },
      lr: { type: 'string' },
      batch: { type: 'string' },
      sigma: { type: 'string' },
      noise: { type: 'string' },
      'flip-prob': { type: 'string' },
      momentum: { type: 'string' },
      'weight-decay': { type: 'string' },
      'warmup-steps': { type: 'string' },
      seed: { type: 'string' },
      'micro-batch': { type: 'string' },
      workers: { type: 'string' },
      shard: { type: 'string' },
      shards: { type: 'string' },
      bind: { type: 'string' },
      'checkpoint-dir': { type: 'string' },
      'checkpoint-every': { type: 'string' },
      'checkpoint-keep': { type: 'string' },
      resume: { type: 'string' },
      'resume-step': { type: 'string' },
      'resume-if-present': { type: 'boolean' },
      'stay-after-run': { type: 'boolean' },
      'max-message-bytes': { type: 'string' },
      'no-checksum': { type: 'boolean' },
      'heartbeat-timeout-ms': { type: 'string' },
      'on-worker-loss': { type: 'string' },
      'startup-grace-ms': { type: 'string' },
      'noise-ema-decay': { type: 'string' },
      'exit-with-parent': { type: 'boolean' },
      run: { type: 'string' },
      'metrics-host': { type: 'string' },
      'metrics-port': { type: 'string' },
    },
  });
  if (values.help === true) throw new Error(HELP);
  let runFile: RunFile;
  let envShard: number | undefined;
  try {
    runFile = runFileFromEnv(env);
    envShard = shardFromEnv(env)?.shard;
  } catch (err: unknown) {
    throw new Error(`parameter-server: invalid configuration:\n  - ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = schema.safeParse({
    preset: values.preset ?? env['LNSGD_PRESET'] ?? runFile.preset ?? 'uv-toy',
    microBatch: values['micro-batch'] ?? env['LNSGD_MICRO_BATCH'] ?? 0,
    workers: values.workers ?? env['LNSGD_WORKERS'] ?? 1,
    shard: values.shard ?? envShard ?? 0,
    shards: values.shards ?? env['LNSGD_SHARDS'] ?? 1,
    bind: values.bind ?? env['LNSGD_BIND'] ?? 'tcp://127.0.0.1:0',
    checkpointDir: values['checkpoint-dir'] ?? env['LNSGD_CHECKPOINT_DIR'],
    checkpointEvery: values['checkpoint-every'] ?? env['LNSGD_CHECKPOINT_EVERY'] ?? 0,
    checkpointKeep: values['checkpoint-keep'] ?? env['LNSGD_CHECKPOINT_KEEP'] ?? DEFAULT_CHECKPOINT_KEEP,
    resume: values.resume ?? env['LNSGD_RESUME'],
    resumeStep: values['resume-step'] ?? env['LNSGD_RESUME_STEP'],
    resumeIfPresent: values['resume-if-present'] === true || envFlag(env, 'LNSGD_RESUME_IF_PRESENT'),
    stayAfterRun: values['stay-after-run'] === true || envFlag(env, 'LNSGD_STAY_AFTER_RUN'),
    maxMessageBytes: values['max-message-bytes'] ?? env['LNSGD_MAX_MESSAGE_BYTES'] ?? 1 << 30,
    checksum: values['no-checksum'] !== true,
    authToken: env['LNSGD_AUTH_TOKEN'] ?? '',
    heartbeatTimeoutMs: values['heartbeat-timeout-ms'] ?? env['LNSGD_HEARTBEAT_TIMEOUT_MS'] ?? 120_000,
    onWorkerLoss: values['on-worker-loss'] ?? env['LNSGD_ON_WORKER_LOSS'] ?? 'rebalance',
    startupGraceMs: values['startup-grace-ms'] ?? env['LNSGD_STARTUP_GRACE_MS'] ?? 120_000,
    noiseEmaDecay: values['noise-ema-decay'] ?? 0.95,
    exitWithParent: values['exit-with-parent'] === true || env['LNSGD_EXIT_WITH_PARENT'] === '1',
    runId: values.run ?? env['LNSGD_RUN'] ?? 'local',
    metricsHost: values['metrics-host'] ?? env['LNSGD_METRICS_HOST'] ?? '127.0.0.1',
    metricsPort: values['metrics-port'] ?? env['LNSGD_METRICS_PORT'] ?? 0,
  });
  if (!parsed.success) {
    throw new Error(`parameter-server: invalid configuration:\n  - ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  - ')}`);
  }
  const c = parsed.data;
  if (c.shard >= c.shards) throw new Error(`parameter-server: invalid configuration:\n  - shard: ${c.shard} must be < shards = ${c.shards}`);
  if (c.resumeIfPresent && c.checkpointDir === undefined) {
    throw new Error('parameter-server: invalid configuration:\n  - resumeIfPresent: needs --checkpoint-dir (LNSGD_CHECKPOINT_DIR), where the checkpoint would be');
  }
  if (c.resumeIfPresent && c.resume !== undefined) {
    throw new Error('parameter-server: invalid configuration:\n  - resume: give either --resume <dir> or --resume-if-present, not both');
  }
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x)) throw new Error(`parameter-server: invalid configuration:\n  - ${name}: '${v}' is not a number`);
    return x;
  };
  const noise = values.noise;
  if (noise !== undefined && noise !== 'rademacher' && noise !== 'gaussian') {
    throw new Error(`parameter-server: invalid configuration:\n  - noise: '${noise}' must be rademacher or gaussian`);
  }
  const overrides: Partial<Hyper> = {
    steps: num('steps', values.steps),
    lr: num('lr', values.lr),
    batch: num('batch', values.batch),
    sigma: num('sigma', values.sigma),
    noise,
    flipProb: num('flip-prob', values['flip-prob']),
    momentum: num('momentum', values.momentum),
    weightDecay: num('weight-decay', values['weight-decay']),
    warmupSteps: num('warmup-steps', values['warmup-steps']),
    seed: num('seed', values.seed),
  };
  // The run file (LNSGD_RUN_CONFIG) gives the run's hyper-parameters; flags override them.
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const run = resolveRunConfig(c.preset, { ...runFile.hyper, ...given });
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
