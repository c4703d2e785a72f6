import type { Dispatcher } from 'undici';
import type { Body, IterationContext } from '../scenario/types.ts';
import type { ResolvedRequest, ResolvedScenario } from '../scenario/resolved.ts';

// The scenario's weighted request mix, prepared once. Picking and body encoding are the
// same as the k6 bundle's (lib/k6/runtime/iteration.ts): a uniform roll over the summed
// weights, strings sent as is, objects and arrays as JSON with a JSON content type unless
// one was given.

export interface PreparedRequest {
  /** Position in scenario.requests: the output's key for names and tags. */
  index: number;
  def: ResolvedRequest;
  /** Upper bound of this request's share in [0, total weight). */
  cumulativeWeight: number;
  /** Options handed to undici for every send; `body` and `headers` are replaced per send when the body is a function. */
  dispatch: Dispatcher.DispatchOptions;
  /** Bytes of the request line and headers as undici writes them, before content-length. */
  headBytes: number;
  /** The encoded body when it is fixed; null for none. */
  fixedBody: Buffer | null;
  plainHeaders: Record<string, string>;
  jsonHeaders: Record<string, string>;
}

export class RequestMix {
  readonly requests: PreparedRequest[];
  private readonly totalWeight: number;
  private readonly ctx: IterationContext = { iteration: 0, vu: 0 };

  constructor(scenario: ResolvedScenario) {
    let total = 0;
    this.requests = scenario.requests.map((def, index) => {
      total += def.weight;
      return prepare(def, index, total);
    });
    this.totalWeight = total;
  }

  /** The distinct origins the requests go to. */
  origins(): string[] {
    return [...new Set(this.requests.map((r) => r.dispatch.origin as string))];
  }

  pick(): PreparedRequest {
    const roll = Math.random() * this.totalWeight;
    const list = this.requests;
    for (let i = 0; i < list.length; i++) if (roll < list[i]!.cumulativeWeight) return list[i]!;
    return list[list.length - 1]!;
  }

  /**
   * Sets the body for this send (a function body is called with the iteration's context)
   * and returns the body's size in bytes. The returned options object is reused: undici
   * reads it synchronously in dispatch().
   */
  encode(req: PreparedRequest, iteration: number, vu: number): number {
    const body = req.def.body;
    if (typeof body !== 'function') return req.fixedBody?.length ?? 0;
    this.ctx.iteration = iteration;
    this.ctx.vu = vu;
    const value: Body = body(this.ctx);
    const isJson = typeof value !== 'string';
    const buf = Buffer.from(isJson ? JSON.stringify(value) : value);
    req.dispatch.body = buf;
    req.dispatch.headers = isJson ? req.jsonHeaders : req.plainHeaders;
    return buf.length;
  }
}

function prepare(def: ResolvedRequest, index: number, cumulativeWeight: number): PreparedRequest {
  const url = new URL(def.url);
  const plainHeaders = { ...def.headers };
  const hasType = Object.keys(plainHeaders).some((h) => h.toLowerCase() === 'content-type');
  const jsonHeaders = hasType ? plainHeaders : { ...plainHeaders, 'content-type': 'application/json' };
  const body = def.body;
  let fixedBody: Buffer | null = null;
  let headers = plainHeaders;
  if (body !== undefined && typeof body !== 'function') {
    fixedBody = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    if (typeof body !== 'string') headers = jsonHeaders;
  }
  const method = def.method.toUpperCase();
  const path = `${url.pathname}${url.search}`;
  let head = `${method} ${path} HTTP/1.1\r\nhost: ${url.host}\r\nconnection: keep-alive\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  return {
    index, def, cumulativeWeight, fixedBody, plainHeaders, jsonHeaders,
    headBytes: Buffer.byteLength(head),
    dispatch: { origin: url.origin, path, method: method as Dispatcher.HttpMethod, headers, body: fixedBody },
  };
}

/** Bytes undici writes for a request with a body of `bodyBytes` (`content-length: N\r\n\r\n` and the body, or the blank line). */
export function requestBytes(req: PreparedRequest, bodyBytes: number): number {
  const hasBody = req.fixedBody !== null || typeof req.def.body === 'function';
  return req.headBytes + (hasBody ? 20 + String(bodyBytes).length + bodyBytes : 2);
}
