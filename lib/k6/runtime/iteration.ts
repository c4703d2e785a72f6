/// <reference types="k6" />
import { check } from 'k6';
import exec from 'k6/execution';
import http, { type RefinedParams, type ResponseType } from 'k6/http';
import { cumulativeWeights, DEFAULT_EXPECTED_STATUS, encodeBody, isExpectedStatus, pickIndex, requestMethod, requestUrl, withJsonContentType } from '../../scenario/request-plan.ts';
import type { IterationContext, RequestDefinition, ScenarioDefinition } from '../../scenario/types.ts';

// The k6 default function built from the scenario's weighted request mix. Runs inside k6;
// the mix itself (weights, URL, method, statuses, bodies) is lib/scenario/request-plan.ts.

interface PreparedRequest {
  def: RequestDefinition;
  method: string;
  url: string;
  params: RefinedParams<ResponseType>;
}

export function createIteration(def: ScenarioDefinition): () => void {
  const baseUrl = (__ENV.TARGET_URL || def.target.baseUrl).replace(/\/+$/, '');
  const cumulative = cumulativeWeights(def.requests.map((r) => r.weight ?? 1));
  const total = cumulative[cumulative.length - 1] ?? 0;
  const prepared: PreparedRequest[] = def.requests.map((r) => ({
    def: r,
    method: requestMethod(r.method),
    url: requestUrl(baseUrl, r),
    params: {
      headers: { ...r.headers },
      tags: { name: r.name },
      ...(r.timeout !== undefined ? { timeout: r.timeout } : {}),
      // What counts as a failed request in http_req_failed.
      responseCallback: http.expectedStatuses(...(r.expect?.status ?? [DEFAULT_EXPECTED_STATUS])),
    },
  }));

  return function iteration(): void {
    const req = prepared[pickIndex(cumulative, Math.random() * total)]!;
    const ctx: IterationContext = { iteration: exec.scenario.iterationInTest, vu: exec.vu.idInTest };
    const { text, isJson } = encodeBody(typeof req.def.body === 'function' ? req.def.body(ctx) : req.def.body);
    const params = isJson ? { ...req.params, headers: withJsonContentType(req.params.headers as Record<string, string>) } : req.params;
    const res = http.request(req.method, req.url, text, params);
    const expected = req.def.expect?.status;
    const userCheck = req.def.expect?.check;
    check(res, {
      [`${req.def.name} status`]: (r) => isExpectedStatus(r.status, expected),
      ...(userCheck ? { [`${req.def.name} check`]: (r: typeof res) => userCheck({ status: r.status, body: typeof r.body === 'string' ? r.body : null, headers: r.headers }) } : {}),
    });
  };
}
