import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { backendRequestFromEnv, parseBackendRequest } from '@lnsgd/backend';
import { workerRankFromEnv, type WorkerLoopConfig } from '@lnsgd/trainer';

/** Everything a worker needs before it registers, validated: the trainer's worker-loop config and this process's own. */
export interface WorkerConfig extends WorkerLoopConfig {
  /** Exit when stdin closes (the launching process died). */
  readonly exitWithParent: boolean;
  /** Run id, the `run` label of this worker's metrics. */
  readonly runId: string;
  /** Interface and port of /metrics, /healthz and /readyz (port 0: a free one, reported on stdout). */
  readonly metricsHost: string;
  readonly metricsPort: number;
}

const HELP = `lnsgd worker: computes label-noise gradients for its rank's share of each step.

Flags (environment variable in brackets; flags win):
  --ps <ep0,ep1,…> [LNSGD_PS_ENDPOINTS]   parameter-server shard endpoints, in shard order (required)
  --rank <r> [LNSGD_RANK]                  rank wanted (default: JOB_COMPLETION_INDEX, else assigned)
  --worker-id <id> [LNSGD_WORKER_ID]       default host:pid
  --backend <name> [LNSGD_BACKEND]         auto | tensorflow-gpu | tensorflow | wasm | cpu
  [LNSGD_AUTH_TOKEN]                       run token, when the server has one
  --events                                 the worker with share 0 (rank 0 unless lost) prints
                                           start/progress/summary JSON lines
  --progress-every <n>  --no-sharpness
  --timeout-ms <ms> [LNSGD_TIMEOUT_MS]     per push/pull (default 120000)
  --register-timeout-ms <ms>               waiting for the other workers (default 600000)
  --retries <n>                            resends of a timed-out push (default 3)
  --reconnect-timeout-ms <ms> [LNSGD_RECONNECT_TIMEOUT_MS]
                                           keep registering again this long after a parameter
                                           server restarts or drops this worker (default 600000)
  --save-params <file>                     the reporting worker (share 0) writes the final parameters
  --no-checksum  --exit-with-parent [LNSGD_EXIT_WITH_PARENT=1]
  --run <id> [LNSGD_RUN]                   run id, the \`run\` label of the metrics (default local)
  --metrics-host <addr> [LNSGD_METRICS_HOST] interface for /metrics /healthz /readyz (default 127.0.0.1)
  --metrics-port <n> [LNSGD_METRICS_PORT]  port for them, 0 for a free one (default 0)
  CURVE: LNSGD_CURVE_PUBLIC_KEY, LNSGD_CURVE_SECRET_KEY, LNSGD_CURVE_SERVER_KEY`;

const schema = z.object({
  ps: z.array(z.string().regex(/^(tcp|ipc|inproc):\/\/\S+$/, 'each must be a ZeroMQ endpoint such as tcp://127.0.0.1:7000')).min(1, 'at least one parameter-server endpoint is required (--ps or LNSGD_PS_ENDPOINTS)'),
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
});

/**
 * Reads the worker's configuration from flags and the environment (flags win).
 *
 * @param argv arguments after the script name.
 * @param env e.g. process.env.
 * @throws Error 'worker: invalid configuration' listing every problem (or the help text for --help).
 */
export function parseWorkerConfig(argv: readonly string[], env: NodeJS.ProcessEnv): WorkerConfig {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      help: { type: 'boolean' },
      ps: { type: 'string' },
      rank: { type: 'string' },
      'worker-id': { type: 'string' },
      backend: { type: 'string' },
      events: { type: 'boolean' },
      'progress-every': { type: 'string' },
      'no-sharpness': { type: 'boolean' },
      'timeout-ms': { type: 'string' },
      'register-timeout-ms': { type: 'string' },
      'reconnect-timeout-ms': { type: 'string' },
      retries: { type: 'string' },
      'no-checksum': { type: 'boolean' },
      'exit-with-parent': { type: 'boolean' },
      'save-params': { type: 'string' },
      run: { type: 'string' },
      'metrics-host': { type: 'string' },
      'metrics-port': { type: 'string' },
    },
  });
  if (values.help === true) throw new Error(HELP);
  const psList = values.ps ?? env['LNSGD_PS_ENDPOINTS'] ?? '';
  const parsed = schema.safeParse({
    ps: psList.split(',').map((s) => s.trim()).filter((s) => s !== ''),
    rank: values.rank ?? envRank(env) ?? -1,
    workerId: values['worker-id'] ?? env['LNSGD_WORKER_ID'] ?? `${hostname()}:${process.pid}`,
    authToken: env['LNSGD_AUTH_TOKEN'] ?? '',
    events: values.events === true,
    progressEvery: values['progress-every'],
    sharpness: values['no-sharpness'] !== true,
    timeoutMs: values['timeout-ms'] ?? env['LNSGD_TIMEOUT_MS'] ?? 120_000,
    registerTimeoutMs: values['register-timeout-ms'] ?? 600_000,
    reconnectTimeoutMs: values['reconnect-timeout-ms'] ?? env['LNSGD_RECONNECT_TIMEOUT_MS'] ?? 600_000,
    retries: values.retries ?? 3,
    checksum: values['no-checksum'] !== true,
    exitWithParent: values['exit-with-parent'] === true || env['LNSGD_EXIT_WITH_PARENT'] === '1',
    saveParams: values['save-params'],
    runId: values.run ?? env['LNSGD_RUN'] ?? 'local',
    metricsHost: values['metrics-host'] ?? env['LNSGD_METRICS_HOST'] ?? '127.0.0.1',
    metricsPort: values['metrics-port'] ?? env['LNSGD_METRICS_PORT'] ?? 0,
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
