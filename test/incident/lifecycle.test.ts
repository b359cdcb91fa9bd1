import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readIncidentMarker, readPostMortemMarker } from '../../src/incident/marker.js';
import { type GitHubDouble, startGitHubDouble } from '../doubles/github/index.js';
import { incidentStep, testClock } from './harness.js';

let gh: GitHubDouble;
beforeEach(async () => {
  gh = await startGitHubDouble({ owner: 'acme', repo: 'shop' });
});
afterEach(async () => {
  process.exitCode = undefined;
  gh.assertNoViolations();
  await gh.close();
});

const open = { mode: 'open', title: 'Search is slow', service: 'search', severity: 'P1' };
const policy = [
  'escalation:',
  '  chain:',
  '    - { role: On-call engineer, mention: [oncall] }',
  '    - { role: Team lead, mention: [lead] }',
  '    - { role: Engineering manager, mention: [em] }',
  '    - { role: CTO, mention: [cto] }',
  'businessHours:',
  '  timeZone: Europe/Berlin',
  '  holidays: ["2026-12-25"]',
].join('\n');

describe('update', () => {
  it('posts a status comment with the time and the next-update ETA, found by service and title', async () => {
    const clock = testClock('2026-11-26T10:00:00Z');
    await incidentStep(gh, open, { clock });
    clock.advance(15 * 60_000);
    const step = await incidentStep(
      gh,
      {
        mode: 'update',
        title: open.title,
        service: open.service,
        status: 'identified',
        message: 'Index rebuild stuck',
        'next-update': '45m',
      },
      { clock },
    );
    expect(step.ok, step.error).toBe(true);
    expect(step.outputs).toMatchObject({
      'issue-number': '1',
      severity: 'P1',
      'next-update': '2026-11-26T11:00:00Z',
      created: 'false',
    });
    const [comment] = gh.state.commentsOf(1);
    expect(comment?.body).toContain('**Status: 🎯 Identified** — 2026-11-26 10:15 UTC');
    expect(comment?.body).toContain('Index rebuild stuck');
    expect(comment?.body).toContain('Next update by 2026-11-26 11:00 UTC.');
    expect(gh.requests.count({ operationId: 'issues/create-comment' })).toBe(1);
  });

  it('by issue number; "resolved" has no next update; a non-incident issue is refused', async () => {
    const clock = testClock('2026-11-26T10:00:00Z');
    await incidentStep(gh, open, { clock });
    const step = await incidentStep(gh, { mode: 'update', 'issue-number': '1', status: 'resolved' }, { clock });
    expect(step.outputs['next-update']).toBe('');
    expect(gh.state.commentsOf(1)[0]?.body).toContain('No further updates planned.');

    gh.state.addIssue({ title: 'Unrelated bug', body: 'no marker' });
    const refused = await incidentStep(gh, { mode: 'update', 'issue-number': '2', status: 'monitoring' }, { clock });
    expect(refused.error).toBe(
      'incident: issue #2 is not an incident opened by this action (its body has no incident marker) — pass the number of an incident issue, or its dedupe-key',
    );
    const missing = await incidentStep(gh, { mode: 'update', 'dedupe-key': 'nope', status: 'monitoring' }, { clock });
    expect(missing.error).toMatch(/no open incident with dedupe key "nope"/);
  });
});

describe('escalate (cron)', () => {
  it('moves an unacknowledged incident up the chain only after its response deadline, one level per missed deadline', async () => {
    const clock = testClock('2026-11-26T10:00:00Z');
    await incidentStep(gh, open, { clock, policy }); // P1: due 11:00

    clock.set('2026-11-26T10:59:00Z');
    const early = await incidentStep(gh, { mode: 'escalate' }, { clock, policy });
    expect(early.outputs).toMatchObject({ escalated: '[]', 'escalated-count': '0' });
    expect(gh.state.commentsOf(1)).toHaveLength(0);

    clock.set('2026-11-26T11:01:00Z');
    const first = await incidentStep(gh, { mode: 'escalate' }, { clock, policy });
    expect(JSON.parse(first.outputs.escalated ?? '')).toEqual([
      {
        number: 1,
        url: 'https://github.com/acme/shop/issues/1',
        severity: 'P1',
        level: 2,
        role: 'Team lead',
        mentions: ['lead'],
      },
    ]);
    const issue = gh.state.issue(1)!;
    expect(issue.labels).toContain('escalation:team-lead');
    expect(gh.state.findLabel('escalation:team-lead')?.color).toBe('d93f0b');
    expect(readIncidentMarker(issue.body)).toMatchObject({ level: 1, deadline: '2026-11-26T12:01:00Z' });
    expect(issue.body).toContain('level 2 of 4: Team lead @lead');
    expect(gh.state.commentsOf(1)[0]?.body).toMatch(
      /⏫ \*\*Escalated to Team lead\*\* @lead: not acknowledged by the response deadline \(2026-11-26 12:00 Europe\/Berlin/,
    );
    expect(first.summary).toContain(
      '| [#1](https://github.com/acme/shop/issues/1) | P1 | On-call engineer | Team lead (lead) |',
    );

    clock.set('2026-11-26T11:30:00Z');
    expect((await incidentStep(gh, { mode: 'escalate' }, { clock, policy })).outputs['escalated-count']).toBe('0');

    clock.set('2026-11-26T12:02:00Z');
    const second = await incidentStep(gh, { mode: 'escalate' }, { clock, policy });
    expect(JSON.parse(second.outputs.escalated ?? '')[0]).toMatchObject({ level: 3, role: 'Engineering manager' });
    expect(gh.state.issue(1)!.labels.filter((l) => l.startsWith('escalation:'))).toEqual([
      'escalation:engineering-manager',
    ]);
  });

  it('an /ack comment by a person stops escalation and adds the ack label; a bot quoting /ack does not', async () => {
    const clock = testClock('2026-11-26T10:00:00Z');
    await incidentStep(gh, open, { clock, policy });
    await incidentStep(gh, { ...open, title: 'Another', severity: 'P0' }, { clock, policy });
    gh.state.addComment(1, 'Use `/ack` to acknowledge\n/ack', { user: 'renovate[bot]' });
    gh.state.addComment(2, 'looking\n/ack on it', { user: 'alice' });

    clock.set('2026-11-26T11:05:00Z');
    const step = await incidentStep(gh, { mode: 'escalate' }, { clock, policy });
    expect(JSON.parse(step.outputs.escalated ?? '').map((e: { number: number }) => e.number)).toEqual([1]);
    expect(gh.state.issue(2)!.labels).toContain('acknowledged');
    expect(step.summary).toContain('#2: acknowledged by @alice');

    // Once labelled, the next run does not even read the comments.
    clock.set('2026-11-26T14:00:00Z');
    const mark = gh.requests.mark();
    await incidentStep(gh, { mode: 'escalate' }, { clock, policy });
    expect(gh.requests.filter({ operationId: 'issues/list-comments' }, mark).map((r) => r.path)).toEqual([
      '/repos/acme/shop/issues/1/comments',
    ]);
  });

  it('P3 waits for the next business day in the policy time zone, skipping weekend and holiday', async () => {
    const clock = testClock('2026-12-24T09:00:00Z'); // Thursday; Friday 25th is a holiday in the policy
    const opened = await incidentStep(gh, { ...open, severity: 'P3' }, { clock, policy });
    // Monday 28 Dec, 17:00 Berlin (CET, UTC+1)
    expect(opened.outputs['response-deadline']).toBe('2026-12-28T16:00:00Z');

    clock.set('2026-12-26T12:00:00Z');
    expect((await incidentStep(gh, { mode: 'escalate' }, { clock, policy })).outputs['escalated-count']).toBe('0');
    clock.set('2026-12-28T16:01:00Z');
    const step = await incidentStep(gh, { mode: 'escalate' }, { clock, policy });
    expect(step.outputs['escalated-count']).toBe('1');
    // Next deadline: end of Tuesday 29 Dec in Berlin.
    expect(readIncidentMarker(gh.state.issue(1)!.body)?.deadline).toBe('2026-12-29T16:00:00Z');
  });

  it('does nothing more at the top of the chain', async () => {
    const clock = testClock('2026-11-26T10:00:00Z');
    await incidentStep(
      gh,
      { ...open, severity: 'P0' },
      { clock, policy: 'escalation:\n  chain:\n    - { role: CTO, mention: [cto] }\n' },
    );
    clock.set('2026-11-26T12:00:00Z');
    const step = await incidentStep(
      gh,
      { mode: 'escalate' },
      { clock, policy: 'escalation:\n  chain:\n    - { role: CTO, mention: [cto] }\n' },
    );
    expect(step.outputs['escalated-count']).toBe('0');
    expect(step.summary).toContain('past its deadline at the last level (CTO)');
  });
});

describe('resolve', () => {
  it('closes with the resolution and opens a post-mortem due in 48 hours with the timeline and action items', async () => {
    const clock = testClock('2026-11-26T10:00:00Z');
    await incidentStep(gh, { ...open, impact: 'Search p95 at 4 s' }, { clock, policy });
    clock.set('2026-11-26T10:10:00Z');
    await incidentStep(
      gh,
      { mode: 'update', 'issue-number': '1', status: 'investigating', message: 'Looking at the cluster' },
      { clock, policy },
    );
    clock.set('2026-11-26T11:05:00Z');
    await incidentStep(gh, { mode: 'escalate' }, { clock, policy });
    clock.set('2026-11-26T11:20:00Z');
    await incidentStep(
      gh,
      { mode: 'update', 'issue-number': '1', status: 'identified', message: 'Hot shard' },
      { clock, policy },
    );
    clock.set('2026-11-26T12:00:00Z');

    const step = await incidentStep(
      gh,
      { mode: 'resolve', 'issue-number': '1', resolution: 'Rebalanced the shards.' },
      { clock, policy },
    );
    expect(step.ok, step.error).toBe(true);
    expect(step.outputs).toMatchObject({
      'issue-number': '1',
      'post-mortem-number': '2',
      'post-mortem-url': 'https://github.com/acme/shop/issues/2',
      'post-mortem-due': '2026-11-28T12:00:00Z',
    });
    expect(gh.state.issue(1)).toMatchObject({ state: 'closed', stateReason: 'completed' });
    const resolution = gh.state.commentsOf(1).at(-1)?.body ?? '';
    expect(resolution).toContain('✅ **Resolved** at 2026-11-26 13:00 Europe/Berlin');
    expect(resolution).toContain('Rebalanced the shards.');
    expect(resolution).toContain('Post-mortem: #2');

    const postMortem = gh.state.issue(2)!;
    expect(postMortem.title).toBe('Post-mortem: [P1] Search is slow');
    expect(postMortem.labels).toEqual(['post-mortem']);
    expect(gh.state.findLabel('post-mortem')?.color).toBe('5319e7');
    const body = postMortem.body ?? '';
    expect(readPostMortemMarker(body)).toMatchObject({ incident: 1 });
    expect(body).toContain('**due by 2026-11-28 13:00 Europe/Berlin (2026-11-28T12:00:00Z)**');
    expect(body).toContain('Search p95 at 4 s');
    const timeline = body.slice(body.indexOf('### Timeline'), body.indexOf('### Root cause'));
    expect(timeline.split('\n').filter((l) => l.startsWith('| 2026'))).toEqual([
      '| 2026-11-26 11:00 Europe/Berlin (2026-11-26T10:00:00Z) | Incident opened (#1) |',
      '| 2026-11-26 11:10 Europe/Berlin (2026-11-26T10:10:00Z) | 🔎 Investigating: Looking at the cluster |',
      '| 2026-11-26 12:05 Europe/Berlin (2026-11-26T11:05:00Z) | Escalated to Team lead |',
      '| 2026-11-26 12:20 Europe/Berlin (2026-11-26T11:20:00Z) | 🎯 Identified: Hot shard |',
      '| 2026-11-26 13:00 Europe/Berlin (2026-11-26T12:00:00Z) | Resolved |',
    ]);
    expect(body).toContain('### Action items\n- [ ]');
    expect(body).toContain('Schedule the post-mortem meeting within 48 hours');
  });

  it('is safe to run again: no second post-mortem, no second resolution comment', async () => {
    const clock = testClock('2026-11-26T10:00:00Z');
    await incidentStep(gh, open, { clock });
    const resolve = { mode: 'resolve', 'issue-number': '1', resolution: 'Restarted.' };
    await incidentStep(gh, resolve, { clock });
    clock.advance(3_600_000);
    const again = await incidentStep(gh, resolve, { clock });
    expect(again.ok, again.error).toBe(true);
    expect(again.outputs).toMatchObject({ 'post-mortem-number': '2', 'post-mortem-due': '2026-11-28T10:00:00Z' });
    expect(gh.state.listIssues()).toHaveLength(2);
    expect(gh.state.commentsOf(1)).toHaveLength(1);
    expect(again.summary).toContain('already been resolved');
  });

  it('without a post-mortem when asked; found by dedupe key', async () => {
    const clock = testClock('2026-11-26T10:00:00Z');
    await incidentStep(gh, { ...open, 'dedupe-key': 'search-latency' }, { clock });
    const step = await incidentStep(
      gh,
      { mode: 'resolve', 'dedupe-key': 'search-latency', resolution: 'Fixed.', 'post-mortem': 'false' },
      { clock },
    );
    expect(step.outputs).toMatchObject({ 'issue-number': '1', 'post-mortem-number': '', 'post-mortem-url': '' });
    expect(gh.state.listIssues()).toHaveLength(1);
    expect(gh.state.issue(1)?.state).toBe('closed');
  });
});
