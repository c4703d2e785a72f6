import { isWholeSecond, TimeParser } from '../time.ts';
import type { LineParser, ParserContext, SampleFormat } from './format.ts';
import { FIELD_BLOCKED, FIELD_DURATION, FIELD_FAILED, FIELD_REQS, RequestAssembler } from './request-group.ts';

// k6 `--out csv`: a header, then `metric_name,timestamp,metric_value,<tag columns...>`.
// The timestamp is whole UNIX seconds by default; K6_CSV_TIME_FORMAT=rfc3339_nano gives
// RFC 3339 with nanoseconds. A whole-second stamp only says the request ended somewhere in
// [s, s + 1 s): it is read as the middle of that second (s + 500 ms), which is unbiased,
// and the summary warns that such input is too coarse for the transition windows.
// Hot path: the metric name is matched at the start of the line; only the lines that
// matter are split further, and only up to the value column unless a tag filter needs more.

const DROPPED = 16;
const WHOLE_SECOND_MIDPOINT_MS = 500;

export const k6Csv: SampleFormat = {
  name: 'k6-csv',
  sniff: (firstLine) => firstLine.startsWith('metric_name,timestamp,metric_value'),
  parser: (context) => new K6CsvParser(context),
};

function fieldOf(text: string): number {
  const c = text.charCodeAt(0);
  if (c === 104 /* h */) {
    if (!text.startsWith('http_req')) return 0;
    if (text.startsWith('s,', 8)) return FIELD_REQS;
    if (text.startsWith('_duration,', 8)) return FIELD_DURATION;
    if (text.startsWith('_blocked,', 8)) return FIELD_BLOCKED;
    if (text.startsWith('_failed,', 8)) return FIELD_FAILED;
    return 0;
  }
  if (c === 100 /* d */ && text.startsWith('dropped_iterations,')) return DROPPED;
  return 0;
}

class K6CsvParser implements LineParser {
  private readonly group: RequestAssembler;
  private readonly time = new TimeParser();
  private columns: string[] = [];
  private wholeSecond = true;
  private last: { text: string; lineNo: number } | undefined;

  constructor(private readonly context: ParserContext) {
    this.group = new RequestAssembler(context.sink);
  }

  line(text: string, lineNo: number): void {
    if (lineNo === 1) {
      this.columns = splitCsv(text);
      return;
    }
    this.last = { text, lineNo };
    const field = fieldOf(text);
    if (field === 0) return;
    if (fieldCount(text) !== this.columns.length) return this.context.problem(lineNo, `expected ${this.columns.length} CSV columns (truncated or corrupt line)`);
    const c0 = text.indexOf(',');
    const c1 = text.indexOf(',', c0 + 1);
    const c2 = text.indexOf(',', c1 + 1);
    const value = Number(text.slice(c1 + 1, c2));
    if (c2 < 0 || c2 === c1 + 1 || Number.isNaN(value)) return this.context.problem(lineNo, 'metric_value is not a number');
    const sameKey = this.group.key.length === c1 - c0 - 1 && text.startsWith(this.group.key, c0 + 1);
    if (field === DROPPED || !this.group.continues(field, sameKey)) {
      let atMs = this.time.parse(text, c0 + 1, c1);
      if (Number.isNaN(atMs)) return this.context.problem(lineNo, 'timestamp is not a time');
      if (isWholeSecond(text, c0 + 1, c1)) atMs += WHOLE_SECOND_MIDPOINT_MS;
      else this.wholeSecond = false;
      if (field === DROPPED) return this.context.sink.dropped(atMs, value);
      this.group.start(text.slice(c0 + 1, c1), atMs, this.context.filters.length === 0 ? 0 : this.maskOf(text));
    }
    this.group.set(field, value);
  }

  end(): { wholeSecondTimes: boolean } {
    this.group.flush();
    // Lines of metrics analysis skips are not checked one by one; the last one is, since a
    // run cut short ends in a truncated line.
    const last = this.last;
    if (last && last.text !== '' && fieldOf(last.text) === 0 && fieldCount(last.text) !== this.columns.length) {
      this.context.problem(last.lineNo, `expected ${this.columns.length} CSV columns (truncated or corrupt line)`);
    }
    return { wholeSecondTimes: this.wholeSecond };
  }

  private maskOf(text: string): number {
    const values = splitCsv(text);
    const extra = new URLSearchParams(values[this.columns.indexOf('extra_tags')] ?? '');
    const tag = (name: string): string | null => {
      const at = this.columns.indexOf(name);
      return at >= 3 && name !== 'extra_tags' && name !== 'metadata' ? (values[at] ?? null) : extra.get(name);
    };
    let mask = 0;
    this.context.filters.forEach((f, i) => {
      if (f.tags.every(([k, v]) => tag(k) === v)) mask |= 1 << i;
    });
    return mask;
  }
}

/** Number of fields in a CSV line (quote-aware only when the line has quotes). */
function fieldCount(text: string): number {
  if (text.includes('"')) return splitCsv(text).length;
  let n = 1;
  for (let i = text.indexOf(','); i >= 0; i = text.indexOf(',', i + 1)) n++;
  return n;
}

/** RFC 4180 split of one line (quoted fields, doubled quotes). */
export function splitCsv(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= text.length) {
    if (text.charCodeAt(i) === 34) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return [...out, value + text.slice(j)]; // unterminated quote: keep what is there
        value += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) { value += '"'; j = q + 2; continue; }
        j = q + 1;
        break;
      }
      out.push(value);
      i = j + 1;
    } else {
      const comma = text.indexOf(',', i);
      const end = comma < 0 ? text.length : comma;
      out.push(text.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}
