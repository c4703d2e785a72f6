// Numbers and times written as ASCII straight into a Buffer, for the samples file: at tens
// of thousands of lines a second, building a string per value is most of the engine's
// garbage. Each function writes at `pos` and returns the position after what it wrote; the
// caller has made room.

/** A non-negative integer below 2^53, in decimal. */
export function writeUint(buf: Buffer, pos: number, n: number): number {
  let digits = 1;
  for (let x = n; x >= 10; x = Math.floor(x / 10)) digits++;
  const end = pos + digits;
  for (let i = end - 1, x = n; i >= pos; i--, x = Math.floor(x / 10)) buf[i] = 48 + (x % 10);
  return end;
}

/**
 * Milliseconds to at most nanosecond decimals, the precision k6 writes, exactly as
 * String(Math.round(ms * 1e6) / 1e6) would print it (no trailing zeros, no exponent for
 * the magnitudes of a load test).
 */
export function writeMillis(buf: Buffer, pos: number, ms: number): number {
  let n = Math.round(ms * 1e6);
  if (n < 0) {
    buf[pos++] = 45; // '-'
    n = -n;
  }
  const whole = Math.floor(n / 1e6);
  pos = writeUint(buf, pos, whole);
  return writeFraction(buf, pos, n - whole * 1e6, 6);
}

/** `.` and `fraction` as `width` digits with trailing zeros dropped; nothing when it is 0. */
function writeFraction(buf: Buffer, pos: number, fraction: number, width: number): number {
  if (fraction === 0) return pos;
  while (fraction % 10 === 0) {
    fraction /= 10;
    width--;
  }
  buf[pos++] = 46; // '.'
  for (let i = pos + width - 1; i >= pos; i--, fraction = Math.floor(fraction / 10)) buf[i] = 48 + (fraction % 10);
  return pos + width;
}

let cachedSecond = Number.NaN;
const cachedPrefix = Buffer.alloc(19);

/**
 * A time as k6's JSON output writes it: Go's RFC3339Nano in UTC, trailing zeros of the
 * fraction dropped ("2026-11-24T15:03:07.47499363Z"). Epoch-ms doubles near 2026 resolve to
 * about 0.5 µs, so the last digits are rounding, not measurement.
 */
export function writeRfc3339Nano(buf: Buffer, pos: number, epochMs: number): number {
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix.write(new Date(second * 1000).toISOString().slice(0, 19), 'latin1');
  }
  cachedPrefix.copy(buf, pos);
  pos += 19;
  let ns = Math.round((epochMs - second * 1000) * 1e6);
  if (ns >= 1e9) ns = 999_999_999;
  if (ns > 0) pos = writeFraction(buf, pos, ns, 9);
  buf[pos++] = 90; // 'Z'
  return pos;
}
