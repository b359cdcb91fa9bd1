import type { Clock } from '../core/clock.js';
import { formatDuration } from '../core/duration.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { describeUrl } from '../core/secrets.js';
import { DEFAULT_EXPECTED_STATUS, type ExpectedBody, type ExpectedStatus, statusMatches } from './expect.js';
import { latencyStats } from './stats.js';

/**
 * Health checks as the runbook does them (`curl -f …/health` before and after a deploy), as a library:
 * the health-check action and the kubectl-rollout action's post-deploy checks both call `checkHealth`.
 *
 * 1. Check: every URL is requested (in parallel) until it answers healthily. A failing URL is tried
 *    again after a backoff (doubling, capped) while retries remain and before the deadline; a URL that
 *    becomes healthy after retries is healthy, and the attempts are reported.
 * 2. Sampling (optional, `samples > 0`): each URL that passed the check gets `samples` more requests,
 *    `concurrency` at a time; the URL fails when its p95 latency is not below the threshold or its error
 *    rate is not below the threshold (zero errors always passes, so a threshold of 0 means "no errors").
 *
 * A response is healthy when its status is expected, its body matches (if a match is given) and it
 * arrives, body included, within the per-request timeout. Redirects are not followed: a 3xx is judged
 * like any other status, since following it would report the health of a different URL.
 */

export interface HealthCheckOptions {
  urls: readonly (string | URL)[];
  /** Default 200-299. */
  expectedStatus?: ExpectedStatus;
  expectedBody?: ExpectedBody;
  /** Per request, body included. */
  timeoutMs: number;
  /** Further attempts after a failed one. Default: unlimited when a deadline is set, otherwise 0. */
  retries?: number;
  /** From the start of the check; no attempt starts after it, and a request's timeout is cut to it. */
  deadlineMs?: number;
  /** Wait before the first retry; doubles after each retry up to maxBackoffMs. Default 1 s. */
  backoffMs?: number;
  /** Default 30 s. */
  maxBackoffMs?: number;
  /** Sampling: requests per healthy URL (0 or absent: no sampling). */
  samples?: number;
  /** Sampling: requests in flight at once, per URL. Default 10. */
  concurrency?: number;
  /** Sampling thresholds; both must hold. */
  thresholds?: HealthThresholds;
  headers?: Readonly<Record<string, string>>;
}

export interface HealthThresholds {
  /** The p95 latency must be below this. */
  p95Ms: number;
  /** The error rate (0..1) must be below this, unless there were no errors at all. */
  errorRate: number;
}

export interface HealthCheckDeps {
  clock: Clock;
  log: Logger;
  /** The global fetch unless given. */
  fetch?: typeof fetch;
  /** Monotonic milliseconds for latencies; performance.now unless given. */
  elapsed?: () => number;
}

/** One request's outcome. */
export interface Probe {
  ok: boolean;
  status?: number;
  /** Why the response is unhealthy; undefined when ok. */
  problem?: string;
  latencyMs: number;
}

export interface SamplingResult {
  requests: number;
  errors: number;
  /** errors / requests, 0..1. */
  errorRate: number;
  /** Latencies of the healthy responses only (nearest rank); undefined when none succeeded. */
  p50Ms: number | undefined;
  p95Ms: number | undefined;
  p99Ms: number | undefined;
  maxMs: number | undefined;
  /** Problems seen, most frequent first: `HTTP 503` × 3. */
  errorKinds: { problem: string; count: number }[];
  /** Threshold violations; empty when sampling passed. */
  violations: string[];
}

export interface UrlHealth {
  /** The URL as displayed: credentials masked. */
  url: string;
  healthy: boolean;
  /** Requests made by the check (not counting samples). */
  attempts: number;
  /** Status of the last check request, when one arrived. */
  status?: number;
  latencyMs?: number;
  /** Why the URL is unhealthy. */
  problem?: string;
  sampling?: SamplingResult;
}

export interface HealthReport {
  healthy: boolean;
  urls: UrlHealth[];
  failedUrls: string[];
  /** Worst p95 among the sampled URLs; undefined without sampling. */
  p95Ms?: number;
  /** Worst error rate among the sampled URLs; undefined without sampling. */
  errorRate?: number;
  thresholds?: HealthThresholds;
}

export const DEFAULT_BACKOFF_MS = 1_000;
export const DEFAULT_MAX_BACKOFF_MS = 30_000;
export const DEFAULT_CONCURRENCY = 10;

export async function checkHealth(options: HealthCheckOptions, deps: HealthCheckDeps): Promise<HealthReport> {
  const samples = options.samples ?? 0;
  if (samples > 0 && !options.thresholds) throw new Error('checkHealth: sampling needs thresholds');
  const request = requester(options, deps);
  const startedAt = deps.clock.now().getTime();
  const deadline = options.deadlineMs === undefined ? undefined : startedAt + options.deadlineMs;

  const urls = await Promise.all(
    options.urls.map(async (url): Promise<UrlHealth> => {
      const checked = await checkUrl(String(url), request, options, deps, deadline);
      if (!checked.healthy || samples === 0) return checked;
      const sampling = await sampleUrl(String(url), request, samples, options.concurrency ?? DEFAULT_CONCURRENCY);
      const judged = judgeSampling(sampling, options.thresholds as HealthThresholds);
      deps.log.info(
        `${checked.url}: ${judged.requests} samples, ${judged.errors} errors, p95 ${showMs(judged.p95Ms)}${
          judged.violations.length ? ` — ${judged.violations.join('; ')}` : ''
        }`,
      );
      return {
        ...checked,
        healthy: judged.violations.length === 0,
        problem: judged.violations.length ? judged.violations.join('; ') : undefined,
        sampling: judged,
      };
    }),
  );

  const sampled = urls.flatMap((u) => (u.sampling ? [u.sampling] : []));
  const p95s = sampled.flatMap((s) => (s.p95Ms === undefined ? [] : [s.p95Ms]));
  return {
    healthy: urls.every((u) => u.healthy),
    urls,
    failedUrls: urls.filter((u) => !u.healthy).map((u) => u.url),
    p95Ms: p95s.length ? Math.max(...p95s) : undefined,
    errorRate: sampled.length ? Math.max(...sampled.map((s) => s.errorRate)) : undefined,
    thresholds: samples > 0 ? options.thresholds : undefined,
  };
}

type Request = (url: string, timeoutMs: number) => Promise<Probe>;

async function checkUrl(
  url: string,
  request: Request,
  options: HealthCheckOptions,
  { clock, log }: HealthCheckDeps,
  deadline: number | undefined,
): Promise<UrlHealth> {
  const shown = describeUrl(url);
  const maxAttempts = 1 + (options.retries ?? (deadline === undefined ? 0 : Number.POSITIVE_INFINITY));
  let wait = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  for (let attempt = 1; ; attempt++) {
    const remaining = deadline === undefined ? Number.POSITIVE_INFINITY : deadline - clock.now().getTime();
    const probe = await request(url, Math.max(1, Math.min(options.timeoutMs, remaining)));
    const result: UrlHealth = {
      url: shown,
      healthy: probe.ok,
      attempts: attempt,
      status: probe.status,
      latencyMs: probe.latencyMs,
      problem: probe.problem,
    };
    if (probe.ok) {
      log.info(
        `${shown}: healthy (HTTP ${probe.status}, ${showMs(probe.latencyMs)}${attempt > 1 ? `, attempt ${attempt}` : ''})`,
      );
      return result;
    }
    const outOfRetries = attempt >= maxAttempts;
    if (outOfRetries || (deadline !== undefined && clock.now().getTime() + wait >= deadline)) {
      const problem = outOfRetries ? probe.problem : `${probe.problem} (deadline reached)`;
      log.info(`${shown}: unhealthy after ${attempt} attempt${attempt > 1 ? 's' : ''} — ${problem}`);
      return { ...result, problem };
    }
    log.info(`${shown}: attempt ${attempt} failed (${probe.problem}); retrying in ${formatDuration(wait)}`);
    await clock.sleep(wait);
    wait = Math.min(wait * 2, options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
  }
}

/** `count` requests, at most `concurrency` in flight; results in request order. */
async function sampleUrl(url: string, request: Request, count: number, concurrency: number): Promise<Probe[]> {
  const results: Probe[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await request(url, Number.POSITIVE_INFINITY);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

export function judgeSampling(probes: readonly Probe[], thresholds: HealthThresholds): SamplingResult {
  const failed = probes.filter((p) => !p.ok);
  const stats = latencyStats(probes.filter((p) => p.ok).map((p) => p.latencyMs));
  const errorRate = probes.length ? failed.length / probes.length : 0;
  const kinds = new Map<string, number>();
  for (const p of failed) kinds.set(p.problem ?? 'unknown', (kinds.get(p.problem ?? 'unknown') ?? 0) + 1);
  const violations: string[] = [];
  if (stats.p95Ms !== undefined && stats.p95Ms >= thresholds.p95Ms)
    violations.push(`p95 ${showMs(stats.p95Ms)} is not below ${showMs(thresholds.p95Ms)}`);
  if (failed.length > 0 && errorRate >= thresholds.errorRate)
    violations.push(`error rate ${showPercent(errorRate)} is not below ${showPercent(thresholds.errorRate)}`);
  return {
    requests: probes.length,
    errors: failed.length,
    errorRate,
    ...stats,
    errorKinds: [...kinds].map(([problem, count]) => ({ problem, count })).sort((a, b) => b.count - a.count),
    violations,
  };
}

/** Makes one request per call; the per-request timeout covers the body too. */
function requester(options: HealthCheckOptions, deps: HealthCheckDeps): Request {
  const fetchFn = deps.fetch ?? globalThis.fetch;
  const elapsed = deps.elapsed ?? (() => performance.now());
  const expectedStatus = options.expectedStatus ?? DEFAULT_EXPECTED_STATUS;
  const headers = options.headers;
  return async (url, timeoutMs) => {
    const timeout = Math.min(timeoutMs, options.timeoutMs);
    // A timer cleared when the response is complete: AbortSignal.timeout would keep one pending timer per
    // request for the whole timeout, which costs more than the request itself when sampling a fast server.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DOMException('timed out', 'TimeoutError')), timeout);
    const started = elapsed();
    try {
      const response = await fetchFn(url, { redirect: 'manual', headers, signal: controller.signal });
      // Read the whole body either way: latency means "response complete", and the connection is reused.
      const body = options.expectedBody ? await response.text() : await response.arrayBuffer();
      const latencyMs = elapsed() - started;
      const status = response.status;
      if (!statusMatches(expectedStatus, status)) {
        const location = response.headers.get('location');
        const redirect =
          status >= 300 && status < 400 && location ? ` (redirect to ${describeUrl(location)}, not followed)` : '';
        return { ok: false, status, latencyMs, problem: `HTTP ${status}${redirect}, expected ${expectedStatus.text}` };
      }
      if (options.expectedBody && !options.expectedBody.test(body as string))
        return { ok: false, status, latencyMs, problem: `body does not match ${options.expectedBody.text}` };
      return { ok: true, status, latencyMs };
    } catch (error) {
      return { ok: false, latencyMs: elapsed() - started, problem: describeFetchError(error, timeout) };
    } finally {
      clearTimeout(timer);
    }
  };
}

export function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError')
    return `no complete response within ${formatDuration(timeoutMs)}`;
  const cause = error instanceof Error ? (error.cause as (Error & { code?: string }) | undefined) : undefined;
  if (cause?.code) {
    if (!cause.message) return cause.code;
    return cause.message.includes(cause.code) ? cause.message : `${cause.code}: ${cause.message}`;
  }
  return cause ? errorMessage(cause) : errorMessage(error);
}

export function showMs(ms: number | undefined): string {
  if (ms === undefined) return '—';
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

export function showPercent(rate: number): string {
  return `${Number((rate * 100).toPrecision(3))} %`;
}
