import type { SampleSink } from '../samples.ts';

// k6 writes every HTTP metric point of one request consecutively, all stamped with the
// same time (the moment the request ENDED) and the same tags. A group is the run of
// consecutive request points sharing one time stamp; it closes when the time changes or
// when a field it already has comes again (two requests that ended in the same ns).
//
// Send time (what places a request in a window) = end - http_req_duration - http_req_blocked.
// http_req_blocked is the time spent waiting for a connection slot and includes
// http_req_connecting and TLS; http_req_duration = sending + waiting + receiving. Without
// this a request that hung through a fault would land seconds after it was sent.

export const FIELD_REQS = 1;
export const FIELD_DURATION = 2;
export const FIELD_BLOCKED = 4;
export const FIELD_FAILED = 8;

/** One reused object per reader: no allocation per request. */
export class RequestAssembler {
  /** The group's time stamp as written, compared in place against the next lines. */
  key = '';
  private seen = 0;
  private endMs = 0;
  private durationMs = 0;
  private blockedMs = 0;
  private failed = false;
  private tagMask = 0;

  constructor(private readonly sink: SampleSink) {}

  /** True when a point with this field and time key belongs to the open group. */
  continues(field: number, sameKey: boolean): boolean {
    return sameKey && this.seen !== 0 && (this.seen & field) === 0;
  }

  start(key: string, endMs: number, tagMask: number): void {
    this.flush();
    this.key = key;
    this.endMs = endMs;
    this.tagMask = tagMask;
  }

  set(field: number, value: number): void {
    this.seen |= field;
    if (field === FIELD_DURATION) this.durationMs = value;
    else if (field === FIELD_BLOCKED) this.blockedMs = value;
    else if (field === FIELD_FAILED) this.failed = value !== 0;
  }

  /** Emits the open group as a request (when it has `http_reqs` or a duration) and resets. */
  flush(): void {
    if ((this.seen & (FIELD_REQS | FIELD_DURATION)) !== 0) {
      this.sink.request(this.endMs - this.durationMs - this.blockedMs, this.endMs, this.durationMs, this.failed, this.tagMask);
    }
    this.seen = 0;
    this.durationMs = 0;
    this.blockedMs = 0;
    this.failed = false;
    this.key = '';
  }
}
