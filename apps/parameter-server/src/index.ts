export { main } from './main';
export { parseServerConfig } from './config';
export type { ServerConfig } from './config';
export { startShardServer } from './shard_server';
export type { ShardServerOptions } from './shard_server';
export { serverCommand } from './config';
