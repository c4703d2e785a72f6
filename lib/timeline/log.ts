import { open, rename } from 'node:fs/promises';
import { iso } from './controller.ts';
import { EVENTS_SCHEMA_VERSION, type EventsFile, type FaultEvent } from './events.ts';

// events.json is the record of what the faults did, so it exists from t0 on and is kept up
// to date while the run goes (marked `complete: false`): a run killed, or a machine that
// loses power, leaves the events acknowledged or failed until then. Every write replaces the
// file whole (a temporary file, synced, then renamed over it), so it is always either the
// previous version or the new one, never a torn file.

/** events.json of one run, rewritten as the run goes; the last write is the final one. */
export class EventsLog {
  private t0EpochMs: number | null = null;
  private events: FaultEvent[] = [];
  /** The write under way (writes never overlap), and whether another is needed after it. */
  private writing: Promise<void> | null = null;
  private again = false;
  private final = false;

  constructor(readonly path: string) {}

  /** The load started: writes t0 with the events so far (none, usually). */
  start(t0EpochMs: number): void {
    this.t0EpochMs = t0EpochMs;
    this.write();
  }

  /** The calls made so far, as the timeline reported them. Written once t0 is known. */
  update(events: FaultEvent[]): void {
    this.events = events;
    if (this.t0EpochMs !== null) this.write();
  }

  /** The run's end: writes the final file (`complete: true`) once the write under way is done. */
  async finish(t0EpochMs: number, events: FaultEvent[]): Promise<EventsFile> {
    this.final = true;
    while (this.writing) await this.writing;
    return writeEventsFile(this.path, t0EpochMs, events);
  }

  private write(): void {
    if (this.final) return;
    if (this.writing) {
      this.again = true;
      return;
    }
    // (`filter` skips a hole, should a call be reported before an earlier one.)
    const file = eventsFile(this.t0EpochMs!, this.events.filter(() => true), false);
    this.writing = replaceFile(this.path, file)
      // A failed write leaves the previous version; the next one tries again, and the final one throws.
      .catch(() => undefined)
      .finally(() => {
        this.writing = null;
        if (this.again) {
          this.again = false;
          this.write();
        }
      });
  }
}

/** Writes the final events.json: the timeline as applied. */
export async function writeEventsFile(path: string, t0EpochMs: number, events: FaultEvent[]): Promise<EventsFile> {
  const file = eventsFile(t0EpochMs, events, true);
  await replaceFile(path, file);
  return file;
}

function eventsFile(t0EpochMs: number, events: FaultEvent[], complete: boolean): EventsFile {
  return { schemaVersion: EVENTS_SCHEMA_VERSION, t0: iso(t0EpochMs), events, complete };
}

/** Replaces `path` whole: a temporary file beside it, synced to disk, then renamed over it. */
async function replaceFile(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(value, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}
