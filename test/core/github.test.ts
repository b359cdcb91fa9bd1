import { describe, expect, it } from 'vitest';
import { explainGitHubError } from '../../src/core/github.js';

const refusal = (status: number, method: string, path: string, message = 'Resource not accessible by integration') =>
  Object.assign(new Error(message), { status, request: { method, url: `https://api.github.com${path}` } });

describe('explainGitHubError', () => {
  it('names the scope the request needs: read for GET, write for a change', () => {
    expect(explainGitHubError(refusal(403, 'GET', '/repos/o/r/issues?labels=incident'))).toBe(
      "GET /repos/o/r/issues?labels=incident returned 403: the token probably lacks `issues: read` — add it to the workflow's `permissions:`",
    );
    expect(explainGitHubError(refusal(403, 'POST', '/repos/o/r/issues/7/comments'))).toContain('`issues: write`');
    expect(explainGitHubError(refusal(404, 'PATCH', '/repos/o/r/issues/7'))).toContain('`issues: write`');
    expect(explainGitHubError(refusal(403, 'GET', '/repos/o/r/commits/abc/check-runs'))).toContain('`checks: read`');
    expect(explainGitHubError(refusal(403, 'POST', '/repos/o/r/deployments'))).toContain('`deployments: write`');
    expect(explainGitHubError(refusal(403, 'GET', '/repos/o/r/code-scanning/alerts'))).toContain(
      '`security-events: read`',
    );
  });

  it('tells a rate limit and an unknown path apart, and leaves other statuses alone', () => {
    expect(
      explainGitHubError(refusal(403, 'GET', '/repos/o/r/pulls', 'API rate limit exceeded for installation')),
    ).toBe('GitHub rate limit exceeded; retry later');
    expect(explainGitHubError(refusal(403, 'GET', '/repos/o/r/actions/runs'))).toBe(
      "GET /repos/o/r/actions/runs returned 403: check the token's permissions",
    );
    expect(explainGitHubError(refusal(500, 'GET', '/repos/o/r/issues'))).toBeUndefined();
    expect(explainGitHubError(new Error('socket hang up'))).toBeUndefined();
  });
});
