export { main } from './main';
export { parseWorkerConfig } from './config';
export type { WorkerConfig } from './config';
export { runWorker } from './run_worker';
export type { RunWorkerOptions, WorkerEvent, ClusterProgressEvent } from './run_worker';
