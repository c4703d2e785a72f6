import { z } from 'zod';
import { parseDurationMs } from './duration.ts';
import { FAULT_ATTRIBUTES, FAULT_TYPES } from './faults.ts';
import { DEFAULT_METHOD, requestMethod } from './request-plan.ts';

// The structural schema of a scenario. Cross-field rules (steps on declared proxies, no
// overlaps, steps within the load) live in validate.ts, which runs after this one.

const DURATION_WORDS = 'a duration like 250ms, 30s or 1m30s (or a number of milliseconds)';

export const durationMs = z
  .union([z.string(), z.number()], { error: DURATION_WORDS })
  .refine((v) => parseDurationMs(v) !== undefined, { error: DURATION_WORDS })
  .transform((v) => parseDurationMs(v)!);

const positiveDurationMs = durationMs.refine((ms) => ms > 0, { error: 'a duration above zero' });
const positive = (words: string) => z.number({ error: words }).positive({ error: words });
const count = (words: string) => z.number({ error: words }).int({ error: words }).min(1, { error: words });
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const name = z.string({ error: 'a name' }).regex(NAME, { error: 'a name of letters, digits, _ and - (for k6 and folder names)' });
const hostPort = z
  .string({ error: 'host:port' })
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, { error: 'host:port, e.g. 127.0.0.1:26379' });
const absoluteUrl = z.string({ error: 'an http(s) URL' }).regex(/^https?:\/\/[^\s/]+/, { error: 'an http(s) URL such as http://127.0.0.1:8080' });

const vuBounds = {
  timeUnit: positiveDurationMs.default(1000),
  preAllocatedVUs: count('a whole number of VUs >= 1').default(50),
  maxVUs: count('a whole number of VUs >= 1').optional(),
  gracefulStop: durationMs.default(30_000),
};

const constantLoad = z.strictObject({
  executor: z.literal('constant-arrival-rate'),
  rate: positive('a rate above 0 (iterations per timeUnit)'),
  duration: positiveDurationMs,
  ...vuBounds,
});

const rampingLoad = z.strictObject({
  executor: z.literal('ramping-arrival-rate'),
  startRate: z.number({ error: 'a rate >= 0' }).min(0, { error: 'a rate >= 0' }).default(0),
  stages: z
    .array(z.strictObject({ target: z.number({ error: 'a rate >= 0' }).min(0, { error: 'a rate >= 0' }), duration: positiveDurationMs }))
    .min(1, { error: 'at least one stage' }),
  ...vuBounds,
});

const load = z.discriminatedUnion('executor', [constantLoad, rampingLoad], {
  error: 'executor "constant-arrival-rate" or "ramping-arrival-rate"',
});

const status = z.number().int().min(100).max(599);
const request = z
  .strictObject({
    name: name,
    weight: positive('a weight above 0').default(1),
    method: z.string().regex(/^[A-Za-z]+$/, { error: 'an HTTP method' }).default(DEFAULT_METHOD).transform(requestMethod),
    path: z.string().startsWith('/', { error: 'a path starting with /' }).optional(),
    url: absoluteUrl.optional(),
    headers: z.record(z.string(), z.string({ error: 'header values as strings' })).default({}),
    body: z.any().optional(),
    timeout: positiveDurationMs.default(60_000),
    expect: z
      .strictObject({
        status: z.array(status, { error: 'a list of HTTP statuses (100-599)' }).min(1).optional(),
        check: z.custom<(res: unknown) => boolean>((v) => typeof v === 'function', { error: 'a function (response) => boolean' }).optional(),
      })
      .default({}),
  })
  .refine((r) => (r.path === undefined) !== (r.url === undefined), {
    error: 'exactly one of `path` or `url`',
    path: ['path'],
  });

const shellCommand = z.string({ error: 'a shell command' }).min(1, { error: 'a shell command' });
const attributes = z.record(z.string(), z.number({ error: 'numbers' }).min(0, { error: 'a number >= 0' }));
const fault = z
  .strictObject({
    type: z.enum(FAULT_TYPES as [string, ...string[]], { error: `a fault type: ${FAULT_TYPES.join(', ')}` }),
    attributes: attributes.default({}),
    commands: z.strictObject({ start: shellCommand.optional(), end: shellCommand.optional() }).optional(),
  })
  .superRefine((f, ctx) => {
    const known = FAULT_ATTRIBUTES[f.type as keyof typeof FAULT_ATTRIBUTES] ?? [];
    for (const key of Object.keys(f.attributes)) {
      if (!known.includes(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['attributes', key],
          input: key,
          message: known.length ? `an attribute of ${f.type}: ${known.join(', ')}` : `no attributes for ${f.type}`,
        });
      }
    }
  });

const step = z.strictObject({
  at: durationMs,
  for: positiveDurationMs.optional(),
  until: durationMs.optional(),
  proxy: z.string({ error: 'the name of a declared proxy' }).optional(),
  process: z.string({ error: 'the name of a declared process' }).optional(),
  fault,
  toxicity: z.number({ error: 'a probability from 0 to 1' }).min(0, { error: 'a probability from 0 to 1' }).max(1, { error: 'a probability from 0 to 1' }).default(1),
  stream: z.enum(['upstream', 'downstream'], { error: '"upstream" or "downstream"' }).default('downstream'),
  ramp: z.array(z.strictObject({ after: durationMs, attributes })).default([]),
});

const processDefinition = z
  .strictObject({
    name,
    pid: z.number({ error: 'a process id' }).int({ error: 'a process id' }).min(2, { error: 'a process id above 1' }).optional(),
    pidFile: z.string({ error: 'a path' }).min(1, { error: 'a path' }).optional(),
    match: z.string({ error: 'a command-line substring' }).min(3, { error: 'a command-line substring of 3 characters or more' }).optional(),
    watch: z.boolean({ error: 'true or false' }).default(true),
  })
  .refine((p) => [p.pid, p.pidFile, p.match].filter((v) => v !== undefined).length === 1, {
    error: 'exactly one of `pid`, `pidFile` or `match`',
    path: ['match'],
  });

const SLO_MEASURE = /^([a-z_][a-z0-9_]*(\{[^{}]+\})?|transition\.(errorRate|settleTime)|recovery\.time|phase\.[A-Za-z0-9_-]+\.(p50|p90|p95|p99|p999|max|errorRate)|overall\.(p50|p90|p95|p99|p999|max|errorRate))$/;
export const THRESHOLD = /^\s*(avg|min|max|med|count|rate|value|p\(\d+(\.\d+)?\))\s*(<=|>=|<|>|===|==|!=)\s*-?\d+(\.\d+)?(ms|s|m)?\s*$/;
const THRESHOLD_WORDS = 'a k6 threshold such as p(99)<250 or rate<0.05 (or a list of them)';
const threshold = z.string({ error: THRESHOLD_WORDS }).regex(THRESHOLD, { error: THRESHOLD_WORDS });
const slo = z.record(
  z.string().regex(SLO_MEASURE, { error: 'a k6 metric (http_req_duration{name:x}) or a faultline measure (transition.errorRate, transition.settleTime, recovery.time, overall.p99, phase.<name>.p99)' }),
  z.union([threshold, z.array(threshold)], { error: THRESHOLD_WORDS }).transform((v) => (Array.isArray(v) ? v : [v])),
);

const guardrail = z.strictObject({
  measure: z.enum(['errorRate', 'p99'], { error: '"errorRate" (fraction) or "p99" (ms)' }),
  above: z.number({ error: 'a number' }).min(0, { error: 'a number >= 0' }),
  for: positiveDurationMs,
});

export const scenarioSchema = z.strictObject({
  name,
  target: z.strictObject({ baseUrl: absoluteUrl }),
  load,
  requests: z.array(request).min(1, { error: 'at least one request' }),
  proxies: z.array(z.strictObject({ name, listen: hostPort, upstream: hostPort })).default([]),
  processes: z.array(processDefinition).default([]),
  timeline: z.array(step).default([]),
  slo: slo.default({}),
  guardrails: z.array(guardrail).default([]),
});

export type ParsedScenario = z.output<typeof scenarioSchema>;
