import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { partialHyperSchema } from './hyper_table';
import type { Hyper } from './presets';

/**
 * The run configuration file (LNSGD_RUN_CONFIG, e.g. a ConfigMap mounted at
 * /etc/lnsgd/run/run.json): the preset and the hyper-parameters that differ from it.
 * Every process of a run reads the same file, so they cannot disagree.
 */
export interface RunFile {
  readonly preset?: string;
  readonly hyper: Partial<Hyper>;
}

// The preset and every hyper-parameter of the table, each optional; nothing else.
const runFileSchema = z
  .object({ preset: z.string().min(1).optional() })
  .extend(partialHyperSchema().shape)
  .strict();

/** Keys a run file may hold (the preset and the Hyper fields). */
export const RUN_FILE_KEYS: readonly string[] = Object.keys(runFileSchema.shape);

/**
 * Parses the text of a run configuration file (JSON).
 *
 * @param text the file's contents.
 * @param origin where it came from, for messages (e.g. '$LNSGD_RUN_CONFIG = /etc/lnsgd/run/run.json').
 * @throws Error naming the origin and every bad or unknown field.
 * @example parseRunFile('{"preset":"uv-toy","lr":0.1}', 'run.json').hyper.lr // 0.1
 */
export function parseRunFile(text: string, origin: string): RunFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err: unknown) {
    throw new Error(`${origin}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = runFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `${origin}: invalid run configuration:\n  - ${parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('\n  - ')}`,
    );
  }
  const { preset, ...hyper } = parsed.data;
  return { preset: preset, hyper: hyper };
}

/**
 * Reads the run configuration file named by LNSGD_RUN_CONFIG, if set.
 *
 * @param env e.g. process.env.
 * @returns the file's preset and hyper-parameters, or an empty run file when the variable is unset or empty.
 * @throws Error naming the variable and path when the file is unreadable or invalid.
 */
export function runFileFromEnv(env: NodeJS.ProcessEnv): RunFile {
  const path = env['LNSGD_RUN_CONFIG'];
  if (path === undefined || path === '') return { hyper: {} };
  const origin = `$LNSGD_RUN_CONFIG = ${path}`;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err: unknown) {
    throw new Error(`${origin}: cannot read the run configuration file (${err instanceof Error ? err.message : String(err)})`);
  }
  return parseRunFile(text, origin);
}

/** A non-negative decimal integer, strictly (no sign, no exponent, no blanks). */
function index(name: string, value: string): number {
  if (!/^(0|[1-9][0-9]{0,8})$/.test(value)) throw new Error(`$${name} = '${value}': must be a non-negative integer index`);
  return Number(value);
}

/**
 * A worker's rank from the environment: LNSGD_RANK if set, else JOB_COMPLETION_INDEX
 * (set by Kubernetes in each pod of an Indexed Job).
 *
 * @param env e.g. process.env.
 * @returns the rank and the variable it came from, or undefined when neither is set.
 * @throws Error naming the variable when its value is not a non-negative integer.
 * @example workerRankFromEnv({ JOB_COMPLETION_INDEX: '3' }) // { rank: 3, from: 'JOB_COMPLETION_INDEX' }
 */
export function workerRankFromEnv(env: NodeJS.ProcessEnv): { readonly rank: number; readonly from: string } | undefined {
  for (const name of ['LNSGD_RANK', 'JOB_COMPLETION_INDEX']) {
    const v = env[name];
    if (v !== undefined && v !== '') return { rank: index(name, v), from: name };
  }
  return undefined;
}

/**
 * The ordinal of a StatefulSet pod from its name (`<statefulset>-<ordinal>`).
 *
 * @param podName e.g. 'lnsgd-ps-2'.
 * @throws Error when the name does not end in `-<ordinal>`.
 * @example statefulSetOrdinal('lnsgd-ps-2') // 2
 */
export function statefulSetOrdinal(podName: string): number {
  const m = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?-(0|[1-9][0-9]{0,8})$/.exec(podName);
  if (m === null) throw new Error(`$LNSGD_POD_NAME = '${podName}': not a StatefulSet pod name '<statefulset>-<ordinal>'`);
  return Number(m[2]);
}

/**
 * A parameter-server shard index from the environment: LNSGD_SHARD if set, else the
 * StatefulSet ordinal of LNSGD_POD_NAME (the downward API's metadata.name).
 *
 * @param env e.g. process.env.
 * @returns the shard and the variable it came from, or undefined when neither is set.
 * @throws Error naming the variable when its value is malformed.
 * @example shardFromEnv({ LNSGD_POD_NAME: 'lnsgd-ps-1' }) // { shard: 1, from: 'LNSGD_POD_NAME' }
 */
export function shardFromEnv(env: NodeJS.ProcessEnv): { readonly shard: number; readonly from: string } | undefined {
  const explicit = env['LNSGD_SHARD'];
  if (explicit !== undefined && explicit !== '') return { shard: index('LNSGD_SHARD', explicit), from: 'LNSGD_SHARD' };
  const pod = env['LNSGD_POD_NAME'];
  if (pod !== undefined && pod !== '') return { shard: statefulSetOrdinal(pod), from: 'LNSGD_POD_NAME' };
  return undefined;
}
