import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient, githubContext } from '../../src/core/github.js';
import { memoryLogger } from '../../src/core/logger.js';
import { parsePolicy } from '../../src/core/policy/parse.js';
import { calendarWindow } from '../../src/maintenance-window/calendar.js';
import { listNotices, postNotice } from '../../src/maintenance-window/github.js';
import { noticeMarker } from '../../src/maintenance-window/notice.js';
import { type GitHubDouble, startGitHubDouble } from '../doubles/github/index.js';
import { manualClock } from './step.js';

const repository = { owner: 'acme', repo: 'shop' };
const LABEL = 'maintenance-notice';
const weekly = calendarWindow(parsePolicy({}).maintenance.windows[0]!);
const sunday = Date.parse('2026-11-29T02:00:00Z');
const occurrence = { window: weekly, start: sunday, end: sunday + 2 * 3_600_000 };
const since = Date.parse('2025-01-01T00:00:00Z');

let gh: GitHubDouble;
let client: GitHubClient;

beforeEach(async () => {
  gh = await startGitHubDouble({ ...repository, now: () => new Date('2026-11-23T09:00:00Z') });
  client = await createGitHubClient({
    token: 'ghs_test',
    context: githubContext(gh.env()),
    paceWrites: false,
    waitScale: 0.001,
  });
});
afterEach(async () => {
  gh.assertNoViolations();
  await gh.close();
});

const post = (clock = manualClock('2026-11-23T09:00:00Z')) =>
  postNotice({
    client,
    repository,
    label: LABEL,
    labelColor: 'fbca04',
    occurrence,
    title: 'Scheduled maintenance',
    body: `${noticeMarker('weekly-maintenance', sunday)}\nbody`,
    since,
    clock,
    log: memoryLogger(),
  });

const openNotices = () =>
  [...gh.state.issues.values()].filter((i) => i.labels.includes(LABEL) && i.state === 'open').map((i) => i.number);

describe('reading notices', () => {
  it('reads markers from labelled issues, skipping cancelled, duplicate and unlabelled ones and pull requests', async () => {
    gh.state.addLabel(LABEL, 'fbca04');
    const marker = noticeMarker('weekly-maintenance', sunday);
    const add = (seed: Record<string, unknown>) =>
      gh.state.addIssue({ title: 't', body: marker, labels: [LABEL], createdAt: '2026-11-20T10:00:00Z', ...seed });
    const good = add({});
    const completed = add({ state: 'closed', stateReason: 'completed', closedAt: '2026-11-29T05:00:00Z' });
    add({ state: 'closed', stateReason: 'not_planned', closedAt: '2026-11-21T05:00:00Z' });
    add({ state: 'closed', stateReason: 'duplicate', closedAt: '2026-11-21T05:00:00Z' });
    add({ labels: [] });
    add({ body: 'no marker here' });
    add({ body: '<!-- runbook-actions:maintenance-notice {"window": broken} -->' });
    add({ createdAt: '2024-06-01T00:00:00Z' });
    add({ pullRequest: true });
    const notices = await listNotices(client, repository, LABEL, since);
    expect(notices.map((n) => n.number).sort()).toEqual([good.number, completed.number].sort());
    expect(notices[0]).toMatchObject({
      window: 'weekly-maintenance',
      start: sunday,
      createdAt: Date.parse('2026-11-20T10:00:00Z'),
      url: `https://github.com/acme/shop/issues/${completed.number}`,
    });
    const listed = gh.requests.filter({ operationId: 'issues/list-for-repo' });
    expect(listed[0]?.query).toMatchObject({ labels: LABEL, state: 'all', sort: 'created', direction: 'desc' });
  });

  it('pages through more than 100 notices and stops at the first page older than since', async () => {
    for (let day = 0; day < 150; day++)
      gh.state.addIssue({
        title: `n${day}`,
        body: noticeMarker('weekly-maintenance', sunday + day * 86_400_000),
        labels: [LABEL],
        createdAt: new Date(Date.parse('2026-01-01T00:00:00Z') + day * 86_400_000).toISOString(),
      });
    expect(await listNotices(client, repository, LABEL, since)).toHaveLength(150);
    expect(gh.requests.count({ operationId: 'issues/list-for-repo' })).toBe(2);
    // Since 1 May: the first page (newest 100, back to 11 February) reaches past it, so no second page.
    const recent = await listNotices(client, repository, LABEL, Date.parse('2026-05-01T00:00:00Z'));
    expect(recent).toHaveLength(150 - 120);
    expect(gh.requests.count({ operationId: 'issues/list-for-repo' })).toBe(3);
  });
});

describe('posting a notice', () => {
  it('creates the label and the issue once; posting again finds it', async () => {
    const first = await post();
    expect(first.created).toBe(true);
    expect(gh.state.labels.get(LABEL)?.color).toBe('fbca04');
    const issue = gh.state.issue(first.notice.number);
    expect(issue?.labels).toEqual([LABEL]);
    expect(issue?.body).toContain(noticeMarker('weekly-maintenance', sunday));
    const again = await post();
    expect(again).toEqual({ notice: first.notice, created: false });
    expect(gh.requests.count({ operationId: 'issues/create' })).toBe(1);
    expect(gh.requests.count({ operationId: 'issues/create-label' })).toBe(1);
    expect(openNotices()).toEqual([first.notice.number]);
  });

  it('does not post twice when the create succeeded but its response was lost', async () => {
    gh.faults.fail({ method: 'POST', path: /\/issues$/, status: 502, when: 'after' });
    const clock = manualClock('2026-11-23T09:00:00Z');
    const result = await post(clock);
    expect(result.created).toBe(false);
    expect(openNotices()).toEqual([result.notice.number]);
    expect(gh.requests.count({ operationId: 'issues/create' })).toBe(1);
    expect(clock.sleeps).toEqual([1000]);
  });

  it('posts on the second attempt when the first create was not handled', async () => {
    gh.faults.fail({ method: 'POST', path: /\/issues$/, status: 503, when: 'instead' });
    const result = await post();
    expect(result.created).toBe(true);
    expect(openNotices()).toEqual([result.notice.number]);
    expect(gh.requests.count({ operationId: 'issues/create' })).toBe(2);
  });

  it('gives up after three failed creates with GitHub’s error', async () => {
    gh.faults.fail({ method: 'POST', path: /\/issues$/, status: 500, when: 'instead', times: 3 });
    await expect(post()).rejects.toMatchObject({ status: 500 });
    expect(openNotices()).toEqual([]);
  });

  it('leaves one open notice when two runs post at the same time', async () => {
    const [a, b] = await Promise.all([post(), post()]);
    expect(a.notice.number).toBe(b.notice.number);
    expect(openNotices()).toEqual([a.notice.number]);
    // Both looked before either posted, so both posted; the later issue was closed as a duplicate.
    expect(gh.requests.count({ operationId: 'issues/create' })).toBe(2);
    const closed = [...gh.state.issues.values()].filter((i) => i.state === 'closed');
    expect(closed.map((i) => [i.number > a.notice.number, i.stateReason])).toEqual([[true, 'duplicate']]);
    expect(await listNotices(client, repository, LABEL, since)).toHaveLength(1);
  });
});
