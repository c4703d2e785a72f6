// The parts of k6's REST API (`k6 run --address`) that faultline uses: status, resume, stop.
// Shapes as recorded from k6 v0.49 (test/fixtures/k6/README.md; the real k6 answers in test/real-tools).

export interface K6Status {
  status: number;
  paused: boolean;
  running: boolean;
  stopped: boolean;
  vus: number;
  'vus-max': number;
}

const statusBody = (attributes: Partial<K6Status>) =>
  JSON.stringify({ data: { type: 'status', id: 'default', attributes } });

export class K6RestApi {
  constructor(readonly baseUrl: string, private readonly timeoutMs = 2000) {}

  async status(): Promise<K6Status> {
    const res = await fetch(`${this.baseUrl}/v1/status`, { signal: AbortSignal.timeout(this.timeoutMs) });
    return this.attributes(res);
  }

  /** A metric's current aggregate (`sample`: `{count, rate}` for counters, `{rate}` for rates); null before it has a value. */
  async metric(name: string): Promise<Record<string, number> | null> {
    const res = await fetch(`${this.baseUrl}/v1/metrics/${name}`, { signal: AbortSignal.timeout(this.timeoutMs) });
    const text = await res.text();
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`k6 REST API answered ${res.status}: ${text.trim()}`);
    return (JSON.parse(text) as { data: { attributes: { sample: Record<string, number> } } }).data.attributes.sample;
  }

  /** Resumes a `--paused` run; k6 answers once the resume is accepted. */
  resume(): Promise<K6Status> {
    return this.patch({ paused: false });
  }

  /** Stops the run; k6 then exits with 103. */
  stop(): Promise<K6Status> {
    return this.patch({ stopped: true });
  }

  private async patch(attributes: Partial<K6Status>): Promise<K6Status> {
    const res = await fetch(`${this.baseUrl}/v1/status`, {
      method: 'PATCH', body: statusBody(attributes), headers: { 'content-type': 'application/json' },
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    return this.attributes(res);
  }

  private async attributes(res: Response): Promise<K6Status> {
    const text = await res.text();
    if (!res.ok) throw new Error(`k6 REST API answered ${res.status}: ${text.trim()}`);
    return (JSON.parse(text) as { data: { attributes: K6Status } }).data.attributes;
  }
}
