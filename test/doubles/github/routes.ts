import type { Json } from './factories.js';
import type { GitHubState, IssueRecord } from './state.js';

/**
 * The endpoints the double implements, keyed by OpenAPI operationId. Each handler reads the
 * (already validated) request and answers from the state; the server checks the answer against
 * the response schema.
 */

export interface HandlerContext {
  state: GitHubState;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Json;
  /** Login the request's token acts as. */
  actor: string;
  /** The request URL, for Link headers. */
  url: URL;
}

export interface HandlerResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Handler = (ctx: HandlerContext) => HandlerResult;

const DOCS = 'https://docs.github.com/rest';

export function errorBody(status: number, message: string, extra: Record<string, unknown> = {}): HandlerResult {
  return { status, body: { message, documentation_url: DOCS, status: String(status), ...extra } };
}

const notFound = () => errorBody(404, 'Not Found');

function validationFailed(resource: string, field: string, code: string, message?: string): HandlerResult {
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [{ resource, field, code, ...(message ? { message } : {}) }],
      documentation_url: DOCS,
    },
  };
}

/** Pages a list the way GitHub does: per_page (default 30, max 100), page, and a Link header. */
export function paginate<T>(ctx: HandlerContext, items: T[]): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(ctx.query.get('per_page') ?? 30) || 30, 1), 100);
  const page = Math.max(Number(ctx.query.get('page') ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number, rel: string) => {
    const url = new URL(ctx.url);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(n));
    return `<${url}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(', ') } : {},
  };
}

function list<T>(ctx: HandlerContext, items: T[], toJson: (item: T) => Json): HandlerResult {
  const { items: page, headers } = paginate(ctx, items);
  return { status: 200, body: page.map(toJson), headers };
}

function sortByTime<T>(items: T[], time: (item: T) => string, direction: string | null): T[] {
  const sorted = [...items].sort((a, b) => time(a).localeCompare(time(b)));
  return direction === 'asc' ? sorted : sorted.reverse();
}

function labelNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map((l) => (typeof l === 'string' ? l : ((l as { name?: string }).name ?? ''))).filter(Boolean);
}

function touch(ctx: HandlerContext, issue: IssueRecord): void {
  issue.updatedAt = ctx.state.timestamp();
}

function issueOr404(ctx: HandlerContext): IssueRecord | undefined {
  return ctx.state.issue(Number(ctx.params.issue_number));
}

function requireAnalyses(ctx: HandlerContext): HandlerResult | undefined {
  if (ctx.state.codeScanning === 'not-enabled')
    return errorBody(
      403,
      'Code scanning is not enabled for this repository. Please enable code scanning in the repository settings.',
    );
  if (ctx.state.analyses.length === 0) return errorBody(404, 'no analysis found');
  return undefined;
}

export const handlers: Record<string, Handler> = {
  // ---- issues ----
  'issues/list-for-repo': (ctx) => {
    const state = ctx.query.get('state') ?? 'open';
    const wanted = (ctx.query.get('labels') ?? '')
      .split(',')
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean);
    const since = ctx.query.get('since');
    const creator = ctx.query.get('creator');
    const sortKey = ctx.query.get('sort') ?? 'created';
    const issues = [...ctx.state.issues.values()].filter(
      (i) =>
        (state === 'all' || i.state === state) &&
        wanted.every((w) => i.labels.some((l) => l.toLowerCase() === w)) &&
        (!since || i.updatedAt >= since) &&
        (!creator || i.user === creator),
    );
    const sorted = sortByTime(
      issues,
      (i) => (sortKey === 'updated' ? i.updatedAt : i.createdAt) + String(i.number).padStart(9, '0'),
      ctx.query.get('direction'),
    );
    return list(ctx, sorted, (i) => ctx.state.issueJson(i));
  },

  'issues/create': (ctx) => {
    const { title, body, labels, assignees } = ctx.body as {
      title: string | number;
      body?: string;
      labels?: unknown;
      assignees?: string[];
    };
    if (String(title).trim() === '') return validationFailed('Issue', 'title', 'missing_field');
    const issue = ctx.state.addIssue({
      title: String(title),
      body: body ?? null,
      labels: labelNames(labels),
      assignees: assignees ?? [],
      user: ctx.actor,
    });
    const json = ctx.state.issueJson(issue);
    return { status: 201, body: json, headers: { location: json.url } };
  },

  'issues/get': (ctx) => {
    const issue = issueOr404(ctx);
    return issue ? { status: 200, body: ctx.state.issueJson(issue) } : notFound();
  },

  'issues/update': (ctx) => {
    const issue = issueOr404(ctx);
    if (!issue) return notFound();
    const b = ctx.body as {
      title?: string | number | null;
      body?: string | null;
      state?: 'open' | 'closed';
      state_reason?: IssueRecord['stateReason'];
      labels?: unknown;
      assignees?: string[];
    };
    if (b.title !== undefined && b.title !== null) issue.title = String(b.title);
    if (b.body !== undefined) issue.body = b.body;
    if (b.labels !== undefined) {
      issue.labels = labelNames(b.labels).map((name) => ctx.state.addLabel(name).name);
    }
    if (b.assignees !== undefined) issue.assignees = b.assignees;
    if (b.state && b.state !== issue.state) {
      issue.state = b.state;
      issue.closedAt = b.state === 'closed' ? ctx.state.timestamp() : null;
      issue.closedBy = b.state === 'closed' ? ctx.actor : null;
      issue.stateReason = b.state === 'closed' ? (b.state_reason ?? 'completed') : 'reopened';
    } else if (b.state_reason !== undefined) {
      issue.stateReason = b.state_reason;
    }
    touch(ctx, issue);
    return { status: 200, body: ctx.state.issueJson(issue) };
  },

  'issues/list-comments': (ctx) => {
    const issue = issueOr404(ctx);
    if (!issue) return notFound();
    const since = ctx.query.get('since');
    const comments = ctx.state.commentsOf(issue.number).filter((c) => !since || c.updatedAt >= since);
    return list(ctx, comments, (c) => ctx.state.commentJson(c));
  },

  'issues/create-comment': (ctx) => {
    const issue = issueOr404(ctx);
    if (!issue) return notFound();
    const comment = ctx.state.addComment(issue.number, String((ctx.body as { body: string }).body), {
      user: ctx.actor,
    });
    touch(ctx, issue);
    const json = ctx.state.commentJson(comment);
    return { status: 201, body: json, headers: { location: json.url } };
  },

  'issues/list-labels-for-repo': (ctx) =>
    list(ctx, [...ctx.state.labels.values()], (l) => ctx.state.factories.label(l)),

  'issues/get-label': (ctx) => {
    const label = ctx.state.findLabel(ctx.params.name ?? '');
    return label ? { status: 200, body: ctx.state.factories.label(label) } : notFound();
  },

  'issues/create-label': (ctx) => {
    const { name, color, description } = ctx.body as { name: string; color?: string; description?: string };
    if (ctx.state.findLabel(name)) return validationFailed('Label', 'name', 'already_exists');
    if (color !== undefined && !/^[0-9a-fA-F]{6}$/.test(color)) return validationFailed('Label', 'color', 'invalid');
    const label = ctx.state.addLabel(name, color ?? 'ededed', description ?? null);
    return { status: 201, body: ctx.state.factories.label(label) };
  },

  'issues/update-label': (ctx) => {
    const label = ctx.state.findLabel(ctx.params.name ?? '');
    if (!label) return notFound();
    const b = ctx.body as { new_name?: string; color?: string; description?: string };
    if (b.color !== undefined) label.color = b.color.toLowerCase();
    if (b.description !== undefined) label.description = b.description;
    if (b.new_name !== undefined && b.new_name !== label.name) {
      ctx.state.labels.delete(label.name.toLowerCase());
      for (const issue of ctx.state.issues.values())
        issue.labels = issue.labels.map((l) =>
          l.toLowerCase() === label.name.toLowerCase() ? (b.new_name as string) : l,
        );
      label.name = b.new_name;
      ctx.state.labels.set(label.name.toLowerCase(), label);
    }
    return { status: 200, body: ctx.state.factories.label(label) };
  },

  'issues/add-labels': (ctx) => {
    const issue = issueOr404(ctx);
    if (!issue) return notFound();
    const body = ctx.body as { labels?: unknown } | unknown[];
    const names = labelNames(Array.isArray(body) ? body : (body as { labels?: unknown }).labels);
    for (const name of names) {
      const label = ctx.state.addLabel(name);
      if (!issue.labels.some((l) => l.toLowerCase() === label.name.toLowerCase())) issue.labels.push(label.name);
    }
    touch(ctx, issue);
    return { status: 200, body: issue.labels.map((n) => ctx.state.factories.label(ctx.state.addLabel(n))) };
  },

  'issues/remove-label': (ctx) => {
    const issue = issueOr404(ctx);
    if (!issue) return notFound();
    const name = (ctx.params.name ?? '').toLowerCase();
    if (!issue.labels.some((l) => l.toLowerCase() === name)) return errorBody(404, 'Label does not exist');
    issue.labels = issue.labels.filter((l) => l.toLowerCase() !== name);
    touch(ctx, issue);
    return { status: 200, body: issue.labels.map((n) => ctx.state.factories.label(ctx.state.addLabel(n))) };
  },

  // ---- pull requests ----
  'repos/list-pull-requests-associated-with-commit': (ctx) => {
    const sha = ctx.state.resolveRef(ctx.params.commit_sha ?? '') ?? ctx.params.commit_sha;
    const pulls = [...ctx.state.pulls.values()].filter((p) => p.head.sha === sha || p.mergeCommitSha === sha);
    return list(ctx, pulls, (p) => ctx.state.pullSimpleJson(p));
  },

  'pulls/get': (ctx) => {
    const pull = ctx.state.pulls.get(Number(ctx.params.pull_number));
    return pull ? { status: 200, body: ctx.state.pullJson(pull) } : notFound();
  },

  'pulls/list-reviews': (ctx) => {
    const number = Number(ctx.params.pull_number);
    if (!ctx.state.pulls.has(number)) return notFound();
    const reviews = ctx.state.reviews.filter((r) => r.pullNumber === number);
    return list(ctx, reviews, (r) =>
      ctx.state.factories.review({
        id: r.id,
        pull_number: r.pullNumber,
        user: ctx.state.userJson(r.user),
        state: r.state,
        body: r.body,
        commit_id: r.commitId,
        submitted_at: r.submittedAt,
      }),
    );
  },

  // ---- checks and statuses ----
  'checks/list-for-ref': (ctx) => {
    const sha = ctx.state.resolveRef(ctx.params.ref ?? '');
    if (!sha) return errorBody(422, `No commit found for SHA: ${ctx.params.ref}`);
    const name = ctx.query.get('check_name');
    const status = ctx.query.get('status');
    let runs = ctx.state.checkRuns.filter(
      (r) => r.headSha === sha && (!name || r.name === name) && (!status || r.status === status),
    );
    if ((ctx.query.get('filter') ?? 'latest') === 'latest') {
      const latest = new Map<string, (typeof runs)[number]>();
      for (const run of runs) {
        const seen = latest.get(run.name);
        if (!seen || seen.id < run.id) latest.set(run.name, run);
      }
      runs = [...latest.values()];
    }
    runs = [...runs].sort((a, b) => b.id - a.id);
    const { items, headers } = paginate(ctx, runs);
    return {
      status: 200,
      body: { total_count: runs.length, check_runs: items.map((r) => ctx.state.checkRunJson(r)) },
      headers,
    };
  },

  'repos/list-commit-statuses-for-ref': (ctx) => {
    const sha = ctx.state.resolveRef(ctx.params.ref ?? '') ?? ctx.params.ref;
    const statuses = ctx.state.statuses.filter((s) => s.sha === sha).sort((a, b) => b.id - a.id);
    return list(ctx, statuses, (s) => ctx.state.statusJson(s));
  },

  'repos/get-combined-status-for-ref': (ctx) => {
    const sha = ctx.state.resolveRef(ctx.params.ref ?? '');
    if (!sha) return notFound();
    const latest = new Map<string, (typeof ctx.state.statuses)[number]>();
    for (const s of ctx.state.statuses.filter((x) => x.sha === sha)) {
      const seen = latest.get(s.context);
      if (!seen || seen.id < s.id) latest.set(s.context, s);
    }
    const statuses = [...latest.values()];
    const combined = statuses.some((s) => s.state === 'error' || s.state === 'failure')
      ? 'failure'
      : statuses.length === 0 || statuses.some((s) => s.state === 'pending')
        ? 'pending'
        : 'success';
    const { items, headers } = paginate(ctx, statuses);
    return {
      status: 200,
      headers,
      body: {
        state: combined,
        statuses: items.map((s) => {
          const { creator: _, ...simple } = ctx.state.statusJson(s);
          return { ...simple, required: false };
        }),
        sha,
        total_count: statuses.length,
        repository: ctx.state.factories.minimalRepository(ctx.state.user(ctx.state.owner)),
        commit_url: `${ctx.state.factories.repoApi}/commits/${sha}`,
        url: `${ctx.state.factories.repoApi}/commits/${sha}/status`,
      },
    };
  },

  // ---- code scanning ----
  'code-scanning/list-recent-analyses': (ctx) => {
    const refused = requireAnalyses(ctx);
    if (refused) return refused;
    const ref = ctx.query.get('ref');
    const sha = ctx.query.get('sha');
    const tool = ctx.query.get('tool_name');
    const analyses = ctx.state.analyses
      .filter(
        (a) =>
          (!ref || a.ref === ref || a.ref === `refs/heads/${ref}`) &&
          (!sha || a.commitSha === sha) &&
          (!tool || a.tool === tool),
      )
      .sort((a, b) => b.id - a.id);
    return list(ctx, analyses, (a) => ctx.state.analysisJson(a));
  },

  'code-scanning/list-alerts-for-repo': (ctx) => {
    const refused = requireAnalyses(ctx);
    if (refused) return refused;
    const ref = ctx.query.get('ref');
    const state = ctx.query.get('state');
    const tool = ctx.query.get('tool_name');
    const alerts = ctx.state.alerts.filter(
      (a) =>
        (!ref || a.ref === ref || a.ref === `refs/heads/${ref}`) &&
        (!state || a.state === state) &&
        (!tool || a.tool === tool),
    );
    return list(ctx, alerts, (a) => ctx.state.alertJson(a));
  },

  // ---- deployments ----
  'repos/list-deployments': (ctx) => {
    const q = (name: string) => ctx.query.get(name);
    const deployments = [...ctx.state.deployments.values()]
      .filter(
        (d) =>
          (!q('sha') || d.sha === q('sha')) &&
          (!q('ref') || d.ref === q('ref')) &&
          (!q('task') || d.task === q('task')) &&
          (!q('environment') || d.environment === q('environment')),
      )
      .sort((a, b) => b.id - a.id);
    return list(ctx, deployments, (d) => ctx.state.deploymentJson(d));
  },

  'repos/create-deployment': (ctx) => {
    const b = ctx.body as {
      ref: string;
      task?: string;
      payload?: Record<string, unknown> | string;
      environment?: string;
      description?: string | null;
      transient_environment?: boolean;
      production_environment?: boolean;
    };
    const sha = ctx.state.resolveRef(b.ref);
    if (!sha) return { status: 422, body: { message: `No ref found for: ${b.ref}`, documentation_url: DOCS } };
    const environment = b.environment ?? 'production';
    const deployment = ctx.state.addDeployment({
      sha,
      ref: b.ref,
      task: b.task ?? 'deploy',
      payload: b.payload ?? {},
      environment,
      description: b.description ?? null,
      creator: ctx.actor,
      transientEnvironment: b.transient_environment ?? false,
      productionEnvironment: b.production_environment ?? environment === 'production',
    });
    return { status: 201, body: ctx.state.deploymentJson(deployment) };
  },

  'repos/list-deployment-statuses': (ctx) => {
    const id = Number(ctx.params.deployment_id);
    if (!ctx.state.deployments.has(id)) return notFound();
    const statuses = ctx.state.deploymentStatuses.filter((s) => s.deploymentId === id).sort((a, b) => b.id - a.id);
    return list(ctx, statuses, (s) => ctx.state.deploymentStatusJson(s));
  },

  'repos/create-deployment-status': (ctx) => {
    const id = Number(ctx.params.deployment_id);
    if (!ctx.state.deployments.has(id)) return notFound();
    const b = ctx.body as {
      state: 'error' | 'failure' | 'inactive' | 'pending' | 'success' | 'queued' | 'in_progress';
      description?: string;
      environment?: string;
      environment_url?: string;
      log_url?: string;
      target_url?: string;
    };
    const status = ctx.state.addDeploymentStatus(id, {
      state: b.state,
      description: b.description ?? '',
      ...(b.environment ? { environment: b.environment } : {}),
      environmentUrl: b.environment_url ?? '',
      logUrl: b.log_url ?? b.target_url ?? '',
      creator: ctx.actor,
    });
    return { status: 201, body: ctx.state.deploymentStatusJson(status) };
  },

  // ---- contents, commits ----
  'repos/get-content': (ctx) => {
    const ref = ctx.query.get('ref') ?? 'main';
    const tree = ctx.state.treeAt(ref);
    const path = (ctx.params.path ?? '').replace(/^\/+|\/+$/g, '');
    if (!tree) return notFound();
    const content = tree.get(path);
    if (content !== undefined) return { status: 200, body: ctx.state.factories.contentFile({ path, ref, content }) };
    const prefix = path === '' ? '' : `${path}/`;
    const entries = new Map<string, { type: 'file' | 'dir'; size: number; sha: string }>();
    for (const [file, text] of tree) {
      if (!file.startsWith(prefix)) continue;
      const [name, ...rest] = file.slice(prefix.length).split('/');
      const child = `${prefix}${name}`;
      entries.set(
        child,
        rest.length
          ? { type: 'dir', size: 0, sha: ctx.state.blobSha(`tree:${child}`) }
          : { type: 'file', size: Buffer.byteLength(text), sha: ctx.state.blobSha(text) },
      );
    }
    if (entries.size === 0) return notFound();
    return {
      status: 200,
      body: [...entries]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([p, e]) => ctx.state.factories.contentEntry({ path: p, ref, ...e })),
    };
  },

  'repos/get-commit': (ctx) => {
    const sha = ctx.state.resolveRef(ctx.params.ref ?? '');
    const commit = sha ? ctx.state.commits.get(sha) : undefined;
    return commit
      ? { status: 200, body: ctx.state.commitJson(commit) }
      : errorBody(422, `No commit found for SHA: ${ctx.params.ref}`);
  },

  // The description lists /compare/{base}...{head} too; it is the same endpoint.
  'repos/compare-commits': (ctx) => compare(ctx, `${ctx.params.base}...${ctx.params.head}`),

  'repos/compare-commits-with-basehead': (ctx) => compare(ctx, ctx.params.basehead ?? ''),
};

function compare(ctx: HandlerContext, basehead: string): HandlerResult {
  const [baseRef = '', headRef = ''] = basehead.split('...');
  const base = ctx.state.resolveRef(baseRef);
  const head = ctx.state.resolveRef(headRef);
  if (!base || !head || !ctx.state.commits.has(base) || !ctx.state.commits.has(head)) return notFound();
  const headAncestors = ctx.state.ancestors(head);
  const baseAncestors = ctx.state.ancestors(base);
  const mergeBase = headAncestors.find((sha) => baseAncestors.includes(sha)) ?? base;
  const ahead = headAncestors.filter((sha) => !baseAncestors.includes(sha)).reverse();
  const behind = baseAncestors.filter((sha) => !headAncestors.includes(sha));
  const status =
    ahead.length && behind.length ? 'diverged' : ahead.length ? 'ahead' : behind.length ? 'behind' : 'identical';
  const commits = ahead.map((sha) => ctx.state.commits.get(sha)).filter((c) => c !== undefined);
  const files = new Map<string, Json>();
  for (const c of commits) for (const f of ctx.state.commitJson(c).files ?? []) files.set(f.filename, f);
  const api = ctx.state.factories.repoApi;
  const html = ctx.state.factories.repoHtml;
  return {
    status: 200,
    body: {
      url: `${api}/compare/${baseRef}...${headRef}`,
      html_url: `${html}/compare/${baseRef}...${headRef}`,
      permalink_url: `${html}/compare/${ctx.state.owner}:${base.slice(0, 7)}...${ctx.state.owner}:${head.slice(0, 7)}`,
      diff_url: `${html}/compare/${baseRef}...${headRef}.diff`,
      patch_url: `${html}/compare/${baseRef}...${headRef}.patch`,
      base_commit: ctx.state.commitJson(
        ctx.state.commits.get(base) as NonNullable<ReturnType<typeof ctx.state.commits.get>>,
        false,
      ),
      merge_base_commit: ctx.state.commitJson(
        ctx.state.commits.get(mergeBase) as NonNullable<ReturnType<typeof ctx.state.commits.get>>,
        false,
      ),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: commits.map((c) => ctx.state.commitJson(c, false)),
      files: [...files.values()],
    },
  };
}
