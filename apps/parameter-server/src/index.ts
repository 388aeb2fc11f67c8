export { main } from './main';
export { parseServerConfig } from './config';
export type { ServerConfig } from './config';
export { startShardServer } from './shard_server';
export type { ShardServer, ShardServerOptions, ShardEvent, ShardCounters } from './shard_server';
export { writeCheckpoint, readCheckpoint, checkpointPath } from './checkpoint';
export type { CheckpointHeader } from './checkpoint';
export { configHash } from './config_hash';
