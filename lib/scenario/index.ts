export type * from './types.ts';
export type * from './resolved.ts';
export { defineScenario } from './define.ts';
export { parseDurationMs, formatDuration } from './duration.ts';
export {
  FAULT_ATTRIBUTES, FAULT_TYPES, TOXIC_TYPES, PROCESS_FAULT_TYPES, isProcessFault,
  latency, bandwidth, slowClose, timeout, resetPeer, slicer, limitData, down, pause, restart, command, cpuStress, memoryStress,
} from './faults.ts';
export { resolveScenario, type ResolveOptions, type Resolution } from './validate.ts';
export { loadScenario, loadScenarioFile } from './load.ts';
