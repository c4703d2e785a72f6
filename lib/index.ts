// The public API that scenario files import as `faultline`. Only pure, dependency-free
// modules belong here: this file is bundled into every k6 script.
export type * from './scenario/types.ts';
export { defineScenario } from './scenario/define.ts';
export {
  latency, bandwidth, slowClose, timeout, resetPeer, slicer, limitData, down, pause, restart, command, cpuStress, memoryStress,
} from './scenario/faults.ts';
