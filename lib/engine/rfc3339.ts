// Times as k6's JSON output writes them: Go's RFC3339Nano in UTC, trailing zeros of the
// fraction dropped ("2026-11-24T15:03:07.47499363Z"). Epoch-ms doubles near 2026 resolve to
// about 0.5 µs, so the last digits are rounding, not measurement.

let cachedSecond = Number.NaN;
let cachedPrefix = '';

export function rfc3339Nano(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
  }
  let ns = Math.round((epochMs - second * 1000) * 1e6);
  if (ns >= 1e9) ns = 999_999_999;
  if (ns <= 0) return `${cachedPrefix}Z`;
  let digits = String(ns);
  let end = digits.length;
  while (digits.charCodeAt(end - 1) === 48) end--;
  digits = '000000000'.slice(digits.length) + digits.slice(0, end);
  return `${cachedPrefix}.${digits}Z`;
}
