/// <reference types="k6" />
import { check } from 'k6';
import exec from 'k6/execution';
import http, { type RefinedParams, type ResponseType } from 'k6/http';
import type { Body, IterationContext, RequestDefinition, ScenarioDefinition } from '../../scenario/types.ts';

// The k6 default function built from the scenario's weighted request mix. Runs inside k6.

interface PreparedRequest {
  def: RequestDefinition;
  method: string;
  url: string;
  params: RefinedParams<ResponseType>;
  /** Upper bound of this request's share in [0, total weight). */
  cumulativeWeight: number;
}

export function createIteration(def: ScenarioDefinition): () => void {
  const baseUrl = (__ENV.TARGET_URL || def.target.baseUrl).replace(/\/+$/, '');
  let total = 0;
  const prepared: PreparedRequest[] = def.requests.map((r) => {
    total += r.weight ?? 1;
    return {
      def: r,
      method: (r.method ?? 'GET').toUpperCase(),
      url: r.url ?? `${baseUrl}${r.path ?? ''}`,
      params: {
        headers: { ...r.headers },
        tags: { name: r.name },
        ...(r.timeout !== undefined ? { timeout: r.timeout } : {}),
        // What counts as a failed request in http_req_failed (default: 200-399 succeed).
        responseCallback: r.expect?.status ? http.expectedStatuses(...r.expect.status) : http.expectedStatuses({ min: 200, max: 399 }),
      },
      cumulativeWeight: total,
    };
  });

  return function iteration(): void {
    const roll = Math.random() * total;
    const req = prepared.find((p) => roll < p.cumulativeWeight) ?? prepared[prepared.length - 1]!;
    const ctx: IterationContext = { iteration: exec.scenario.iterationInTest, vu: exec.vu.idInTest };
    const body = typeof req.def.body === 'function' ? req.def.body(ctx) : req.def.body;
    const params = encodeBody(body, req.params);
    const res = http.request(req.method, req.url, params.payload, params.params);
    const expected = req.def.expect?.status;
    const userCheck = req.def.expect?.check;
    check(res, {
      [`${req.def.name} status`]: (r) => (expected ? expected.includes(r.status) : r.status >= 200 && r.status < 400),
      ...(userCheck ? { [`${req.def.name} check`]: (r: typeof res) => userCheck({ status: r.status, body: typeof r.body === 'string' ? r.body : null, headers: r.headers }) } : {}),
    });
  };
}

/** Objects and arrays go out as JSON, with a JSON content type unless one was given. */
function encodeBody(body: Body | undefined, params: RefinedParams<ResponseType>) {
  if (body === undefined || typeof body === 'string') return { payload: body ?? null, params };
  const headers = { ...params.headers } as Record<string, string>;
  if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  return { payload: JSON.stringify(body), params: { ...params, headers } };
}
