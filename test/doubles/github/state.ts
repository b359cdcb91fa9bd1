import { type Factories, fakeSha, gitBlobSha, type Json, type UserRecord } from './factories.js';

/**
 * The repository the double serves, as plain records. Tests seed it with the `add*` / `set*`
 * helpers and read back what the code under test did; the HTTP handlers turn records into
 * GitHub's JSON with the factories. Issues and pull requests share one number sequence, as on GitHub.
 */

export interface IssueRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | 'duplicate' | null;
  labels: string[];
  user: string;
  assignees: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedBy: string | null;
  locked: boolean;
  /** Set for the issue half of a pull request. */
  pullRequest: boolean;
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface PullRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  user: string;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  mergedAt: string | null;
  mergeCommitSha: string | null;
  mergedBy: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface ReviewRecord {
  id: number;
  pullNumber: number;
  user: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';
  body: string;
  commitId: string;
  submittedAt: string;
}

export interface CheckRunRecord {
  id: number;
  headSha: string;
  name: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | null;
  startedAt: string | null;
  completedAt: string | null;
  detailsUrl: string | null;
  checkSuiteId: number;
  app: string;
}

export interface StatusRecord {
  id: number;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
}

export interface AnalysisRecord {
  id: number;
  ref: string;
  commitSha: string;
  tool: string;
  category: string;
  resultsCount: number;
  createdAt: string;
}

export interface AlertRecord {
  number: number;
  ref: string;
  state: 'open' | 'dismissed' | 'fixed';
  ruleId: string;
  /** Security severity of the rule (critical/high/medium/low), or undefined for non-security rules. */
  securitySeverity: 'critical' | 'high' | 'medium' | 'low' | undefined;
  severity: 'error' | 'warning' | 'note';
  tool: string;
  path: string;
  createdAt: string;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  payload: Record<string, unknown> | string;
  description: string | null;
  creator: string;
  createdAt: string;
  updatedAt: string;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
}

export interface DeploymentStatusRecord {
  id: number;
  deploymentId: number;
  state: 'error' | 'failure' | 'inactive' | 'pending' | 'success' | 'queued' | 'in_progress';
  description: string;
  environment: string;
  environmentUrl: string;
  logUrl: string;
  creator: string;
  createdAt: string;
}

export interface CommitRecord {
  sha: string;
  message: string;
  parents: string[];
  author: string;
  date: string;
  files: { filename: string; status: string; additions: number; deletions: number }[];
}

export type CodeScanningSetup = 'enabled' | 'not-enabled';

export class GitHubState {
  readonly issues = new Map<number, IssueRecord>();
  readonly comments: CommentRecord[] = [];
  readonly labels = new Map<string, LabelRecord>();
  readonly pulls = new Map<number, PullRecord>();
  readonly reviews: ReviewRecord[] = [];
  readonly checkRuns: CheckRunRecord[] = [];
  readonly statuses: StatusRecord[] = [];
  readonly analyses: AnalysisRecord[] = [];
  readonly alerts: AlertRecord[] = [];
  readonly deployments = new Map<number, DeploymentRecord>();
  readonly deploymentStatuses: DeploymentStatusRecord[] = [];
  readonly commits = new Map<string, CommitRecord>();
  /** Branch and tag names → commit SHA. */
  readonly refs = new Map<string, string>();
  /** ref (branch, tag or SHA) → path → file text. */
  readonly files = new Map<string, Map<string, string>>();
  readonly users = new Map<string, UserRecord>();
  /** Token → login; any other token acts as `defaultActor`. */
  readonly tokens = new Map<string, string>();
  defaultActor = 'github-actions[bot]';
  codeScanning: CodeScanningSetup = 'enabled';
  private nextId = 1000;
  private nextNumber = 1;

  constructor(
    readonly owner: string,
    readonly repo: string,
    readonly factories: Factories,
    /** The double's clock: created_at and friends. */
    public now: () => Date = () => new Date(),
  ) {
    this.user(owner, 'Organization');
    this.user('github-actions[bot]', 'Bot');
  }

  id(): number {
    this.nextId += 1;
    return this.nextId;
  }

  timestamp(at?: Date | string): string {
    const date = at === undefined ? this.now() : new Date(at);
    return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** A user known to the double (created on first mention). */
  user(login: string, type: UserRecord['type'] = login.endsWith('[bot]') ? 'Bot' : 'User'): UserRecord {
    let user = this.users.get(login);
    if (!user) {
      user = { login, id: 10_000 + this.users.size, type };
      this.users.set(login, user);
    }
    return user;
  }

  userJson(login: string | null): Json {
    return login === null ? null : this.factories.user(this.user(login));
  }

  /** Makes requests sent with `token` act as `login`. */
  setToken(token: string, login: string, type?: UserRecord['type']): void {
    this.user(login, type);
    this.tokens.set(token, login);
  }

  // ---- issues, comments, labels ----

  addLabel(name: string, color = 'ededed', description: string | null = null): LabelRecord {
    const existing = this.findLabel(name);
    if (existing) return existing;
    const label = { id: this.id(), name, color: color.toLowerCase(), description };
    this.labels.set(name.toLowerCase(), label);
    return label;
  }

  findLabel(name: string): LabelRecord | undefined {
    return this.labels.get(name.toLowerCase());
  }

  addIssue(seed: Partial<Omit<IssueRecord, 'id' | 'number'>> & { title: string }): IssueRecord {
    const createdAt = seed.createdAt ?? this.timestamp();
    const issue: IssueRecord = {
      id: this.id(),
      number: this.nextNumber++,
      body: null,
      state: 'open',
      stateReason: null,
      labels: [],
      user: this.defaultActor,
      assignees: [],
      updatedAt: createdAt,
      closedAt: null,
      closedBy: null,
      locked: false,
      pullRequest: false,
      ...seed,
      createdAt,
    };
    for (const name of issue.labels) this.addLabel(name);
    issue.labels = issue.labels.map((name) => this.findLabel(name)?.name ?? name);
    this.issues.set(issue.number, issue);
    return issue;
  }

  issue(number: number): IssueRecord | undefined {
    return this.issues.get(number);
  }

  /** Issues (not pull requests), oldest first. */
  listIssues(filter: { state?: 'open' | 'closed'; label?: string } = {}): IssueRecord[] {
    return [...this.issues.values()].filter(
      (i) =>
        !i.pullRequest &&
        (filter.state === undefined || i.state === filter.state) &&
        (filter.label === undefined || i.labels.some((l) => l.toLowerCase() === filter.label?.toLowerCase())),
    );
  }

  addComment(issueNumber: number, body: string, options: { user?: string; at?: Date | string } = {}): CommentRecord {
    if (!this.issues.has(issueNumber)) throw new Error(`no issue #${issueNumber} in the double`);
    const createdAt = this.timestamp(options.at);
    const comment = {
      id: this.id(),
      issueNumber,
      body,
      user: options.user ?? this.defaultActor,
      createdAt,
      updatedAt: createdAt,
    };
    this.user(comment.user);
    this.comments.push(comment);
    return comment;
  }

  commentsOf(issueNumber: number): CommentRecord[] {
    return this.comments.filter((c) => c.issueNumber === issueNumber);
  }

  issueJson(issue: IssueRecord): Json {
    return this.factories.issue({
      id: issue.id,
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      state_reason: issue.stateReason,
      labels: issue.labels.map((name) => this.factories.label(this.findLabel(name) ?? this.addLabel(name))),
      user: this.userJson(issue.user),
      assignees: issue.assignees.map((login) => this.userJson(login)),
      comments: this.commentsOf(issue.number).length,
      locked: issue.locked,
      created_at: issue.createdAt,
      updated_at: issue.updatedAt,
      closed_at: issue.closedAt,
      closed_by: this.userJson(issue.closedBy),
      pull_request: issue.pullRequest,
    });
  }

  commentJson(comment: CommentRecord): Json {
    return this.factories.comment({
      id: comment.id,
      issue_number: comment.issueNumber,
      body: comment.body,
      user: this.userJson(comment.user),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
    });
  }

  // ---- pull requests and reviews ----

  addPull(
    seed: Partial<Omit<PullRecord, 'id' | 'number' | 'head' | 'base'>> & {
      title: string;
      head: { ref: string; sha?: string };
      base?: { ref: string; sha?: string };
    },
  ): PullRecord {
    const createdAt = seed.createdAt ?? this.timestamp();
    const issue = this.addIssue({
      title: seed.title,
      body: seed.body ?? null,
      user: seed.user,
      createdAt,
      pullRequest: true,
    });
    const pull: PullRecord = {
      body: null,
      state: 'open',
      draft: false,
      user: this.defaultActor,
      mergedAt: null,
      mergeCommitSha: null,
      mergedBy: null,
      updatedAt: createdAt,
      closedAt: null,
      ...seed,
      createdAt,
      id: this.id(),
      number: issue.number,
      head: { ref: seed.head.ref, sha: seed.head.sha ?? fakeSha(`head:${seed.head.ref}`) },
      base: { ref: seed.base?.ref ?? 'main', sha: seed.base?.sha ?? fakeSha(`base:${seed.base?.ref ?? 'main'}`) },
    };
    issue.state = pull.state;
    this.pulls.set(pull.number, pull);
    return pull;
  }

  addReview(
    pullNumber: number,
    seed: Partial<Omit<ReviewRecord, 'id' | 'pullNumber'>> & { user: string },
  ): ReviewRecord {
    const pull = this.pulls.get(pullNumber);
    if (!pull) throw new Error(`no pull request #${pullNumber} in the double`);
    const review: ReviewRecord = {
      state: 'APPROVED',
      body: '',
      commitId: pull.head.sha,
      submittedAt: this.timestamp(),
      ...seed,
      id: this.id(),
      pullNumber,
    };
    this.user(review.user);
    this.reviews.push(review);
    return review;
  }

  pullSimpleJson(pull: PullRecord): Json {
    return this.factories.pullSimple(this.pullArgs(pull));
  }

  pullJson(pull: PullRecord): Json {
    return this.factories.pull({ ...this.pullArgs(pull), merged_by: this.userJson(pull.mergedBy), commits: 1 });
  }

  private pullArgs(pull: PullRecord) {
    return {
      id: pull.id,
      number: pull.number,
      title: pull.title,
      body: pull.body,
      state: pull.state,
      draft: pull.draft,
      user: this.userJson(pull.user),
      labels: (this.issues.get(pull.number)?.labels ?? []).map((name) => this.factories.label(this.addLabel(name))),
      head: pull.head,
      base: pull.base,
      repository: this.factories.repository(this.user(this.owner)),
      created_at: pull.createdAt,
      updated_at: pull.updatedAt,
      closed_at: pull.closedAt,
      merged_at: pull.mergedAt,
      merge_commit_sha: pull.mergeCommitSha,
    };
  }

  // ---- checks and statuses ----

  addCheckRun(seed: Partial<Omit<CheckRunRecord, 'id'>> & { headSha: string; name: string }): CheckRunRecord {
    const status = seed.status ?? 'completed';
    const run: CheckRunRecord = {
      conclusion: status === 'completed' ? 'success' : null,
      startedAt: this.timestamp(),
      completedAt: status === 'completed' ? this.timestamp() : null,
      detailsUrl: null,
      checkSuiteId: 5000,
      app: 'github-actions',
      ...seed,
      status,
      id: this.id(),
    };
    this.checkRuns.push(run);
    return run;
  }

  addStatus(
    seed: Partial<Omit<StatusRecord, 'id'>> & { sha: string; context: string; state: StatusRecord['state'] },
  ): StatusRecord {
    const status: StatusRecord = {
      description: null,
      targetUrl: null,
      creator: this.defaultActor,
      createdAt: this.timestamp(),
      ...seed,
      id: this.id(),
    };
    this.statuses.push(status);
    return status;
  }

  checkRunJson(run: CheckRunRecord): Json {
    return this.factories.checkRun({
      id: run.id,
      head_sha: run.headSha,
      name: run.name,
      status: run.status,
      conclusion: run.conclusion,
      started_at: run.startedAt,
      completed_at: run.completedAt,
      details_url: run.detailsUrl,
      check_suite_id: run.checkSuiteId,
      app: this.factories.app(run.app, this.userJson('github')),
    });
  }

  statusJson(status: StatusRecord): Json {
    return this.factories.status({
      id: status.id,
      sha: status.sha,
      state: status.state,
      context: status.context,
      description: status.description,
      target_url: status.targetUrl,
      created_at: status.createdAt,
      updated_at: status.createdAt,
      creator: this.userJson(status.creator),
    });
  }

  // ---- code scanning ----

  addAnalysis(seed: Partial<Omit<AnalysisRecord, 'id'>> & { commitSha: string }): AnalysisRecord {
    const analysis: AnalysisRecord = {
      ref: 'refs/heads/main',
      tool: 'CodeQL',
      category: '.github/workflows/codeql.yml:analyze/language:javascript',
      resultsCount: 0,
      createdAt: this.timestamp(),
      ...seed,
      id: this.id(),
    };
    this.analyses.push(analysis);
    return analysis;
  }

  addAlert(seed: Partial<Omit<AlertRecord, 'number'>> & { ruleId: string }): AlertRecord {
    const alert: AlertRecord = {
      ref: 'refs/heads/main',
      state: 'open',
      securitySeverity: 'high',
      severity: 'error',
      tool: 'CodeQL',
      path: 'src/index.ts',
      createdAt: this.timestamp(),
      ...seed,
      number: this.alerts.length + 1,
    };
    this.alerts.push(alert);
    return alert;
  }

  analysisJson(a: AnalysisRecord): Json {
    return {
      ref: a.ref,
      commit_sha: a.commitSha,
      analysis_key: '.github/workflows/codeql.yml:analyze',
      environment: '{"language":"javascript"}',
      category: a.category,
      error: '',
      created_at: a.createdAt,
      results_count: a.resultsCount,
      rules_count: 100,
      id: a.id,
      url: `${this.factories.repoApi}/code-scanning/analyses/${a.id}`,
      sarif_id: fakeSha(`sarif:${a.id}`).slice(0, 36),
      tool: { name: a.tool, guid: null, version: '2.20.0' },
      deletable: true,
      warning: '',
    };
  }

  alertJson(a: AlertRecord): Json {
    const url = `${this.factories.repoApi}/code-scanning/alerts/${a.number}`;
    return {
      number: a.number,
      created_at: a.createdAt,
      updated_at: a.createdAt,
      url,
      html_url: `${this.factories.repoHtml}/security/code-scanning/${a.number}`,
      instances_url: `${url}/instances`,
      state: a.state,
      fixed_at: null,
      dismissed_by: null,
      dismissed_at: null,
      dismissed_reason: null,
      dismissed_comment: null,
      rule: {
        id: a.ruleId,
        name: a.ruleId.split('/').pop(),
        severity: a.severity,
        security_severity_level: a.securitySeverity ?? null,
        description: `Rule ${a.ruleId}`,
        tags: a.securitySeverity ? ['security'] : [],
      },
      tool: { name: a.tool, guid: null, version: '2.20.0' },
      most_recent_instance: {
        ref: a.ref,
        analysis_key: '.github/workflows/codeql.yml:analyze',
        environment: '{"language":"javascript"}',
        category: '.github/workflows/codeql.yml:analyze/language:javascript',
        state: a.state,
        commit_sha: fakeSha(`alert:${a.number}`),
        message: { text: `Finding of ${a.ruleId}` },
        location: { path: a.path, start_line: 1, end_line: 1, start_column: 1, end_column: 10 },
        classifications: [],
      },
    };
  }

  // ---- deployments ----

  addDeployment(seed: Partial<Omit<DeploymentRecord, 'id'>> & { sha: string }): DeploymentRecord {
    const createdAt = seed.createdAt ?? this.timestamp();
    const environment = seed.environment ?? 'production';
    const deployment: DeploymentRecord = {
      ref: seed.sha,
      task: 'deploy',
      payload: {},
      description: null,
      creator: this.defaultActor,
      updatedAt: createdAt,
      transientEnvironment: false,
      productionEnvironment: environment === 'production',
      ...seed,
      environment,
      createdAt,
      id: this.id(),
    };
    this.deployments.set(deployment.id, deployment);
    return deployment;
  }

  addDeploymentStatus(
    deploymentId: number,
    seed: Partial<Omit<DeploymentStatusRecord, 'id' | 'deploymentId'>> & { state: DeploymentStatusRecord['state'] },
  ): DeploymentStatusRecord {
    const deployment = this.deployments.get(deploymentId);
    if (!deployment) throw new Error(`no deployment ${deploymentId} in the double`);
    const status: DeploymentStatusRecord = {
      description: '',
      environment: deployment.environment,
      environmentUrl: '',
      logUrl: '',
      creator: this.defaultActor,
      createdAt: this.timestamp(),
      ...seed,
      id: this.id(),
      deploymentId,
    };
    deployment.updatedAt = status.createdAt;
    this.deploymentStatuses.push(status);
    return status;
  }

  deploymentJson(d: DeploymentRecord): Json {
    return this.factories.deployment({
      id: d.id,
      sha: d.sha,
      ref: d.ref,
      task: d.task,
      environment: d.environment,
      payload: d.payload,
      description: d.description,
      creator: this.userJson(d.creator),
      created_at: d.createdAt,
      updated_at: d.updatedAt,
      transient_environment: d.transientEnvironment,
      production_environment: d.productionEnvironment,
    });
  }

  deploymentStatusJson(s: DeploymentStatusRecord): Json {
    return this.factories.deploymentStatus({
      id: s.id,
      deployment_id: s.deploymentId,
      state: s.state,
      description: s.description,
      environment: s.environment,
      environment_url: s.environmentUrl,
      log_url: s.logUrl,
      creator: this.userJson(s.creator),
      created_at: s.createdAt,
    });
  }

  // ---- git: commits, refs, files ----

  addCommit(seed: Partial<CommitRecord> & { sha?: string; message: string }): CommitRecord {
    const commit: CommitRecord = {
      parents: [],
      author: 'octocat',
      date: this.timestamp(),
      files: [],
      ...seed,
      sha: seed.sha ?? fakeSha(`${seed.message}:${this.commits.size}`),
    };
    this.user(commit.author);
    this.commits.set(commit.sha, commit);
    return commit;
  }

  /** Points a branch or tag at a commit. */
  setRef(name: string, sha: string): void {
    this.refs.set(name, sha);
  }

  /** Branch/tag name, `refs/heads/x`, or a SHA (full or abbreviated) → full SHA. */
  resolveRef(ref: string): string | undefined {
    const name = ref.replace(/^refs\/(heads|tags)\//, '');
    if (this.refs.has(name)) return this.refs.get(name);
    if (/^[0-9a-f]{7,40}$/.test(ref)) {
      if (this.commits.has(ref)) return ref;
      for (const sha of this.commits.keys()) if (sha.startsWith(ref)) return sha;
      return ref.length === 40 ? ref : undefined;
    }
    return undefined;
  }

  /** Stores a file at a ref (branch, tag or SHA). */
  setFile(ref: string, path: string, content: string): void {
    let tree = this.files.get(ref);
    if (!tree) {
      tree = new Map();
      this.files.set(ref, tree);
    }
    tree.set(path.replace(/^\/+/, ''), content);
  }

  /** The files visible at `ref`: stored under that name or under the SHA it resolves to. */
  treeAt(ref: string): Map<string, string> | undefined {
    return (
      this.files.get(ref) ??
      this.files.get(this.resolveRef(ref) ?? '') ??
      this.files.get(ref.replace(/^refs\/heads\//, ''))
    );
  }

  commitJson(c: CommitRecord, withFiles = true): Json {
    return this.factories.commit({
      sha: c.sha,
      message: c.message,
      parents: c.parents,
      author: this.userJson(c.author),
      date: c.date,
      ...(withFiles ? { files: c.files } : {}),
    });
  }

  /** Commits reachable from `sha`, nearest first. */
  ancestors(sha: string): string[] {
    const seen: string[] = [];
    const queue = [sha];
    while (queue.length) {
      const next = queue.shift() as string;
      if (seen.includes(next)) continue;
      seen.push(next);
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return seen;
  }

  blobSha(content: string): string {
    return gitBlobSha(content);
  }
}
