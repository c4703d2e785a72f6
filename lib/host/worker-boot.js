// Entry of every faultline worker thread. On Node 20 a worker does not inherit the loader
// hooks the bin registered on the main thread, so tsx is registered here first; then the
// thread's own TypeScript module runs (its URL is in workerData.module).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.module);
