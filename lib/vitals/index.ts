// lib/vitals: the vital signs of a run's dependencies (CPU share and RSS of the scenario's
// watched processes, from /proc, once a second) written beside the load's samples as
// vitals.json, in k6's JSON sample format under faultline's metric names.
export { VitalsSampler, startVitals, type VitalsSamplerOptions } from './sampler.ts';
export { WatchedProcess, type VitalsReading } from './watched-process.ts';
export { VITALS_FILE, VITALS_INTERVAL_MS, VITALS_METRICS, PROCESS_CPU_METRIC, PROCESS_RSS_METRIC, PROCESS_UP_METRIC, type VitalsMetric } from './metrics.ts';
