import { parseDurationMs } from './duration.ts';
import type { Duration, Fault, FaultType, ProcessFaultType, ToxicType } from './types.ts';

/**
 * Every fault type and its attributes. Network faults use Toxiproxy's units: times in
 * milliseconds except slicer's `delay` (microseconds), `rate` in KB/s, sizes in bytes;
 * `down` disables the proxy. Process faults: `timeout` in ms, `cores` in cores, `mb` in MiB.
 */
export const FAULT_ATTRIBUTES: Record<FaultType, readonly string[]> = {
  latency: ['latency', 'jitter'],
  bandwidth: ['rate'],
  slow_close: ['delay'],
  timeout: ['timeout'],
  reset_peer: ['timeout'],
  slicer: ['average_size', 'size_variation', 'delay'],
  limit_data: ['bytes'],
  down: [],
  pause: [],
  restart: ['timeout'],
  command: ['timeout'],
  cpu_stress: ['cores'],
  memory_stress: ['mb'],
};

export const FAULT_TYPES = Object.keys(FAULT_ATTRIBUTES) as FaultType[];
export const PROCESS_FAULT_TYPES: readonly ProcessFaultType[] = ['pause', 'restart', 'command', 'cpu_stress', 'memory_stress'];
export const isProcessFault = (type: FaultType): type is ProcessFaultType => (PROCESS_FAULT_TYPES as readonly string[]).includes(type);
export const TOXIC_TYPES = FAULT_TYPES.filter((t): t is ToxicType => t !== 'down' && !isProcessFault(t));
/** Process faults that act on one named process: the step must name it with `process`. */
export const NEEDS_PROCESS: readonly FaultType[] = ['pause', 'restart'];

const fault = (type: FaultType, attributes: object): Fault =>
  ({ type, attributes: { ...attributes } as Record<string, number> });

/** Adds `latency` ms (± `jitter` ms) to data in the toxic's direction. */
export const latency = (a: { latency: number; jitter?: number }) => fault('latency', { jitter: 0, ...a });
/** Limits throughput to `rate` KB/s. */
export const bandwidth = (a: { rate: number }) => fault('bandwidth', a);
/** Delays the close of the connection by `delay` ms. */
export const slowClose = (a: { delay: number }) => fault('slow_close', a);
/** Stops all data and closes the connection after `timeout` ms (0: holds until removed). */
export const timeout = (a: { timeout: number }) => fault('timeout', a);
/** Resets the connection (TCP RST) after `timeout` ms. */
export const resetPeer = (a: { timeout?: number } = {}) => fault('reset_peer', { timeout: 0, ...a });
/** Slices data into ~`average_size` byte pieces, `delay` microseconds apart. */
export const slicer = (a: { average_size: number; size_variation?: number; delay?: number }) =>
  fault('slicer', { size_variation: 0, delay: 0, ...a });
/** Closes the connection after `bytes` bytes have passed. */
export const limitData = (a: { bytes: number }) => fault('limit_data', a);
/** The dependency is unreachable: the proxy is disabled (open connections closed, new ones refused). */
export const down = () => fault('down', {});

// Faults on local processes, switched by faultline itself (`faultline run` only: a
// --timeline-in-k6 bundle cannot reach processes).

/** The process hangs: SIGSTOP at the step's start, SIGCONT at its end. */
export const pause = () => fault('pause', {});
/**
 * The process stops at the step's start (SIGTERM, SIGKILL after `timeout`) and `start`, a shell
 * command, brings it back at the step's end; `start` must return (start a daemon, or end with `&`).
 */
export const restart = (a: { start: string; timeout?: Duration }) =>
  ({ ...fault('restart', { timeout: timeoutMs(a.timeout) }), commands: { end: a.start } });
/** Runs the shell command `start` at the step's start and `end` (if given) at its end, each within `timeout`. */
export const command = (a: { start: string; end?: string; timeout?: Duration }) =>
  ({ ...fault('command', { timeout: timeoutMs(a.timeout) }), commands: { start: a.start, ...(a.end !== undefined ? { end: a.end } : {}) } });
/** Busy processes that take `cores` of the machine's cores (1.5: one full, one half) for the step. */
export const cpuStress = (a: { cores: number }) => fault('cpu_stress', a);
/** Memory pressure: a worker that holds `mb` MiB resident (every page touched) for the step. */
export const memoryStress = (a: { mb: number }) => fault('memory_stress', a);

const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;
const timeoutMs = (d: Duration | undefined) => (d === undefined ? DEFAULT_COMMAND_TIMEOUT_MS : parseDurationMs(d) ?? NaN);
