export { freeListenPort } from './ports.ts';
export { findOnPath } from './path.ts';
export { firstMessage, startWorker } from './worker.ts';
