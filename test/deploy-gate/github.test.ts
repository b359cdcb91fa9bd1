import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import { createGitHubClient, githubContext } from '../../src/core/github.js';
import { memoryLogger } from '../../src/core/logger.js';
import { parsePolicy } from '../../src/core/policy/parse.js';
import type { PolicyInput } from '../../src/core/policy/schema.js';
import { runGate } from '../../src/deploy-gate/gate.js';
import { githubEvidence } from '../../src/deploy-gate/github-evidence.js';
import type { ItemResult } from '../../src/deploy-gate/types.js';
import { fakeClock } from './fakes.js';
import { healthyRepository, RUN_ID, type Scenario } from './scenario.js';

let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.gh.close();
  scenario = undefined;
});

async function gate(
  s: Scenario,
  policy: PolicyInput['deploy'] = {},
  extra: { services?: string[]; notify?: boolean; clock?: Clock } = {},
) {
  const github = githubContext({ ...s.gh.env(), GITHUB_RUN_ID: String(RUN_ID) });
  const octokit = await createGitHubClient({ token: 'ghs_gate', context: github, paceWrites: false, waitScale: 0.01 });
  const deploy = parsePolicy({ deploy: policy }).deploy;
  const report = await runGate({
    evidence: githubEvidence(octokit, { owner: 'acme', repo: 'shop' }),
    deploy,
    sha: s.sha,
    ref: 'refs/heads/main',
    environment: deploy.environment,
    services: extra.services ?? ['api-gateway', 'event-service'],
    notify: extra.notify ?? false,
    runningJob: { runId: RUN_ID, jobName: 'deploy' },
    github,
    clock: extra.clock ?? fakeClock(),
    log: memoryLogger(),
  });
  return { ...report, byId: Object.fromEntries(report.items.map((r) => [r.item, r])) as Record<string, ItemResult> };
}

const tracked = (s: Scenario) => ({ checklist: { stakeholdersNotified: { trackingIssue: s.trackingIssue } } });

describe('deploy gate against the GitHub double', () => {
  it('passes every item on real evidence, and the double saw only valid requests', async () => {
    scenario = await healthyRepository();
    const s = scenario;
    s.gh.state.addComment(s.trackingIssue, `Deploying ${s.sha.slice(0, 7)} to production at 14:00 — payments`);
    const report = await gate(s, tracked(s));
    s.gh.assertNoViolations();
    expect(report.items.map((r) => [r.item, r.status])).toEqual([
      ['code-review', 'pass'],
      ['tests', 'pass'],
      ['security-scan', 'pass'],
      ['migrations-tested', 'pass'],
      ['rollback-plan', 'pass'],
      ['monitoring-alerts', 'pass'],
      ['stakeholders-notified', 'pass'],
    ]);
    expect(report.byId.tests?.reason).toBe('3 check runs and 1 status passed; this job itself excluded');
    expect(report.byId['code-review']?.evidenceUrl).toBe(`https://github.com/acme/shop/pull/${s.pullNumber}`);
    expect(report.byId['monitoring-alerts']?.reason).toBe(
      '2 alert rules in 1 file covering api-gateway, event-service',
    );
    expect(report.byId['monitoring-alerts']?.evidenceUrl).toBe(
      `https://github.com/acme/shop/blob/${s.sha}/monitoring/alerts.yml`,
    );
    expect(report.byId['stakeholders-notified']?.evidenceUrl).toMatch(
      /^https:\/\/github\.com\/acme\/shop\/issues\/\d+#issuecomment-\d+$/,
    );
    // Every list is read 100 to a page; the other reads are single objects.
    const singles = new Set([
      'repos/compare-commits-with-basehead',
      'repos/get-content',
      'git/get-tree',
      'actions/get-workflow-run',
    ]);
    const requests = s.gh.requests.since(0);
    const lists = requests.filter((r) => !singles.has(r.operationId ?? ''));
    expect(lists.map((r) => r.operationId).sort()).toEqual([
      'checks/list-for-ref',
      'code-scanning/list-alerts-for-repo',
      'code-scanning/list-recent-analyses',
      'issues/list-comments',
      'pulls/list-reviews',
      'repos/list-commit-statuses-for-ref',
      'repos/list-pull-requests-associated-with-commit',
    ]);
    expect(lists.filter((r) => r.query.per_page !== '100').map((r) => r.operationId)).toEqual([]);
    // The running job's check run has no Actions URL in the double: its check suite was looked up, once.
    expect(s.gh.requests.count({ operationId: 'actions/get-workflow-run' })).toBe(1);
  });

  it('fails each item on the evidence that contradicts it', async () => {
    scenario = await healthyRepository();
    const s = scenario;
    const st = s.gh.state;
    st.addReview(s.pullNumber, { user: 'carol', state: 'CHANGES_REQUESTED' });
    st.addCheckRun({ headSha: s.sha, name: 'unit', conclusion: 'failure' }); // a re-run that failed
    st.checkRuns.splice(
      st.checkRuns.findIndex((r) => r.name === 'db-migrate'),
      1,
    );
    st.addAlert({ ruleId: 'js/sql-injection', securitySeverity: 'critical' });
    const head = st.commits.get(s.sha);
    head?.files.push({ filename: 'migrations/007_payments.sql', status: 'added', additions: 12, deletions: 0 });
    st.pulls.get(s.pullNumber)!.body = '## Rollback plan\n<!-- how to undo -->\n';
    st.setFile(s.sha, 'monitoring/alerts.yml', RULES_WITHOUT_SUMMARY);
    const report = await gate(s, tracked(s));
    s.gh.assertNoViolations();
    expect(report.passed).toBe(false);
    expect(report.failedItems).toEqual([
      'code-review',
      'tests',
      'security-scan',
      'migrations-tested',
      'rollback-plan',
      'monitoring-alerts',
      'stakeholders-notified',
    ]);
    expect(report.byId['code-review']?.reason).toBe(
      `PR #${s.pullNumber}: changes requested by @carol and not withdrawn`,
    );
    expect(report.byId.tests?.reason).toBe('1 failed: unit (failure)');
    expect(report.byId['security-scan']?.reason).toBe('1 open alert at or above high: #2 sql-injection (critical)');
    expect(report.byId['security-scan']?.evidenceUrl).toBe('https://github.com/acme/shop/security/code-scanning/2');
    expect(report.byId['migrations-tested']?.reason).toBe(
      `1 migration file changed since the last successful production deployment (${s.deployedSha.slice(0, 7)}): migrations/007_payments.sql — and no check "db-migrate" on ${s.sha.slice(0, 7)}`,
    );
    expect(report.byId['migrations-tested']?.evidenceUrl).toBe(
      `https://github.com/acme/shop/compare/${s.deployedSha}...${s.sha}`,
    );
    expect(report.byId['monitoring-alerts']?.reason).toBe(
      '1 problem in alert rules: monitoring/alerts.yml:4 rule "HighErrorRate" lacks annotations.summary',
    );
    expect(report.byId['stakeholders-notified']?.reason).toContain(
      `no comment on tracking issue #${s.trackingIssue} mentions`,
    );
  });

  it('waits for a pending check at the policy interval, reading the lists again each time', async () => {
    scenario = await healthyRepository();
    const s = scenario;
    const e2e = s.gh.state.addCheckRun({ headSha: s.sha, name: 'e2e', status: 'in_progress', checkSuiteId: 6000 });
    const clock = fakeClock();
    const slept: number[] = [];
    const finishing: Clock = {
      now: clock.now,
      sleep: async (ms) => {
        slept.push(ms);
        await clock.sleep(ms);
        if (slept.length === 2) Object.assign(e2e, { status: 'completed', conclusion: 'success' });
      },
    };
    const report = await gate(s, { checklist: { tests: { wait: '5m', interval: '20s' } } }, { clock: finishing });
    expect(slept).toEqual([20_000, 20_000]);
    expect(report.byId.tests?.reason).toBe('4 check runs and 1 status passed; this job itself excluded');
    expect(s.gh.requests.count({ operationId: 'checks/list-for-ref' })).toBe(3);
    s.gh.assertNoViolations();
  });

  it('reports code scanning that is not enabled, and lets the policy decide', async () => {
    scenario = await healthyRepository();
    scenario.gh.state.codeScanning = 'not-enabled';
    const failing = await gate(scenario);
    expect(failing.byId['security-scan']?.reason).toMatch(
      /^code scanning is not enabled \(Code scanning is not enabled for this repository.*\); the policy says fail/,
    );
    const passing = await gate(scenario, { checklist: { securityScan: { whenNotEnabled: 'pass' } } });
    expect(passing.byId['security-scan']?.status).toBe('pass');
    scenario.gh.assertNoViolations();
  });

  it('names the missing permission when GitHub answers 403', async () => {
    scenario = await healthyRepository();
    const forbidden = () => ({
      status: 403,
      body: {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest',
        status: '403',
      },
    });
    scenario.gh.override('pulls/list-reviews', forbidden);
    scenario.gh.override('checks/list-for-ref', forbidden);
    scenario.gh.override('code-scanning/list-recent-analyses', forbidden);
    scenario.gh.override('repos/list-deployments', forbidden);
    const report = await gate(scenario);
    expect(report.byId['security-scan']?.reason).toContain('the token probably lacks `security-events: read`');
    expect(report.byId['stakeholders-notified']?.reason).toContain('the token probably lacks `deployments: read');
    expect(report.byId['code-review']?.reason).toMatch(
      /^GET \/repos\/acme\/shop\/pulls\/\d+\/reviews\?per_page=100 returned 403: the token probably lacks `pull-requests: read`/,
    );
    expect(report.byId.tests?.reason).toContain('the token probably lacks `checks: read`');
  });

  it('rides out a 502, a secondary rate limit and a slow answer', async () => {
    scenario = await healthyRepository();
    const { gh } = scenario;
    gh.faults.fail({ method: 'GET', path: /\/check-runs$/, status: 502, times: 1 });
    gh.faults.secondaryRateLimit({ path: /\/statuses$/, retryAfter: 1, times: 1 });
    gh.faults.delay({ path: /\/reviews$/, ms: 400, times: 1 });
    const report = await gate(scenario, {}, {});
    expect(report.byId.tests?.status).toBe('pass');
    expect(
      gh.requests
        .since(0)
        .filter((r) => r.fault)
        .map((r) => r.fault),
    ).toEqual(['502 instead', 'secondary-rate-limit']);
  });

  it('posts the stakeholder notice once, and only when every other item passed', async () => {
    scenario = await healthyRepository();
    const s = scenario;
    const first = await gate(s, tracked(s), { notify: true });
    expect(first.passed).toBe(true);
    expect(first.byId['stakeholders-notified']?.reason).toBe(`posted the notice on tracking issue #${s.trackingIssue}`);
    const again = await gate(s, tracked(s), { notify: true });
    expect(again.byId['stakeholders-notified']?.reason).toBe(
      `notice on tracking issue #${s.trackingIssue} by @github-actions[bot]`,
    );
    expect(s.gh.state.commentsOf(s.trackingIssue)).toHaveLength(1);
    expect(s.gh.state.commentsOf(s.trackingIssue)[0]?.body).toContain(
      `<!-- runbook-actions:deploy-gate notice sha=${s.sha} environment=production -->`,
    );
    s.gh.assertNoViolations();
  });

  it('does not post a second notice when the answer to the first was lost', async () => {
    scenario = await healthyRepository();
    const s = scenario;
    s.gh.faults.fail({ method: 'POST', path: /\/comments$/, status: 502, when: 'after', times: 1 });
    const report = await gate(s, tracked(s), { notify: true });
    expect(report.byId['stakeholders-notified']?.status).toBe('pass');
    expect(s.gh.state.commentsOf(s.trackingIssue)).toHaveLength(1);
    expect(s.gh.requests.count({ operationId: 'issues/create-comment' })).toBe(1);
  });
});

const RULES_WITHOUT_SUMMARY = `groups:
  - name: eventchain.rules
    rules:
      - alert: HighErrorRate
        expr: rate(http_requests_total{job="api-gateway"}[5m]) > 0.01
        for: 5m
        labels:
          severity: critical
`;
