import { hostname } from 'node:os';
import { Command } from 'commander';
import { z } from 'zod';
import { backendRequestFromEnv, parseBackendRequest } from '@lnsgd/backend';
import { workerRankFromEnv, type WorkerLoopConfig } from '@lnsgd/trainer';
import { parseAppFlags } from '@lnsgd/trainer/hyper-options';

/** Everything a worker needs before it registers, validated: the trainer's worker-loop config and this process's own. */
export interface WorkerConfig extends WorkerLoopConfig {
  /** Exit when stdin closes (the launching process died). */
  readonly exitWithParent: boolean;
  /** Run id, the `run` label of this worker's metrics. */
  readonly runId: string;
  /** Interface and port of /metrics, /healthz and /readyz (port 0: a free one, reported on stdout). */
  readonly metricsHost: string;
  readonly metricsPort: number;
  /** The metrics service's estimation-round host: this worker computes its share of the Hessian-vector products. */
  readonly hvpEndpoint?: string;
  /** Evaluation samples and chunks of the rounds (the metrics service's --samples and --hvp-chunks). */
  readonly hvpSamples: number;
  readonly hvpChunks: number;
}

/** Flags as commander gives them: strings for the schema to coerce, booleans for switches. */
interface Flags {
  readonly ps?: string;
  readonly rank?: string;
  readonly workerId?: string;
  readonly backend?: string;
  readonly events?: boolean;
  readonly progressEvery?: string;
  readonly sharpness?: boolean;
  readonly timeoutMs?: string;
  readonly registerTimeoutMs?: string;
  readonly reconnectTimeoutMs?: string;
  readonly retries?: string;
  readonly checksum?: boolean;
  readonly exitWithParent?: boolean;
  readonly saveParams?: string;
  readonly run?: string;
  readonly metricsHost?: string;
  readonly metricsPort?: string;
  readonly hvpEndpoint?: string;
  readonly hvpSamples?: string;
  readonly hvpChunks?: string;
}

/** The worker's command line (flags win over the environment variables named in each description). */
export function workerCommand(): Command {
  return new Command('worker')
    .description("lnsgd worker: computes label-noise gradients for its rank's share of each step.")
    .option('--ps <ep0,ep1,…>', 'parameter-server shard endpoints, in shard order (env LNSGD_PS_ENDPOINTS; required)')
    .option('--rank <r>', 'rank wanted (env LNSGD_RANK; default: JOB_COMPLETION_INDEX, else assigned)')
    .option('--worker-id <id>', 'worker id (env LNSGD_WORKER_ID; default host:pid)')
    .option('--backend <name>', 'auto | tensorflow-gpu | tensorflow | wasm | cpu (env LNSGD_BACKEND)')
    .option('--events', 'the worker with share 0 (rank 0 unless lost) prints start/progress/summary JSON lines')
    .option('--progress-every <n>', 'steps between progress events')
    .option('--no-sharpness', 'no sharpness estimate at the final parameters')
    .option('--timeout-ms <ms>', 'per push/pull (env LNSGD_TIMEOUT_MS; default 120000)')
    .option('--register-timeout-ms <ms>', 'waiting for the other workers (default 600000)')
    .option('--retries <n>', 'resends of a timed-out push (default 3)')
    .option(
      '--reconnect-timeout-ms <ms>',
      'keep registering again this long after a parameter server restarts or drops this worker (env LNSGD_RECONNECT_TIMEOUT_MS; default 600000)',
    )
    .option('--save-params <file>', 'the reporting worker (share 0) writes the final parameters')
    .option('--no-checksum', 'no CRC-32 on parameter frames')
    .option('--exit-with-parent', 'exit when stdin closes (env LNSGD_EXIT_WITH_PARENT=1)')
    .option('--run <id>', 'run id, the `run` label of the metrics (env LNSGD_RUN; default local)')
    .option('--metrics-host <addr>', 'interface for /metrics /healthz /readyz (env LNSGD_METRICS_HOST; default 127.0.0.1)')
    .option('--metrics-port <n>', 'port for them, 0 for a free one (env LNSGD_METRICS_PORT; default 0)')
    .option('--hvp-endpoint <endpoint>', "the metrics service's estimation-round host, to compute Hessian-vector products for it (env LNSGD_HVP_ENDPOINT)")
    .option('--hvp-samples <n>', "evaluation samples of the rounds, the metrics service's --samples (default 1024)")
    .option('--hvp-chunks <n>', "chunks of the evaluation batch, the metrics service's --hvp-chunks (default 8)")
    .addHelpText(
      'after',
      '\nEnvironment only: LNSGD_AUTH_TOKEN (run token, when the server has one); CURVE: LNSGD_CURVE_PUBLIC_KEY, LNSGD_CURVE_SECRET_KEY, LNSGD_CURVE_SERVER_KEY.',
    );
}

const schema = z.object({
  ps: z
    .array(z.string().regex(/^(tcp|ipc|inproc):\/\/\S+$/, 'each must be a ZeroMQ endpoint such as tcp://127.0.0.1:7000'))
    .min(1, 'at least one parameter-server endpoint is required (--ps or LNSGD_PS_ENDPOINTS)'),
  rank: z.coerce.number().int().min(-1),
  workerId: z.string().min(1).max(200),
  authToken: z.string(),
  events: z.boolean(),
  progressEvery: z.coerce.number().int().min(1).optional(),
  sharpness: z.boolean(),
  timeoutMs: z.coerce.number().int().min(10),
  registerTimeoutMs: z.coerce.number().int().min(10),
  reconnectTimeoutMs: z.coerce.number().int().min(10),
  retries: z.coerce.number().int().min(0).max(100),
  checksum: z.boolean(),
  exitWithParent: z.boolean(),
  saveParams: z.string().min(1).optional(),
  runId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, 'must be 1–128 of A–Z a–z 0–9 _ . : - starting with a letter or digit'),
  metricsHost: z.string().min(1),
  metricsPort: z.coerce.number().int().min(0).max(65535),
  hvpEndpoint: z
    .string()
    .regex(/^(tcp|ipc|inproc):\/\/\S+$/, 'must be a ZeroMQ endpoint such as tcp://127.0.0.1:7100')
    .optional(),
  hvpSamples: z.coerce.number().int().min(1),
  hvpChunks: z.coerce.number().int().min(1).max(4096),
});

/**
 * Reads the worker's configuration from flags and the environment (flags win).
 *
 * @param argv arguments after the script name.
 * @param env e.g. process.env.
 * @throws Error 'worker: invalid configuration' listing every problem (or the help text for --help).
 */
export function parseWorkerConfig(argv: readonly string[], env: NodeJS.ProcessEnv): WorkerConfig {
  const values = parseAppFlags<Flags>(workerCommand(), argv, 'worker');
  const psList = values.ps ?? env['LNSGD_PS_ENDPOINTS'] ?? '';
  const parsed = schema.safeParse({
    ps: psList
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    rank: values.rank ?? envRank(env) ?? -1,
    workerId: values.workerId ?? env['LNSGD_WORKER_ID'] ?? `${hostname()}:${process.pid}`,
    authToken: env['LNSGD_AUTH_TOKEN'] ?? '',
    events: values.events === true,
    progressEvery: values.progressEvery,
    sharpness: values.sharpness !== false,
    timeoutMs: values.timeoutMs ?? env['LNSGD_TIMEOUT_MS'] ?? 120_000,
    registerTimeoutMs: values.registerTimeoutMs ?? 600_000,
    reconnectTimeoutMs: values.reconnectTimeoutMs ?? env['LNSGD_RECONNECT_TIMEOUT_MS'] ?? 600_000,
    retries: values.retries ?? 3,
    checksum: values.checksum !== false,
    exitWithParent: values.exitWithParent === true || env['LNSGD_EXIT_WITH_PARENT'] === '1',
    saveParams: values.saveParams,
    runId: values.run ?? env['LNSGD_RUN'] ?? 'local',
    metricsHost: values.metricsHost ?? env['LNSGD_METRICS_HOST'] ?? '127.0.0.1',
    metricsPort: values.metricsPort ?? env['LNSGD_METRICS_PORT'] ?? 0,
    hvpEndpoint: values.hvpEndpoint ?? (env['LNSGD_HVP_ENDPOINT'] || undefined),
    hvpSamples: values.hvpSamples ?? 1024,
    hvpChunks: values.hvpChunks ?? 8,
  });
  if (!parsed.success) {
    throw new Error(`worker: invalid configuration:\n  - ${parsed.error.issues.map((i) => `${i.path.join('.') || 'ps'}: ${i.message}`).join('\n  - ')}`);
  }
  const backend = values.backend !== undefined ? parseBackendRequest(values.backend) : backendRequestFromEnv(env);
  return { ...parsed.data, backend };
}

/** LNSGD_RANK, else the Indexed Job's JOB_COMPLETION_INDEX; a malformed one fails like any bad field. */
function envRank(env: NodeJS.ProcessEnv): number | undefined {
  try {
    return workerRankFromEnv(env)?.rank;
  } catch (err: unknown) {
    throw new Error(`worker: invalid configuration:\n  - ${err instanceof Error ? err.message : String(err)}`);
  }
}
