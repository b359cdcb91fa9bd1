import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Factories } from './factories.js';
import { Faults, SECONDARY_RATE_LIMIT_MESSAGE } from './faults.js';
import { openApi } from './openapi.js';
import { RequestLog } from './requests.js';
import { errorBody, type HandlerContext, type HandlerResult, handlers } from './routes.js';
import { GitHubState } from './state.js';

export { Faults, SECONDARY_RATE_LIMIT_MESSAGE } from './faults.js';
export type { LoggedRequest, RequestFilter } from './requests.js';
export type { HandlerContext, HandlerResult } from './routes.js';
export type * from './state.js';
export { GitHubState } from './state.js';

/**
 * A stateful GitHub REST API on 127.0.0.1 that Octokit talks to through `baseUrl` /
 * `GITHUB_API_URL`. Every request is matched to an operation of GitHub's OpenAPI description and
 * its parameters and body are checked; every response is checked against the response schema.
 * Problems are collected in `violations` (call `assertNoViolations()` in afterEach).
 *
 *   const gh = await startGitHubDouble({ owner: 'acme', repo: 'shop' });
 *   gh.state.addLabel('incident', 'b60205');
 *   gh.faults.fail({ method: 'POST', path: /\/issues$/, status: 502, when: 'after' });
 *   … run code with GITHUB_API_URL=gh.url …
 *   expect(gh.requests.count({ operationId: 'issues/create' })).toBe(1);
 */

export interface Violation {
  kind: 'route' | 'request' | 'response';
  method: string;
  path: string;
  operationId: string | undefined;
  problems: string[];
}

export interface GitHubDouble {
  /** API base URL (GITHUB_API_URL), no trailing slash. */
  url: string;
  /** Web URL used in html_url fields (GITHUB_SERVER_URL). */
  serverUrl: string;
  owner: string;
  repo: string;
  state: GitHubState;
  requests: RequestLog;
  faults: Faults;
  violations: Violation[];
  /**
   * Replaces the handler of one operation (odd answers, a GitHub quirk); the answer is still
   * checked against the OpenAPI description.
   */
  override(operationId: string, handler: (ctx: HandlerContext) => HandlerResult): void;
  /** Throws, listing every violation, when any request or response broke the OpenAPI description. */
  assertNoViolations(): void;
  /** Environment a step needs to talk to the double (GITHUB_API_URL, GITHUB_REPOSITORY, …). */
  env(): Record<string, string>;
  close(): Promise<void>;
}

export interface GitHubDoubleOptions {
  owner?: string;
  repo?: string;
  serverUrl?: string;
  /** The double's clock for created_at & co. (default: real time). */
  now?: () => Date;
}

export async function startGitHubDouble(options: GitHubDoubleOptions = {}): Promise<GitHubDouble> {
  const owner = options.owner ?? 'acme';
  const repo = options.repo ?? 'shop';
  const serverUrl = (options.serverUrl ?? 'https://github.com').replace(/\/$/, '');
  const api = openApi();
  const requests = new RequestLog();
  const faults = new Faults();
  const violations: Violation[] = [];
  const overrides = new Map<string, (ctx: HandlerContext) => HandlerResult>();
  const urls = { api: '', server: serverUrl, owner, repo };
  const state = new GitHubState(owner, repo, new Factories(urls), options.now);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      violations.push({
        kind: 'response',
        method: req.method ?? 'GET',
        path: req.url ?? '',
        operationId: undefined,
        problems: [`the double crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`],
      });
      if (!res.headersSent) send(res, 500, { message: 'double crashed' });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', urls.api);
    const path = url.pathname;
    const text = await readBody(req);
    const record = (status: number, extra: { route?: string; operationId?: string; body?: unknown; fault?: string }) =>
      requests.record({
        method,
        path,
        query: Object.fromEntries(url.searchParams),
        route: extra.route,
        operationId: extra.operationId,
        body: extra.body,
        status,
        fault: extra.fault,
      });

    const match = api.match(method, path);
    if (!match) {
      violations.push({
        kind: 'route',
        method,
        path,
        operationId: undefined,
        problems: ['no operation in the OpenAPI description matches'],
      });
      record(404, {});
      return send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    }
    const { operation, params } = match;
    const operationId = operation.operationId;
    let body: unknown;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        violations.push({ kind: 'request', method, path, operationId, problems: ['request body is not JSON'] });
        record(400, { route: operation.template, operationId });
        return send(res, 400, { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/rest' });
      }
    }
    const log = (status: number, fault?: string) =>
      record(status, { route: operation.template, operationId, body, ...(fault ? { fault } : {}) });

    const requestProblems = [
      ...api.checkParameters(operation, params, url.searchParams),
      ...api.checkRequestBody(operation, body),
    ];
    if (requestProblems.length)
      violations.push({ kind: 'request', method, path, operationId, problems: requestProblems });

    const { delayMs, failure, held } = faults.take(method, path);
    await Promise.all(held);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (failure?.kind === 'secondary-rate-limit') {
      log(403, 'secondary-rate-limit');
      return send(
        res,
        403,
        {
          message: SECONDARY_RATE_LIMIT_MESSAGE,
          documentation_url:
            'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        },
        { 'retry-after': String(failure.retryAfter) },
      );
    }
    if (failure?.kind === 'fail' && failure.when === 'instead') {
      log(failure.status, `${failure.status} instead`);
      return send(res, failure.status, { message: 'Server Error' });
    }

    const owned =
      params.owner === undefined ||
      (params.owner.toLowerCase() === owner.toLowerCase() && params.repo?.toLowerCase() === repo.toLowerCase());
    const handler = overrides.get(operationId) ?? handlers[operationId];
    let result: HandlerResult;
    if (!owned) result = errorBody(404, 'Not Found');
    else if (!handler) result = errorBody(404, `the GitHub double does not implement ${operationId}`);
    else if (requestProblems.some((p) => p.startsWith('request body')))
      result = {
        status: 422,
        body: { message: 'Invalid request.', documentation_url: 'https://docs.github.com/rest' },
      };
    else result = handler({ state, params, query: url.searchParams, body: body ?? {}, actor: actorOf(req), url });
    if (!handler && owned)
      violations.push({
        kind: 'route',
        method,
        path,
        operationId,
        problems: [`${operationId} is in the OpenAPI description but not implemented by the double`],
      });

    const responseProblems = api.checkResponse(operation, result.status, result.body);
    if (responseProblems.length)
      violations.push({ kind: 'response', method, path, operationId, problems: responseProblems });

    if (failure?.kind === 'fail') {
      // Handled for real; the response is lost on the way back.
      log(failure.status, `${failure.status} after handling`);
      return send(res, failure.status, { message: 'Server Error' });
    }
    log(result.status);
    send(res, result.status, result.body, result.headers);
  }

  function actorOf(req: IncomingMessage): string {
    const token = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    return (token && state.tokens.get(token)) || state.defaultActor;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  urls.api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: urls.api,
    serverUrl,
    owner,
    repo,
    state,
    requests,
    faults,
    violations,
    override(operationId, handler) {
      if (
        !api.spec.paths ||
        ![...Object.values<Record<string, { operationId?: string }>>(api.spec.paths)].some((item) =>
          Object.values(item).some((op) => op?.operationId === operationId),
        )
      )
        throw new Error(`no operation ${operationId} in the OpenAPI description`);
      overrides.set(operationId, handler);
    },
    assertNoViolations() {
      if (violations.length === 0) return;
      const lines = violations.map(
        (v) =>
          `${v.kind}: ${v.method} ${v.path}${v.operationId ? ` (${v.operationId})` : ''}: ${v.problems.join('; ')}`,
      );
      throw new Error(`the GitHub double saw ${violations.length} OpenAPI violation(s):\n${lines.join('\n')}`);
    },
    env() {
      return { GITHUB_API_URL: urls.api, GITHUB_SERVER_URL: serverUrl, GITHUB_REPOSITORY: `${owner}/${repo}` };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-github-api-version-selected': '2022-11-28',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-used': '1',
    'x-ratelimit-resource': 'core',
    ...headers,
  });
  res.end(text);
}
