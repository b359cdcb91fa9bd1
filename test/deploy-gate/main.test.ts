import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/core/logger.js';
import { run } from '../../src/deploy-gate/main.js';
import { actionEnv } from '../health-check/action-env.js';
import { fakeClock } from './fakes.js';
import { healthyRepository, RUN_ID, type Scenario } from './scenario.js';

let scenario: Scenario | undefined;
afterEach(async () => {
  // core.setFailed sets the exit code of this worker; the action's failure is what these tests assert.
  process.exitCode = undefined;
  await scenario?.gh.close();
  scenario = undefined;
});

function step(s: Scenario, inputs: Record<string, string>, policy?: string) {
  const env = actionEnv(
    'deploy-gate',
    { 'github-token': 'ghs_main_token', sha: s.sha, ref: 'refs/heads/main', 'job-name': 'deploy', ...inputs },
    { ...s.gh.env(), GITHUB_RUN_ID: String(RUN_ID), GITHUB_JOB: 'deploy' },
  );
  if (policy !== undefined) {
    mkdirSync(join(env.workspace, '.github'));
    writeFileSync(join(env.workspace, '.github/runbook.yml'), policy);
  }
  return env;
}

describe('deploy-gate action', () => {
  it('passes, posts the notice, and writes outputs and a summary row per item with evidence links', async () => {
    scenario = await healthyRepository();
    const s = scenario;
    const env = step(
      s,
      { services: 'api-gateway, event-service', notify: 'true' },
      `deploy:\n  checklist:\n    stakeholdersNotified:\n      trackingIssue: ${s.trackingIssue}\n`,
    );
    const result = await run({ env: env.env, clock: fakeClock(), log: memoryLogger() });
    expect(result.error).toBeUndefined();
    const outputs = env.outputs();
    expect(outputs.passed).toBe('true');
    expect(outputs['failed-items']).toBe('');
    const report = JSON.parse(outputs.report as string);
    expect(report).toMatchObject({ sha: s.sha, environment: 'production', mode: 'enforce', passed: true });
    expect(report.items).toHaveLength(7);
    expect(
      report.items.every((i: { status: string; evidenceUrl?: string }) => i.status === 'pass' && i.evidenceUrl),
    ).toBe(true);
    const summary = env.summary();
    expect(summary).toContain('## Deploy gate: ✅ passed');
    expect(summary).toContain('| Item | Status | Reason | Evidence |');
    expect(summary).toContain(
      `| Code review completed | ✅ pass | PR #${s.pullNumber}: 1 approval (@bob) of 1 required, no changes requested | [evidence](https://github.com/acme/shop/pull/${s.pullNumber}) |`,
    );
    expect(summary).toMatch(
      /\| Stakeholders notified \| ✅ pass \| posted the notice on tracking issue #\d+ \| \[evidence\]\(https:\/\/github\.com\/acme\/shop\/issues\/\d+#issuecomment-\d+\) \|/,
    );
    expect(summary).not.toContain('ghs_main_token');
    expect(s.gh.state.commentsOf(s.trackingIssue)).toHaveLength(1);
    s.gh.assertNoViolations();
  });

  it('blocks the deploy in enforce mode and only reports in report mode', async () => {
    scenario = await healthyRepository();
    const s = scenario;
    s.gh.state.pulls.get(s.pullNumber)!.body = 'No plan.';
    const policy = 'deploy:\n  checklist:\n    stakeholdersNotified:\n      enabled: false\n';
    const enforce = step(s, {}, policy);
    const blocked = await run({ env: enforce.env, clock: fakeClock(), log: memoryLogger() });
    expect(blocked.ok).toBe(false);
    expect(blocked.error).toBe(
      'deploy-gate: deploy to production blocked: 1 of 7 checklist items failed (rollback-plan) — see the job summary for each reason and its evidence',
    );
    expect(enforce.outputs()['failed-items']).toBe('rollback-plan');
    expect(enforce.summary()).toContain('## Deploy gate: ❌ blocked');
    expect(enforce.summary()).toContain('| Stakeholders notified | ⏭️ skip | disabled by the policy');

    const report = step(s, { mode: 'report' }, policy);
    const log = memoryLogger();
    const reported = await run({ env: report.env, clock: fakeClock(), log });
    expect(reported.ok).toBe(true);
    expect(report.outputs().passed).toBe('false');
    expect(report.summary()).toContain('## Deploy gate: ⚠️ would block');
    expect(log.lines).toContain(
      'warning: deploy-gate: 1 of 7 checklist items failed (rollback-plan); mode is report, so the deploy is not blocked',
    );
  });

  it('takes each item from the policy file', async () => {
    scenario = await healthyRepository();
    const env = step(
      scenario,
      {},
      'deploy:\n  checklist:\n    codeReview:\n      approvals: 2\n    stakeholdersNotified:\n      enabled: false\n',
    );
    await run({ env: env.env, clock: fakeClock(), log: memoryLogger() });
    expect(env.outputs()['failed-items']).toBe('code-review');
    expect(JSON.parse(env.outputs().report as string).items[0].reason).toBe(
      `PR #${scenario.pullNumber}: 1 approval (@bob), the policy requires 2`,
    );
  });

  it('names every bad input and what is allowed, before calling GitHub', async () => {
    scenario = await healthyRepository();
    const env = step(scenario, { sha: 'abc123', mode: 'strict', notify: 'yes', services: 'api gateway' });
    const result = await run({ env: env.env, clock: fakeClock(), log: memoryLogger() });
    expect(result.error).toBe(
      'deploy-gate: invalid configuration — input "sha" (got "abc123"): expected a full 40-character commit SHA; input "services" (got "api gateway"): "api gateway" is not a service name (letters, digits, . _ -); input "mode" (got "strict"): expected one of enforce, report; input "notify" (got "yes"): expected true or false. Fix the step\'s inputs (see actions/deploy-gate/README.md).',
    );
    expect(scenario.gh.requests.count()).toBe(0);
  });

  it('refuses notify without a tracking issue in the policy', async () => {
    scenario = await healthyRepository();
    const env = step(scenario, { notify: 'true' });
    const result = await run({ env: env.env, clock: fakeClock(), log: memoryLogger() });
    expect(result.error).toContain(
      'input "notify" (got "true"): needs deploy.checklist.stakeholdersNotified.trackingIssue in the policy file',
    );
    expect(scenario.gh.requests.count()).toBe(0);
  });
});

describe('deploy-gate policy checks', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });
  it('refuses a polling interval under a second when waiting for checks', async () => {
    const env = actionEnv(
      'deploy-gate',
      { 'github-token': 'ghs_x', sha: 'a'.repeat(40), ref: 'refs/heads/main', 'job-name': 'deploy' },
      { GITHUB_REPOSITORY: 'acme/shop' },
    );
    mkdirSync(join(env.workspace, '.github'));
    writeFileSync(
      join(env.workspace, '.github/runbook.yml'),
      'deploy:\n  checklist:\n    tests:\n      wait: 10m\n      interval: 0s\n',
    );
    const result = await run({ env: env.env, clock: fakeClock(), log: memoryLogger() });
    expect(result.error).toBe(
      'deploy-gate: invalid configuration — .github/runbook.yml: deploy.checklist.tests.interval (got "0ms"): must be at least 1s when tests.wait is set (polling GitHub faster only spends the rate limit). Fix the step\'s inputs (see actions/deploy-gate/README.md) or the policy file.',
    );
  });
});
