import type { Body } from './types.ts';

// The weighted request mix as both engines read it: the built-in engine (lib/engine/request-mix.ts)
// and the k6 bundle (lib/k6/runtime/iteration.ts), which imports this file inside k6. So it
// imports nothing but types, and keeps to syntax esbuild lowers to es2017.

/** The method of a request that names none. */
export const DEFAULT_METHOD = 'GET';

/** k6's default expected statuses: 200-399 count as success (k6 `expected_response`, `http_req_failed`). */
export const DEFAULT_EXPECTED_STATUS = { min: 200, max: 399 } as const;

/** A request's method as sent: upper case, GET when none was given. */
export function requestMethod(method: string | undefined): string {
  return (method ?? DEFAULT_METHOD).toUpperCase();
}

/** The absolute URL a request goes to: its own `url`, else the base URL (no trailing slash) + `path`. */
export function requestUrl(baseUrl: string, request: { url?: string | undefined; path?: string | undefined }): string {
  return request.url ?? `${baseUrl}${request.path ?? ''}`;
}

/** Whether `status` counts as success: one of `expected`, or 200-399 when the request lists none. */
export function isExpectedStatus(status: number, expected: readonly number[] | undefined): boolean {
  return expected ? expected.includes(status) : status >= DEFAULT_EXPECTED_STATUS.min && status <= DEFAULT_EXPECTED_STATUS.max;
}

/**
 * Each request's share as the upper bound of its slice of [0, total): weights 1, 3 give
 * [1, 4]. The last entry is the total weight.
 */
export function cumulativeWeights(weights: readonly number[]): number[] {
  let total = 0;
  return weights.map((w) => (total += w));
}

/** The index whose slice holds `roll` (uniform in [0, total)); the last for a roll at or past the total. */
export function pickIndex(cumulative: readonly number[], roll: number): number {
  for (let i = 0; i < cumulative.length; i++) if (roll < cumulative[i]!) return i;
  return cumulative.length - 1;
}

/** A body as sent: strings as they are, objects and arrays as JSON; null for no body. */
export function encodeBody(body: Body | undefined): { text: string | null; isJson: boolean } {
  if (body === undefined) return { text: null, isJson: false };
  if (typeof body === 'string') return { text: body, isJson: false };
  return { text: JSON.stringify(body), isJson: true };
}

/** The headers for a JSON body: `headers` with `content-type: application/json` unless they name a content type. */
export function withJsonContentType(headers: Record<string, string>): Record<string, string> {
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  return hasType ? headers : { ...headers, 'content-type': 'application/json' };
}
