import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runBundle } from '../support/bundle.js';
import { closedPortUrl, startHealthServer, type TestServer } from './server.js';

/** The committed bundle, run as the runner runs it, against the local HTTP server. */
const bundle = join(repoRoot, 'actions/health-check/dist/index.js');

describe.skipIf(!existsSync(bundle))('health-check bundle', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startHealthServer();
  });
  afterAll(() => server.close());

  it('passes healthy URLs: exit 0, outputs, a row per URL', async () => {
    const run = await runBundle('health-check', {
      inputs: { urls: `${server.origin}/ok, ${server.origin}/slow?ms=20` },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toEqual({ healthy: 'true', 'failed-urls': '[]', 'p95-ms': '', 'error-rate': '' });
    expect(run.summary).toContain('✅ All 2 URLs are healthy');
    expect(run.summary).toContain(`| ${server.origin}/slow?ms=20 | ✅ healthy | 200 | 1 |`);
  });

  it('fails on a URL that stays unhealthy after its retries, with an error annotation', async () => {
    const down = await closedPortUrl();
    const run = await runBundle('health-check', {
      inputs: { urls: `${server.origin}/flaky/bundle-a?fail=1\n${down}`, retries: '1', backoff: '10ms' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(JSON.parse(run.outputs['failed-urls'] as string)).toEqual([down]);
    const error = run.annotations.find((a) => a.level === 'error')?.message;
    expect(error).toMatch(
      new RegExp(`^health-check: 1 of 2 URLs unhealthy: ${down} \\(connect ECONNREFUSED .*\\) — see the job summary`),
    );
    expect(run.summary).toContain(`| ${server.origin}/flaky/bundle-a?fail=1 | ✅ healthy | 200 | 2 |`);
    expect(run.summary).toMatch(/\| ❌ unhealthy \| — \| 2 \| [\d.]+ ms \| connect ECONNREFUSED/);
  });

  it('samples against the policy thresholds and reports p95 and error rate', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'health-check-ws-'));
    mkdirSync(join(workspace, '.github'));
    writeFileSync(join(workspace, '.github/runbook.yml'), 'health:\n  errorRate: 0.05\n');
    const run = await runBundle('health-check', {
      inputs: { urls: `${server.origin}/every/bundle-b?n=10`, samples: '50', concurrency: '5' },
      workspace,
    });
    // Requests 2..51 are the samples: 10, 20, 30, 40 and 50 fail, 10 % > 5 %.
    expect(run.exitCode).toBe(1);
    expect(run.outputs['error-rate']).toBe('0.1');
    expect(Number(run.outputs['p95-ms'])).toBeGreaterThan(0);
    expect(run.annotations[0]?.message).toContain('error rate 10 % is not below 5 %');
    expect(run.summary).toMatch(
      /\| 50 \| 10 % \| [\d.]+ ms \| [\d.]+ ms \| [\d.]+ ms \| error rate 10 % is not below 5 %; HTTP 500, expected 200-299 × 5 \|/,
    );
  });

  it('masks a password in a URL and names bad inputs', async () => {
    const port = new URL(server.origin).port;
    const secret = await runBundle('health-check', {
      inputs: { urls: `http://probe:s3cr3t-pw@127.0.0.1:${port}/status/500` },
    });
    expect(secret.masked).toContain('s3cr3t-pw');
    expect(secret.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain('s3cr3t-pw');
    expect(secret.summary).not.toContain('s3cr3t-pw');
    expect(secret.outputs['failed-urls']).toBe(JSON.stringify([`http://probe:***@127.0.0.1:${port}/status/500`]));

    const bad = await runBundle('health-check', {
      inputs: { urls: `${server.origin}/ok`, concurrency: '0', deadline: 'soon' },
    });
    expect(bad.exitCode).toBe(1);
    expect(bad.annotations[0]?.message).toMatch(
      /^health-check: invalid configuration — input "deadline" \(got "soon"\): expected a duration .*; input "concurrency" \(got "0"\): must be at least 1/,
    );
  });
});
