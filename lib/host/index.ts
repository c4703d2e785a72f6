export { freeListenPort } from './ports.ts';
export { findOnPath } from './path.ts';
export { WorkerThread } from './worker.ts';
