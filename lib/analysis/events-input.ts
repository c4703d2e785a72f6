import { readFile } from 'node:fs/promises';
import { InvalidInputError, type InputProblem } from '../errors.ts';
import type { EventsFile, FaultEvent } from '../timeline/events.ts';

// Reads and checks events.json at the edge; everything after trusts its types.

export async function readEventsFile(file: string): Promise<EventsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InvalidInputError(`cannot read events ${file}`, [{ path: file, value: (error as Error).message, expected: 'a readable events.json' }]);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError(`invalid events ${file}`, [{ path: file, value: (error as Error).message, expected: 'JSON' }]);
  }
  return checkEvents(doc, file);
}

/** Checks the fields analysis relies on; fills the `*Ms` offsets when only ISO times are given. */
export function checkEvents(doc: unknown, subject = 'events'): EventsFile {
  const problems: InputProblem[] = [];
  const d = doc as Partial<EventsFile> | null;
  const t0Ms = typeof d?.t0 === 'string' ? Date.parse(d.t0) : NaN;
  if (Number.isNaN(t0Ms)) problems.push({ path: 't0', value: d?.t0, expected: 'an ISO time' });
  if (!Array.isArray(d?.events)) problems.push({ path: 'events', value: d?.events, expected: 'an array' });
  const events: FaultEvent[] = [];
  (Array.isArray(d?.events) ? d.events : []).forEach((e: Partial<FaultEvent>, i) => {
    const at = (field: string) => `events[${i}].${field}`;
    if (e.edge !== 'on' && e.edge !== 'off') problems.push({ path: at('edge'), value: e.edge, expected: '"on" or "off"' });
    if (typeof e.proxy !== 'string') problems.push({ path: at('proxy'), value: e.proxy, expected: 'a proxy name' });
    if (typeof e.type !== 'string') problems.push({ path: at('type'), value: e.type, expected: 'a toxic type or "down"' });
    const offset = (iso: unknown, field: string): number | null => {
      if (iso === null || iso === undefined) return null;
      const ms = typeof iso === 'string' ? Date.parse(iso) : NaN;
      if (Number.isNaN(ms)) problems.push({ path: at(field), value: iso, expected: 'an ISO time' });
      return ms - t0Ms;
    };
    const scheduledMs = offset(e.scheduledAt, 'scheduledAt');
    const appliedMs = offset(e.appliedAt, 'appliedAt');
    events.push({
      ...(e as FaultEvent),
      attributes: e.attributes ?? {},
      scheduledMs: typeof e.scheduledMs === 'number' ? e.scheduledMs : (scheduledMs ?? NaN),
      sentMs: typeof e.sentMs === 'number' ? e.sentMs : (offset(e.sentAt, 'sentAt') ?? NaN),
      appliedMs: typeof e.appliedMs === 'number' ? e.appliedMs : appliedMs,
    });
  });
  if (problems.length > 0) throw new InvalidInputError(`invalid ${subject}`, problems);
  const file: EventsFile = { schemaVersion: typeof d?.schemaVersion === 'number' ? d.schemaVersion : 1, t0: d!.t0!, events };
  // `complete: false`: the file of a run that was cut short (see EventsFile.complete).
  if (typeof d?.complete === 'boolean') file.complete = d.complete;
  return file;
}
