import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient, githubContext } from '../../../src/core/github.js';
import { type GitHubDouble, SECONDARY_RATE_LIMIT_MESSAGE, startGitHubDouble } from './index.js';
import { openApi } from './openapi.js';

const repo = { owner: 'acme', repo: 'shop' };
let gh: GitHubDouble;
let client: GitHubClient;

async function clientFor(double: GitHubDouble, options: { paced?: boolean } = {}) {
  return createGitHubClient({
    token: 'ghs_double_token',
    context: githubContext(double.env()),
    paceWrites: options.paced ?? false,
  });
}

beforeEach(async () => {
  gh = await startGitHubDouble(repo);
  client = await clientFor(gh);
});

afterEach(async () => {
  await gh.close();
});

describe('issues, comments and labels over HTTP', () => {
  afterEach(() => gh.assertNoViolations());

  it('creates, reads, updates, comments on and labels an issue', async () => {
    gh.state.addLabel('incident', 'b60205', 'An incident');
    const created = await client.rest.issues.create({
      ...repo,
      title: 'Checkout down',
      body: 'details',
      labels: ['incident'],
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      number: 1,
      title: 'Checkout down',
      state: 'open',
      user: { login: 'github-actions[bot]', type: 'Bot' },
      html_url: 'https://github.com/acme/shop/issues/1',
      labels: [{ name: 'incident', color: 'b60205' }],
    });

    await client.rest.issues.createComment({ ...repo, issue_number: 1, body: 'first update' });
    const comments = await client.rest.issues.listComments({ ...repo, issue_number: 1 });
    expect(comments.data.map((c) => c.body)).toEqual(['first update']);

    await client.rest.issues.addLabels({ ...repo, issue_number: 1, labels: ['P1'] });
    expect(gh.state.findLabel('P1')?.color).toBe('ededed');
    await client.rest.issues.removeLabel({ ...repo, issue_number: 1, name: 'incident' });
    const closed = await client.rest.issues.update({
      ...repo,
      issue_number: 1,
      state: 'closed',
      state_reason: 'not_planned',
    });
    expect(closed.data).toMatchObject({ state: 'closed', state_reason: 'not_planned', labels: [{ name: 'P1' }] });

    const issue = gh.state.issue(1);
    expect(issue).toMatchObject({ state: 'closed', labels: ['P1'], closedBy: 'github-actions[bot]' });
    expect(gh.state.commentsOf(1)).toHaveLength(1);
  });

  it('gets, creates and updates labels; a duplicate label is a 422', async () => {
    await client.rest.issues.createLabel({ ...repo, name: 'severity: P0', color: 'B60205' });
    const label = await client.rest.issues.getLabel({ ...repo, name: 'severity: P0' });
    expect(label.data).toMatchObject({ name: 'severity: P0', color: 'b60205' });
    await expect(
      client.rest.issues.createLabel({ ...repo, name: 'severity: p0', color: '000000' }),
    ).rejects.toMatchObject({
      status: 422,
    });
    await client.rest.issues.updateLabel({ ...repo, name: 'severity: P0', color: '000000' });
    expect(gh.state.findLabel('severity: P0')?.color).toBe('000000');
    await expect(client.rest.issues.getLabel({ ...repo, name: 'missing' })).rejects.toMatchObject({ status: 404 });
  });

  it('filters the issue list by state and labels, and pages it with Link headers', async () => {
    for (let i = 1; i <= 75; i++) gh.state.addIssue({ title: `issue ${i}`, labels: i % 3 === 0 ? ['incident'] : [] });
    gh.state.addIssue({ title: 'closed incident', labels: ['incident'], state: 'closed' });

    const first = await client.rest.issues.listForRepo({ ...repo, per_page: 10 });
    expect(first.data).toHaveLength(10);
    expect(first.data[0]?.title).toBe('issue 75');
    expect(first.headers.link).toContain('rel="next"');
    expect(first.headers.link).toContain('page=8');

    const mark = gh.requests.mark();
    const incidents = await client.paginate(client.rest.issues.listForRepo, {
      ...repo,
      labels: 'incident',
      per_page: 10,
    });
    expect(incidents).toHaveLength(25);
    expect(gh.requests.count({ operationId: 'issues/list-for-repo' }, mark)).toBe(3);

    const all = await client.paginate(client.rest.issues.listForRepo, {
      ...repo,
      state: 'all',
      labels: 'incident',
      per_page: 100,
    });
    expect(all.map((i) => i.title)).toContain('closed incident');
    expect(all).toHaveLength(26);
  });
});

describe('the rest of the repository', () => {
  afterEach(() => gh.assertNoViolations());

  it('serves pull requests by commit, reviews, check runs (paged, total_count) and statuses', async () => {
    const sha = 'a'.repeat(40);
    const pull = gh.state.addPull({ title: 'Add checkout', head: { ref: 'feature', sha } });
    gh.state.addReview(pull.number, { user: 'alice', state: 'APPROVED' });
    for (let i = 0; i < 35; i++) gh.state.addCheckRun({ headSha: sha, name: `check ${i}` });
    gh.state.addCheckRun({ headSha: sha, name: 'check 0', conclusion: 'failure' });
    gh.state.addStatus({ sha, context: 'ci/legacy', state: 'pending' });
    gh.state.addStatus({ sha, context: 'ci/legacy', state: 'success' });

    const pulls = await client.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha });
    expect(pulls.data.map((p) => p.number)).toEqual([pull.number]);
    expect((await client.rest.pulls.get({ ...repo, pull_number: pull.number })).data).toMatchObject({
      merged: false,
      head: { sha },
    });
    const reviews = await client.rest.pulls.listReviews({ ...repo, pull_number: pull.number });
    expect(reviews.data[0]).toMatchObject({ state: 'APPROVED', user: { login: 'alice' } });

    const page = await client.rest.checks.listForRef({ ...repo, ref: sha });
    expect(page.data.total_count).toBe(35);
    expect(page.data.check_runs).toHaveLength(30);
    const runs = await client.paginate(client.rest.checks.listForRef, { ...repo, ref: sha, per_page: 30 });
    expect(runs).toHaveLength(35);
    expect(runs.find((r) => r.name === 'check 0')?.conclusion).toBe('failure');

    const combined = await client.rest.repos.getCombinedStatusForRef({ ...repo, ref: sha });
    expect(combined.data).toMatchObject({ state: 'success', total_count: 1 });
    const statuses = await client.rest.repos.listCommitStatusesForRef({ ...repo, ref: sha });
    expect(statuses.data.map((s) => s.state)).toEqual(['success', 'pending']);
  });

  it('answers code scanning as GitHub does: 403 when not enabled, 404 "no analysis found", then alerts', async () => {
    gh.state.codeScanning = 'not-enabled';
    await expect(client.rest.codeScanning.listAlertsForRepo(repo)).rejects.toMatchObject({ status: 403 });
    gh.state.codeScanning = 'enabled';
    await expect(client.rest.codeScanning.listRecentAnalyses(repo)).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('no analysis found'),
    });
    gh.state.addAnalysis({ commitSha: 'b'.repeat(40) });
    gh.state.addAlert({ ruleId: 'js/sql-injection', securitySeverity: 'critical' });
    gh.state.addAlert({ ruleId: 'js/unused-local-variable', securitySeverity: undefined, severity: 'note' });
    const alerts = await client.rest.codeScanning.listAlertsForRepo({ ...repo, state: 'open' });
    expect(alerts.data.map((a) => [a.rule.id, a.rule.security_severity_level])).toEqual([
      ['js/sql-injection', 'critical'],
      ['js/unused-local-variable', null],
    ]);
    expect((await client.rest.codeScanning.listRecentAnalyses(repo)).data).toHaveLength(1);
  });

  it('creates and lists deployments and their statuses', async () => {
    const commit = gh.state.addCommit({ message: 'release' });
    gh.state.setRef('main', commit.sha);
    const created = await client.rest.repos.createDeployment({
      ...repo,
      ref: 'main',
      environment: 'production',
      required_contexts: [],
    });
    expect(created.status).toBe(201);
    const id = (created.data as { id: number }).id;
    await client.rest.repos.createDeploymentStatus({
      ...repo,
      deployment_id: id,
      state: 'success',
      environment_url: 'https://shop.example.com',
    });
    const list = await client.rest.repos.listDeployments({ ...repo, environment: 'production' });
    expect(list.data[0]).toMatchObject({ id, sha: commit.sha, ref: 'main' });
    const statuses = await client.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: id });
    expect(statuses.data[0]).toMatchObject({ state: 'success', environment_url: 'https://shop.example.com' });
    await expect(client.rest.repos.createDeployment({ ...repo, ref: 'no-such-branch' })).rejects.toMatchObject({
      status: 422,
    });
  });

  it('serves files and directories at a ref, commits and comparisons', async () => {
    const base = gh.state.addCommit({ message: 'base' });
    const head = gh.state.addCommit({
      message: 'migrate',
      parents: [base.sha],
      files: [{ filename: 'migrations/001.sql', status: 'added', additions: 3, deletions: 0 }],
    });
    gh.state.setRef('main', head.sha);
    gh.state.setFile('main', '.github/runbook.yml', 'version: 1\n');
    gh.state.setFile('main', '.github/workflows/ci.yml', 'on: push\n');

    const file = await client.rest.repos.getContent({ ...repo, path: '.github/runbook.yml', ref: 'main' });
    const data = file.data as { type: string; content: string };
    expect(data.type).toBe('file');
    expect(Buffer.from(data.content, 'base64').toString()).toBe('version: 1\n');
    const dir = await client.rest.repos.getContent({ ...repo, path: '.github' });
    expect((dir.data as { name: string; type: string }[]).map((e) => `${e.type}:${e.name}`)).toEqual([
      'file:runbook.yml',
      'dir:workflows',
    ]);
    await expect(client.rest.repos.getContent({ ...repo, path: 'missing.txt' })).rejects.toMatchObject({ status: 404 });

    const compare = await client.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${base.sha}...main` });
    expect(compare.data).toMatchObject({ status: 'ahead', ahead_by: 1, files: [{ filename: 'migrations/001.sql' }] });
    const commit = await client.rest.repos.getCommit({ ...repo, ref: head.sha });
    expect(commit.data.commit.message).toBe('migrate');
  });
});

describe('faults', () => {
  afterEach(() => gh.assertNoViolations());

  it('a 502 instead of the answer: the retry plugin recovers', async () => {
    gh.faults.fail({ method: 'GET', path: /\/issues$/, status: 502 });
    const list = await client.rest.issues.listForRepo(repo);
    expect(list.status).toBe(200);
    expect(gh.requests.entries.map((e) => `${e.status}${e.fault ? ` (${e.fault})` : ''}`)).toEqual([
      '502 (502 instead)',
      '200',
    ]);
    expect(gh.faults.pending()).toEqual([]);
  });

  it('a 502 after the issue was created: a blind retry duplicates it, a create without retries does not', async () => {
    gh.faults.fail({ method: 'POST', path: /\/issues$/, status: 502, when: 'after' });
    await client.rest.issues.create({ ...repo, title: 'retried blindly' });
    expect(gh.state.listIssues().map((i) => i.title)).toEqual(['retried blindly', 'retried blindly']);

    gh.faults.fail({ method: 'POST', path: /\/issues$/, status: 502, when: 'after' });
    await expect(
      client.rest.issues.create({ ...repo, title: 'not retried', request: { retries: 0 } }),
    ).rejects.toMatchObject({
      status: 502,
    });
    expect(gh.state.listIssues().filter((i) => i.title === 'not retried')).toHaveLength(1);
  });

  it('a secondary rate limit: the throttling plugin waits retry-after and retries', async () => {
    gh.faults.secondaryRateLimit({ method: 'POST', path: '/issues', retryAfter: 1 });
    const started = performance.now();
    const created = await client.rest.issues.create({ ...repo, title: 'after the limit' });
    const waited = performance.now() - started;
    expect(created.status).toBe(201);
    expect(waited).toBeGreaterThanOrEqual(950);
    const [limited, ok] = gh.requests.entries;
    expect(limited).toMatchObject({ status: 403, fault: 'secondary-rate-limit' });
    expect(ok).toMatchObject({ status: 201 });
    expect(gh.state.listIssues()).toHaveLength(1);
  });

  it('sends the headers and message GitHub sends with a secondary rate limit', async () => {
    gh.faults.secondaryRateLimit({ path: '/issues', retryAfter: 7 });
    const response = await fetch(`${gh.url}/repos/acme/shop/issues`);
    expect(response.status).toBe(403);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(((await response.json()) as { message: string }).message).toBe(SECONDARY_RATE_LIMIT_MESSAGE);
  });

  it('a barrier holds requests until the given number have arrived, then lets them all through', async () => {
    gh.faults.barrier({ method: 'GET', path: /\/issues$/, parties: 2 });
    const order: string[] = [];
    const first = client.rest.issues.listForRepo(repo).then(() => order.push('first listed'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    order.push('second sent');
    await Promise.all([first, client.rest.issues.listForRepo(repo).then(() => order.push('second listed'))]);
    expect(order.slice(0, 1)).toEqual(['second sent']);
    expect(gh.faults.pending()).toEqual([]);
    const started = performance.now();
    await client.rest.issues.listForRepo(repo);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('delays a response, a given number of times', async () => {
    gh.faults.delay({ method: 'GET', path: /\/labels\//, ms: 300, times: 2 });
    gh.state.addLabel('incident');
    const timed = async () => {
      const started = performance.now();
      await client.rest.issues.getLabel({ ...repo, name: 'incident' });
      return performance.now() - started;
    };
    expect(await timed()).toBeGreaterThanOrEqual(290);
    expect(await timed()).toBeGreaterThanOrEqual(290);
    expect(await timed()).toBeLessThan(290);
    expect(gh.faults.hits()[0]?.hits).toBe(2);
  });
});

describe('OpenAPI checks catch mistakes', () => {
  it('an unknown route is a 404 and a violation', async () => {
    const response = await fetch(`${gh.url}/repos/acme/shop/incidents`);
    expect(response.status).toBe(404);
    expect(gh.violations).toMatchObject([{ kind: 'route', path: '/repos/acme/shop/incidents' }]);
    expect(() => gh.assertNoViolations()).toThrow(/no operation in the OpenAPI description matches/);
  });

  it('a request body that breaks the schema is refused with 422 and recorded', async () => {
    await expect(
      client.request('POST /repos/{owner}/{repo}/issues', { ...repo, title: 'x', labels: 'incident' } as never),
    ).rejects.toMatchObject({ status: 422 });
    expect(gh.violations[0]).toMatchObject({ kind: 'request', operationId: 'issues/create' });
    expect(gh.violations[0]?.problems.join()).toMatch(/labels must be array/);
    expect(gh.state.listIssues()).toHaveLength(0);
  });

  it('a query parameter that is not declared, or of the wrong type, is recorded', async () => {
    await client.request('GET /repos/{owner}/{repo}/issues', { ...repo, per_page: 'many', label: 'incident' } as never);
    expect(gh.violations[0]?.problems).toEqual([
      expect.stringMatching(/query parameter "per_page"="many": \/value must be integer/),
      'query parameter "label" is not declared by issues/list-for-repo',
    ]);
  });

  it('a response field the description does not declare, or a missing required one, is recorded', async () => {
    gh.state.addIssue({ title: 'x' });
    gh.override('issues/get', (ctx) => ({
      status: 200,
      body: { ...ctx.state.issueJson(gh.state.issue(1)!), severity: 'P1' },
    }));
    await client.rest.issues.get({ ...repo, issue_number: 1 });
    expect(gh.violations[0]?.problems.join()).toMatch(/undeclared property "severity"/);

    gh.violations.length = 0;
    gh.override('issues/get', (ctx) => {
      const { node_id: _, ...rest } = ctx.state.issueJson(gh.state.issue(1)!);
      return { status: 200, body: rest };
    });
    await client.rest.issues.get({ ...repo, issue_number: 1 });
    expect(gh.violations[0]?.problems.join()).toMatch(/must have required property 'node_id'/);

    gh.violations.length = 0;
    gh.override('issues/get', () => ({ status: 418, body: { message: 'teapot' } }));
    await expect(client.rest.issues.get({ ...repo, issue_number: 1, request: { retries: 0 } })).rejects.toMatchObject({
      status: 418,
    });
    expect(gh.violations[0]?.problems).toEqual(['status 418 is not a declared response of issues/get']);
    gh.violations.length = 0;
  });

  it('closes objects inside the description but leaves allOf compositions to unevaluatedProperties', () => {
    const api = openApi();
    const update = api.operation('PATCH', '/repos/{owner}/{repo}/issues/{issue_number}');
    expect(update).toBeDefined();
    gh.state.addIssue({ title: 'x' });
    const issue = gh.state.issueJson(gh.state.issue(1)!);
    expect(api.checkResponse(update!, 200, issue)).toEqual([]);
    expect(api.checkResponse(update!, 200, { ...issue, suggestions: {} })).toEqual([]);
    expect(api.checkResponse(update!, 200, { ...issue, bogus: true })[0]).toMatch(/undeclared property "bogus"/);
  });
});
