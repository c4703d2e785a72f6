// Request errors classified as k6 does (https://grafana.com/docs/k6/latest/javascript-api/error-codes/):
// `error_code` is 1000+status for HTTP 4xx/5xx responses (1503 for a 503), and a code of
// its own for each way a request can fail without a response (then `status` is "0" and the
// `error` tag carries k6's message).

/** A failure with no HTTP response: k6's `error_code` and `error` tags. */
export interface RequestError {
  readonly code: number;
  readonly message: string;
}

const err = (code: number, message: string): RequestError => Object.freeze({ code, message });

/** The whole request took longer than its `timeout`. */
export const REQUEST_TIMEOUT = err(1050, 'request timeout');
/** The server closed the connection before answering (k6 sees Go's `EOF`). */
export const EOF = err(1000, 'EOF');

/** By Node errno code, or undici's own code. */
const BY_CODE: Record<string, RequestError> = {
  ECONNREFUSED: err(1212, 'dial: connection refused'),
  ECONNRESET: err(1220, 'read: connection reset by peer'),
  EPIPE: err(1201, 'write: broken pipe'),
  ETIMEDOUT: err(1211, 'dial: i/o timeout'),
  UND_ERR_CONNECT_TIMEOUT: err(1211, 'dial: i/o timeout'),
  EHOSTUNREACH: err(1210, 'dial: no route to host'),
  ENETUNREACH: err(1210, 'dial: network is unreachable'),
  EADDRNOTAVAIL: err(1210, 'dial: cannot assign requested address'),
  ENOTFOUND: err(1101, 'lookup: no such host'),
  EAI_AGAIN: err(1100, 'lookup: temporary failure in name resolution'),
  UND_ERR_SOCKET: EOF,
  UND_ERR_CLOSED: EOF,
};

/** Generic errors are interned by message so the output can cache their tags; bounded. */
const generic = new Map<string, RequestError>();

export function classifyError(error: unknown): RequestError {
  const e = error as { code?: unknown; cause?: { code?: unknown }; message?: unknown } | null;
  // undici wraps socket errors: the errno on the cause is the more precise one.
  const causeCode = typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const known = (causeCode && BY_CODE[causeCode]) || (code && BY_CODE[code]);
  if (known) return known;
  const message = String(e?.message ?? error).slice(0, 200);
  let found = generic.get(message);
  if (!found) {
    found = generic.size < 100 ? err(1000, message) : err(1000, 'error');
    if (generic.size < 100) generic.set(message, found);
  }
  return found;
}

/** k6's error_code for an HTTP status: 1000+status for 4xx and 5xx, else 0 (none). */
export function statusErrorCode(status: number): number {
  return status >= 400 && status < 600 ? 1000 + status : 0;
}
