import { createRequire } from 'node:module';
import type { FuzzTarget } from '../engine/target';

/** A target by name: which compiled files count as its code (instrumented), and how to load it. */
export interface TargetEntry {
  readonly name: string;
  /** Compiled files whose coverage guides the fuzzer (and is reported). */
  readonly code: RegExp;
  /** Loads the target (after the instrumenting hook is in place). */
  load(): FuzzTarget;
}

const load = createRequire(__filename);

/** Every fuzz target. */
export const TARGETS: readonly TargetEntry[] = [
  {
    name: 'ps-handler',
    // The handler and what it calls: not the socket server, the worker client or the checkpoint code.
    code: /[\\/]libs[\\/](ps[\\/]dist[\\/](shard_core|membership|step_barrier|push_check|parameter_shard)|transport[\\/]dist[\\/](message|tensor_frame|crc32|transport_error)|tensor-codec[\\/]dist[\\/].*|optim[\\/]dist[\\/].*)\.js$/,
    load: () => (load('./ps_handler') as typeof import('./ps_handler')).psHandler,
  },
  {
    name: 'worker-reply',
    code: /[\\/]libs[\\/](ps[\\/]dist[\\/]kv_worker|transport[\\/]dist[\\/](message|tensor_frame|crc32|transport_error|kv_client)|tensor-codec[\\/]dist[\\/].*)\.js$/,
    load: () => (load('./worker_reply') as typeof import('./worker_reply')).workerReply,
  },
  {
    name: 'checkpoint-file',
    code: /[\\/]libs[\\/](ps[\\/]dist[\\/]checkpoint|tensor-codec[\\/]dist[\\/].*)\.js$/,
    load: () => (load('./files') as typeof import('./files')).checkpointFile,
  },
  {
    name: 'params-file',
    code: /[\\/]libs[\\/]trainer[\\/]dist[\\/]params_(file|digest)\.js$/,
    load: () => (load('./files') as typeof import('./files')).paramsFile,
  },
  {
    name: 'config-env',
    code: /[\\/](apps[\\/](parameter-server|worker|metrics)[\\/]dist[\\/]config\.js|libs[\\/](trainer[\\/]dist[\\/](deploy_env|run_config)|transport[\\/]dist[\\/]curve)\.js)$/,
    load: () => (load('./config') as typeof import('./config')).configEnv,
  },
];
