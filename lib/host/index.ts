export { freeListenPort } from './ports.ts';
export { findOnPath } from './path.ts';
