import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { EventsFile, FaultEvent } from '../../lib/timeline/events.ts';

// Synthetic k6 output with known truth: every metric line k6 writes per request, in k6's
// order and format (see ../fixtures/k6/README.md and the recording), so the readers see
// what a real run gives them. Used by the tests and by scripts/bench/analyze.ts.

export const T0_MS = Date.UTC(2026, 10, 24, 15, 0, 0);

export interface SyntheticRequest {
  /** Offset of the send time from t0 (ms). */
  sendMs: number;
  durationMs: number;
  blockedMs?: number;
  failed?: boolean;
  name?: string;
}

/** RFC 3339 with nanoseconds, as k6 writes it. */
export function isoNs(epochMs: number): string {
  let ms = Math.floor(epochMs);
  let ns = Math.round((epochMs - ms) * 1e6);
  if (ns >= 1e6) { ms++; ns -= 1e6; }
  return `${new Date(ms).toISOString().slice(0, 23)}${String(ns).padStart(6, '0')}Z`;
}

function httpTags(r: SyntheticRequest): string {
  const status = r.failed ? '503' : '200';
  const error = r.failed ? '"error_code":"1503",' : '';
  return `{${error}"expected_response":"${!r.failed}","group":"","method":"POST","name":"${r.name ?? 'verify'}","proto":"HTTP/1.1","scenario":"load","status":"${status}","url":"http://127.0.0.1:8080/verify"}`;
}

const ITER_TAGS = '{"group":"","scenario":"load"}';

/** The 14 lines k6 writes for one request and its iteration (k6 --out json). */
export function k6JsonRequest(t0Ms: number, r: SyntheticRequest): string {
  const blocked = r.blockedMs ?? 0.002;
  const end = isoNs(t0Ms + r.sendMs + blocked + r.durationMs);
  const tags = httpTags(r);
  const p = (metric: string, value: number, t = tags, time = end) => `{"metric":"${metric}","type":"Point","data":{"time":"${time}","value":${value},"tags":${t}}}`;
  const after = isoNs(t0Ms + r.sendMs + blocked + r.durationMs + 0.05);
  return [
    p('http_reqs', 1), p('http_req_duration', r.durationMs), p('http_req_blocked', blocked), p('http_req_connecting', 0),
    p('http_req_tls_handshaking', 0), p('http_req_sending', 0.01), p('http_req_waiting', Math.max(0, r.durationMs - 0.06)),
    p('http_req_receiving', 0.05), p('http_req_failed', r.failed ? 1 : 0),
    p('checks', r.failed ? 0 : 1, '{"check":"status is 200","group":"","scenario":"load"}', after),
    p('data_sent', 155, ITER_TAGS, after), p('data_received', 134, ITER_TAGS, after),
    p('iteration_duration', r.durationMs + 0.1, ITER_TAGS, after), p('iterations', 1, ITER_TAGS, after),
  ].join('\n');
}

/** A whole run as k6 JSON: requests in end-time order (as k6 writes them), dropped iterations at their time. */
export function k6JsonRun(requests: SyntheticRequest[], dropped: Array<{ atMs: number; count?: number }> = [], t0Ms = T0_MS): string {
  const entries: Array<{ endMs: number; text: string }> = requests.map((r) => ({ endMs: r.sendMs + (r.blockedMs ?? 0.002) + r.durationMs, text: k6JsonRequest(t0Ms, r) }));
  for (const d of dropped) {
    entries.push({ endMs: d.atMs, text: `{"metric":"dropped_iterations","type":"Point","data":{"time":"${isoNs(t0Ms + d.atMs)}","value":${d.count ?? 1},"tags":{"scenario":"load"}}}` });
  }
  entries.sort((a, b) => a.endMs - b.endMs);
  return `${entries.map((e) => e.text).join('\n')}\n`;
}

export interface SyntheticEdge {
  edge: 'on' | 'off';
  proxy: string;
  type?: FaultEvent['type'];
  atMs: number;
  /** Applied minus scheduled (default 2 ms). */
  skewMs?: number;
}

export function eventsFile(edges: SyntheticEdge[], t0Ms = T0_MS): EventsFile {
  const iso = (ms: number) => new Date(t0Ms + ms).toISOString();
  return {
    schemaVersion: 1,
    t0: iso(0),
    events: edges.map((e, step) => {
      const scheduledMs = e.atMs - (e.skewMs ?? 2);
      return {
        edge: e.edge, proxy: e.proxy, type: e.type ?? 'down', attributes: {}, step,
        scheduledAt: iso(scheduledMs), sentAt: iso(scheduledMs + 1), appliedAt: iso(e.atMs),
        scheduledMs, sentMs: scheduledMs + 1, appliedMs: e.atMs,
      };
    }),
  };
}

/** Requests at a constant rate over [fromMs, toMs), shaped by `make` (send offset -> fields). */
export function steady(fromMs: number, toMs: number, ratePerS: number, make: (sendMs: number, i: number) => Partial<SyntheticRequest> = () => ({})): SyntheticRequest[] {
  const out: SyntheticRequest[] = [];
  const step = 1000 / ratePerS;
  for (let i = 0, t = fromMs; t < toMs; i++, t = fromMs + i * step) out.push({ sendMs: t, durationMs: 2, ...make(t, i) });
  return out;
}

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'faultline-analysis-'));
}

export async function writeTemp(dir: string, name: string, content: string | Buffer, gzip = false): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, gzip ? gzipSync(content) : content);
  return file;
}

/** The real k6 recordings (see test/fixtures/k6/README.md). */
export const RECORDED = new URL('../fixtures/k6/', import.meta.url).pathname;

export { seeded as seededRandom } from '../helpers/random.ts';
