import type { TagFilter } from '../samples.ts';
import { isWholeSecond, TimeParser } from '../time.ts';
import type { LineParser, ParserContext, SampleFormat } from './format.ts';
import { FIELD_BLOCKED, FIELD_DURATION, FIELD_FAILED, FIELD_REQS, RequestAssembler } from './request-group.ts';

// k6 `--out json`: one JSON object per line. Points look like
// {"metric":"http_req_duration","type":"Point","data":{"time":"...Z","value":0.38,"tags":{...}}}
// Hot path: about 14 lines per request, of which 4 matter (http_reqs, http_req_duration,
// http_req_blocked, http_req_failed) plus dropped_iterations. The metric name is matched in
// place first, so the other lines cost one indexOf; the lines that matter are read by
// searching their keys (no JSON.parse, key order not assumed) after a brace-balance check. Anything the fast path
// cannot read (Metric declarations, other spacing) goes through JSON.parse.

const METRIC_KEY = '"metric":"';
const TIME_KEY = '"time":"';
const VALUE_KEY = '"value":';
const DROPPED = 16;

export const k6Json: SampleFormat = {
  name: 'k6-json',
  sniff: (firstLine) => firstLine.trimStart().startsWith('{'),
  parser: (context) => new K6JsonParser(context),
};

/** The field a metric name stands for, or 0 for metrics analysis does not need. */
function fieldOf(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (c === 104 /* h */) {
    if (!text.startsWith('http_req', at)) return 0;
    if (text.startsWith('s"', at + 8)) return FIELD_REQS;
    if (text.startsWith('_duration"', at + 8)) return FIELD_DURATION;
    if (text.startsWith('_blocked"', at + 8)) return FIELD_BLOCKED;
    if (text.startsWith('_failed"', at + 8)) return FIELD_FAILED;
    return 0;
  }
  if (c === 100 /* d */ && text.startsWith('dropped_iterations"', at)) return DROPPED;
  return 0;
}

const FIELD_BY_NAME: Record<string, number> = {
  http_reqs: FIELD_REQS, http_req_duration: FIELD_DURATION, http_req_blocked: FIELD_BLOCKED,
  http_req_failed: FIELD_FAILED, dropped_iterations: DROPPED,
};

class K6JsonParser implements LineParser {
  private readonly group: RequestAssembler;
  private readonly time = new TimeParser();
  /** Per filter, the `"tag":"value"` texts a matching line contains. */
  private readonly needles: string[][];
  private wholeSecond = true;

  constructor(private readonly context: ParserContext) {
    this.group = new RequestAssembler(context.sink);
    this.needles = context.filters.map((f) => f.tags.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`));
  }

  line(text: string, lineNo: number): void {
    const length = text.length;
    if (length === 0) return;
    if (text.charCodeAt(length - 1) !== 125 /* } */) {
      if (text.trim() !== '') this.context.problem(lineNo, 'not a complete JSON object (truncated or corrupt)');
      return;
    }
    const m = text.indexOf(METRIC_KEY);
    if (m < 0) return this.slow(text, lineNo);
    const field = fieldOf(text, m + METRIC_KEY.length);
    if (field !== 0 && !this.fast(text, field)) this.slow(text, lineNo);
  }

  end(): { wholeSecondTimes: boolean } {
    this.group.flush();
    return { wholeSecondTimes: this.wholeSecond };
  }

  private fast(text: string, field: number): boolean {
    // A cheap structural check before trusting the keys: a line spliced with another, or
    // cut and patched, rarely keeps its braces balanced. Unbalanced lines go to JSON.parse.
    if (count(text, '{') !== count(text, '}')) return false;
    const ti = text.indexOf(TIME_KEY);
    if (ti < 0) return false;
    const ts = ti + TIME_KEY.length;
    const te = text.indexOf('"', ts);
    let vi = text.indexOf(VALUE_KEY);
    while (vi >= 0 && text.charCodeAt(vi + VALUE_KEY.length) === 34) vi = text.indexOf(VALUE_KEY, vi + 1);
    if (te < 0 || vi < 0) return false;
    const value = numberAt(text, vi + VALUE_KEY.length);
    if (Number.isNaN(value)) return false;
    const sameKey = this.group.key.length === te - ts && text.startsWith(this.group.key, ts);
    if (field === DROPPED || !this.group.continues(field, sameKey)) {
      const atMs = this.time.parse(text, ts, te);
      if (Number.isNaN(atMs)) return false;
      if (this.wholeSecond && !isWholeSecond(text, ts, te)) this.wholeSecond = false;
      if (field === DROPPED) {
        this.context.sink.dropped(atMs, value);
        return true;
      }
      this.group.start(text.slice(ts, te), atMs, this.needles.length === 0 ? 0 : this.maskOf(text));
    }
    this.group.set(field, value);
    return true;
  }

  /** Lines the fast path could not read: parsed fully, reported when they are not k6 JSON. */
  private slow(text: string, lineNo: number): void {
    let doc: { type?: unknown; metric?: unknown; data?: { time?: unknown; value?: unknown; tags?: Record<string, unknown> } };
    try {
      doc = JSON.parse(text) as typeof doc;
    } catch {
      this.context.problem(lineNo, 'corrupt JSON');
      return;
    }
    if (doc.type !== 'Point' || typeof doc.metric !== 'string') return;
    const field = FIELD_BY_NAME[doc.metric];
    if (field === undefined) return;
    const { time, value, tags } = doc.data ?? {};
    const atMs = typeof time === 'string' ? this.time.parse(time, 0, time.length) : NaN;
    if (typeof time !== 'string' || typeof value !== 'number' || Number.isNaN(atMs)) {
      this.context.problem(lineNo, `${doc.metric} point without a valid time and value`);
      return;
    }
    if (field === DROPPED) return this.context.sink.dropped(atMs, value);
    if (!this.group.continues(field, this.group.key === time)) this.group.start(time, atMs, maskOfTags(this.context.filters, tags ?? {}));
    this.group.set(field, value);
  }

  private maskOf(text: string): number {
    let mask = 0;
    for (let i = 0; i < this.needles.length; i++) {
      if (this.needles[i]!.every((needle) => text.includes(needle))) mask |= 1 << i;
    }
    return mask;
  }
}

function maskOfTags(filters: TagFilter[], tags: Record<string, unknown>): number {
  let mask = 0;
  filters.forEach((f, i) => {
    if (f.tags.every(([k, v]) => tags[k] === v)) mask |= 1 << i;
  });
  return mask;
}

function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) n++;
  return n;
}

/** Parses the JSON number starting at `start`; NaN when there is none. */
function numberAt(text: string, start: number): number {
  let end = start;
  for (let c = text.charCodeAt(end); (c >= 48 && c <= 57) || c === 46 || c === 45 || c === 43 || c === 101 || c === 69; c = text.charCodeAt(++end));
  return end === start ? NaN : Number(text.slice(start, end));
}
