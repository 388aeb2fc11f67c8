export { main } from './main';
export { parseWorkerConfig } from './config';
export type { WorkerConfig } from './config';
