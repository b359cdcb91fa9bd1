import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/core/logger.js';
import { run } from '../../src/health-check/main.js';
import { actionEnv } from './action-env.js';
import { closedPortUrl, manualClock, startHealthServer, type TestServer } from './server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startHealthServer();
});
afterAll(() => server.close());
// core.setFailed sets the exit code of this worker; the action's failure is what these tests assert.
afterEach(() => {
  process.exitCode = undefined;
});

describe('health-check action', () => {
  it('passes healthy URLs and writes outputs and a row per URL', async () => {
    const step = actionEnv('health-check', { urls: `${server.origin}/ok\n${server.origin}/slow?ms=10` });
    const result = await run({ env: step.env, clock: manualClock(), log: memoryLogger() });
    expect(result).toEqual({ ok: true, outputs: expect.any(Object) });
    expect(step.outputs()).toEqual({ healthy: 'true', 'failed-urls': '[]', 'p95-ms': '', 'error-rate': '' });
    const summary = step.summary();
    expect(summary).toContain('## Health check');
    expect(summary).toContain('✅ All 2 URLs are healthy');
    expect(summary).toMatch(
      new RegExp(`\\| ${server.origin}/ok \\| ✅ healthy \\| 200 \\| 1 \\| [\\d.]+ ms \\| — \\|`),
    );
  });

  it('fails with the unhealthy URLs named, after retrying them', async () => {
    const down = await closedPortUrl();
    const clock = manualClock();
    const step = actionEnv('health-check', {
      urls: `${server.origin}/ok, ${server.origin}/status/502, ${down}`,
      retries: '2',
    });
    const result = await run({ env: step.env, clock, log: memoryLogger() });
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(
      /^health-check: 2 of 3 URLs unhealthy: .*\/status\/502 \(HTTP 502, expected 200-299\); .*ECONNREFUSED/,
    );
    // Both failing URLs wait 1 s then 2 s; their retries run in parallel.
    expect([...clock.sleeps].sort((a, b) => a - b)).toEqual([1000, 1000, 2000, 2000]);
    expect(JSON.parse(step.outputs()['failed-urls'] as string)).toEqual([`${server.origin}/status/502`, down]);
    expect(step.outputs().healthy).toBe('false');
    expect(step.summary()).toMatch(/\| ❌ unhealthy \| 502 \| 3 \|/);
  });

  it('samples and takes the thresholds from the policy file; inputs override them', async () => {
    const slow = `${server.origin}/slow?ms=60`;
    const step = actionEnv('health-check', { urls: slow, samples: '20', concurrency: '5' });
    mkdirSync(join(step.workspace, '.github'));
    writeFileSync(join(step.workspace, '.github/runbook.yml'), 'health:\n  p95: 50ms\n  errorRate: 0.01\n');
    const failed = await run({ env: step.env, clock: manualClock(), log: memoryLogger() });
    expect(failed.error).toMatch(/p95 \d+\.\d ms is not below 50\.0 ms/);
    expect(Number(step.outputs()['p95-ms'])).toBeGreaterThanOrEqual(59);
    expect(step.outputs()['error-rate']).toBe('0');
    expect(step.summary()).toContain('Thresholds: p95 below 50ms, error rate below 1 %.');
    expect(step.summary()).toMatch(
      /\| URL \| Result \| HTTP \| Attempts \| Latency \| Samples \| Error rate \| p50 \| p95 \| p99 \| Problem \|/,
    );

    const overridden = actionEnv('health-check', {
      urls: slow,
      samples: '20',
      concurrency: '5',
      'p95-threshold': '2s',
    });
    mkdirSync(join(overridden.workspace, '.github'));
    writeFileSync(join(overridden.workspace, '.github/runbook.yml'), 'health:\n  p95: 50ms\n');
    const passed = await run({ env: overridden.env, clock: manualClock(), log: memoryLogger() });
    expect(passed.ok).toBe(true);
    expect(overridden.outputs().healthy).toBe('true');
  });

  it('takes the request timeout from the policy unless the input gives one', async () => {
    const step = actionEnv('health-check', { urls: `${server.origin}/hang` });
    mkdirSync(join(step.workspace, '.github'));
    writeFileSync(join(step.workspace, '.github/runbook.yml'), 'health:\n  timeout: 150ms\n');
    const result = await run({ env: step.env, clock: manualClock(), log: memoryLogger() });
    expect(result.error).toContain('no complete response within 150ms');
  });

  it('names every bad input and what is allowed', async () => {
    const step = actionEnv('health-check', {
      urls: 'ftp://example.com/health, not a url',
      'expected-status': '200, ok',
      'expected-body': '/(/',
      samples: '-1',
      'error-rate-threshold': '5%%',
    });
    const result = await run({ env: step.env, clock: manualClock(), log: memoryLogger() });
    expect(result.ok).toBe(false);
    const error = result.error as string;
    expect(error).toMatch(/^health-check: invalid configuration — /);
    expect(error).toContain('input "urls"');
    expect(error).toContain('"ftp://example.com/health" must be an http: or https: URL');
    expect(error).toContain('"not a url" is not an absolute URL');
    expect(error).toContain('input "expected-status"');
    expect(error).toContain('"ok" is not a status code, range or class');
    expect(error).toContain('input "expected-body" (got "/(/"): is not a valid regular expression');
    expect(error).toContain('input "samples" (got "-1"): must be at least 0');
    expect(error).toContain(
      'input "error-rate-threshold" (got "5%%"): expected a fraction from 0 to 1 (0.001) or a percentage (0.1%)',
    );
  });

  it('accepts an error-rate threshold as a percentage', async () => {
    const step = actionEnv('health-check', {
      urls: `${server.origin}/every/m?n=50`,
      samples: '100',
      'error-rate-threshold': '5%',
    });
    const result = await run({ env: step.env, clock: manualClock(), log: memoryLogger() });
    expect(result.ok).toBe(true);
    expect(step.outputs()['error-rate']).toBe('0.02');
  });
});
