import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { noticeMarker } from '../../src/maintenance-window/notice.js';
import { type GitHubDouble, startGitHubDouble } from '../doubles/github/index.js';
import { repoRoot, runBundle } from '../support/bundle.js';

/** The committed bundle, run as the runner runs it; `at` makes every decision deterministic. */
const bundle = join(repoRoot, 'actions/maintenance-window/dist/index.js');

function workspace(policy?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'maintenance-window-ws-'));
  if (policy !== undefined) {
    mkdirSync(join(dir, '.github'));
    writeFileSync(join(dir, '.github/runbook.yml'), policy);
  }
  return dir;
}

describe.skipIf(!existsSync(bundle))('maintenance-window bundle', () => {
  let gh: GitHubDouble;
  beforeEach(async () => {
    gh = await startGitHubDouble({ owner: 'acme', repo: 'shop', now: () => new Date('2026-11-23T09:00:00Z') });
  });
  afterEach(async () => {
    gh.assertNoViolations();
    await gh.close();
  });
  const env = () => ({ ...gh.env(), GITHUB_TOKEN: 'ghs_bundle_token', GITHUB_ACTOR: 'alice' });

  it('fails a deploy during a freeze, with outputs, summary and an error annotation', async () => {
    const run = await runBundle('maintenance-window', {
      inputs: { operation: 'deploy', at: '2026-12-25T12:00:00Z' },
      env: env(),
      workspace: workspace(
        'maintenance:\n  freezes:\n    - { name: year-end, from: "2026-12-24", to: "2027-01-01", timeZone: Europe/London }\n',
      ),
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({
      allowed: 'false',
      reason: 'inside deny window "year-end" until 2027-01-02 00:00 UTC; next opening 2027-01-02 00:00 UTC',
      'next-window-start': '2027-01-02T00:00:00.000Z',
      'seconds-until-next': String(7 * 86_400 + 12 * 3_600),
    });
    expect(run.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /^maintenance-window: deploy not allowed now: inside deny window "year-end"/,
    );
    expect(run.summary).toContain('## Maintenance window: ❌ deploy may not run now');
    expect(gh.requests.count()).toBe(0);
  });

  it('skips with allowed=false so later steps can use if:', async () => {
    const run = await runBundle('maintenance-window', {
      inputs: { operation: 'deploy', at: '2026-12-25T12:00:00Z', 'on-blocked': 'skip' },
      env: env(),
      workspace: workspace(
        'maintenance:\n  freezes:\n    - { name: year-end, from: "2026-12-24", to: "2027-01-01" }\n',
      ),
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.allowed).toBe('false');
  });

  it('allows announced maintenance on the runbook defaults, reading the notice from GitHub', async () => {
    gh.state.addLabel('maintenance-notice', 'fbca04');
    const issue = gh.state.addIssue({
      title: 'Scheduled maintenance',
      body: noticeMarker('weekly-maintenance', Date.parse('2026-11-29T02:00:00Z')),
      labels: ['maintenance-notice'],
      createdAt: '2026-11-23T09:00:00Z',
    });
    const run = await runBundle('maintenance-window', {
      inputs: { at: '2026-11-29T03:59:00Z' },
      env: env(),
      workspace: workspace(),
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toMatchObject({
      allowed: 'true',
      'active-window': 'weekly-maintenance',
      'active-window-end': '2026-11-29T04:00:00.000Z',
      'notice-url': `https://github.com/acme/shop/issues/${issue.number}`,
    });
    expect(run.masked).toContain('ghs_bundle_token');
  });

  it('announces once across two runs', async () => {
    const inputs = {
      mode: 'announce',
      at: '2026-11-23T09:00:00Z',
      'planned-operations': 'Security patches',
      'rollback-plan': 'Reboot into the previous kernel.',
    };
    const first = await runBundle('maintenance-window', { inputs, env: env(), workspace: workspace() });
    expect(first.exitCode, first.stdout).toBe(0);
    expect(first.outputs['notice-created']).toBe('true');
    const second = await runBundle('maintenance-window', { inputs, env: env(), workspace: workspace() });
    expect(second.exitCode, second.stdout).toBe(0);
    expect(second.outputs['notice-created']).toBe('false');
    expect(second.outputs['notice-url']).toBe(first.outputs['notice-url']);
    expect(gh.state.issues.size).toBe(1);
  });

  it('rejects an invalid cron expression in the windows input, naming it', async () => {
    const run = await runBundle('maintenance-window', {
      inputs: { operation: 'deploy', windows: '[{name: w, schedule: "0 2 * *", duration: 2h}]' },
      env: env(),
      workspace: workspace(),
    });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /^maintenance-window: invalid configuration — input "windows"\[0\]\.schedule: expected a 5-field cron expression/,
    );
  });
});
