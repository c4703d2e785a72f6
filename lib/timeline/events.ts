import type { ProcessFaultDetail } from '../processes/index.ts';
import type { FaultType } from '../scenario/types.ts';

// events.json: the timeline as applied. A contract other tools rely on (see the design's
// "Contracts"): add fields freely, never rename these.

export const EVENTS_SCHEMA_VERSION = 1;

export interface FaultEvent {
  /** `on` when the fault is switched on (or re-shaped by a ramp point), `off` when removed. */
  edge: 'on' | 'off';
  /** The proxy's name; for a process fault, the process's name (`host` for the machine): see `target`. */
  proxy: string;
  /** Set for a fault that is not a Toxiproxy one: `process` (pause, restart, ...) or `host` (cpuStress, command). */
  target?: 'process' | 'host';
  /** Toxic type, or `down` for a disabled proxy. */
  type: FaultType;
  /** Toxiproxy attributes as sent (empty for `down` and for `off`). */
  attributes: Record<string, number>;
  /** Index of the step in the scenario's timeline. */
  step: number;
  /** `ramp`: an attribute change of a fault already on; `cleanup`: removed early (abort). */
  kind?: 'edge' | 'ramp' | 'cleanup';
  toxicity?: number;
  stream?: 'upstream' | 'downstream';
  /** ISO times: when the step was due, when the API call went out, when it was acknowledged. */
  scheduledAt: string;
  sentAt: string;
  appliedAt: string | null;
  /** The same three moments as offsets from t0 in ms (fractional). */
  scheduledMs: number;
  sentMs: number;
  appliedMs: number | null;
  /** Set when the call failed or needed a fallback (`POST /reset`). */
  error?: string;
  fallback?: 'reset';
  /** What a process fault did: the pid, a command's exit code, a restart's stop time. */
  process?: ProcessFaultDetail;
}

export interface EventsFile {
  schemaVersion: number;
  /** ISO time of the load's start: the timeline's zero. */
  t0: string;
  events: FaultEvent[];
  /** `schedule` when the events were derived from the scenario, not recorded (see analysis). */
  derivedFrom?: 'schedule';
  /**
   * `false` while the run goes (the file is rewritten as each fault call is sent, then
   * acknowledged or failed); `true` once the run ended and its faults were removed. A file
   * left `false` is from a run cut short (killed, or the machine stopped). Absent: final
   * (files from before this field, and events not recorded by `faultline run`).
   */
  complete?: boolean;
}
