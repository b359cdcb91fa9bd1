import { z } from 'zod/mini';
import { formatDuration } from '../core/duration.js';
import { ActionFailure } from '../core/errors.js';
import { input, mapInput, required } from '../core/inputs.js';
import { type RunOptions, runAction } from '../core/run.js';
import { registerSecret } from '../core/secrets.js';
import type { Summary } from '../core/summary.js';
import { checkHealth, type HealthReport, showMs, showPercent } from './check.js';
import { parseExpectedBody, parseExpectedStatus, statusEntryProblem } from './expect.js';

export const inputSchema = z.object({
  urls: required(input.list({ min: 1, item: urlProblem })),
  'expected-status': mapInput(input.list({ item: statusEntryProblem }), (v) => v && parseExpectedStatus(v)),
  'expected-body': mapInput(input.text(), (text, fail) => {
    if (text === undefined) return undefined;
    try {
      return parseExpectedBody(text);
    } catch (error) {
      return fail((error as Error).message);
    }
  }),
  timeout: input.duration({ max: 600_000 }),
  retries: input.integer({ min: 0, max: 10_000 }),
  deadline: input.duration({ max: 6 * 3_600_000 }),
  backoff: input.duration({ max: 600_000 }),
  samples: input.integer({ min: 0, max: 100_000 }),
  concurrency: input.integer({ min: 1, max: 500 }),
  'p95-threshold': input.duration(),
  'error-rate-threshold': mapInput(input.text(), (text, fail) => {
    if (text === undefined) return undefined;
    return parseRate(text) ?? fail('expected a fraction from 0 to 1 (0.001) or a percentage (0.1%)');
  }),
  'policy-file': input.text(),
});

export function run(options?: RunOptions) {
  return runAction(
    'health-check',
    async (ctx) => {
      const inputs = ctx.inputs(inputSchema);
      const { health } = await ctx.policy();
      inputs.urls.forEach(registerUrlCredentials);
      const report = await checkHealth(
        {
          urls: inputs.urls,
          expectedStatus: inputs['expected-status'],
          expectedBody: inputs['expected-body'],
          timeoutMs: inputs.timeout ?? health.timeout,
          retries: inputs.retries,
          deadlineMs: inputs.deadline,
          backoffMs: inputs.backoff,
          samples: inputs.samples,
          concurrency: inputs.concurrency,
          thresholds: {
            p95Ms: inputs['p95-threshold'] ?? health.p95,
            errorRate: inputs['error-rate-threshold'] ?? health.errorRate,
          },
        },
        { clock: ctx.clock, log: ctx.log },
      );

      ctx.setOutput('healthy', report.healthy);
      ctx.setOutput('failed-urls', report.failedUrls);
      ctx.setOutput('p95-ms', report.p95Ms === undefined ? '' : round(report.p95Ms));
      ctx.setOutput('error-rate', report.errorRate ?? '');
      writeSummary(ctx.summary, report);

      if (!report.healthy) {
        const total = report.urls.length;
        throw new ActionFailure(
          `${report.failedUrls.length} of ${total} URL${total > 1 ? 's' : ''} unhealthy: ${report.urls
            .filter((u) => !u.healthy)
            .map((u) => `${u.url} (${u.problem})`)
            .join('; ')}`,
          'see the job summary; do not proceed with the deploy until the service is healthy',
        );
      }
    },
    options,
  );
}

function writeSummary(summary: Summary, report: HealthReport): void {
  const total = report.urls.length;
  const failed = report.failedUrls.length;
  summary
    .heading('Health check')
    .paragraph(
      failed
        ? `❌ ${failed} of ${total} URLs unhealthy`
        : `✅ ${total === 1 ? 'The URL is' : `All ${total} URLs are`} healthy`,
    );
  const sampling = report.thresholds !== undefined;
  const headers = ['URL', 'Result', 'HTTP', 'Attempts', 'Latency'];
  if (sampling) headers.push('Samples', 'Error rate', 'p50', 'p95', 'p99');
  headers.push('Problem');
  summary.table(
    headers,
    report.urls.map((u) => {
      const row: (string | number | undefined)[] = [
        u.url,
        u.healthy ? '✅ healthy' : '❌ unhealthy',
        u.status,
        u.attempts,
        showMs(u.latencyMs),
      ];
      if (sampling) {
        const s = u.sampling;
        row.push(
          s?.requests ?? 'not sampled',
          s && showPercent(s.errorRate),
          s && showMs(s.p50Ms),
          s && showMs(s.p95Ms),
          s && showMs(s.p99Ms),
        );
      }
      const kinds = u.sampling?.errorKinds.slice(0, 3).map((k) => `${k.problem} × ${k.count}`) ?? [];
      row.push([u.problem, ...kinds].filter(Boolean).join('; '));
      return row;
    }),
  );
  if (report.thresholds) {
    summary.paragraph(
      `Thresholds: p95 below ${formatDuration(report.thresholds.p95Ms)}, error rate below ${showPercent(report.thresholds.errorRate)}. ` +
        'Percentiles are nearest-rank over the successful samples; the error rate counts every failed sample.',
    );
  }
}

function urlProblem(entry: string): string | undefined {
  try {
    const url = new URL(entry);
    return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'must be an http: or https: URL';
  } catch {
    return 'is not an absolute URL (expected https://host/path)';
  }
}

/** Masks the credentials a URL may carry (user:password@, token query parameters); the rest stays readable. */
function registerUrlCredentials(text: string): void {
  const url = new URL(text);
  if (url.password) registerSecret(decodeURIComponent(url.password));
  for (const [key, value] of url.searchParams) if (/pass|secret|token|key/i.test(key)) registerSecret(value);
}

function parseRate(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(text);
  if (!match) return undefined;
  const rate = match[2] ? Number(match[1]) / 100 : Number(match[1]);
  return rate >= 0 && rate <= 1 ? rate : undefined;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
