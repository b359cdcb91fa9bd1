import { RequestError } from '@octokit/request-error';
import { describe, expect, it } from 'vitest';
import { runGate } from '../../src/deploy-gate/gate.js';
import { ITEM_IDS } from '../../src/deploy-gate/types.js';
import { checkRun, fakeEvidence, gateOptions, pull, SHA } from './fakes.js';

const forbidden = (path: string) =>
  new RequestError('Resource not accessible by integration', 403, {
    request: { method: 'GET', url: `https://api.github.com/repos/o/r/${path}`, headers: {} },
    response: { status: 403, url: '', headers: {}, data: { message: 'Resource not accessible by integration' } },
  });

describe('the gate', () => {
  it('reports every item in checklist order; disabled items are skipped', async () => {
    const report = await runGate(
      gateOptions({
        policy: {
          checklist: Object.fromEntries(
            [
              'codeReview',
              'tests',
              'securityScan',
              'migrationsTested',
              'rollbackPlan',
              'monitoringAlerts',
              'stakeholdersNotified',
            ].map((k) => [k, { enabled: false }]),
          ),
        },
      }),
    );
    expect(report.items.map((r) => [r.item, r.status])).toEqual(ITEM_IDS.map((id) => [id, 'skip']));
    expect(report).toMatchObject({ passed: true, failedItems: [] });
    expect(report.items[0]?.reason).toBe('disabled by the policy (deploy.checklist.codeReview.enabled: false)');
  });

  it('fails an item whose API call is forbidden, naming the permission', async () => {
    const evidence = fakeEvidence({
      checkRuns: async () => {
        throw forbidden(`commits/${SHA}/check-runs`);
      },
      pullRequestsForCommit: async () => {
        throw forbidden(`commits/${SHA}/pulls`);
      },
    });
    const report = await runGate(gateOptions({ evidence }));
    const byId = Object.fromEntries(report.items.map((r) => [r.item, r]));
    expect(byId.tests?.reason).toBe(
      `GET /repos/o/r/commits/${SHA}/check-runs returned 403: the token probably lacks \`checks: read\` — add it to the workflow's \`permissions:\``,
    );
    expect(byId['code-review']?.reason).toContain('`pull-requests: read`');
    expect(report.passed).toBe(false);
    expect(report.failedItems).toContain('tests');
  });

  it('lets a ticked checkbox satisfy a failed item only where the policy allows it', async () => {
    const body = '- [x] Rollback plan prepared\n- [x] Monitoring alerts configured\n';
    const evidence = fakeEvidence({ pullRequestsForCommit: async () => [pull({ body })] });
    const report = await runGate(
      gateOptions({ evidence, policy: { checklist: { rollbackPlan: { allowCheckbox: true } } } }),
    );
    const byId = Object.fromEntries(report.items.map((r) => [r.item, r]));
    expect(byId['rollback-plan']).toMatchObject({ status: 'pass', evidenceUrl: pull().htmlUrl });
    expect(byId['rollback-plan']?.reason).toMatch(
      /^"Rollback plan prepared" is ticked in PR #42 .*evidence: PR #42 has no "Rollback plan" heading/,
    );
    expect(byId['monitoring-alerts']?.status).toBe('fail');
  });

  it('runs the items at the same time and reads the shared lookups once', async () => {
    let inFlight = 0;
    let most = 0;
    const slow =
      <T>(value: T) =>
      async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight--;
        return value;
      };
    const evidence = fakeEvidence({
      pullRequestsForCommit: slow([pull()]),
      checkRuns: slow([checkRun('unit'), checkRun('db-migrate')]),
      tree: slow({ paths: [], truncated: false }),
      codeScanningAnalyses: slow({ enabled: true as const, analyses: [] }),
    });
    await runGate(gateOptions({ evidence }));
    expect(most).toBeGreaterThanOrEqual(4);
    expect(evidence.calls.filter((c) => c === 'pullRequestsForCommit')).toHaveLength(1);
    expect(evidence.calls.filter((c) => c === 'checkRuns')).toHaveLength(1);
  });
});
