export { TimelineController, iso, type FaultActions } from './controller.ts';
export { TimelineThread, type ProcessStepsOptions } from './thread.ts';
export { FaultApi, type FaultApiOptions } from './fault-api.ts';
export { FaultApiError } from './http-client.ts';
export { planTimeline, toxicName, TOXIC_PREFIX, type PlannedAction } from './plan.ts';
export { EventsLog, writeEventsFile } from './log.ts';
export { EVENTS_SCHEMA_VERSION, type EventsFile, type FaultEvent } from './events.ts';
