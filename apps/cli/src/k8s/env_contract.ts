import { PARAM_TABLE, type ParamKey } from '@lnsgd/trainer/hyper-table';
import { DEFAULT_PART_BYTES } from '@lnsgd/ps';
import { CLUSTER_MALLOC_ENV } from '@lnsgd/trainer/node-flags';

/** The processes a Kubernetes run is made of. */
export type AppName = 'parameter-server' | 'worker' | 'metrics';

/** One environment variable an app reads. */
export interface EnvVar {
  readonly name: string;
  readonly apps: readonly AppName[];
  /** The source file that reads it (relative to the repository root); a test checks it does. */
  readonly readIn: string;
  readonly meaning: string;
}

const PS: readonly AppName[] = ['parameter-server'];
const W: readonly AppName[] = ['worker'];
const M: readonly AppName[] = ['metrics'];
const ALL: readonly AppName[] = ['parameter-server', 'worker', 'metrics'];
const PS_CFG = 'apps/parameter-server/src/config.ts';
const W_CFG = 'apps/worker/src/config.ts';
const M_CFG = 'apps/metrics/src/config.ts';
const DEPLOY = 'libs/trainer/src/deploy_env.ts';
const CURVE = 'libs/transport/src/curve.ts';
const TABLE = 'libs/trainer/src/hyper_table.ts';

/** The table rows that have an environment variable. */
type EnvKey = { [K in ParamKey]: (typeof PARAM_TABLE)[K] extends { readonly env: string } ? K : never }[ParamKey];

/** Which apps read each table variable (the type makes a new variable in the table fail to compile until it is listed here). */
const TABLE_ENV_APPS: Readonly<Record<EnvKey, readonly AppName[]>> = {
  preset: ['parameter-server', 'metrics'],
  microBatch: PS,
  wireDtype: PS,
};

/** The contract's rows of the parameter table's variables: name and meaning from the table. */
function tableEnv(): EnvVar[] {
  return (Object.keys(TABLE_ENV_APPS) as EnvKey[]).map((k) => ({
    name: PARAM_TABLE[k].env,
    apps: TABLE_ENV_APPS[k],
    readIn: TABLE,
    meaning: PARAM_TABLE[k].doc,
  }));
}

/**
 * Every environment variable the three apps read: the one table the manifests, the
 * generated table in docs/kubernetes.md and the multi-host test are checked against. Flags win over variables.
 */
export const ENV_CONTRACT: readonly EnvVar[] = [
  { name: 'LNSGD_RUN', apps: ALL, readIn: PS_CFG, meaning: 'run id, the `run` label of every metric (default local)' },
  {
    name: 'LNSGD_RUN_CONFIG',
    apps: ['parameter-server', 'metrics'],
    readIn: DEPLOY,
    meaning: 'path of the run file (JSON: preset and hyper-parameters), e.g. the mounted ConfigMap /etc/lnsgd/run/run.json',
  },
  ...tableEnv(),
  { name: 'LNSGD_WORKERS', apps: PS, readIn: PS_CFG, meaning: 'workers N a step waits for' },
  { name: 'LNSGD_SHARDS', apps: PS, readIn: PS_CFG, meaning: 'parameter-server shards S' },
  { name: 'LNSGD_SHARD', apps: PS, readIn: DEPLOY, meaning: 'this shard s in [0, S); default: the StatefulSet ordinal of LNSGD_POD_NAME' },
  { name: 'LNSGD_POD_NAME', apps: PS, readIn: DEPLOY, meaning: 'pod name `<statefulset>-<ordinal>` (downward API metadata.name); its ordinal is the shard' },
  { name: 'LNSGD_BIND', apps: PS, readIn: PS_CFG, meaning: 'ZeroMQ endpoint to bind, e.g. tcp://0.0.0.0:7000 (default tcp://127.0.0.1:0)' },
  { name: 'LNSGD_CHECKPOINT_DIR', apps: PS, readIn: PS_CFG, meaning: 'checkpoint directory' },
  { name: 'LNSGD_CHECKPOINT_EVERY', apps: PS, readIn: PS_CFG, meaning: 'checkpoint every k steps (0: at the end)' },
  {
    name: 'LNSGD_CHECKPOINT_KEEP',
    apps: PS,
    readIn: PS_CFG,
    meaning: 'checkpoints kept per shard, newest first (default 3): a damaged newest one is passed over on resume',
  },
  {
    name: 'LNSGD_PART_BYTES',
    apps: PS,
    readIn: PS_CFG,
    meaning: `pushes and replies travel, are checked, stepped and answered in parts of this many bytes (0: whole; default ${DEFAULT_PART_BYTES})`,
  },
  { name: 'LNSGD_RESUME', apps: PS, readIn: PS_CFG, meaning: 'checkpoint directory to continue from (its newest intact checkpoint)' },
  {
    name: 'LNSGD_RESUME_STEP',
    apps: PS,
    readIn: PS_CFG,
    meaning: 'resume only from a checkpoint at or before this step (the launcher: the newest step every shard has intact)',
  },
  {
    name: 'LNSGD_RESUME_IF_PRESENT',
    apps: PS,
    readIn: PS_CFG,
    meaning: "1: continue from this shard's checkpoint in LNSGD_CHECKPOINT_DIR when there is one (a restarted pod), else start fresh",
  },
  {
    name: 'LNSGD_STAY_AFTER_RUN',
    apps: PS,
    readIn: PS_CFG,
    meaning:
      '1: once the run is over, keep serving the final parameters (snapshots, /metrics) until SIGTERM instead of exiting, which a StatefulSet would answer with a restart',
  },
  { name: 'LNSGD_MAX_MESSAGE_BYTES', apps: PS, readIn: PS_CFG, meaning: 'largest accepted message' },
  {
    name: 'LNSGD_HEARTBEAT_TIMEOUT_MS',
    apps: ['parameter-server', 'metrics'],
    readIn: PS_CFG,
    meaning:
      'a worker silent this long (or 3 typical steps, or rounds, if longer) is reported lost (default 120000); the metrics pod needs the same value for its estimation rounds',
  },
  {
    name: 'LNSGD_ON_WORKER_LOSS',
    apps: PS,
    readIn: PS_CFG,
    meaning: 'shard 0 on a lost worker: rebalance (keep B over the survivors; default), wait (for a replacement) or fail',
  },
  {
    name: 'LNSGD_STARTUP_GRACE_MS',
    apps: ['parameter-server', 'metrics'],
    readIn: PS_CFG,
    meaning: 'a worker that has not pushed since it registered is lost only after this long (default 120000)',
  },
  { name: 'LNSGD_AUTH_TOKEN', apps: ['parameter-server', 'worker'], readIn: PS_CFG, meaning: 'run token workers present at registration' },
  {
    name: 'LNSGD_EXIT_WITH_PARENT',
    apps: ['parameter-server', 'worker'],
    readIn: PS_CFG,
    meaning: '1: exit when stdin closes (the local launcher); unset on Kubernetes',
  },
  {
    name: 'LNSGD_PS_ENDPOINTS',
    apps: ['worker', 'metrics'],
    readIn: W_CFG,
    meaning: 'shard endpoints in shard order, comma-separated, e.g. tcp://lnsgd-ps-0.lnsgd-ps:7000',
  },
  { name: 'LNSGD_RANK', apps: W, readIn: DEPLOY, meaning: 'rank wanted; default JOB_COMPLETION_INDEX, else the PS assigns one' },
  { name: 'JOB_COMPLETION_INDEX', apps: W, readIn: DEPLOY, meaning: "set by Kubernetes in an Indexed Job's pods: the worker's rank" },
  { name: 'LNSGD_WORKER_ID', apps: W, readIn: W_CFG, meaning: 'worker id in logs (default host:pid; the manifests give the pod name)' },
  { name: 'LNSGD_TIMEOUT_MS', apps: W, readIn: W_CFG, meaning: 'per push/pull timeout (default 120000)' },
  {
    name: 'LNSGD_RECONNECT_TIMEOUT_MS',
    apps: W,
    readIn: W_CFG,
    meaning: 'keep registering again this long after a parameter server restarts or drops the worker (default 600000)',
  },
  {
    name: 'LNSGD_BACKEND',
    apps: ['worker', 'metrics'],
    readIn: 'libs/backend/src/backend_request.ts',
    meaning: 'auto, tensorflow-gpu, tensorflow, wasm or cpu',
  },
  { name: 'LNSGD_METRICS_HOST', apps: ALL, readIn: PS_CFG, meaning: 'interface of /metrics /healthz /readyz (default 127.0.0.1; 0.0.0.0 in a pod)' },
  { name: 'LNSGD_METRICS_PORT', apps: ALL, readIn: PS_CFG, meaning: 'their port (default 0: a free one; 9100 in a pod)' },
  { name: 'LNSGD_METRICS_PARAMS', apps: M, readIn: M_CFG, meaning: 'parameter file or directory to poll instead of LNSGD_PS_ENDPOINTS' },
  { name: 'LNSGD_METRICS_EVERY_STEPS', apps: M, readIn: M_CFG, meaning: 'estimate every k steps' },
  {
    name: 'LNSGD_METRICS_EVERY_SECONDS',
    apps: M,
    readIn: M_CFG,
    meaning: "estimate every t seconds (when neither is set: every steps/10 steps of the run file's run, else every 10 s)",
  },
  { name: 'LNSGD_METRICS_NICE', apps: M, readIn: M_CFG, meaning: 'CPU nice value of the estimator (default 10)' },
  {
    name: 'LNSGD_METRICS_SHARPNESS',
    apps: M,
    readIn: M_CFG,
    meaning:
      'local: Hessian-vector products on the metrics pod; distributed: by estimation rounds on the workers (default distributed when HVP_BIND and HVP_WORKERS are set, else local; the gpu overlay sets distributed)',
  },
  { name: 'LNSGD_METRICS_HVP_BIND', apps: M, readIn: M_CFG, meaning: 'endpoint the estimation-round host binds (distributed)' },
  { name: 'LNSGD_METRICS_HVP_WORKERS', apps: M, readIn: M_CFG, meaning: 'workers the round host waits for (distributed)' },
  {
    name: 'LNSGD_METRICS_SHARPNESS_BUDGET',
    apps: M,
    readIn: M_CFG,
    meaning: 'most fraction of wall time the workers spend in estimation rounds (distributed; default 0.05; 1: back to back)',
  },
  { name: 'LNSGD_HVP_ENDPOINT', apps: W, readIn: W_CFG, meaning: "the metrics service's estimation-round host; the worker answers its rounds" },
  { name: 'LNSGD_CURVE_PUBLIC_KEY', apps: ALL, readIn: CURVE, meaning: 'own CURVE public key, Z85 or a file (the mounted Secret)' },
  { name: 'LNSGD_CURVE_SECRET_KEY', apps: ALL, readIn: CURVE, meaning: 'own CURVE secret key, Z85 or a file' },
  { name: 'LNSGD_CURVE_SERVER_KEY', apps: ['worker', 'metrics'], readIn: CURVE, meaning: "the parameter servers' public key, Z85 or a file" },
  { name: 'LNSGD_CURVE_ALLOWED_CLIENTS', apps: PS, readIn: CURVE, meaning: 'client public keys admitted, comma-separated or a file (one per line)' },
  // Read by glibc when the process starts, not by our code: the file that names them is where their values are set.
  ...Object.entries(CLUSTER_MALLOC_ENV).map(([name, value]) => ({
    name,
    apps: ALL,
    readIn: 'libs/trainer/src/node_flags.ts',
    meaning: `glibc malloc setting, read at start-up (${value}; CLUSTER_MALLOC_ENV): keeps the memory ZeroMQ frames arrive in`,
  })),
];

/**
 * The variables one app reads.
 *
 * @example envOf('worker').includes('JOB_COMPLETION_INDEX') // true
 */
export function envOf(app: AppName): readonly string[] {
  return ENV_CONTRACT.filter((v) => v.apps.includes(app)).map((v) => v.name);
}

/** The contract as a Markdown table (docs/kubernetes.md's generated block). */
export function envContractMarkdown(): string {
  const rows = ENV_CONTRACT.map((v) => `| \`${v.name}\` | ${v.apps.map((a) => (a === 'parameter-server' ? 'PS' : a)).join(', ')} | ${v.meaning} |`);
  return ['| Variable | Read by | Meaning |', '|---|---|---|', ...rows].join('\n');
}
