import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { memoryLogger } from '../../src/core/logger.js';
import { checkHealth } from '../../src/health-check/check.js';
import { parseExpectedBody, parseExpectedStatus } from '../../src/health-check/expect.js';
import { closedPortUrl, manualClock, startHealthServer, type TestServer } from './server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startHealthServer();
});
afterAll(() => server.close());

const deps = () => ({ clock: manualClock(), log: memoryLogger() });

describe('checkHealth: one pass over the URLs', () => {
  it('reports healthy URLs with status, latency and one attempt', async () => {
    const report = await checkHealth(
      { urls: [`${server.origin}/ok`, `${server.origin}/slow?ms=20`], timeoutMs: 5_000 },
      deps(),
    );
    expect(report.healthy).toBe(true);
    expect(report.failedUrls).toEqual([]);
    expect(report.urls.map((u) => [u.healthy, u.status, u.attempts])).toEqual([
      [true, 200, 1],
      [true, 200, 1],
    ]);
    expect(report.urls[1]?.latencyMs).toBeGreaterThanOrEqual(19);
    expect(report.p95Ms).toBeUndefined();
    expect(report.errorRate).toBeUndefined();
  });

  it('fails a URL that answers with the wrong status, and keeps the healthy one healthy', async () => {
    const report = await checkHealth(
      { urls: [`${server.origin}/ok`, `${server.origin}/status/500`], timeoutMs: 5_000 },
      deps(),
    );
    expect(report.healthy).toBe(false);
    expect(report.failedUrls).toEqual([`${server.origin}/status/500`]);
    expect(report.urls[1]).toMatchObject({ healthy: false, status: 500, problem: 'HTTP 500, expected 200-299' });
  });

  it('reports a server that is down with the connection error', async () => {
    const down = await closedPortUrl();
    const report = await checkHealth({ urls: [down], timeoutMs: 5_000 }, deps());
    expect(report.urls[0]).toMatchObject({ healthy: false, attempts: 1, status: undefined });
    expect(report.urls[0]?.problem).toMatch(/ECONNREFUSED/);
  });

  it('gives up on a server that does not answer within the timeout', async () => {
    const report = await checkHealth({ urls: [`${server.origin}/hang`], timeoutMs: 200 }, deps());
    expect(report.urls[0]).toMatchObject({ healthy: false, problem: 'no complete response within 200ms' });
  });

  it('does not follow redirects: a 301 is unhealthy unless expected', async () => {
    const url = `${server.origin}/redirect`;
    const strict = await checkHealth({ urls: [url], timeoutMs: 5_000 }, deps());
    expect(strict.urls[0]?.problem).toBe('HTTP 301 (redirect to /ok, not followed), expected 200-299');
    const lenient = await checkHealth(
      { urls: [url], timeoutMs: 5_000, expectedStatus: parseExpectedStatus(['2xx', '301']) },
      deps(),
    );
    expect(lenient.urls[0]).toMatchObject({ healthy: true, status: 301 });
  });

  it('checks the body when a match is given', async () => {
    const url = `${server.origin}/ok`;
    const matching = await checkHealth(
      { urls: [url], timeoutMs: 5_000, expectedBody: parseExpectedBody('/"status":\\s*"ok"/') },
      deps(),
    );
    expect(matching.healthy).toBe(true);
    const other = await checkHealth(
      { urls: [url], timeoutMs: 5_000, expectedBody: parseExpectedBody('"status":"up"') },
      deps(),
    );
    expect(other.urls[0]).toMatchObject({ healthy: false, status: 200, problem: 'body does not match "status":"up"' });
  });

  it('masks credentials in the reported URL', async () => {
    const report = await checkHealth(
      { urls: [`http://probe:hunter2@127.0.0.1:${new URL(server.origin).port}/ok`], timeoutMs: 5_000 },
      deps(),
    );
    expect(report.urls[0]?.url).toBe(`http://probe:***@127.0.0.1:${new URL(server.origin).port}/ok`);
  });
});

describe('checkHealth: retries, backoff and deadline', () => {
  it('a URL healthy after retries is healthy, with its attempts and doubling backoff', async () => {
    const d = deps();
    const report = await checkHealth(
      { urls: [`${server.origin}/flaky/a?fail=2`], timeoutMs: 5_000, retries: 5, backoffMs: 1_000 },
      d,
    );
    expect(report.urls[0]).toMatchObject({ healthy: true, attempts: 3, status: 200 });
    expect(d.clock.sleeps).toEqual([1_000, 2_000]);
    expect(d.log.lines).toContain(
      `${server.origin}/flaky/a?fail=2: attempt 1 failed (HTTP 503, expected 200-299); retrying in 1s`,
    );
  });

  it('stops when the retries are used up', async () => {
    const report = await checkHealth(
      { urls: [`${server.origin}/flaky/b?fail=5`], timeoutMs: 5_000, retries: 1 },
      deps(),
    );
    expect(report.urls[0]).toMatchObject({
      healthy: false,
      attempts: 2,
      status: 503,
      problem: 'HTTP 503, expected 200-299',
    });
  });

  it('with a deadline, retries until no attempt can start before it; backoff is capped', async () => {
    const d = deps();
    const down = await closedPortUrl();
    const report = await checkHealth(
      { urls: [down], timeoutMs: 5_000, deadlineMs: 60_000, backoffMs: 1_000, maxBackoffMs: 8_000 },
      d,
    );
    // Waits 1+2+4+8+8+8+8+8 = 47 s; the next 8 s wait would end at 55 s < 60 s, the one after at 63 s.
    expect(d.clock.sleeps).toEqual([1_000, 2_000, 4_000, 8_000, 8_000, 8_000, 8_000, 8_000, 8_000]);
    expect(report.urls[0]?.attempts).toBe(10);
    expect(report.urls[0]?.problem).toMatch(/ECONNREFUSED.*\(deadline reached\)$/);
  });

  it('"wait until healthy": a flaky URL recovers before the deadline', async () => {
    const report = await checkHealth(
      { urls: [`${server.origin}/flaky/c?fail=4`], timeoutMs: 5_000, deadlineMs: 300_000 },
      deps(),
    );
    expect(report.urls[0]).toMatchObject({ healthy: true, attempts: 5 });
  });

  it('cuts the request timeout to the time left before the deadline', async () => {
    const report = await checkHealth(
      { urls: [`${server.origin}/hang`], timeoutMs: 10_000, deadlineMs: 150 },
      { clock: systemClock, log: memoryLogger() },
    );
    expect(report.urls[0]?.problem).toMatch(/^no complete response within 1\d\dms \(deadline reached\)$/);
  });
});

describe('checkHealth: sampling', () => {
  const thresholds = { p95Ms: 500, errorRate: 0.001 };

  it('samples N requests at the given concurrency and passes a fast, reliable server', async () => {
    server.resetCounters();
    const report = await checkHealth(
      { urls: [`${server.origin}/slow?ms=40`], timeoutMs: 5_000, samples: 100, concurrency: 20, thresholds },
      deps(),
    );
    expect(server.requests).toBe(101); // the check, then the samples
    // Never more than 20 at once; well above 1 (the exact peak depends on how busy the machine is).
    expect(server.maxInFlight).toBeLessThanOrEqual(20);
    expect(server.maxInFlight).toBeGreaterThan(5);
    const sampling = report.urls[0]?.sampling;
    expect(sampling).toMatchObject({ requests: 100, errors: 0, errorRate: 0, violations: [] });
    expect(sampling?.p50Ms).toBeGreaterThanOrEqual(39);
    expect(sampling?.p95Ms).toBeGreaterThanOrEqual(sampling?.p50Ms as number);
    expect(sampling?.p99Ms).toBeGreaterThanOrEqual(sampling?.p95Ms as number);
    expect(report).toMatchObject({ healthy: true, p95Ms: sampling?.p95Ms, errorRate: 0 });
  });

  it('fails a flaky server on its error rate', async () => {
    const report = await checkHealth(
      { urls: [`${server.origin}/every/d?n=10`], timeoutMs: 5_000, samples: 100, concurrency: 5, thresholds },
      deps(),
    );
    // Request 1 is the check; samples are requests 2..101, so requests 10, 20, …, 100 fail.
    expect(report.urls[0]?.sampling).toMatchObject({ requests: 100, errors: 10, errorRate: 0.1 });
    expect(report.urls[0]?.sampling?.errorKinds).toEqual([{ problem: 'HTTP 500, expected 200-299', count: 10 }]);
    expect(report).toMatchObject({ healthy: false, errorRate: 0.1, failedUrls: [`${server.origin}/every/d?n=10`] });
    expect(report.urls[0]?.problem).toBe('error rate 10 % is not below 0.1 %');
  });

  it('fails a slow server on its p95', async () => {
    const report = await checkHealth(
      {
        urls: [`${server.origin}/slow?ms=120`],
        timeoutMs: 5_000,
        samples: 20,
        concurrency: 10,
        thresholds: { p95Ms: 100, errorRate: 0.001 },
      },
      deps(),
    );
    expect(report.healthy).toBe(false);
    expect(report.p95Ms).toBeGreaterThanOrEqual(119);
    expect(report.urls[0]?.problem).toMatch(/^p95 1\d\d\.\d ms is not below 100\.0 ms$/);
  });

  it('does not sample a URL that failed the check; the outputs are the worst URL', async () => {
    const report = await checkHealth(
      {
        urls: [`${server.origin}/status/503`, `${server.origin}/ok`, `${server.origin}/every/e?n=4`],
        timeoutMs: 5_000,
        samples: 40,
        concurrency: 4,
        thresholds,
      },
      deps(),
    );
    expect(report.urls[0]?.sampling).toBeUndefined();
    expect(report.urls[1]?.sampling?.errorRate).toBe(0);
    expect(report.urls[2]?.sampling?.errorRate).toBe(0.25);
    expect(report.errorRate).toBe(0.25);
    expect(report.failedUrls).toHaveLength(2);
  });
});
