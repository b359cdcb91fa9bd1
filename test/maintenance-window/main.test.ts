import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/core/logger.js';
import { run } from '../../src/maintenance-window/main.js';
import { noticeMarker } from '../../src/maintenance-window/notice.js';
import { type GitHubDouble, startGitHubDouble } from '../doubles/github/index.js';
import { manualClock, step } from './step.js';

const LABEL = 'maintenance-notice';
const sunday = Date.parse('2026-11-29T02:00:00Z');
let gh: GitHubDouble;
let doubleNow = new Date('2026-11-23T09:00:00Z');

beforeEach(async () => {
  gh = await startGitHubDouble({ owner: 'acme', repo: 'shop', now: () => doubleNow });
});
afterEach(async () => {
  // core.setFailed sets this worker's exit code; the action's failure is what these tests assert.
  process.exitCode = undefined;
  gh.assertNoViolations();
  await gh.close();
});

function announced(createdAt = '2026-11-23T09:00:00Z') {
  gh.state.addLabel(LABEL, 'fbca04');
  return gh.state.addIssue({
    title: 'Scheduled maintenance',
    body: noticeMarker('weekly-maintenance', sunday),
    labels: [LABEL],
    createdAt,
  });
}

const env = (extra: Record<string, string> = {}) => ({ ...gh.env(), GITHUB_ACTOR: 'alice', ...extra });
const go = (s: ReturnType<typeof step>, clock = manualClock('2026-11-26T12:00:00Z'), log = memoryLogger()) =>
  run({ env: s.env, clock, log });

describe('check: maintenance', () => {
  it('allows announced maintenance inside the window, with outputs and a summary', async () => {
    const issue = announced();
    const s = step({ at: '2026-11-29T02:30:00Z' }, env());
    const result = await go(s);
    expect(result.error).toBeUndefined();
    expect(s.outputs()).toEqual({
      allowed: 'true',
      reason: `inside maintenance window "weekly-maintenance", announced in issue #${issue.number}`,
      'active-window': 'weekly-maintenance',
      'active-window-end': '2026-11-29T04:00:00.000Z',
      'next-window-start': '2026-12-06T02:00:00.000Z',
      'next-window-end': '2026-12-06T04:00:00.000Z',
      'seconds-until-next': String(7 * 86_400 - 30 * 60),
      overridden: 'false',
      'override-actor': '',
      'notice-url': `https://github.com/acme/shop/issues/${issue.number}`,
    });
    const summary = s.summary();
    expect(summary).toContain('## Maintenance window: ✅ maintenance may run');
    expect(summary).toContain(
      `Evaluated at 2026-11-29 02:30 UTC: inside maintenance window "weekly-maintenance", announced in issue #${issue.number}.`,
    );
    expect(summary).toContain(
      '| weekly-maintenance | allow | 0 2 * * 0 for 2h (UTC) | ▶ open until 2026-11-29 04:00 UTC | 2026-12-06 02:00 UTC – 2026-12-06 04:00 UTC | Sun 2026-12-06 02:00 +00:00 (UTC) |',
    );
    expect(summary).toContain('### Next opportunities');
    expect(gh.requests.count({ operationId: 'issues/list-for-repo' })).toBe(1);
  });

  it('fails an unannounced window, naming what is missing and what to do', async () => {
    const s = step({ at: '2026-11-29T02:30:00Z' }, env());
    const result = await go(s);
    expect(result.ok).toBe(false);
    expect(result.error).toBe(
      'maintenance-window: maintenance not allowed now: window "weekly-maintenance" (started 2026-11-29 02:00 UTC) was not announced 48h ahead, by 2026-11-27 02:00 UTC: no issue labelled "maintenance-notice" announces it; next opening 2026-12-06 02:00 UTC — announce windows with mode: announce (label "maintenance-notice", 48h ahead); use on-blocked: skip to carry on with allowed=false, or an override by one of maintenance.overrideActors',
    );
    expect(s.outputs().allowed).toBe('false');
    expect(s.summary()).toContain('## Maintenance window: ❌ maintenance may not run now');
  });

  it('skips with allowed=false when on-blocked is skip', async () => {
    const s = step({ at: '2026-11-26T12:00:00Z', 'on-blocked': 'skip' }, env());
    const result = await go(s);
    expect(result.ok).toBe(true);
    // No notice for Sunday yet, but its deadline (Friday 02:00) is ahead: Sunday is still the next opening.
    expect(s.outputs()).toMatchObject({
      allowed: 'false',
      reason: 'outside every maintenance window; next opening 2026-11-29 02:00 UTC',
      'active-window': '',
      'next-window-start': '2026-11-29T02:00:00.000Z',
      'seconds-until-next': String(2 * 86_400 + 14 * 3_600),
    });
    expect(s.summary()).toContain('## Maintenance window: ⏭️ maintenance may not run now');
  });

  it('waits for the window to open when it opens within max-wait, then decides again', async () => {
    announced();
    const clock = manualClock('2026-11-29T01:30:00Z');
    const s = step({ 'on-blocked': 'wait', 'max-wait': '45m' }, env());
    const result = await go(s, clock);
    expect(result.error).toBeUndefined();
    expect(clock.sleeps).toEqual([30 * 60_000]);
    expect(s.outputs()).toMatchObject({ allowed: 'true', 'active-window': 'weekly-maintenance' });
    expect(s.summary()).toContain('Evaluated at 2026-11-29 02:00 UTC: inside maintenance window');
    expect(gh.requests.count({ operationId: 'issues/list-for-repo' })).toBe(2);
  });

  it('does not wait for an opening beyond max-wait', async () => {
    announced();
    const clock = manualClock('2026-11-29T01:00:00Z');
    const s = step({ 'on-blocked': 'wait', 'max-wait': '59m' }, env());
    const result = await go(s, clock);
    expect(result.ok).toBe(false);
    expect(clock.sleeps).toEqual([]);
    expect(result.error).toMatch(/^maintenance-window: maintenance not allowed now: outside every maintenance window/);
  });

  it('refuses to wait at a fixed instant', async () => {
    const s = step({ 'on-blocked': 'wait', at: '2026-11-29T01:00:00Z' }, env());
    expect((await go(s)).error).toBe(
      'maintenance-window: invalid configuration — input "on-blocked" (got "wait"): cannot wait at a fixed instant: remove "at", or use fail or skip. Fix the step\'s inputs (see actions/maintenance-window/README.md).',
    );
  });
});

describe('check: overrides', () => {
  const policy = 'maintenance:\n  overrideActors: [alice, "@bob"]\n';

  it('lets a listed actor override, recording who and why in outputs, log and summary', async () => {
    const s = step({ at: '2026-11-26T12:00:00Z', 'override-reason': 'CVE-2026-1234: patch now' }, env(), policy);
    const log = memoryLogger();
    const result = await go(s, undefined, log);
    expect(result.error).toBeUndefined();
    expect(s.outputs()).toMatchObject({
      allowed: 'true',
      overridden: 'true',
      'override-actor': 'alice',
      reason:
        'overridden by @alice: CVE-2026-1234: patch now (blocked because outside every maintenance window; next opening 2026-11-29 02:00 UTC)',
    });
    expect(log.lines).toContain('warning: maintenance-window: override by @alice: CVE-2026-1234: patch now');
    expect(s.summary()).toContain('| Actor | @alice |');
    expect(s.summary()).toContain('| Reason | CVE-2026-1234: patch now |');
  });

  it("refuses anyone else's override and fails the step, whatever on-blocked says", async () => {
    const s = step(
      { at: '2026-11-26T12:00:00Z', 'override-reason': 'trust me', 'on-blocked': 'skip' },
      env({ GITHUB_ACTOR: 'mallory' }),
      policy,
    );
    const result = await go(s);
    expect(result.error).toBe(
      'maintenance-window: override refused: @mallory is not in maintenance.overrideActors (alice, @bob) — ask one of the listed people to run the workflow with override-reason, or wait for an opening',
    );
    expect(s.outputs()).toMatchObject({ allowed: 'false', overridden: 'false' });
    expect(s.summary()).toContain('override refused');
  });
});

describe('check: deploy', () => {
  const policy = [
    'maintenance:',
    '  freezes:',
    '    - { name: year-end, from: "2026-12-24", to: "2027-01-01", timeZone: America/New_York }',
  ].join('\n');

  it('allows a deploy outside deny windows without calling GitHub', async () => {
    const s = step(
      { operation: 'deploy', at: '2026-12-23T12:00:00Z', 'github-token': '' },
      { GITHUB_ACTOR: 'alice' },
      policy,
    );
    const result = await go(s);
    expect(result.error).toBeUndefined();
    expect(s.outputs()).toMatchObject({
      allowed: 'true',
      reason: 'no deny window is active',
      'active-window-end': '2026-12-24T05:00:00.000Z',
      'next-window-start': '2027-01-02T05:00:00.000Z',
      'next-window-end': '',
    });
    expect(gh.requests.count()).toBe(0);
  });

  it('says a deploy with no deny window ahead is open for good, and a never-opening operation that it never opens', async () => {
    const open = step(
      { operation: 'deploy', at: '2026-12-23T12:00:00Z', 'github-token': '' },
      { GITHUB_ACTOR: 'alice' },
    );
    expect((await go(open)).error).toBeUndefined();
    expect(open.summary()).toContain('Open now, and no window or freeze ahead closes this operation.');
    const never = step(
      { operation: 'maintenance', at: '2026-12-23T12:00:00Z', 'on-blocked': 'skip', 'github-token': '' },
      { GITHUB_ACTOR: 'alice' },
      'maintenance:\n  windows: []\n',
    );
    await go(never);
    expect(never.outputs().allowed).toBe('false');
    expect(never.summary()).toContain('None: no window ahead ever opens this operation.');
  });

  it('blocks a deploy during a freeze and names when it ends', async () => {
    const s = step({ operation: 'deploy', at: '2026-12-25T12:00:00Z' }, env(), policy);
    const result = await go(s);
    expect(result.error).toMatch(
      /^maintenance-window: deploy not allowed now: inside deny window "year-end" until 2027-01-02 05:00 UTC; next opening 2027-01-02 05:00 UTC — /,
    );
    expect(s.summary()).toContain(
      '| year-end | deny | freeze 2026-12-24 … 2027-01-01 (America/New_York) | open until 2027-01-02 05:00 UTC |',
    );
  });

  it('adds ad-hoc windows from the windows input', async () => {
    const s = step(
      {
        operation: 'deploy',
        at: '2026-12-01T10:00:00Z',
        'on-blocked': 'skip',
        windows:
          '- name: launch\n  kind: deny\n  start: "2026-12-01T09:00"\n  end: "2026-12-01T17:00"\n  timeZone: Europe/London\n',
      },
      env(),
    );
    await go(s);
    expect(s.outputs()).toMatchObject({ allowed: 'false', 'next-window-start': '2026-12-01T17:00:00.000Z' });
  });
});

describe('bad input', () => {
  const failure = async (inputs: Record<string, string>, policy?: string) =>
    (await go(step(inputs, env(), policy))).error;

  it('names the input or policy key and what is allowed', async () => {
    expect(await failure({ window: 'nightly' })).toBe(
      'maintenance-window: invalid configuration — input "window" (got "nightly"): unknown window; allow windows are weekly-maintenance. Fix the step\'s inputs (see actions/maintenance-window/README.md).',
    );
    expect(await failure({ operation: 'migrate' })).toMatch(
      /input "operation" \(got "migrate"\): expected one of maintenance, deploy/,
    );
    expect(await failure({ at: '2026-11-29 02:00' })).toMatch(
      /input "at" \(got "2026-11-29 02:00"\): expected an ISO 8601 instant/,
    );
    expect(await failure({ 'max-wait': '0s', 'on-blocked': 'wait' })).toMatch(
      /input "max-wait" \(got "0s"\): must be longer than zero/,
    );
    expect(await failure({ windows: '- {name: x, schedule: "0 2 * * 0", duration: 0h}' })).toMatch(
      /input "windows"\[0\]\.duration: must be longer than zero/,
    );
    expect(
      await failure(
        {},
        'maintenance:\n  windows:\n    - name: sunday\n      schedule: "0 2 * * sunday"\n      duration: 2h\n',
      ),
    ).toMatch(
      /\.github\/runbook\.yml: maintenance\.windows\[0\]\.schedule \(line 4\): expected a 5-field cron expression/,
    );
    expect(
      await failure(
        {},
        'maintenance:\n  windows:\n    - { name: w, schedule: "0 2 * * 0", duration: 2h, timeZone: Mars/Olympus }\n',
      ),
    ).toMatch(/maintenance\.windows\[0\]\.timeZone \(line 3\): expected an IANA time zone/);
  });
});

describe('GitHub refusing or failing', () => {
  it('names the missing permission when the token may not read issues', async () => {
    // 403 is not a documented answer of the list endpoint, but it is what GitHub sends without issues: read.
    gh.override('issues/list-for-repo', () => ({
      status: 403,
      body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' },
    }));
    const result = await go(step({ at: '2026-11-29T02:30:00Z' }, env()));
    expect(result.error).toBe(
      "maintenance-window: reading the maintenance notices failed: GET /repos/acme/shop/issues?labels=maintenance-notice&state=all&sort=created&direction=desc&per_page=100 returned 403: the token probably lacks `issues: read` — add it to the workflow's `permissions:`",
    );
    gh.violations.length = 0;
  });

  it('reports an outage as a failure to retry, not as a bug', async () => {
    gh.faults.fail({ method: 'GET', path: /\/issues$/, status: 503, times: 4 });
    const result = await go(step({ at: '2026-11-29T02:30:00Z' }, env()));
    expect(result.error).toMatch(
      /^maintenance-window: reading the maintenance notices failed: GitHub answered 503 \(.*\) — retry the job; if it persists, check githubstatus\.com$/,
    );
    expect(gh.requests.count({ operationId: 'issues/list-for-repo' })).toBe(4);
  });

  it('requires a token and a repository for maintenance checks', async () => {
    const noToken = await go(step({ at: '2026-11-29T02:30:00Z', 'github-token': '' }, env()));
    expect(noToken.error).toMatch(/input "github-token": is required/);
    const noRepo = await go(step({ at: '2026-11-29T02:30:00Z' }, { GITHUB_ACTOR: 'alice' }));
    expect(noRepo.error).toMatch(/GITHUB_REPOSITORY: must be set as owner\/repo/);
  });
});

describe('announce', () => {
  const inputs = {
    mode: 'announce',
    'planned-operations': 'PostgreSQL minor upgrade 16.4 → 16.6\nRotate TLS certificates',
    'rollback-plan': 'Restore the 01:30 snapshot; `kubectl rollout undo deployment/api-gateway`.',
  };
  const policy = 'incidents:\n  statusPage: https://status.example.com\n';

  it('posts the notice for the next window once; running again posts nothing', async () => {
    doubleNow = new Date('2026-11-23T09:00:00Z');
    const first = step(inputs, env(), policy);
    expect((await go(first, manualClock('2026-11-23T09:00:00Z'))).error).toBeUndefined();
    const issues = [...gh.state.issues.values()];
    expect(issues).toHaveLength(1);
    const issue = issues[0]!;
    expect(issue.title).toBe('Scheduled maintenance: weekly-maintenance, 2026-11-29 02:00 UTC – 2026-11-29 04:00 UTC');
    expect(issue.labels).toEqual([LABEL]);
    expect(issue.body).toContain(noticeMarker('weekly-maintenance', sunday));
    expect(issue.body).toContain('| UTC | 2026-11-29 02:00 UTC | 2026-11-29 04:00 UTC |');
    expect(issue.body).toContain('- PostgreSQL minor upgrade 16.4 → 16.6\n- Rotate TLS certificates');
    expect(issue.body).toContain('### Rollback plan\nRestore the 01:30 snapshot');
    expect(issue.body).toContain('- [ ] [status page](https://status.example.com) shows this maintenance as scheduled');
    expect(first.outputs()).toEqual({
      'notice-url': `https://github.com/acme/shop/issues/${issue.number}`,
      'notice-created': 'true',
      'next-window-start': '2026-11-29T02:00:00.000Z',
      'next-window-end': '2026-11-29T04:00:00.000Z',
      'seconds-until-next': String(5 * 86_400 + 17 * 3_600),
    });
    expect(first.summary()).toContain('## Maintenance window: 📣 notice posted');

    const again = step(inputs, env(), policy);
    expect((await go(again, manualClock('2026-11-24T09:00:00Z'))).error).toBeUndefined();
    expect(gh.state.issues.size).toBe(1);
    expect(again.outputs()['notice-created']).toBe('false');
    expect(again.summary()).toContain('already posted');

    // The notice counts as evidence on Sunday.
    const check = step({ at: '2026-11-29T03:00:00Z' }, env());
    await go(check);
    expect(check.outputs()).toMatchObject({ allowed: 'true', 'notice-url': first.outputs()['notice-url'] });
  });

  it('announces next week when this week is too close, and says so', async () => {
    doubleNow = new Date('2026-11-28T00:00:00Z');
    const s = step(inputs, env(), policy);
    const log = memoryLogger();
    await go(s, manualClock('2026-11-28T00:00:00Z'), log);
    expect(s.outputs()['next-window-start']).toBe('2026-12-06T02:00:00.000Z');
    expect(log.lines).toContain(
      'warning: window weekly-maintenance at 2026-11-29 02:00 UTC was not announced 48h ahead and can no longer be: maintenance cannot run in it',
    );
    expect(s.summary()).toContain('### Too late to announce');
  });

  it('requires the planned operations and the rollback plan', async () => {
    const result = await go(step({ mode: 'announce' }, env()));
    expect(result.error).toBe(
      'maintenance-window: invalid configuration — input "planned-operations": is required with mode: announce (one operation per line); input "rollback-plan": is required with mode: announce: the runbook wants a rollback plan always prepared. Fix the step\'s inputs (see actions/maintenance-window/README.md).',
    );
    expect(gh.requests.count()).toBe(0);
  });
});
