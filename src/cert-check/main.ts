import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod/mini';
import { ActionFailure, ConfigurationError } from '../core/errors.js';
import { input, mapInput, required } from '../core/inputs.js';
import { type RunOptions, runAction } from '../core/run.js';
import type { Summary } from '../core/summary.js';
import { type CertReport, checkCertificates } from './check.js';
import type { CertResult } from './evaluate.js';
import { hostEntryProblem, parseHostEntries } from './hosts.js';

export const inputSchema = z.object({
  hosts: mapInput(required(input.list({ min: 1, item: hostEntryProblem })), parseHostEntries),
  'warn-days': input.integer({ min: 0, max: 3650 }),
  'fail-days': input.integer({ min: 0, max: 3650 }),
  'ca-file': input.text(),
  timeout: input.duration({ max: 300_000 }),
  'policy-file': input.text(),
});

export function run(options?: RunOptions) {
  return runAction(
    'cert-check',
    async (ctx) => {
      const inputs = ctx.inputs(inputSchema);
      const { certificates } = await ctx.policy();
      const thresholds = {
        warnDays: inputs['warn-days'] ?? certificates.warnDays,
        failDays: inputs['fail-days'] ?? certificates.failDays,
      };
      if (thresholds.failDays > thresholds.warnDays)
        throw new ConfigurationError([
          {
            field: inputs['fail-days'] === undefined ? 'input "warn-days"' : 'input "fail-days"',
            value: String(inputs['fail-days'] ?? inputs['warn-days']),
            message: `fail-days (${thresholds.failDays}) must not be more than warn-days (${thresholds.warnDays})`,
          },
        ]);
      const extraCa = inputs['ca-file'] ? await readCaFile(inputs['ca-file'], ctx.workspace) : undefined;

      const report = await checkCertificates(
        { targets: inputs.hosts, thresholds, timeoutMs: inputs.timeout ?? 10_000, extraCa },
        { clock: ctx.clock, log: ctx.log },
      );

      ctx.setOutput('expiring', report.expiring);
      ctx.setOutput('expired', report.expired);
      ctx.setOutput('min-days-left', report.minDaysLeft ?? '');
      ctx.setOutput('report', report.results);
      writeSummary(ctx.summary, report);

      if (report.failed.length) {
        const total = report.results.length;
        throw new ActionFailure(
          `${report.failed.length} of ${total} certificate${total > 1 ? 's' : ''} failed: ${report.results
            .filter((r) => r.status === 'failed')
            .map((r) => `${r.host} (${r.problems.join('; ')})`)
            .join('; ')}`,
          'renew or fix the certificates listed in the job summary; for an internal CA, pass its certificate in ca-file',
        );
      }
    },
    options,
  );
}

/** The PEM certificates of `ca-file`; a file that cannot be read or holds no certificate is a configuration error. */
async function readCaFile(path: string, workspace: string): Promise<string[]> {
  const problem = (message: string) => new ConfigurationError([{ field: 'input "ca-file"', value: path, message }]);
  let text: string;
  try {
    text = await readFile(isAbsolute(path) ? path : join(workspace, path), 'utf8');
  } catch (error) {
    throw problem(`cannot be read (${(error as Error).message}); expected a PEM file of CA certificates`);
  }
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (pems.length === 0) throw problem('holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  pems.forEach((pem, i) => {
    try {
      new X509Certificate(pem);
    } catch (error) {
      throw problem(`certificate ${i + 1} cannot be parsed (${(error as Error).message})`);
    }
  });
  return pems;
}

const ICON = { ok: '✅ ok', warning: '⚠️ expiring', failed: '❌ failed' } as const;

function writeSummary(summary: Summary, report: CertReport): void {
  const { results, thresholds } = report;
  const warned = results.filter((r) => r.status === 'warning').length;
  summary
    .heading('Certificate check')
    .paragraph(
      report.failed.length
        ? `❌ ${report.failed.length} of ${results.length} failed${warned ? `, ${warned} expiring` : ''}`
        : warned
          ? `⚠️ ${warned} of ${results.length} expiring within ${thresholds.warnDays} days`
          : `✅ ${results.length === 1 ? 'The certificate is' : `All ${results.length} certificates are`} fine`,
    )
    .table(
      ['Host', 'Result', 'Days left', 'Expires', 'Subject', 'Issuer', 'Chain', 'Host name', 'Problem'],
      results.map((r: CertResult) => [
        r.host,
        ICON[r.status],
        r.daysLeft,
        r.validTo?.slice(0, 10),
        r.subject,
        r.issuer,
        r.reached ? (r.trusted ? 'trusted' : 'untrusted') : undefined,
        r.reached ? (r.hostnameMatches ? 'matches' : 'mismatch') : undefined,
        [...r.problems, ...r.warnings].join('; '),
      ]),
    )
    .paragraph(
      `Thresholds: fail under ${thresholds.failDays} days left, warn under ${thresholds.warnDays}. ` +
        'Days left are whole days until the first certificate of the chain expires.',
    );
}
