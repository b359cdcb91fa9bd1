import { fakeSha } from '../doubles/github/factories.js';
import { installGitAndActions } from '../doubles/github/git-and-actions.js';
import { type GitHubDouble, startGitHubDouble } from '../doubles/github/index.js';

export const RULES = `groups:
  - name: eventchain.rules
    rules:
      - alert: HighErrorRate
        expr: rate(http_requests_total{job="api-gateway", status=~"5.."}[5m]) > 0.01
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: High error rate detected
      - alert: EventLag
        expr: kafka_consumergroup_lag{service="event-service"} > 1000
        for: 10m
        labels:
          severity: warning
        annotations:
          summary: Event processing is lagging
`;

export const RUN_ID = 4242;
export const SUITE_ID = 7000;

export interface Scenario {
  gh: GitHubDouble;
  sha: string;
  deployedSha: string;
  pullNumber: number;
  trackingIssue: number;
  addWorkflowRun: ReturnType<typeof installGitAndActions>['addWorkflowRun'];
}

/**
 * A repository where every checklist item has its evidence: commit `sha` (merged PR with an approval and a
 * rollback section), passing checks and statuses, the running deploy job in progress, a CodeQL analysis with
 * only a medium alert, the previous production deployment one commit back, alert rules at the commit.
 */
export async function healthyRepository(): Promise<Scenario> {
  const gh = await startGitHubDouble({ owner: 'acme', repo: 'shop' });
  const { addWorkflowRun } = installGitAndActions(gh);
  const s = gh.state;
  const deployed = s.addCommit({ message: 'v1' });
  const head = s.addCommit({
    message: 'payments (#1)',
    parents: [deployed.sha],
    files: [{ filename: 'src/payments.ts', status: 'added', additions: 40, deletions: 0 }],
  });
  s.setRef('main', head.sha);
  const pull = s.addPull({
    title: 'Payments',
    body: '## Summary\nAdds payments.\n\n## Rollback plan\nkubectl rollout undo deployment/api-gateway\n',
    head: { ref: 'payments', sha: fakeSha('payments-head') },
    state: 'closed',
    user: 'alice',
    mergedAt: '2026-11-26T09:00:00Z',
    mergeCommitSha: head.sha,
  });
  s.addReview(pull.number, { user: 'bob', state: 'APPROVED' });
  for (const name of ['unit', 'lint', 'db-migrate']) s.addCheckRun({ headSha: head.sha, name, checkSuiteId: 6000 });
  s.addCheckRun({ headSha: head.sha, name: 'deploy', status: 'in_progress', checkSuiteId: SUITE_ID });
  addWorkflowRun({ id: RUN_ID, checkSuiteId: SUITE_ID, headSha: head.sha });
  s.addStatus({
    sha: head.sha,
    context: 'ci/jenkins',
    state: 'success',
    targetUrl: 'https://jenkins.example.com/job/1',
  });
  s.addAnalysis({ commitSha: head.sha });
  s.addAlert({ ruleId: 'js/log-injection', securitySeverity: 'medium' });
  const deployment = s.addDeployment({ sha: deployed.sha, environment: 'production' });
  s.addDeploymentStatus(deployment.id, { state: 'success', logUrl: 'https://github.com/acme/shop/actions/runs/1' });
  s.setFile(head.sha, 'src/payments.ts', 'export {};\n');
  s.setFile(head.sha, 'monitoring/alerts.yml', RULES);
  const tracking = s.addIssue({ title: 'Production deploys' });
  return {
    gh,
    sha: head.sha,
    deployedSha: deployed.sha,
    pullNumber: pull.number,
    trackingIssue: tracking.number,
    addWorkflowRun,
  };
}
