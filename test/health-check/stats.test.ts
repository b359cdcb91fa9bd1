import { describe, expect, it } from 'vitest';
import { judgeSampling, type Probe } from '../../src/health-check/check.js';
import {
  parseExpectedBody,
  parseExpectedStatus,
  statusEntryProblem,
  statusMatches,
} from '../../src/health-check/expect.js';
import { latencyStats, percentile } from '../../src/health-check/stats.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('percentile (nearest rank)', () => {
  it('takes the value at rank ceil(p × n / 100)', () => {
    expect(percentile(range(20), 95)).toBe(19);
    expect(percentile(range(20), 50)).toBe(10);
    expect(percentile(range(20), 99)).toBe(20);
    expect(percentile(range(100), 95)).toBe(95);
    expect(percentile(range(1000), 99)).toBe(990);
    // 95 × 60 / 100 = 57 exactly: no floating-point rounding up to rank 58.
    expect(percentile(range(60), 95)).toBe(57);
  });

  it('is the slowest value when there are fewer than 20 samples, and the only value for one', () => {
    expect(percentile(range(19), 95)).toBe(19);
    expect(percentile([42], 50)).toBe(42);
    expect(percentile([], 95)).toBeUndefined();
  });

  it('refuses percentiles outside (0, 100]', () => {
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('sorts the latencies itself', () => {
    expect(latencyStats([30, 10, 20, 40])).toEqual({ p50Ms: 20, p95Ms: 40, p99Ms: 40, maxMs: 40 });
  });
});

describe('expected status and body', () => {
  it('accepts codes, ranges and classes', () => {
    const expected = parseExpectedStatus(['200-204', '301', '4xx']);
    expect([200, 204, 301, 404, 499].map((s) => statusMatches(expected, s))).toEqual([true, true, true, true, true]);
    expect([205, 302, 500, 199].map((s) => statusMatches(expected, s))).toEqual([false, false, false, false]);
  });

  it('names what is allowed for a bad entry', () => {
    expect(statusEntryProblem('ok')).toMatch(/expected status codes \(200\), ranges \(200-299\) or classes \(2xx\)/);
    expect(statusEntryProblem('299-200')).toBeDefined();
    expect(statusEntryProblem('600')).toBeDefined();
    expect(statusEntryProblem('2xx')).toBeUndefined();
  });

  it('matches a substring, or a /regular expression/ with flags', () => {
    expect(parseExpectedBody('"status":"ok"').test('{"status":"ok"}')).toBe(true);
    expect(parseExpectedBody('"status":"ok"').test('{"status": "ok"}')).toBe(false);
    const regex = parseExpectedBody('/"STATUS":\\s*"ok"/ig');
    expect(regex.test('{"status": "ok"}')).toBe(true);
    // The g flag is dropped, so a second test of the same text does not fail on lastIndex.
    expect(regex.test('{"status": "ok"}')).toBe(true);
    expect(() => parseExpectedBody('/(unclosed/')).toThrow(/not a valid regular expression/);
  });
});

describe('judgeSampling', () => {
  const ok = (latencyMs: number): Probe => ({ ok: true, status: 200, latencyMs });
  const bad = (problem: string): Probe => ({ ok: false, status: 503, latencyMs: 1, problem });
  const limits = { p95Ms: 500, errorRate: 0.001 };

  it('passes below both thresholds and reports percentiles over successful samples', () => {
    const result = judgeSampling(
      range(100).map((i) => ok(i * 4)),
      limits,
    );
    expect(result).toMatchObject({
      requests: 100,
      errors: 0,
      errorRate: 0,
      p50Ms: 200,
      p95Ms: 380,
      p99Ms: 396,
      violations: [],
    });
  });

  it('fails when the p95 equals the threshold ("below", as the runbook says)', () => {
    const result = judgeSampling([...range(95).map(() => ok(100)), ...range(5).map(() => ok(500))], limits);
    expect(result.p95Ms).toBe(100);
    const at = judgeSampling([...range(94).map(() => ok(100)), ...range(6).map(() => ok(500))], limits);
    expect(at.p95Ms).toBe(500);
    expect(at.violations).toEqual(['p95 500.0 ms is not below 500.0 ms']);
  });

  it('fails at an error rate of exactly 0.1 % and counts the kinds of error', () => {
    const probes = [...range(998).map(() => ok(5)), bad('HTTP 503'), bad('HTTP 503')];
    const result = judgeSampling(probes, limits);
    expect(result.errorRate).toBe(0.002);
    expect(result.errorKinds).toEqual([{ problem: 'HTTP 503', count: 2 }]);
    expect(result.violations).toEqual(['error rate 0.2 % is not below 0.1 %']);
    expect(judgeSampling([...range(999).map(() => ok(5)), bad('x')], limits).violations).toHaveLength(1);
  });

  it('treats a threshold of 0 as "no errors": zero errors passes, one fails', () => {
    expect(judgeSampling([ok(1), ok(2)], { p95Ms: 500, errorRate: 0 }).violations).toEqual([]);
    expect(judgeSampling([ok(1), bad('HTTP 500')], { p95Ms: 500, errorRate: 0 }).violations).toHaveLength(1);
  });

  it('has no latency when every sample failed, and fails on the error rate', () => {
    const result = judgeSampling([bad('ECONNREFUSED'), bad('ECONNREFUSED')], limits);
    expect(result.p95Ms).toBeUndefined();
    expect(result.violations).toEqual(['error rate 100 % is not below 0.1 %']);
  });
});
