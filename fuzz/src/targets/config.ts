import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveMetricsConfig } from '@lnsgd/metrics';
import { parseServerConfig } from '@lnsgd/parameter-server';
import { parseRunFile } from '@lnsgd/trainer';
import { parseWorkerConfig } from '@lnsgd/worker';
import { Bytes } from '../engine/bytes';
import { check, scratchDir, type FuzzTarget } from '../engine/target';

/** The variables the apps read (as deploy/k8s and the CLI set them); the run file's path is set by the target. */
const VARS = [
  'LNSGD_AUTH_TOKEN',
  'LNSGD_BACKEND',
  'LNSGD_BIND',
  'LNSGD_CHECKPOINT_EVERY',
  'LNSGD_EXIT_WITH_PARENT',
  'LNSGD_HEARTBEAT_TIMEOUT_MS',
  'LNSGD_MAX_MESSAGE_BYTES',
  'LNSGD_METRICS_EVERY_SECONDS',
  'LNSGD_METRICS_EVERY_STEPS',
  'LNSGD_METRICS_HOST',
  'LNSGD_METRICS_NICE',
  'LNSGD_METRICS_PORT',
  'LNSGD_MICRO_BATCH',
  'LNSGD_ON_WORKER_LOSS',
  'LNSGD_POD_NAME',
  'LNSGD_PRESET',
  'LNSGD_PS_ENDPOINTS',
  'LNSGD_RANK',
  'LNSGD_RECONNECT_TIMEOUT_MS',
  'LNSGD_RUN',
  'LNSGD_SHARD',
  'LNSGD_SHARDS',
  'LNSGD_STARTUP_GRACE_MS',
  'LNSGD_STAY_AFTER_RUN',
  'LNSGD_TIMEOUT_MS',
  'LNSGD_WORKERS',
  'LNSGD_WORKER_ID',
] as const;
/** Values that look like what the variables hold, and some that do not. */
const VALUES = [
  '0',
  '1',
  '2',
  '-1',
  '1e3',
  '0x10',
  ' 3',
  '3.5',
  'NaN',
  'Infinity',
  '99999999999',
  '',
  'true',
  'rebalance',
  'uv-toy',
  'tcp://127.0.0.1:5555',
  'ps-1',
  'a,b',
  '\u0000',
];
const RUN_KEYS = ['preset', 'lr', 'batch', 'steps', 'sigma', 'noise', 'flipProb', 'momentum', 'weightDecay', 'warmupSteps', 'seed', 'microBatch', 'bogus'];
const RUN_VALUES = [0, 1, -1, 0.1, 1e308, 'uv-toy', 'x', null, true, [], {}, 'NaN'];

let scratch: string | undefined;

/** A run file's text: JSON of expected keys with odd values, or bytes. */
function runFileText(b: Bytes): string {
  if (b.below(4) === 0) return b.text(64);
  const o: Record<string, unknown> = {};
  for (let k = b.below(6); k > 0; k--) o[b.pick(RUN_KEYS)] = b.below(4) === 0 ? b.text(8) : b.pick(RUN_VALUES);
  return JSON.stringify(o);
}

/** Every number in a parsed configuration, with its path. */
function numbers(v: unknown, path: string, out: [string, number][]): [string, number][] {
  if (typeof v === 'number') out.push([path, v]);
  else if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) for (const [k, x] of Object.entries(v)) numbers(x, `${path}.${k}`, out);
  return out;
}

/**
 * The environment and run-file parsing of the three apps (parameter server, worker,
 * metrics service) and the run file alone. Checked: each either returns a
 * configuration whose every number is finite, or throws an Error with a message
 * (never a TypeError or RangeError from inside the parser).
 */
export const configEnv: FuzzTarget = {
  name: 'config-env',
  about: 'parseServerConfig / parseWorkerConfig / resolveMetricsConfig / parseRunFile from env and run file',
  maxLen: 256,
  fuzz(data) {
    const b = new Bytes(data);
    const env: NodeJS.ProcessEnv = {};
    for (let k = b.below(10); k > 0; k--) env[b.pick(VARS)] = b.below(4) === 0 ? b.text(12) : b.pick(VALUES);
    const text = runFileText(b);
    if (b.bool()) {
      scratch ??= scratchDir();
      const file = join(scratch, 'run.json');
      writeFileSync(file, text);
      env['LNSGD_RUN_CONFIG'] = file;
    }
    const parsers: [string, () => unknown][] = [
      ['parseRunFile', () => parseRunFile(text, 'run.json')],
      ['parseServerConfig', () => parseServerConfig([], env)],
      ['parseWorkerConfig', () => parseWorkerConfig([], env)],
      ['resolveMetricsConfig', () => resolveMetricsConfig({ flags: {}, env })],
    ];
    for (const [name, parse] of parsers) {
      let config: unknown;
      try {
        config = parse();
      } catch (err: unknown) {
        check(
          err instanceof Error && !(err instanceof TypeError) && !(err instanceof RangeError) && err.message.length > 0,
          `${name} threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
        );
        continue;
      }
      for (const [path, x] of numbers(config, name, [])) check(Number.isFinite(x), `${path} = ${x} from env ${JSON.stringify(env)} and run file ${text}`);
    }
  },
};
