import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot, runBundle } from '../support/bundle.js';
import { healthyRepository, RUN_ID, type Scenario } from './scenario.js';

/** The committed bundle, run as the runner runs it, against the GitHub double over HTTP. */
const bundle = join(repoRoot, 'actions/deploy-gate/dist/index.js');

function workspace(policy: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-gate-ws-'));
  mkdirSync(join(dir, '.github'));
  writeFileSync(join(dir, '.github/runbook.yml'), policy);
  return dir;
}

describe.skipIf(!existsSync(bundle))('deploy-gate bundle', () => {
  let scenario: Scenario | undefined;
  afterEach(async () => {
    scenario?.gh.assertNoViolations();
    await scenario?.gh.close();
    scenario = undefined;
  });
  const env = (s: Scenario) => ({
    ...s.gh.env(),
    GITHUB_TOKEN: 'ghs_bundle_token',
    GITHUB_SHA: s.sha,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: String(RUN_ID),
    GITHUB_JOB: 'deploy',
  });

  it('passes with the action.yml defaults, posts the notice and masks the token', async () => {
    scenario = await healthyRepository();
    const s = scenario;
    const run = await runBundle('deploy-gate', {
      inputs: { services: 'api-gateway\nevent-service', notify: 'true' },
      env: env(s),
      workspace: workspace(
        `deploy:\n  checklist:\n    stakeholdersNotified:\n      trackingIssue: ${s.trackingIssue}\n`,
      ),
    });
    expect(run.exitCode, run.stderr + run.stdout).toBe(0);
    expect(run.outputs.passed).toBe('true');
    expect(run.outputs['failed-items']).toBe('');
    const report = JSON.parse(run.outputs.report as string);
    expect(report.items.map((i: { item: string; status: string }) => `${i.item}:${i.status}`)).toEqual([
      'code-review:pass',
      'tests:pass',
      'security-scan:pass',
      'migrations-tested:pass',
      'rollback-plan:pass',
      'monitoring-alerts:pass',
      'stakeholders-notified:pass',
    ]);
    expect(run.summary).toContain('## Deploy gate: ✅ passed');
    expect(run.summary).toContain(
      `| All tests passing | ✅ pass | 3 check runs and 1 status passed; this job itself excluded | [evidence](https://github.com/acme/shop/commit/${s.sha}/checks) |`,
    );
    expect(run.masked).toContain('ghs_bundle_token');
    // The token appears only in the runner command that masks it.
    expect(run.stdout.split('\n').filter((l) => l.includes('ghs_bundle_token'))).toEqual([
      '::add-mask::ghs_bundle_token',
    ]);
    expect(s.gh.state.commentsOf(s.trackingIssue)).toHaveLength(1);
  });

  it('blocks the deploy with exit code 1 and an error naming the failed items', async () => {
    scenario = await healthyRepository();
    const s = scenario;
    s.gh.state.codeScanning = 'not-enabled';
    const run = await runBundle('deploy-gate', {
      inputs: {},
      env: env(s),
      workspace: workspace('deploy:\n  checklist:\n    stakeholdersNotified:\n      enabled: false\n'),
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs['failed-items']).toBe('security-scan');
    expect(run.annotations.find((a) => a.level === 'error')?.message).toBe(
      'deploy-gate: deploy to production blocked: 1 of 7 checklist items failed (security-scan) — see the job summary for each reason and its evidence',
    );
    expect(run.summary).toMatch(
      /\| Security scan completed \| ❌ fail \| code scanning is not enabled \(Code scanning is not enabled for this repository/,
    );
  });
});
