import { describe, expect, it } from 'vitest';
import type { memoryLogger } from '../../src/core/logger.js';
import { codeReview, tallyReviews } from '../../src/deploy-gate/items/code-review.js';
import { migrationsTested } from '../../src/deploy-gate/items/migrations-tested.js';
import { monitoringAlerts } from '../../src/deploy-gate/items/monitoring-alerts.js';
import { rollbackPlan } from '../../src/deploy-gate/items/rollback-plan.js';
import { alertsAtOrAbove, securityScan } from '../../src/deploy-gate/items/security-scan.js';
import { isNotice, noticeMarker, stakeholdersNotified } from '../../src/deploy-gate/items/stakeholders-notified.js';
import { testsPassing } from '../../src/deploy-gate/items/tests.js';
import type { Review } from '../../src/deploy-gate/types.js';
import { checkRun, commitStatus, fakeClock, fakeEvidence, itemContext, OLD_SHA, pull, SHA } from './fakes.js';

let reviewId = 1;
const review = (reviewer: string, state: string, at: string, association = 'MEMBER'): Review => ({
  id: reviewId++,
  reviewer,
  state,
  submittedAt: `2026-11-26T${at}:00Z`,
  htmlUrl: `https://github.com/o/r/pull/42#pullrequestreview-${reviewId}`,
  association,
});

describe('code review', () => {
  it("counts each reviewer's latest position; comments do not withdraw an approval; the author does not count", () => {
    const tally = tallyReviews(
      [
        review('bob', 'APPROVED', '09:00'),
        review('bob', 'COMMENTED', '09:05'),
        review('carol', 'CHANGES_REQUESTED', '09:01'),
        review('carol', 'APPROVED', '09:10'),
        review('dave', 'APPROVED', '09:02'),
        review('dave', 'DISMISSED', '09:03'),
        review('erin', 'APPROVED', '09:20'),
        review('erin', 'CHANGES_REQUESTED', '09:30'),
        review('alice', 'APPROVED', '09:00'),
        review('frank', 'PENDING', '09:40'),
      ],
      'alice',
    );
    expect(tally.approvedBy.sort()).toEqual(['bob', 'carol']);
    expect(tally.changesRequestedBy.map((c) => c.reviewer)).toEqual(['erin']);
  });

  it('counts only owners, members and collaborators, and says who was left out', async () => {
    const evidence = fakeEvidence({
      pullRequestsForCommit: async () => [pull()],
      reviews: async () => [
        review('bob', 'APPROVED', '09:00', 'COLLABORATOR'),
        review('mallory', 'APPROVED', '09:01', 'NONE'),
        review('drive-by', 'CHANGES_REQUESTED', '09:02', 'CONTRIBUTOR'),
      ],
    });
    const r = await codeReview(itemContext({ evidence, policy: { checklist: { codeReview: { approvals: 2 } } } }));
    expect(r).toMatchObject({
      status: 'fail',
      reason:
        'PR #42: 1 approval (@bob), the policy requires 2; not counted: @mallory, @drive-by (not an owner, member or collaborator)',
    });
  });

  it('passes with enough approvals, without GraphQL reviewDecision', async () => {
    const evidence = fakeEvidence({
      pullRequestsForCommit: async () => [pull()],
      reviews: async () => [review('bob', 'APPROVED', '09:00'), review('carol', 'APPROVED', '09:01')],
    });
    const r = await codeReview(itemContext({ evidence, policy: { checklist: { codeReview: { approvals: 2 } } } }));
    expect(r).toEqual({
      item: 'code-review',
      status: 'pass',
      reason: 'PR #42: 2 approvals (@bob, @carol) of 2 required, no changes requested',
      evidenceUrl: pull().htmlUrl,
    });
  });

  it('fails on too few approvals and on outstanding changes requested', async () => {
    const few = fakeEvidence({
      pullRequestsForCommit: async () => [pull()],
      reviews: async () => [review('bob', 'APPROVED', '09:00')],
    });
    expect(
      await codeReview(itemContext({ evidence: few, policy: { checklist: { codeReview: { approvals: 2 } } } })),
    ).toMatchObject({
      status: 'fail',
      reason: 'PR #42: 1 approval (@bob), the policy requires 2',
    });
    const blocked = fakeEvidence({
      pullRequestsForCommit: async () => [pull()],
      reviews: async () => [review('bob', 'APPROVED', '09:00'), review('carol', 'CHANGES_REQUESTED', '09:01')],
    });
    const r = await codeReview(itemContext({ evidence: blocked }));
    expect(r.status).toBe('fail');
    expect(r.reason).toContain('changes requested by @carol');
    expect(r.evidenceUrl).toContain('pullrequestreview');
  });

  it('fails a direct push unless the policy allows it', async () => {
    const r = await codeReview(itemContext());
    expect(r.status).toBe('fail');
    expect(r.reason).toContain('belongs to no pull request');
    expect(r.evidenceUrl).toBe(`https://github.com/o/r/commit/${SHA}`);
    const allowed = await codeReview(itemContext({ policy: { checklist: { codeReview: { allowDirectPush: true } } } }));
    expect(allowed.status).toBe('pass');
  });

  it('reviews the pull request merged as this commit, not another one containing it', async () => {
    const evidence = fakeEvidence({
      pullRequestsForCommit: async () => [pull({ number: 7, mergeCommitSha: OLD_SHA }), pull({ number: 42 })],
      reviews: async (n) => (n === 42 ? [review('bob', 'APPROVED', '09:00')] : []),
    });
    expect((await codeReview(itemContext({ evidence }))).reason).toContain('PR #42');
  });
});

describe('all tests passing', () => {
  const withChecks = (
    runs = [checkRun('unit'), checkRun('lint')],
    statuses = [commitStatus('ci/jenkins', 'success')],
  ) => fakeEvidence({ checkRuns: async () => runs, statuses: async () => statuses });

  it('passes when every check run and status succeeded', async () => {
    const r = await testsPassing(itemContext({ evidence: withChecks() }));
    expect(r).toMatchObject({
      status: 'pass',
      reason: '2 check runs and 1 status passed',
      evidenceUrl: `https://github.com/o/r/commit/${SHA}/checks`,
    });
  });

  it('fails on a failed check or status and links the first', async () => {
    const bad = checkRun('e2e', { conclusion: 'timed_out' });
    const r = await testsPassing(
      itemContext({ evidence: withChecks([checkRun('unit'), bad], [commitStatus('ci/jenkins', 'error')]) }),
    );
    expect(r.status).toBe('fail');
    expect(r.reason).toBe('2 failed: ci/jenkins (error), e2e (timed_out)');
    expect(r.evidenceUrl).toBe('https://ci.example.com/ci/jenkins');
  });

  it('applies the policy to neutral and skipped', async () => {
    const evidence = withChecks(
      [checkRun('unit'), checkRun('docs', { conclusion: 'skipped' }), checkRun('perf', { conclusion: 'neutral' })],
      [],
    );
    expect((await testsPassing(itemContext({ evidence }))).reason).toBe(
      '3 check runs and 0 statuses passed (2 neutral or skipped)',
    );
    const strict = await testsPassing(
      itemContext({ evidence, policy: { checklist: { tests: { allowSkipped: false } } } }),
    );
    expect(strict).toMatchObject({ status: 'fail', reason: '1 failed: docs (skipped)' });
  });

  it('fails on missing required checks and on checks still pending after the wait', async () => {
    const evidence = withChecks([checkRun('unit'), checkRun('e2e', { status: 'in_progress', conclusion: null })], []);
    const clock = fakeClock();
    const r = await testsPassing(
      itemContext({
        evidence,
        clock,
        policy: { checklist: { tests: { requiredChecks: ['unit', 'security/snyk'], wait: '1m', interval: '20s' } } },
      }),
    );
    expect(r.status).toBe('fail');
    expect(r.reason).toBe(
      '1 still pending after waiting 1m: e2e (in_progress); required check missing after waiting 1m: security/snyk',
    );
    expect(clock.slept).toEqual([20_000, 20_000, 20_000]);
  });

  it("fails when nothing ran, and excludes the running job (matched by its run's check suite)", async () => {
    const self = checkRun('deploy', {
      status: 'in_progress',
      conclusion: null,
      checkSuiteId: 77,
      htmlUrl: undefined,
      detailsUrl: undefined,
    });
    const evidence = fakeEvidence({ checkRuns: async () => [self], workflowRunCheckSuite: async () => 77 });
    const r = await testsPassing(itemContext({ evidence, runId: 100, jobName: 'deploy' }));
    expect(r).toMatchObject({
      status: 'fail',
      reason: `no check runs or commit statuses on ${SHA.slice(0, 7)} besides this job: nothing shows the tests ran`,
    });
    const withUnit = fakeEvidence({
      checkRuns: async () => [self, checkRun('unit')],
      workflowRunCheckSuite: async () => 77,
    });
    expect((await testsPassing(itemContext({ evidence: withUnit, runId: 100, jobName: 'deploy' }))).reason).toBe(
      '1 check run and 0 statuses passed; this job itself excluded',
    );
  });
  it('warns, and counts the job as pending, when its check suite cannot be read', async () => {
    const self = checkRun('deploy', {
      status: 'in_progress',
      conclusion: null,
      htmlUrl: undefined,
      detailsUrl: undefined,
    });
    const evidence = fakeEvidence({
      checkRuns: async () => [self, checkRun('unit')],
      workflowRunCheckSuite: async () => {
        throw new Error('Resource not accessible by integration');
      },
    });
    const ctx = itemContext({ evidence, runId: 100, jobName: 'deploy' });
    expect((await testsPassing(ctx)).reason).toBe('1 still pending: deploy (in_progress)');
    expect((ctx.log as ReturnType<typeof memoryLogger>).lines).toContain(
      "warning: could not read workflow run 100 to recognise this job's own check run (Resource not accessible by integration): grant `actions: read`, or this job counts as a pending check",
    );
  });
});

describe('security scan', () => {
  const analysis = { id: 9, commitSha: SHA, ref: 'refs/heads/main', tool: 'CodeQL', createdAt: '2026-11-26T09:00:00Z' };
  const alert = (number: number, securitySeverity: 'low' | 'medium' | 'high' | 'critical' | undefined) => ({
    number,
    rule: `rule-${number}`,
    securitySeverity,
    htmlUrl: `https://github.com/o/r/security/code-scanning/${number}`,
  });

  it('orders alerts at or above a severity, worst first', () => {
    expect(
      alertsAtOrAbove([alert(1, 'medium'), alert(2, 'critical'), alert(3, undefined), alert(4, 'high')], 'high').map(
        (a) => a.number,
      ),
    ).toEqual([2, 4]);
  });

  it('passes when an analysis covers the commit and no serious alert is open', async () => {
    const evidence = fakeEvidence({
      codeScanningAnalyses: async () => ({ enabled: true, analyses: [analysis] }),
      openCodeScanningAlerts: async () => [alert(1, 'medium')],
    });
    const r = await securityScan(itemContext({ evidence }));
    expect(r).toMatchObject({
      status: 'pass',
      reason: `code-scanning analysis 9 (CodeQL) covers ${SHA.slice(0, 7)}; no open alert at or above high`,
    });
  });

  it('fails on an open alert at the threshold, and without an analysis of the commit', async () => {
    const alerting = fakeEvidence({
      codeScanningAnalyses: async () => ({ enabled: true, analyses: [analysis] }),
      openCodeScanningAlerts: async () => [alert(5, 'high')],
    });
    expect(await securityScan(itemContext({ evidence: alerting }))).toMatchObject({
      status: 'fail',
      reason: '1 open alert at or above high: #5 rule-5 (high)',
      evidenceUrl: 'https://github.com/o/r/security/code-scanning/5',
    });
    const stale = fakeEvidence({
      codeScanningAnalyses: async () => ({ enabled: true, analyses: [{ ...analysis, commitSha: OLD_SHA }] }),
    });
    expect((await securityScan(itemContext({ evidence: stale }))).reason).toBe(
      `no code-scanning analysis for ${SHA.slice(0, 7)} on refs/heads/main (latest analysed: ${OLD_SHA.slice(0, 7)})`,
    );
  });

  it('says when code scanning is not enabled and lets the policy decide', async () => {
    const evidence = fakeEvidence({
      codeScanningAnalyses: async () => ({
        enabled: false,
        message: 'Code scanning is not enabled for this repository',
      }),
    });
    const failing = await securityScan(itemContext({ evidence }));
    expect(failing.status).toBe('fail');
    expect(failing.reason).toContain(
      'code scanning is not enabled (Code scanning is not enabled for this repository); the policy says fail',
    );
    const passing = await securityScan(
      itemContext({ evidence, policy: { checklist: { securityScan: { whenNotEnabled: 'pass' } } } }),
    );
    expect(passing.status).toBe('pass');
  });

  it('accepts a named security check instead of an analysis', async () => {
    const evidence = fakeEvidence({
      checkRuns: async () => [checkRun('trivy')],
      codeScanningAnalyses: async () => ({ enabled: false, message: 'Advanced Security must be enabled' }),
    });
    const r = await securityScan(
      itemContext({ evidence, policy: { checklist: { securityScan: { check: 'trivy' } } } }),
    );
    expect(r).toMatchObject({
      status: 'pass',
      reason: 'security check "trivy" passed; alerts not checked: Advanced Security must be enabled',
    });
    const failed = fakeEvidence({ checkRuns: async () => [checkRun('trivy', { conclusion: 'failure' })] });
    expect(
      (
        await securityScan(
          itemContext({ evidence: failed, policy: { checklist: { securityScan: { check: 'trivy' } } } }),
        )
      ).status,
    ).toBe('fail');
  });
});

describe('migrations tested', () => {
  const deployments = async () => [
    { id: 3, sha: 'c'.repeat(40), environment: 'production', createdAt: '2026-11-26T08:00:00Z' },
    { id: 2, sha: OLD_SHA, environment: 'production', createdAt: '2026-11-25T08:00:00Z' },
  ];
  const statuses = async (id: number) =>
    id === 3
      ? [{ id: 31, state: 'failure', createdAt: '2026-11-26T08:05:00Z', logUrl: undefined }]
      : [
          { id: 22, state: 'inactive', createdAt: '2026-11-26T08:05:00Z', logUrl: undefined },
          {
            id: 21,
            state: 'success',
            createdAt: '2026-11-25T08:05:00Z',
            logUrl: 'https://github.com/o/r/actions/runs/5',
          },
        ];

  it('passes on the named check, and fails when it failed', async () => {
    expect(
      await migrationsTested(
        itemContext({ evidence: fakeEvidence({ checkRuns: async () => [checkRun('db-migrate')] }) }),
      ),
    ).toMatchObject({
      status: 'pass',
      reason: `check "db-migrate" passed on ${SHA.slice(0, 7)}`,
    });
    const failed = fakeEvidence({ checkRuns: async () => [checkRun('db-migrate', { conclusion: 'failure' })] });
    expect((await migrationsTested(itemContext({ evidence: failed }))).status).toBe('fail');
  });

  it('compares with the last successful deployment and passes when no migration changed', async () => {
    let compared: string[] = [];
    const evidence = fakeEvidence({
      deployments,
      deploymentStatuses: statuses,
      compare: async (base, head) => {
        compared = [base, head];
        return {
          status: 'ahead',
          aheadBy: 3,
          behindBy: 0,
          files: ['src/app.ts', 'README.md'],
          htmlUrl: 'https://github.com/o/r/compare/x...y',
        };
      },
    });
    const r = await migrationsTested(itemContext({ evidence }));
    expect(compared).toEqual([OLD_SHA, SHA]);
    expect(r).toMatchObject({ status: 'pass', evidenceUrl: 'https://github.com/o/r/compare/x...y' });
    expect(r.reason).toContain(
      `since the last successful production deployment (${OLD_SHA.slice(0, 7)}); 2 files changed`,
    );
  });

  it('fails when a migration changed, when the comparison may be cut short, and when nothing was deployed', async () => {
    const changed = fakeEvidence({
      deployments,
      deploymentStatuses: statuses,
      compare: async () => ({
        status: 'ahead',
        aheadBy: 1,
        behindBy: 0,
        files: ['src/a.ts', 'migrations/007_add_orders.sql'],
        htmlUrl: 'u',
      }),
    });
    expect((await migrationsTested(itemContext({ evidence: changed }))).reason).toContain(
      '1 migration file changed since',
    );
    const huge = fakeEvidence({
      deployments,
      deploymentStatuses: statuses,
      compare: async () => ({
        status: 'ahead',
        aheadBy: 1,
        behindBy: 0,
        files: Array.from({ length: 300 }, (_, i) => `src/f${i}.ts`),
        htmlUrl: 'u',
      }),
    });
    expect((await migrationsTested(itemContext({ evidence: huge }))).reason).toContain(
      'cannot rule out migration changes',
    );
    const never = await migrationsTested(itemContext());
    expect(never.status).toBe('fail');
    expect(never.reason).toContain('no successful production deployment to compare with');
  });
});

describe('rollback plan', () => {
  it('passes on a section in the pull request body', async () => {
    const evidence = fakeEvidence({
      pullRequestsForCommit: async () => [
        pull({ body: '## Rollback plan\nkubectl rollout undo deployment/api-gateway\n' }),
      ],
    });
    expect(await rollbackPlan(itemContext({ evidence }))).toMatchObject({
      status: 'pass',
      reason: 'PR #42 has a "Rollback plan" section (1 line)',
    });
  });

  it('fails on a template placeholder, and falls back to the policy file', async () => {
    const evidence = fakeEvidence({
      pullRequestsForCommit: async () => [pull({ body: '## Rollback plan\n<!-- describe -->\nTBD\n' })],
    });
    expect((await rollbackPlan(itemContext({ evidence }))).reason).toBe(
      'the "Rollback plan" section of PR #42 is empty or a placeholder: write the rollback steps under "## Rollback plan"',
    );
    const withFile = fakeEvidence({
      pullRequestsForCommit: async () => [pull({ body: '' })],
      file: async (path) =>
        path === 'docs/rollback.md'
          ? { path, text: 'Revert the tag.', htmlUrl: 'https://github.com/o/r/blob/x/docs/rollback.md' }
          : undefined,
    });
    const policy = { checklist: { rollbackPlan: { file: 'docs/rollback.md' } } };
    expect(await rollbackPlan(itemContext({ evidence: withFile, policy }))).toMatchObject({
      status: 'pass',
      evidenceUrl: 'https://github.com/o/r/blob/x/docs/rollback.md',
    });
    const missing = await rollbackPlan(itemContext({ policy }));
    expect(missing).toMatchObject({
      status: 'fail',
      reason: `no pull request for ${SHA.slice(0, 7)}, and docs/rollback.md does not exist at ${SHA.slice(0, 7)}`,
    });
  });
});

describe('monitoring alerts', () => {
  const rules = (service: string) => `groups:
  - name: ${service}
    rules:
      - alert: ${service}Down
        expr: up{job="${service}"} == 0
        for: 5m
        labels: { severity: critical }
        annotations: { summary: ${service} is down }
`;
  const repo = (files: Record<string, string>) =>
    fakeEvidence({
      tree: async () => ({ paths: ['src/index.ts', ...Object.keys(files)], truncated: false }),
      file: async (path) =>
        files[path] === undefined
          ? undefined
          : { path, text: files[path] as string, htmlUrl: `https://github.com/o/r/blob/${SHA}/${path}` },
    });

  it('passes when the rule files are complete and cover every service', async () => {
    const evidence = repo({
      'monitoring/api.yml': rules('api-gateway'),
      'monitoring/events/rules.yaml': rules('event-service'),
    });
    const r = await monitoringAlerts(itemContext({ evidence, services: ['api-gateway', 'event-service'] }));
    expect(r).toMatchObject({ status: 'pass', reason: '2 alert rules in 2 files covering api-gateway, event-service' });
    expect(evidence.calls.filter((c) => c === 'file')).toHaveLength(2);
  });

  it('fails on an uncovered service, on an incomplete rule and when there is no rule file', async () => {
    const one = repo({ 'monitoring/api.yml': rules('api-gateway') });
    expect(
      (await monitoringAlerts(itemContext({ evidence: one, services: ['api-gateway', 'event-service'] }))).reason,
    ).toBe(
      'no alert rule covers event-service (a rule covers a service through a service/app/job/deployment label or its expr)',
    );
    const incomplete = repo({ 'monitoring/api.yml': rules('api-gateway').replace('        for: 5m\n', '') });
    const r = await monitoringAlerts(itemContext({ evidence: incomplete }));
    expect(r).toMatchObject({
      status: 'fail',
      reason: '1 problem in alert rules: monitoring/api.yml:4 rule "api-gatewayDown" lacks for',
    });
    expect(r.evidenceUrl).toBe(`https://github.com/o/r/blob/${SHA}/monitoring/api.yml`);
    expect((await monitoringAlerts(itemContext({ evidence: repo({}) }))).reason).toBe(
      `no alert rule file matching monitoring/**/*.yml, monitoring/**/*.yaml at ${SHA.slice(0, 7)}`,
    );
  });
});

describe('stakeholders notified', () => {
  const policy = { checklist: { stakeholdersNotified: { trackingIssue: 12 } } };
  const comment = (id: number, body: string) => ({
    id,
    body,
    author: 'ops',
    htmlUrl: `https://github.com/o/r/issues/12#issuecomment-${id}`,
  });

  it('recognises a notice by marker or by the commit it names', () => {
    expect(isNotice(comment(1, `Deploying ${SHA.slice(0, 8)} tonight`), SHA, 'production')).toBe(true);
    expect(isNotice(comment(1, noticeMarker(SHA, 'production')), SHA, 'production')).toBe(true);
    expect(isNotice(comment(1, `Deploying ${OLD_SHA.slice(0, 8)}`), SHA, 'production')).toBe(false);
    expect(isNotice(comment(1, `Deploying ${SHA.slice(0, 6)}`), SHA, 'production')).toBe(false);
  });

  it('says what to configure when there is neither a notice nor a tracking issue', async () => {
    expect(await stakeholdersNotified(itemContext())).toMatchObject({
      status: 'fail',
      reason: `no production deployment of ${SHA.slice(0, 7)} and no tracking issue in the policy: set deploy.checklist.stakeholdersNotified.trackingIssue (with notify: true the gate posts the notice)`,
    });
    expect((await stakeholdersNotified(itemContext({ policy }))).reason).toBe(
      `no comment on tracking issue #12 mentions ${SHA.slice(0, 7)}, no production deployment of it: notify stakeholders on #12, or set notify: true`,
    );
  });

  it('passes on a comment on the tracking issue', async () => {
    const evidence = fakeEvidence({
      issueComments: async () => [comment(1, 'hello'), comment(2, `Heads-up: deploying ${SHA} at 14:00`)],
    });
    expect(await stakeholdersNotified(itemContext({ evidence, policy }))).toMatchObject({
      status: 'pass',
      evidenceUrl: 'https://github.com/o/r/issues/12#issuecomment-2',
    });
  });

  it("passes on a deployment of the commit, but not on this run's own", async () => {
    const own = [
      {
        id: 1,
        state: 'in_progress',
        createdAt: '2026-11-26T09:00:00Z',
        logUrl: 'https://github.com/o/r/actions/runs/100/job/5',
      },
    ];
    const mine = fakeEvidence({
      deployments: async () => [{ id: 8, sha: SHA, environment: 'production', createdAt: '2026-11-26T09:00:00Z' }],
      deploymentStatuses: async () => own,
    });
    expect((await stakeholdersNotified(itemContext({ evidence: mine, runId: 100 }))).status).toBe('fail');
    expect(await stakeholdersNotified(itemContext({ evidence: mine, runId: 200 }))).toMatchObject({
      status: 'pass',
      evidenceUrl: own[0]?.logUrl,
    });
  });

  it('posts the notice once every other item passed, and not when one failed', async () => {
    const posted: string[] = [];
    const evidence = fakeEvidence({
      pullRequestsForCommit: async () => [pull()],
      createIssueComment: async (_issue, body) => {
        posted.push(body);
        return comment(99, body);
      },
    });
    const blocked = await stakeholdersNotified(
      itemContext({ evidence, policy, notify: true, otherItems: [{ item: 'tests', status: 'fail', reason: 'x' }] }),
    );
    expect(blocked).toMatchObject({
      status: 'fail',
      reason: `no comment on tracking issue #12 mentions ${SHA.slice(0, 7)}, no production deployment of it; not posted because tests failed`,
    });
    expect(posted).toEqual([]);
    const ok = await stakeholdersNotified(
      itemContext({ evidence, policy, notify: true, otherItems: [{ item: 'tests', status: 'pass', reason: 'x' }] }),
    );
    expect(ok).toMatchObject({ status: 'pass', evidenceUrl: 'https://github.com/o/r/issues/12#issuecomment-99' });
    expect(posted).toHaveLength(1);
    expect(posted[0]).toContain(noticeMarker(SHA, 'production'));
    expect(posted[0]).toContain('(#42)');
  });

  it('does not post twice when the response to the first post was lost', async () => {
    const stored: ReturnType<typeof comment>[] = [];
    let attempts = 0;
    const evidence = fakeEvidence({
      issueComments: async () => stored,
      createIssueComment: async (_issue, body) => {
        attempts++;
        stored.push(comment(50 + attempts, body));
        if (attempts === 1) throw new Error('socket hang up');
        return comment(50 + attempts, body);
      },
    });
    const r = await stakeholdersNotified(itemContext({ evidence, policy, notify: true }));
    expect(r).toMatchObject({ status: 'pass', evidenceUrl: 'https://github.com/o/r/issues/12#issuecomment-51' });
    expect(attempts).toBe(1);
  });
});
