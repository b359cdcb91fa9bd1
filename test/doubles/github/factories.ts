import { createHash } from 'node:crypto';
import { openApi } from './openapi.js';

/**
 * Builders for the JSON GitHub returns. The fields that matter to callers (ids, numbers, URLs,
 * users, states, times) are set explicitly and coherently; the long tail of required fields of big
 * nested objects (a repository's 40 `*_url` fields, an app's permissions) is filled from the
 * OpenAPI description's own examples, so every object carries what the response schema requires.
 */

// biome-ignore lint/suspicious/noExplicitAny: JSON built for the wire
export type Json = any;

export interface Urls {
  /** API base URL of the double, e.g. http://127.0.0.1:4321 */
  api: string;
  /** Web base URL used in html_url fields (GITHUB_SERVER_URL). */
  server: string;
  owner: string;
  repo: string;
}

export interface UserRecord {
  login: string;
  id: number;
  type: 'User' | 'Bot' | 'Organization';
}

/** Fills the required properties of a schema from its examples, then applies `overrides`. */
export function sample(schemaOrName: Json, overrides: Record<string, unknown> = {}): Json {
  const api = openApi();
  const schema = typeof schemaOrName === 'string' ? api.schema(schemaOrName) : schemaOrName;
  const value = build(schema, 0);
  return value && typeof value === 'object' && !Array.isArray(value) ? { ...value, ...overrides } : value;

  function build(node: Json, depth: number): Json {
    const s = api.deref(node);
    if (s.example !== undefined && !(s.type === 'object' && typeof s.example !== 'object'))
      return structuredClone(s.example);
    if (s.enum) return s.enum[0];
    if (s.allOf) return Object.assign({}, ...s.allOf.map((b: Json) => build(b, depth)));
    if (s.oneOf || s.anyOf) return build((s.oneOf ?? s.anyOf)[0], depth);
    if (s.nullable && depth > 0) return null;
    switch (s.type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const key of s.required ?? []) out[key] = build(s.properties?.[key] ?? {}, depth + 1);
        return out;
      }
      case 'array':
        return [];
      case 'integer':
      case 'number':
        return 1;
      case 'boolean':
        return false;
      case 'string':
        if (s.format === 'date-time') return '2026-01-01T00:00:00Z';
        if (s.format === 'uri') return 'https://example.com/';
        return '';
      default:
        return null;
    }
  }
}

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`0:${kind}${id}`).toString('base64');
}

export function fakeSha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex');
}

export class Factories {
  constructor(private readonly urls: Urls) {}

  get repoApi(): string {
    return `${this.urls.api}/repos/${this.urls.owner}/${this.urls.repo}`;
  }

  get repoHtml(): string {
    return `${this.urls.server}/${this.urls.owner}/${this.urls.repo}`;
  }

  user(u: UserRecord): Json {
    const api = `${this.urls.api}/users/${encodeURIComponent(u.login)}`;
    return {
      login: u.login,
      id: u.id,
      node_id: nodeId(u.type === 'Bot' ? 'Bot' : 'User', u.id),
      avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
      gravatar_id: '',
      url: api,
      html_url: `${this.urls.server}/${encodeURIComponent(u.login)}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: u.type,
      site_admin: false,
    };
  }

  label(l: { id: number; name: string; color: string; description: string | null }): Json {
    return {
      id: l.id,
      node_id: nodeId('Label', l.id),
      url: `${this.repoApi}/labels/${encodeURIComponent(l.name)}`,
      name: l.name,
      description: l.description,
      color: l.color,
      default: false,
    };
  }

  repository(owner: UserRecord): Json {
    const api = this.repoApi;
    return sample('repository', {
      id: 1296269,
      node_id: nodeId('Repository', 1296269),
      name: this.urls.repo,
      full_name: `${this.urls.owner}/${this.urls.repo}`,
      owner: this.user(owner),
      private: false,
      html_url: this.repoHtml,
      description: null,
      fork: false,
      url: api,
      homepage: null,
      language: null,
      mirror_url: null,
      license: null,
      default_branch: 'main',
      issues_url: `${api}/issues{/number}`,
      pulls_url: `${api}/pulls{/number}`,
      labels_url: `${api}/labels{/name}`,
      statuses_url: `${api}/statuses/{sha}`,
      deployments_url: `${api}/deployments`,
      contents_url: `${api}/contents/{+path}`,
      compare_url: `${api}/compare/{base}...{head}`,
      commits_url: `${api}/commits{/sha}`,
    });
  }

  minimalRepository(owner: UserRecord): Json {
    const full = this.repository(owner);
    const schema = openApi().schema('minimal-repository');
    return Object.fromEntries(Object.entries(full).filter(([key]) => key in schema.properties));
  }

  issue(i: {
    id: number;
    number: number;
    title: string;
    body: string | null;
    state: 'open' | 'closed';
    state_reason: string | null;
    labels: Json[];
    user: Json;
    assignees: Json[];
    comments: number;
    locked: boolean;
    created_at: string;
    updated_at: string;
    closed_at: string | null;
    closed_by: Json | null;
    pull_request?: boolean;
  }): Json {
    const url = `${this.repoApi}/issues/${i.number}`;
    return {
      id: i.id,
      node_id: nodeId('Issue', i.id),
      url,
      repository_url: this.repoApi,
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `${this.repoHtml}/${i.pull_request ? 'pull' : 'issues'}/${i.number}`,
      number: i.number,
      state: i.state,
      state_reason: i.state_reason,
      title: i.title,
      body: i.body,
      user: i.user,
      labels: i.labels,
      assignee: i.assignees[0] ?? null,
      assignees: i.assignees,
      milestone: null,
      locked: i.locked,
      active_lock_reason: null,
      comments: i.comments,
      closed_at: i.closed_at,
      created_at: i.created_at,
      updated_at: i.updated_at,
      closed_by: i.closed_by,
      author_association: 'MEMBER',
      ...(i.pull_request
        ? {
            pull_request: {
              url: `${this.repoApi}/pulls/${i.number}`,
              html_url: `${this.repoHtml}/pull/${i.number}`,
              diff_url: `${this.repoHtml}/pull/${i.number}.diff`,
              patch_url: `${this.repoHtml}/pull/${i.number}.patch`,
              merged_at: null,
            },
          }
        : {}),
    };
  }

  comment(c: {
    id: number;
    issue_number: number;
    body: string;
    user: Json;
    created_at: string;
    updated_at: string;
  }): Json {
    return {
      id: c.id,
      node_id: nodeId('IssueComment', c.id),
      url: `${this.repoApi}/issues/comments/${c.id}`,
      html_url: `${this.repoHtml}/issues/${c.issue_number}#issuecomment-${c.id}`,
      issue_url: `${this.repoApi}/issues/${c.issue_number}`,
      body: c.body,
      user: c.user,
      created_at: c.created_at,
      updated_at: c.updated_at,
      author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    };
  }

  pullSimple(p: {
    id: number;
    number: number;
    title: string;
    body: string | null;
    state: 'open' | 'closed';
    draft: boolean;
    user: Json;
    labels: Json[];
    head: { ref: string; sha: string };
    base: { ref: string; sha: string };
    repository: Json;
    created_at: string;
    updated_at: string;
    closed_at: string | null;
    merged_at: string | null;
    merge_commit_sha: string | null;
  }): Json {
    const url = `${this.repoApi}/pulls/${p.number}`;
    const html = `${this.repoHtml}/pull/${p.number}`;
    const branch = (b: { ref: string; sha: string }) => ({
      label: `${this.urls.owner}:${b.ref}`,
      ref: b.ref,
      sha: b.sha,
      user: p.repository.owner,
      repo: p.repository,
    });
    const link = (href: string) => ({ href });
    return {
      url,
      id: p.id,
      node_id: nodeId('PullRequest', p.id),
      html_url: html,
      diff_url: `${html}.diff`,
      patch_url: `${html}.patch`,
      issue_url: `${this.repoApi}/issues/${p.number}`,
      commits_url: `${url}/commits`,
      review_comments_url: `${url}/comments`,
      review_comment_url: `${this.repoApi}/pulls/comments{/number}`,
      comments_url: `${this.repoApi}/issues/${p.number}/comments`,
      statuses_url: `${this.repoApi}/statuses/${p.head.sha}`,
      number: p.number,
      state: p.state,
      locked: false,
      title: p.title,
      user: p.user,
      body: p.body,
      labels: p.labels,
      milestone: null,
      active_lock_reason: null,
      created_at: p.created_at,
      updated_at: p.updated_at,
      closed_at: p.closed_at,
      merged_at: p.merged_at,
      merge_commit_sha: p.merge_commit_sha,
      assignee: null,
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      head: branch(p.head),
      base: branch(p.base),
      _links: {
        self: link(url),
        html: link(html),
        issue: link(`${this.repoApi}/issues/${p.number}`),
        comments: link(`${this.repoApi}/issues/${p.number}/comments`),
        review_comments: link(`${url}/comments`),
        review_comment: link(`${this.repoApi}/pulls/comments{/number}`),
        commits: link(`${url}/commits`),
        statuses: link(`${this.repoApi}/statuses/${p.head.sha}`),
      },
      author_association: 'MEMBER',
      auto_merge: null,
      draft: p.draft,
    };
  }

  pull(p: Parameters<Factories['pullSimple']>[0] & { merged_by: Json | null; commits: number }): Json {
    return {
      ...this.pullSimple(p),
      merged: p.merged_at !== null,
      mergeable: p.state === 'open' ? true : null,
      rebaseable: p.state === 'open' ? true : null,
      mergeable_state: p.state === 'open' ? 'clean' : 'unknown',
      merged_by: p.merged_by,
      comments: 0,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: p.commits,
      additions: 0,
      deletions: 0,
      changed_files: 0,
    };
  }

  review(r: {
    id: number;
    pull_number: number;
    user: Json;
    state: string;
    body: string;
    commit_id: string;
    submitted_at: string;
  }): Json {
    const html = `${this.repoHtml}/pull/${r.pull_number}#pullrequestreview-${r.id}`;
    const pr = `${this.repoApi}/pulls/${r.pull_number}`;
    return {
      id: r.id,
      node_id: nodeId('PullRequestReview', r.id),
      user: r.user,
      body: r.body,
      state: r.state,
      html_url: html,
      pull_request_url: pr,
      _links: { html: { href: html }, pull_request: { href: pr } },
      submitted_at: r.submitted_at,
      commit_id: r.commit_id,
      author_association: 'MEMBER',
    };
  }

  app(slug: string, owner: Json): Json {
    return sample('integration', {
      id: 15368,
      slug,
      node_id: nodeId('App', 15368),
      owner,
      name: slug === 'github-actions' ? 'GitHub Actions' : slug,
      description: null,
      external_url: 'https://github.com/features/actions',
      html_url: `${this.urls.server}/apps/${slug}`,
      created_at: '2018-07-30T09:30:17Z',
      updated_at: '2024-04-10T20:33:16Z',
      permissions: { checks: 'write', contents: 'read' },
      events: ['check_run', 'check_suite'],
    });
  }

  checkRun(c: {
    id: number;
    head_sha: string;
    name: string;
    status: string;
    conclusion: string | null;
    started_at: string | null;
    completed_at: string | null;
    details_url: string | null;
    check_suite_id: number;
    app: Json;
  }): Json {
    return {
      id: c.id,
      head_sha: c.head_sha,
      node_id: nodeId('CheckRun', c.id),
      external_id: '',
      url: `${this.repoApi}/check-runs/${c.id}`,
      html_url: `${this.repoHtml}/runs/${c.id}`,
      details_url: c.details_url,
      status: c.status,
      conclusion: c.conclusion,
      started_at: c.started_at,
      completed_at: c.completed_at,
      output: {
        title: null,
        summary: null,
        text: null,
        annotations_count: 0,
        annotations_url: `${this.repoApi}/check-runs/${c.id}/annotations`,
      },
      name: c.name,
      check_suite: { id: c.check_suite_id },
      app: c.app,
      pull_requests: [],
    };
  }

  status(s: {
    id: number;
    state: string;
    context: string;
    description: string | null;
    target_url: string | null;
    created_at: string;
    updated_at: string;
    creator: Json;
    sha: string;
  }): Json {
    return {
      url: `${this.repoApi}/statuses/${s.sha}`,
      avatar_url: s.creator?.avatar_url ?? null,
      id: s.id,
      node_id: nodeId('StatusContext', s.id),
      state: s.state,
      description: s.description,
      target_url: s.target_url,
      context: s.context,
      created_at: s.created_at,
      updated_at: s.updated_at,
      creator: s.creator,
    };
  }

  deployment(d: {
    id: number;
    sha: string;
    ref: string;
    task: string;
    environment: string;
    payload: Record<string, unknown> | string;
    description: string | null;
    creator: Json;
    created_at: string;
    updated_at: string;
    transient_environment: boolean;
    production_environment: boolean;
  }): Json {
    const url = `${this.repoApi}/deployments/${d.id}`;
    return {
      url,
      id: d.id,
      node_id: nodeId('Deployment', d.id),
      sha: d.sha,
      ref: d.ref,
      task: d.task,
      payload: d.payload,
      original_environment: d.environment,
      environment: d.environment,
      description: d.description,
      creator: d.creator,
      created_at: d.created_at,
      updated_at: d.updated_at,
      statuses_url: `${url}/statuses`,
      repository_url: this.repoApi,
      transient_environment: d.transient_environment,
      production_environment: d.production_environment,
    };
  }

  deploymentStatus(s: {
    id: number;
    deployment_id: number;
    state: string;
    description: string;
    environment: string;
    environment_url: string;
    log_url: string;
    creator: Json;
    created_at: string;
  }): Json {
    const deployment = `${this.repoApi}/deployments/${s.deployment_id}`;
    return {
      url: `${deployment}/statuses/${s.id}`,
      id: s.id,
      node_id: nodeId('DeploymentStatus', s.id),
      state: s.state,
      creator: s.creator,
      description: s.description,
      environment: s.environment,
      // GitHub answers "" for URLs never given; the description says `format: uri`, so the double
      // points target_url at the deployment's page and leaves the optional ones out.
      target_url: s.log_url || `${this.repoHtml}/deployments`,
      created_at: s.created_at,
      updated_at: s.created_at,
      deployment_url: deployment,
      repository_url: this.repoApi,
      ...(s.environment_url ? { environment_url: s.environment_url } : {}),
      ...(s.log_url ? { log_url: s.log_url } : {}),
    };
  }

  contentFile(f: { path: string; ref: string; content: string }): Json {
    const sha = gitBlobSha(f.content);
    const url = `${this.repoApi}/contents/${encodePath(f.path)}?ref=${encodeURIComponent(f.ref)}`;
    const git = `${this.repoApi}/git/blobs/${sha}`;
    const html = `${this.repoHtml}/blob/${encodeURIComponent(f.ref)}/${encodePath(f.path)}`;
    return {
      type: 'file',
      encoding: 'base64',
      size: Buffer.byteLength(f.content),
      name: f.path.split('/').pop(),
      path: f.path,
      content: `${Buffer.from(f.content)
        .toString('base64')
        .replace(/(.{60})/g, '$1\n')}\n`,
      sha,
      url,
      git_url: git,
      html_url: html,
      download_url: `${this.urls.server.replace('://', '://raw.')}/${this.urls.owner}/${this.urls.repo}/${encodeURIComponent(f.ref)}/${encodePath(f.path)}`,
      _links: { self: url, git, html },
    };
  }

  contentEntry(e: { path: string; ref: string; type: 'file' | 'dir'; size: number; sha: string }): Json {
    const url = `${this.repoApi}/contents/${encodePath(e.path)}?ref=${encodeURIComponent(e.ref)}`;
    const git = `${this.repoApi}/git/${e.type === 'dir' ? 'trees' : 'blobs'}/${e.sha}`;
    const html = `${this.repoHtml}/${e.type === 'dir' ? 'tree' : 'blob'}/${encodeURIComponent(e.ref)}/${encodePath(e.path)}`;
    return {
      type: e.type,
      size: e.size,
      name: e.path.split('/').pop(),
      path: e.path,
      sha: e.sha,
      url,
      git_url: git,
      html_url: html,
      download_url:
        e.type === 'file'
          ? `${this.urls.server}/${this.urls.owner}/${this.urls.repo}/raw/${e.ref}/${encodePath(e.path)}`
          : null,
      _links: { self: url, git, html },
    };
  }

  commit(c: {
    sha: string;
    message: string;
    parents: string[];
    author: Json;
    date: string;
    files?: { filename: string; status: string; additions: number; deletions: number }[];
  }): Json {
    const url = `${this.repoApi}/commits/${c.sha}`;
    const person = {
      name: c.author.login,
      email: `${c.author.id}+${c.author.login}@users.noreply.github.com`,
      date: c.date,
    };
    return {
      url,
      sha: c.sha,
      node_id: nodeId('Commit', Number.parseInt(c.sha.slice(0, 8), 16)),
      html_url: `${this.repoHtml}/commit/${c.sha}`,
      comments_url: `${url}/comments`,
      commit: {
        url: `${this.repoApi}/git/commits/${c.sha}`,
        author: person,
        committer: person,
        message: c.message,
        comment_count: 0,
        tree: { sha: fakeSha(`tree:${c.sha}`), url: `${this.repoApi}/git/trees/${fakeSha(`tree:${c.sha}`)}` },
        verification: { verified: false, reason: 'unsigned', payload: null, signature: null, verified_at: null },
      },
      author: c.author,
      committer: c.author,
      parents: c.parents.map((sha) => ({
        sha,
        url: `${this.repoApi}/commits/${sha}`,
        html_url: `${this.repoHtml}/commit/${sha}`,
      })),
      ...(c.files
        ? {
            files: c.files.map((f) => ({
              sha: fakeSha(`${c.sha}:${f.filename}`),
              filename: f.filename,
              status: f.status,
              additions: f.additions,
              deletions: f.deletions,
              changes: f.additions + f.deletions,
              blob_url: `${this.repoHtml}/blob/${c.sha}/${encodePath(f.filename)}`,
              raw_url: `${this.repoHtml}/raw/${c.sha}/${encodePath(f.filename)}`,
              contents_url: `${this.repoApi}/contents/${encodePath(f.filename)}?ref=${c.sha}`,
            })),
            stats: {
              total: c.files.reduce((n, f) => n + f.additions + f.deletions, 0),
              additions: c.files.reduce((n, f) => n + f.additions, 0),
              deletions: c.files.reduce((n, f) => n + f.deletions, 0),
            },
          }
        : {}),
    };
  }
}

export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

export function gitBlobSha(content: string): string {
  const bytes = Buffer.from(content);
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
