/**
 * Faults queued on the double, matched by method and path (a regular expression or a substring of
 * the path, without the query), each applying `times` times:
 * - `fail`: a status instead of handling the request, or after really handling it
 *   ("the create succeeded but the response was lost");
 * - `secondaryRateLimit`: 403 with `retry-after` and GitHub's message, the request not handled;
 * - `delay`: the response is held back for `ms` milliseconds;
 * - `barrier`: matching requests wait until `parties` of them have arrived, then all proceed
 *   (two runs that both list before either creates, whatever the scheduling).
 */

export interface FaultMatch {
  /** HTTP method; any method when omitted. */
  method?: string;
  /** Matched against the request path (no query). */
  path: RegExp | string;
  /** How many matching requests it applies to (default 1). */
  times?: number;
}

export type Fault =
  | (FaultMatch & { kind: 'fail'; status: 500 | 502 | 503 | 504; when: 'instead' | 'after' })
  | (FaultMatch & { kind: 'secondary-rate-limit'; retryAfter: number })
  | (FaultMatch & { kind: 'delay'; ms: number })
  | (FaultMatch & { kind: 'barrier'; parties: number; timeoutMs: number });

interface Queued {
  fault: Fault;
  remaining: number;
  hits: number;
  waiting: (() => void)[];
}

export const SECONDARY_RATE_LIMIT_MESSAGE =
  'You have exceeded a secondary rate limit and have been temporarily blocked from content creation. Please retry your request again later. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.';

export class Faults {
  private readonly queue: Queued[] = [];

  /** Answers `status` (500/502/503/504) instead of handling the request, or after handling it (`when: 'after'`). */
  fail(match: FaultMatch & { status?: 500 | 502 | 503 | 504; when?: 'instead' | 'after' }): this {
    return this.add({ ...match, kind: 'fail', status: match.status ?? 502, when: match.when ?? 'instead' });
  }

  /** GitHub's secondary rate limit: 403, `retry-after: <seconds>`, the request not handled. */
  secondaryRateLimit(match: FaultMatch & { retryAfter?: number }): this {
    return this.add({ ...match, kind: 'secondary-rate-limit', retryAfter: match.retryAfter ?? 1 });
  }

  /** Holds the response back for `ms`. */
  delay(match: FaultMatch & { ms: number }): this {
    return this.add({ ...match, kind: 'delay' });
  }

  /** Holds the next `parties` matching requests until all of them have arrived (or `timeoutMs` passed). */
  barrier(match: Omit<FaultMatch, 'times'> & { parties?: number; timeoutMs?: number }): this {
    const parties = match.parties ?? 2;
    return this.add({ ...match, kind: 'barrier', parties, times: parties, timeoutMs: match.timeoutMs ?? 10_000 });
  }

  add(fault: Fault): this {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1)
      throw new Error(`fault times must be a positive whole number, got ${times}`);
    this.queue.push({ fault, remaining: times, hits: 0, waiting: [] });
    return this;
  }

  /** Faults that still have applications left (a test can assert they were all used). */
  pending(): Fault[] {
    return this.queue.filter((q) => q.remaining > 0).map((q) => q.fault);
  }

  /** How many requests each fault was applied to, in the order they were queued. */
  hits(): { fault: Fault; hits: number }[] {
    return this.queue.map((q) => ({ fault: q.fault, hits: q.hits }));
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** Consumes the faults that apply to this request: barriers, every matching delay, then the first failure. */
  take(method: string, path: string): { delayMs: number; failure: Fault | undefined; held: Promise<void>[] } {
    let delayMs = 0;
    let failure: Fault | undefined;
    const held: Promise<void>[] = [];
    for (const q of this.queue) {
      if (q.remaining === 0 || !matches(q.fault, method, path)) continue;
      if (q.fault.kind === 'barrier') {
        held.push(arrive(q, q.fault.timeoutMs));
      } else if (q.fault.kind === 'delay') {
        delayMs += q.fault.ms;
      } else if (failure) {
        continue;
      } else {
        failure = q.fault;
      }
      q.remaining -= 1;
      q.hits += 1;
    }
    return { delayMs, failure, held };
  }
}

/** Waits at a barrier; the last party to arrive releases everyone. */
function arrive(q: Queued, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    q.waiting.push(() => {
      clearTimeout(timer);
      resolve();
    });
    if (q.remaining === 1) for (const release of q.waiting.splice(0)) release();
  });
}

function matches(fault: Fault, method: string, path: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  return typeof fault.path === 'string' ? path.includes(fault.path) : fault.path.test(path);
}
