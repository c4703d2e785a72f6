/// <reference types="k6" />
import { sleep } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import type { ResolvedStep } from '../../scenario/resolved.ts';
import type { ScenarioDefinition } from '../../scenario/types.ts';
import { planTimeline, TIMELINE_REQUEST_NAME, toxicName, TOXIC_PREFIX } from '../../timeline/plan.ts';

// The fault timeline compiled into the k6 script (`faultline build --timeline-in-k6`): one
// extra scenario of one VU, started with the load, calls the Toxiproxy API at each step's
// offset. For distributed k6, where no side controller sees t0. Runs inside k6.

export const TIMELINE_SCENARIO = 'faultline_timeline';
/** Tag on the timeline's own API calls, so they are not mistaken for the load. */
const PARAMS = { tags: { name: TIMELINE_REQUEST_NAME }, headers: { 'content-type': 'application/json' }, timeout: '5s' };

function api(): string {
  const url = __ENV.TOXIPROXY_URL;
  if (!url) {
    const message = 'faultline: TOXIPROXY_URL is not set; this script switches faults through the Toxiproxy API';
    exec.test.abort(message);
    throw new Error(message);
  }
  return url.replace(/\/+$/, '');
}

const proxyUrl = (name: string) => `${api()}/proxies/${encodeURIComponent(name)}`;

function call(method: string, url: string, body?: unknown): void {
  const res = http.request(method, url, body === undefined ? null : JSON.stringify(body), PARAMS);
  if (res.status >= 300 && !(method === 'DELETE' && res.status === 404)) console.warn(`faultline timeline: ${method} ${url} answered ${res.status}: ${String(res.body)}`);
}

function setEnabled(step: ResolvedStep, enabled: boolean): void {
  call('POST', proxyUrl(step.target), { enabled });
}

/** Creates the scenario's proxies (enabled) and removes faultline toxics left by a killed run. */
export function prepareProxies(def: ScenarioDefinition): void {
  const proxies = (def.proxies ?? []).map((p) => ({ ...p, enabled: true }));
  if (proxies.length) call('POST', `${api()}/populate`, proxies);
  clearFaults(def);
}

/** Removes every faultline toxic from the scenario's proxies and enables them. */
export function clearFaults(def: ScenarioDefinition): void {
  for (const proxy of def.proxies ?? []) {
    const res = http.get(`${proxyUrl(proxy.name)}/toxics`, PARAMS);
    const listed: unknown = res.status === 200 ? JSON.parse(String(res.body)) : [];
    const toxics = Array.isArray(listed) ? (listed as { name: string }[]) : [];
    for (const t of toxics) if (t.name.indexOf(TOXIC_PREFIX) === 0) call('DELETE', `${proxyUrl(proxy.name)}/toxics/${t.name}`);
    call('POST', proxyUrl(proxy.name), { enabled: true });
  }
}

/** The timeline scenario's function: sleeps to each action's offset and makes its call. */
export function createTimeline(def: ScenarioDefinition, steps: ResolvedStep[]): () => void {
  const actions = planTimeline(steps);
  return function faultlineTimeline(): void {
    const start = Date.now();
    for (const action of actions) {
      const waitMs = start + action.atMs - Date.now();
      if (waitMs > 0) sleep(waitMs / 1000);
      const { step } = action;
      const toxicUrl = `${proxyUrl(step.target)}/toxics`;
      if (step.fault.type === 'down') setEnabled(step, action.kind === 'off');
      else if (action.kind === 'on') call('POST', toxicUrl, { name: toxicName(step), type: step.fault.type, stream: step.stream, toxicity: step.toxicity, attributes: action.attributes });
      else if (action.kind === 'ramp') call('POST', `${toxicUrl}/${toxicName(step)}`, { attributes: action.attributes });
      else call('DELETE', `${toxicUrl}/${toxicName(step)}`);
    }
    clearFaults(def);
  };
}
