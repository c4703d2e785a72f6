export { freeListenPort, freePort } from './ports.ts';
export { findOnPath } from './path.ts';
