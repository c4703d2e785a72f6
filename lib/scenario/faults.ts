import type { Fault, FaultType, ToxicType } from './types.ts';

/**
 * Every fault type and its attributes, in Toxiproxy's units: times in milliseconds except
 * slicer's `delay` (microseconds), `rate` in KB/s, sizes in bytes. `down` disables the proxy.
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
};

export const FAULT_TYPES = Object.keys(FAULT_ATTRIBUTES) as FaultType[];
export const TOXIC_TYPES = FAULT_TYPES.filter((t): t is ToxicType => t !== 'down');

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
