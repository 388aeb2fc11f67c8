export { main } from './main';
export { parseServerConfig } from './config';
export type { ServerConfig } from './config';
export { startShardServer } from './shard_server';
export type { ShardServer, ShardServerOptions, ShardEvent, ShardCounters } from './shard_server';
export { writeCheckpoint, readCheckpoint, checkpointPath } from '@lnsgd/ps';
export type { CheckpointHeader } from '@lnsgd/ps';
export { configHash } from './config_hash';
