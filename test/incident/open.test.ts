import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redact } from '../../src/core/secrets.js';
import { readIncidentMarker } from '../../src/incident/marker.js';
import { type GitHubDouble, startGitHubDouble } from '../doubles/github/index.js';
import { incidentStep, SHA, TOKEN, testClock } from './harness.js';

let gh: GitHubDouble;
beforeEach(async () => {
  gh = await startGitHubDouble({ owner: 'acme', repo: 'shop' });
});
afterEach(async () => {
  process.exitCode = undefined;
  gh.assertNoViolations();
  await gh.close();
});

const open = { mode: 'open', title: 'Payment errors spike', service: 'checkout', severity: 'P1' };

function seedLabels() {
  gh.state.addLabel('incident', 'b60205', 'Incident (runbook)');
  for (const [name, color] of [
    ['severity:P0', 'b60205'],
    ['severity:P1', 'd93f0b'],
    ['severity:P2', 'fbca04'],
    ['severity:P3', '0e8a16'],
  ] as const)
    gh.state.addLabel(name, color, `Severity ${name}`);
}

describe('open: a new incident', () => {
  it('opens an issue with severity, deadline, escalation chain, checklists, impact and links; creates missing labels with colours', async () => {
    const clock = testClock('2026-11-26T10:00:00Z');
    const step = await incidentStep(
      gh,
      {
        ...open,
        impact: 'Card payments fail for ~30% of users',
        'deploy-url': 'https://github.com/acme/shop/deployments/7',
      },
      {
        clock,
        policy: [
          'escalation:',
          '  chain:',
          '    - { role: On-call engineer, mention: [oncall-alice] }',
          '    - { role: Team lead, mention: ["@acme/leads"] }',
          'incidents:',
          '  statusPage: https://status.example.com',
        ].join('\n'),
      },
    );
    expect(step.ok, step.error).toBe(true);
    expect(step.outputs).toEqual({
      'issue-number': '1',
      'issue-url': 'https://github.com/acme/shop/issues/1',
      created: 'true',
      severity: 'P1',
      'response-deadline': '2026-11-26T11:00:00Z',
      occurrences: '1',
    });

    const issue = gh.state.issue(1)!;
    expect(issue.title).toBe('[P1] Payment errors spike');
    expect(issue.labels).toEqual(['incident', 'severity:P1']);
    const body = issue.body ?? '';
    expect(readIncidentMarker(body)).toMatchObject({
      key: 'checkout/payment-errors-spike',
      severity: 'P1',
      occurrences: 1,
      level: 0,
      deadline: '2026-11-26T11:00:00Z',
    });
    expect(body).toContain('| Response due | 2026-11-26 11:00 UTC — 1h (P1) |');
    expect(body).toContain('| Escalation | level 1 of 2: On-call engineer @oncall-alice |');
    expect(body).toContain('1. On-call engineer — @oncall-alice ← current\n2. Team lead — @acme/leads');
    expect(body).toContain('Card payments fail for ~30% of users');
    expect(body).toContain('  - [ ] Create incident channel');
    expect(body).toContain('  - [ ] Implement circuit breakers');
    expect(body).toContain('[Workflow run](https://github.com/acme/shop/actions/runs/4242/attempts/1)');
    expect(body).toContain(`[Commit 3f78685](https://github.com/acme/shop/commit/${SHA})`);
    expect(body).toContain('[Deploy](https://github.com/acme/shop/deployments/7)');
    expect(body).toContain('[Status page](https://status.example.com)');

    // GitHub creates unknown labels grey; the action gives them the policy's colours.
    expect(gh.state.findLabel('incident')?.color).toBe('b60205');
    expect(gh.state.findLabel('severity:P1')).toMatchObject({
      color: 'd93f0b',
      description: expect.stringMatching(/^High/),
    });
    expect(step.summary).toContain('Incident opened: [#1](https://github.com/acme/shop/issues/1)');
  });

  it('needs 3 requests when the labels exist: list, create, reconcile', async () => {
    seedLabels();
    const step = await incidentStep(gh, open, { clock: testClock('2026-11-26T10:00:00Z') });
    expect(step.ok, step.error).toBe(true);
    expect(gh.requests.entries.map((r) => `${r.method} ${r.route}`)).toEqual([
      'GET /repos/{owner}/{repo}/issues',
      'POST /repos/{owner}/{repo}/issues',
      'GET /repos/{owner}/{repo}/issues',
    ]);
    expect(gh.requests.entries[0]?.query).toMatchObject({ state: 'open', labels: 'incident' });
  });

  it('warns when GitHub drops the labels (a token that may not set them): the incident could not be found again', async () => {
    gh.override('issues/create', (ctx) => {
      const issue = ctx.state.addIssue({ title: String(ctx.body.title), body: ctx.body.body, user: ctx.actor });
      return { status: 201, body: ctx.state.issueJson(issue) };
    });
    const step = await incidentStep(gh, open, { clock: testClock('2026-11-26T10:00:00Z') });
    expect(step.ok, step.error).toBe(true);
    expect(step.log.join('\n')).toMatch(/warning: GitHub dropped the labels of #1 .*will not find this incident/);
  });

  it('does not count a closed incident with the same key: a new issue is opened', async () => {
    seedLabels();
    const clock = testClock('2026-11-26T10:00:00Z');
    await incidentStep(gh, open, { clock });
    gh.state.issue(1)!.state = 'closed';
    const again = await incidentStep(gh, open, { clock });
    expect(again.outputs).toMatchObject({ 'issue-number': '2', created: 'true' });
  });
});

describe('open: a repeat of an open incident', () => {
  it('comments "recurred", counts occurrences, keeps what people edited, in 3 requests', async () => {
    seedLabels();
    const clock = testClock('2026-11-26T10:00:00Z');
    await incidentStep(gh, open, { clock });
    const issue = gh.state.issue(1)!;
    issue.body = (issue.body ?? '').replace('- [ ] **Assess impact**', '- [x] **Assess impact**');

    clock.advance(20 * 60_000);
    const mark = gh.requests.mark();
    const repeat = await incidentStep(gh, { ...open, impact: 'Now also PayPal' }, { clock });
    expect(repeat.ok, repeat.error).toBe(true);
    expect(gh.requests.since(mark).map((r) => `${r.method} ${r.route}`)).toEqual([
      'GET /repos/{owner}/{repo}/issues',
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
    ]);
    expect(repeat.outputs).toMatchObject({
      'issue-number': '1',
      created: 'false',
      severity: 'P1',
      occurrences: '2',
      'response-deadline': '2026-11-26T11:00:00Z',
    });
    expect(gh.state.listIssues()).toHaveLength(1);
    const [comment] = gh.state.commentsOf(1);
    expect(comment?.body).toContain('🔁 **Recurred** at 2026-11-26 10:20 UTC — occurrence 2.');
    expect(comment?.body).toContain('Impact: Now also PayPal');
    const body = gh.state.issue(1)!.body ?? '';
    expect(readIncidentMarker(body)).toMatchObject({ occurrences: 2, lastSeenAt: '2026-11-26T10:20:00Z' });
    expect(body).toContain('- [x] **Assess impact**');
    expect(body).toContain('| Occurrences | 2 (last 2026-11-26 10:20 UTC) |');
  });

  it('raises the severity when the repeat is more severe, never lowers it', async () => {
    const clock = testClock('2026-11-26T10:00:00Z');
    await incidentStep(gh, { ...open, severity: 'P2' }, { clock });
    clock.advance(10 * 60_000);
    const raised = await incidentStep(gh, { ...open, severity: 'P0' }, { clock });
    expect(raised.outputs).toMatchObject({
      severity: 'P0',
      occurrences: '2',
      'response-deadline': '2026-11-26T10:25:00Z',
    });
    const issue = gh.state.issue(1)!;
    expect(issue.title).toBe('[P0] Payment errors spike');
    expect(issue.labels).toEqual(['incident', 'severity:P0']);
    expect(gh.state.findLabel('severity:P0')?.color).toBe('b60205');
    expect(gh.state.commentsOf(1)[0]?.body).toContain('Severity raised from **P2** to **P0**.');

    const lower = await incidentStep(gh, { ...open, severity: 'P3' }, { clock });
    expect(lower.outputs).toMatchObject({ severity: 'P0', occurrences: '3' });
    expect(gh.state.issue(1)!.labels).toEqual(['incident', 'severity:P0']);
  });

  it('accepts a list of services (as the deploy workflow passes them) and derives one key from it', async () => {
    const clock = testClock('2026-11-26T10:00:00Z');
    const services = {
      ...open,
      service: 'api-gateway, event-service',
      title: 'Production deploy failed (rolled-back)',
    };
    const first = await incidentStep(gh, services, { clock });
    expect(first.ok, first.error).toBe(true);
    expect(readIncidentMarker(gh.state.issue(1)!.body)?.key).toBe(
      'api-gateway-event-service/production-deploy-failed-rolled-back',
    );
    expect((await incidentStep(gh, services, { clock })).outputs).toMatchObject({
      'issue-number': '1',
      created: 'false',
    });
  });

  it('uses the dedupe-key input over the derived key', async () => {
    const clock = testClock('2026-11-26T10:00:00Z');
    await incidentStep(gh, { ...open, 'dedupe-key': 'alert:PaymentErrors' }, { clock });
    const repeat = await incidentStep(
      gh,
      { ...open, title: 'Different wording', 'dedupe-key': 'alert:PaymentErrors' },
      { clock },
    );
    expect(repeat.outputs).toMatchObject({ 'issue-number': '1', created: 'false' });
  });
});

describe('open: retries, rate limits and races', () => {
  it('a 502 after the issue was really created: still exactly one issue, found by its marker', async () => {
    seedLabels();
    gh.faults.fail({ method: 'POST', path: /\/issues$/, status: 502, when: 'after' });
    const step = await incidentStep(gh, open, { clock: testClock('2026-11-26T10:00:00Z') });
    expect(step.ok, step.error).toBe(true);
    expect(gh.state.listIssues()).toHaveLength(1);
    expect(gh.requests.count({ operationId: 'issues/create' })).toBe(1);
    expect(step.outputs).toMatchObject({ 'issue-number': '1', created: 'true' });
    expect(step.log.join('\n')).toMatch(/response was lost/);
    expect(step.summary).toContain('The create response was lost');
  });

  it('a repeat whose comment response was lost: one "recurred" comment, found by its nonce', async () => {
    seedLabels();
    const clock = testClock('2026-11-26T10:00:00Z');
    await incidentStep(gh, open, { clock });
    gh.faults.fail({ method: 'POST', path: /\/comments$/, status: 502, when: 'after' });
    const repeat = await incidentStep(gh, open, { clock });
    expect(repeat.ok, repeat.error).toBe(true);
    expect(gh.state.commentsOf(1)).toHaveLength(1);
    expect(repeat.outputs).toMatchObject({ 'issue-number': '1', occurrences: '2' });
  });

  it('a 502 before anything was created: looks first, then creates again', async () => {
    seedLabels();
    gh.faults.fail({ method: 'POST', path: /\/issues$/, status: 502, when: 'instead' });
    const clock = testClock('2026-11-26T10:00:00Z');
    const step = await incidentStep(gh, open, { clock });
    expect(step.ok, step.error).toBe(true);
    expect(gh.state.listIssues()).toHaveLength(1);
    expect(gh.requests.entries.map((r) => `${r.method} ${r.status}`)).toEqual([
      'GET 200',
      'POST 502',
      'GET 200',
      'POST 201',
      'GET 200',
    ]);
    expect(clock.sleeps).toEqual([1000]);
  });

  it('gives up with the error after repeated server errors, without duplicating', async () => {
    seedLabels();
    gh.faults.fail({ method: 'POST', path: /\/issues$/, status: 503, when: 'instead', times: 3 });
    const step = await incidentStep(gh, open, { clock: testClock('2026-11-26T10:00:00Z') });
    expect(step.ok).toBe(false);
    expect(step.error).toMatch(
      /^incident: GitHub answered 503 to POST \/repos\/acme\/shop\/issues: Server Error — GitHub is having problems; nothing was created twice, re-run the job$/,
    );
    expect(gh.state.listIssues()).toHaveLength(0);
    expect(gh.requests.count({ operationId: 'issues/create' })).toBe(3);
  });

  it('a secondary rate limit with retry-after: waits and retries', async () => {
    seedLabels();
    gh.faults.secondaryRateLimit({ method: 'POST', path: /\/issues$/, retryAfter: 1 });
    const started = performance.now();
    const step = await incidentStep(gh, open, { clock: testClock('2026-11-26T10:00:00Z') });
    expect(step.ok, step.error).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(gh.requests.filter({ operationId: 'issues/create' }).map((r) => r.status)).toEqual([403, 201]);
    expect(gh.state.listIssues()).toHaveLength(1);
    expect(step.log.join('\n')).toMatch(/secondary rate limit on POST .*retrying in 1s/);
  });

  it('two runs opening the same incident at once: one open incident after reconciliation', async () => {
    seedLabels();
    // Both runs list before either creates: the race the marker lookup alone cannot prevent.
    gh.faults.barrier({ method: 'GET', path: /\/issues$/, parties: 2 });
    const clock = testClock('2026-11-26T10:00:00Z');
    const [a, b] = await Promise.all([incidentStep(gh, open, { clock }), incidentStep(gh, open, { clock })]);
    expect(a.ok && b.ok, `${a.error} ${b.error}`).toBe(true);
    expect(gh.requests.count({ operationId: 'issues/create' })).toBe(2);

    const open_ = gh.state.listIssues({ state: 'open' });
    expect(open_.map((i) => i.number)).toEqual([1]);
    expect(gh.state.issue(2)).toMatchObject({ state: 'closed', stateReason: 'duplicate' });
    expect(gh.state.commentsOf(2)[0]?.body).toContain('Duplicate of #1');
    expect([a.outputs['issue-number'], b.outputs['issue-number']]).toEqual(['1', '1']);
    expect([a.outputs.created, b.outputs.created].sort()).toEqual(['false', 'true']);
    expect(readIncidentMarker(gh.state.issue(1)!.body)?.occurrences).toBe(2);
  });
});

describe('input validation', () => {
  it.each([
    [{ severity: 'P5' }, 'input "severity" (got "P5"): expected one of P0, P1, P2, P3'],
    [{ title: '   ' }, 'input "title": is required when mode is open'],
    [
      { 'dedupe-key': 'has spaces--and dashes' },
      'input "dedupe-key" (got "has spaces--and dashes"): expected 1–100 characters',
    ],
    [{ mode: 'page' }, 'input "mode" (got "page"): expected one of open, update, escalate, resolve'],
    [{ service: 'api;rm -rf' }, 'input "service" (got "api;rm -rf"): expected a service name'],
    [{ mode: 'update' }, 'input "status": is required when mode is update'],
    [{ mode: 'resolve', title: '' }, 'input "issue-number": is required when mode is resolve'],
  ])('%j is refused with a clear error', async (inputs, message) => {
    const step = await incidentStep(gh, { ...open, ...inputs }, { clock: testClock('2026-11-26T10:00:00Z') });
    expect(step.ok).toBe(false);
    expect(step.error).toContain('incident: invalid configuration — ');
    expect(step.error).toContain(message);
    expect(gh.requests.entries).toHaveLength(0);
  });

  it('masks the token and names a token GitHub refuses', async () => {
    gh.override('issues/list-for-repo', () => ({
      status: 401,
      body: { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' },
    }));
    const step = await incidentStep(gh, open, { clock: testClock('2026-11-26T10:00:00Z') });
    expect(step.ok).toBe(false);
    expect(step.error).toContain('GitHub answered 401 to GET /repos/acme/shop/issues');
    expect(step.error).toContain('the github-token input is not a valid token');
    expect(redact(`token ${TOKEN}`)).toBe('token ***');
    for (const text of [step.error ?? '', step.summary, step.log.join('\n')]) expect(text).not.toContain(TOKEN);
    gh.violations.length = 0; // 401 is not a documented answer of the list endpoint; it is what GitHub sends
  });
});
