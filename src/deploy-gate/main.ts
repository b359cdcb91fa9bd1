import { z } from 'zod/mini';
import { ActionFailure, ConfigurationError } from '../core/errors.js';
import { input, required } from '../core/inputs.js';
import { type RunOptions, runAction } from '../core/run.js';
import { link, type Summary } from '../core/summary.js';
import type { GateReport } from './gate.js';
import { ITEM_TITLES, type ItemStatus } from './types.js';

export const inputSchema = z.object({
  'github-token': required(input.secret()),
  sha: required(input.text({ pattern: /^[0-9a-f]{40}$/i, allowed: 'a full 40-character commit SHA' })),
  ref: input.text({ pattern: /^refs\/[\w./-]+$/, allowed: 'a full ref such as refs/heads/main or refs/tags/v1.2.0' }),
  environment: input.text({ maxLength: 255 }),
  services: input.list({
    item: (s) => (/^[\w.-]+$/.test(s) ? undefined : 'is not a service name (letters, digits, . _ -)'),
  }),
  mode: required(input.choice(['enforce', 'report'] as const)),
  notify: input.boolean(),
  'job-name': input.text(),
  'policy-file': input.text(),
});

const ICON: Record<ItemStatus, string> = { pass: '✅ pass', fail: '❌ fail', skip: '⏭️ skip' };

export function run(options?: RunOptions) {
  return runAction(
    'deploy-gate',
    async (ctx) => {
      const inputs = ctx.inputs(inputSchema);
      const policy = await ctx.policy();
      const { githubContext, requireRepository, createGitHubClient, links } = await import('../core/github.js');
      const github = githubContext(ctx.env);
      const repository = requireRepository(github);
      const environment = inputs.environment ?? policy.deploy.environment;
      const sha = inputs.sha.toLowerCase();
      const notify = inputs.notify ?? false;
      const stakeholders = policy.deploy.checklist.stakeholdersNotified;
      if (notify && stakeholders.enabled && stakeholders.trackingIssue === undefined) {
        throw new ConfigurationError([
          {
            field: 'input "notify"',
            value: 'true',
            message:
              'needs deploy.checklist.stakeholdersNotified.trackingIssue in the policy file: the issue the notice is posted on',
          },
        ]);
      }
      const tests = policy.deploy.checklist.tests;
      if (tests.wait > 0 && tests.interval < 1000) {
        throw new ConfigurationError(
          [
            {
              field: `${inputs['policy-file'] ?? '.github/runbook.yml'}: deploy.checklist.tests.interval`,
              value: `${tests.interval}ms`,
              message: 'must be at least 1s when tests.wait is set (polling GitHub faster only spends the rate limit)',
            },
          ],
          'policy',
        );
      }
      const runId = Number.parseInt(ctx.env.GITHUB_RUN_ID ?? '', 10);

      const [{ runGate }, { githubEvidence }] = await Promise.all([
        import('./gate.js'),
        import('./github-evidence.js'),
      ]);
      const octokit = await createGitHubClient({ token: inputs['github-token'], context: github, log: ctx.log });
      const report = await runGate({
        evidence: githubEvidence(octokit, repository),
        deploy: policy.deploy,
        sha,
        ref: inputs.ref,
        environment,
        services: inputs.services ?? [],
        notify,
        runningJob: { runId: Number.isFinite(runId) ? runId : undefined, jobName: inputs['job-name'] ?? github.job },
        github,
        clock: ctx.clock,
        log: ctx.log,
      });

      ctx.setOutput('passed', report.passed);
      ctx.setOutput('failed-items', report.failedItems.join(','));
      ctx.setOutput('report', {
        sha,
        environment,
        mode: inputs.mode,
        passed: report.passed,
        items: report.items,
      });
      writeSummary(ctx.summary, report, {
        commit: link(`\`${sha.slice(0, 7)}\``, links.commit(github, sha)),
        environment,
        mode: inputs.mode,
      });
      for (const item of report.items) ctx.log.info(`${ICON[item.status]}  ${item.item}: ${item.reason}`);

      if (report.passed) return;
      const what = `${report.failedItems.length} of ${report.items.length} checklist items failed (${report.failedItems.join(', ')})`;
      if (inputs.mode === 'report') {
        ctx.log.warning(`deploy-gate: ${what}; mode is report, so the deploy is not blocked`);
        return;
      }
      throw new ActionFailure(
        `deploy to ${environment} blocked: ${what}`,
        'see the job summary for each reason and its evidence',
      );
    },
    options,
  );
}

function writeSummary(
  summary: Summary,
  report: GateReport,
  about: { commit: string; environment: string; mode: string },
): void {
  summary
    .heading(`Deploy gate: ${report.passed ? '✅ passed' : about.mode === 'report' ? '⚠️ would block' : '❌ blocked'}`)
    .paragraph(`Commit ${about.commit} to **${about.environment}** (mode: ${about.mode}).`)
    .table(
      ['Item', 'Status', 'Reason', 'Evidence'],
      report.items.map((r) => [
        ITEM_TITLES[r.item],
        ICON[r.status],
        r.reason,
        r.evidenceUrl ? link('evidence', r.evidenceUrl) : undefined,
      ]),
    );
}
