import { writeFile } from 'node:fs/promises';
import { iso } from './controller.ts';
import { EVENTS_SCHEMA_VERSION, type EventsFile, type FaultEvent } from './events.ts';

/** Writes events.json: the timeline as applied. */
export async function writeEventsFile(path: string, t0EpochMs: number, events: FaultEvent[]): Promise<EventsFile> {
  const file: EventsFile = { schemaVersion: EVENTS_SCHEMA_VERSION, t0: iso(t0EpochMs), events };
  await writeFile(path, `${JSON.stringify(file, null, 2)}\n`);
  return file;
}
