// Timestamp parsing for the per-line loop. k6 writes Go RFC 3339 times with up to 9
// fractional digits ("2026-11-24T15:03:06.524761872Z", or with a "+01:00" offset), which
// Date.parse would truncate to milliseconds and parse slowly. The whole-second part and the
// zone are parsed once per distinct second (one-entry cache); the fraction by hand.

export class TimeParser {
  private cachedSecond = '\u0000';
  private cachedZone = '';
  private cachedEpochMs = NaN;

  /**
   * Epoch milliseconds (fractional) of `text[start, end)`, NaN when it is not a time.
   * Accepts RFC 3339 (`T` at position 10) and numeric UNIX times: 10 digits = seconds,
   * 13 = ms, 16 = us, 19 = ns (k6 CSV's `K6_CSV_TIME_FORMAT` choices).
   */
  parse(text: string, start: number, end: number): number {
    if (text.charCodeAt(start + 10) === 84 /* T */) return this.parseRfc3339(text, start, end);
    return parseUnix(text, start, end);
  }

  private parseRfc3339(text: string, start: number, end: number): number {
    let i = start + 19;
    let fractionMs = 0;
    if (text.charCodeAt(i) === 46 /* . */) {
      let scale = 100;
      i++;
      for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i)) {
        fractionMs += (c - 48) * scale;
        scale /= 10;
      }
    }
    // Cache hit: same whole second and zone as the previous call, compared in place.
    const zoneLength = end - i;
    const hit = this.cachedZone.length === zoneLength && text.startsWith(this.cachedSecond, start) && text.startsWith(this.cachedZone, i);
    if (!hit) {
      this.cachedSecond = text.slice(start, start + 19);
      this.cachedZone = text.slice(i, end);
      this.cachedEpochMs = Date.parse(this.cachedSecond + this.cachedZone);
    }
    return this.cachedEpochMs + fractionMs;
  }
}

function parseUnix(text: string, start: number, end: number): number {
  const digits = end - start;
  const n = Number(text.slice(start, end));
  if (!Number.isFinite(n)) return NaN;
  if (digits <= 10) return n * 1000;
  if (digits <= 13) return n;
  if (digits <= 16) return n / 1000;
  return n / 1_000_000;
}

/** True when a timestamp field carries no sub-second part (k6 CSV's default `unix`). */
export function isWholeSecond(text: string, start: number, end: number): boolean {
  if (text.charCodeAt(start + 10) === 84 /* T */) return text.charCodeAt(start + 19) !== 46;
  return end - start <= 10;
}
