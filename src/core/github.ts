import type { Octokit } from 'octokit';
import { ConfigurationError } from './errors.js';
import type { Env } from './inputs.js';
import type { Logger } from './logger.js';
import { registerSecret } from './secrets.js';

export type GitHubClient = Octokit;

/** What the runner tells a step about where it runs; read from the (injected) environment. */
export interface GitHubContext {
  apiUrl: string;
  serverUrl: string;
  graphqlUrl: string;
  owner: string;
  repo: string;
  sha: string | undefined;
  ref: string | undefined;
  actor: string | undefined;
  eventName: string | undefined;
  eventPath: string | undefined;
  runId: string | undefined;
  runAttempt: string | undefined;
  workflow: string | undefined;
  job: string | undefined;
}

export function githubContext(env: Env, repository = env.GITHUB_REPOSITORY): GitHubContext {
  const [owner = '', repo = ''] = (repository ?? '').split('/');
  const apiUrl = (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, '');
  return {
    apiUrl,
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/$/, ''),
    graphqlUrl: env.GITHUB_GRAPHQL_URL || `${apiUrl}/graphql`,
    owner,
    repo,
    sha: env.GITHUB_SHA,
    ref: env.GITHUB_REF,
    actor: env.GITHUB_ACTOR,
    eventName: env.GITHUB_EVENT_NAME,
    eventPath: env.GITHUB_EVENT_PATH,
    runId: env.GITHUB_RUN_ID,
    runAttempt: env.GITHUB_RUN_ATTEMPT,
    workflow: env.GITHUB_WORKFLOW,
    job: env.GITHUB_JOB,
  };
}

export function requireRepository(ctx: GitHubContext): { owner: string; repo: string } {
  if (!ctx.owner || !ctx.repo)
    throw new ConfigurationError([
      {
        field: 'GITHUB_REPOSITORY',
        message: 'must be set as owner/repo (the runner sets it; set it yourself locally)',
      },
    ]);
  return { owner: ctx.owner, repo: ctx.repo };
}

/** Links are built from GITHUB_SERVER_URL so they are right on GHES too. */
export const links = {
  run: (c: GitHubContext) =>
    c.runId
      ? `${c.serverUrl}/${c.owner}/${c.repo}/actions/runs/${c.runId}${c.runAttempt ? `/attempts/${c.runAttempt}` : ''}`
      : undefined,
  commit: (c: GitHubContext, sha = c.sha) => (sha ? `${c.serverUrl}/${c.owner}/${c.repo}/commit/${sha}` : undefined),
  issue: (c: GitHubContext, n: number) => `${c.serverUrl}/${c.owner}/${c.repo}/issues/${n}`,
  pull: (c: GitHubContext, n: number) => `${c.serverUrl}/${c.owner}/${c.repo}/pull/${n}`,
};

export interface GitHubClientOptions {
  token: string;
  context: GitHubContext;
  log?: Logger;
  /** Retries of a failed request (5xx, network); secondary rate limits are waited out separately. */
  retries?: number;
  /** How many times a rate-limited request is retried after waiting `retry-after`. */
  rateLimitRetries?: number;
  /**
   * Octokit spaces content-creating requests (1 s between writes, 3 s between ones that notify) to
   * stay clear of secondary rate limits. Default true; tests against a local double may turn it off.
   */
  paceWrites?: boolean;
  /** Multiplies the retry back-off (1 s, 4 s, 9 s) and `retry-after` waits. Default 1 (real time). */
  waitScale?: number;
}

/** A stand-in for the throttling plugin's Bottleneck groups that runs every job at once. */
const unpaced = { key: () => ({ schedule: (_options: unknown, job: () => Promise<unknown>) => job() }) };

/**
 * The one Octokit factory. Loaded lazily: only the code paths that talk to GitHub pay for it.
 * `octokit`'s client (REST, pagination, retry and throttling plugins) with @actions/github's
 * request options (proxy-aware fetch, orchestration user agent), against GITHUB_API_URL (GHES).
 */
export async function createGitHubClient(options: GitHubClientOptions): Promise<GitHubClient> {
  if (!options.token) throw new ConfigurationError([{ field: 'input "github-token"', message: 'is required' }]);
  registerSecret(options.token);
  const [{ Octokit }, actions] = await Promise.all([import('octokit'), import('@actions/github/lib/utils')]);
  const log = options.log;
  const rateLimitRetries = options.rateLimitRetries ?? 3;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string; request: { retryCount: number } }) => {
      const retry = request.request.retryCount < rateLimitRetries;
      log?.warning(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}: ${retry ? `retrying in ${retryAfter}s` : 'giving up'}`,
      );
      return retry;
    };
  return new Octokit(
    actions.getOctokitOptions(options.token, {
      baseUrl: options.context.apiUrl,
      userAgent: 'runbook-actions',
      request: { fetch: actions.defaults.request?.fetch },
      retry: { retries: options.retries ?? 3, retryAfterBaseValue: 1000 * (options.waitScale ?? 1) },
      throttle: {
        onRateLimit: onLimit('primary'),
        onSecondaryRateLimit: onLimit('secondary'),
        retryAfterBaseValue: 1000 * (options.waitScale ?? 1),
        ...(options.paceWrites === false ? { write: unpaced, notifications: unpaced } : {}),
      },
      log: {
        debug: (m: string) => log?.debug(m),
        info: (m: string) => log?.debug(m),
        warn: (m: string) => log?.warning(m),
        error: (m: string) => log?.error(m),
      },
    }),
  );
}

/** The `permissions:` scope each API path needs: `read` for GET/HEAD, `write` for any other method. */
const PERMISSION_SCOPES: [RegExp, string][] = [
  [/\/check-runs|\/check-suites/, 'checks'],
  [/\/statuses|\/status\b/, 'statuses'],
  [/\/pulls|\/reviews/, 'pull-requests'],
  [/\/code-scanning/, 'security-events'],
  [/\/deployments/, 'deployments'],
  [/\/issues|\/labels|\/comments/, 'issues'],
  [/\/contents|\/compare|\/commits/, 'contents'],
];

/** Turns a 403/404 from GitHub into advice naming the permission the workflow must grant. */
export function explainGitHubError(error: unknown): string | undefined {
  const e = error as { status?: number; request?: { url?: string; method?: string }; message?: string };
  if (e?.status !== 403 && e?.status !== 404) return undefined;
  const url = e.request?.url ?? '';
  if (/rate limit/i.test(e.message ?? '')) return 'GitHub rate limit exceeded; retry later';
  const method = (e.request?.method ?? 'GET').toUpperCase();
  const scope = PERMISSION_SCOPES.find(([re]) => re.test(url))?.[1];
  const hint = scope && `${scope}: ${method === 'GET' || method === 'HEAD' ? 'read' : 'write'}`;
  const what = `${method} ${url.replace(/^https?:\/\/[^/]+/, '')} returned ${e.status}`;
  return hint
    ? `${what}: the token probably lacks \`${hint}\` — add it to the workflow's \`permissions:\``
    : `${what}: check the token's permissions`;
}
