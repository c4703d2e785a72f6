import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventsLog, type EventsFile, type FaultEvent } from '../../lib/timeline/index.ts';

// events.json while a run goes: there from t0 on, rewritten as calls happen, always whole.

const T0 = Date.UTC(2026, 11, 3, 12, 0, 0);

function event(i: number): FaultEvent {
  return {
    edge: i % 2 === 0 ? 'on' : 'off', proxy: 'store', type: 'latency', attributes: {}, step: i, kind: 'edge',
    scheduledAt: new Date(T0 + i).toISOString(), sentAt: new Date(T0 + i).toISOString(), appliedAt: null,
    scheduledMs: i, sentMs: i, appliedMs: null,
  };
}

const read = async (path: string) => JSON.parse(await readFile(path, 'utf8')) as EventsFile;

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

test('events.json: t0 at the start (not final), every update written whole, then the final file; no temporary file left', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-events-'));
  const path = join(dir, 'events.json');
  const log = new EventsLog(path);
  log.update([]);
  assert.equal(existsSync(path), false, 'nothing before t0');
  log.start(T0);
  await until(() => existsSync(path));
  assert.deepEqual(await read(path), { schemaVersion: 1, t0: '2026-12-03T12:00:00.000000Z', events: [], complete: false });

  // Updates faster than the disk: a reader at any moment sees a whole file, and the last update lands.
  const events: FaultEvent[] = [];
  let reading = true;
  let reads = 0;
  const reader = (async () => {
    while (reading) {
      const file = await read(path); // throws on a torn file
      assert.equal(file.complete, false);
      reads++;
    }
  })();
  for (let i = 0; i < 40; i++) {
    events.push(event(i));
    log.update(events);
    await new Promise((r) => setTimeout(r, i % 5));
  }
  await until(async () => (await read(path)).events.length === 40);
  reading = false;
  await reader;
  assert.ok(reads > 0);

  const final = await log.finish(T0, events.slice(0, 3));
  log.update(events); // after the end: ignored
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(final.complete, true);
  assert.deepEqual(await read(path), final);
  assert.equal((await read(path)).events.length, 3);
  assert.deepEqual(await readdir(dir), ['events.json']);
});
