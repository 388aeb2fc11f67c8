import { startShard, type ShardServer, type StartShardOptions } from '@lnsgd/ps';
// tfjs-free entry point: the package index loads TensorFlow.js.
import { presetTask } from '@lnsgd/trainer/run-config';
import type { ServerConfig } from './config';

export type { ShardCounters, ShardEvent, ShardServer } from '@lnsgd/ps';

/** Options of {@link startShardServer}: libs/ps's, with this app's validated config. */
export type ShardServerOptions = Omit<StartShardOptions, 'config' | 'task'> & { readonly config: ServerConfig };

/**
 * Starts one parameter-server shard (libs/ps `startShard`) from this app's config: the
 * preset's task decides whether the shard exports λ.
 *
 * @param options validated config, CURVE keys, log and event sinks, telemetry, clock.
 */
export function startShardServer(options: ShardServerOptions): Promise<ShardServer> {
  return startShard({ ...options, task: presetTask(options.config.run.preset) });
}
