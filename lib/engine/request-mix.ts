import type { Dispatcher } from 'undici';
import type { IterationContext } from '../scenario/types.ts';
import type { ResolvedRequest, ResolvedScenario } from '../scenario/resolved.ts';
import { cumulativeWeights, encodeBody, pickIndex, withJsonContentType } from '../scenario/request-plan.ts';

// The scenario's weighted request mix, prepared once as undici options. Picking and body
// encoding are the k6 bundle's too: both come from lib/scenario/request-plan.ts.

export interface PreparedRequest {
  /** Position in scenario.requests: the output's key for names and tags. */
  index: number;
  def: ResolvedRequest;
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
  private readonly cumulative: number[];
  private readonly totalWeight: number;
  private readonly ctx: IterationContext = { iteration: 0, vu: 0 };

  constructor(scenario: ResolvedScenario) {
    this.cumulative = cumulativeWeights(scenario.requests.map((r) => r.weight));
    this.totalWeight = this.cumulative[this.cumulative.length - 1] ?? 0;
    this.requests = scenario.requests.map((def, index) => prepare(def, index));
  }

  /** The distinct origins the requests go to. */
  origins(): string[] {
    return [...new Set(this.requests.map((r) => r.dispatch.origin as string))];
  }

  pick(): PreparedRequest {
    return this.requests[pickIndex(this.cumulative, Math.random() * this.totalWeight)]!;
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
    const { text, isJson } = encodeBody(body(this.ctx));
    const buf = Buffer.from(text ?? '');
    req.dispatch.body = buf;
    req.dispatch.headers = isJson ? req.jsonHeaders : req.plainHeaders;
    return buf.length;
  }
}

function prepare(def: ResolvedRequest, index: number): PreparedRequest {
  const url = new URL(def.url);
  const plainHeaders = { ...def.headers };
  const jsonHeaders = withJsonContentType(plainHeaders);
  const fixed = typeof def.body === 'function' ? null : encodeBody(def.body);
  const fixedBody = fixed && fixed.text !== null ? Buffer.from(fixed.text) : null;
  const headers = fixed?.isJson ? jsonHeaders : plainHeaders;
  const method = def.method.toUpperCase();
  const path = `${url.pathname}${url.search}`;
  let head = `${method} ${path} HTTP/1.1\r\nhost: ${url.host}\r\nconnection: keep-alive\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  return {
    index, def, fixedBody, plainHeaders, jsonHeaders,
    headBytes: Buffer.byteLength(head),
    dispatch: { origin: url.origin, path, method: method as Dispatcher.HttpMethod, headers, body: fixedBody },
  };
}

/** Bytes undici writes for a request with a body of `bodyBytes` (`content-length: N\r\n\r\n` and the body, or the blank line). */
export function requestBytes(req: PreparedRequest, bodyBytes: number): number {
  const hasBody = req.fixedBody !== null || typeof req.def.body === 'function';
  return req.headBytes + (hasBody ? 20 + String(bodyBytes).length + bodyBytes : 2);
}
