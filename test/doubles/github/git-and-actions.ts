import { sample } from './factories.js';
import type { GitHubDouble } from './index.js';
import { errorBody, type HandlerContext, type HandlerResult } from './routes.js';

/**
 * Two more endpoints, added for the deploy gate in a file of their own: git trees (the files at a commit,
 * from the double's `setFile` state) and workflow runs (to find the check suite of the run a job is in).
 * Installed through `gh.override`, so every answer is still checked against the OpenAPI description.
 *
 *   const runs = installGitAndActions(gh);
 *   runs.addWorkflowRun({ id: 100, checkSuiteId: 5000, headSha: sha });
 */

export interface WorkflowRunRecord {
  id: number;
  checkSuiteId: number;
  headSha: string;
  name?: string;
}

export function installGitAndActions(gh: GitHubDouble): { addWorkflowRun(run: WorkflowRunRecord): void } {
  const runs = new Map<number, WorkflowRunRecord>();
  const repoApi = () => `${gh.url}/repos/${gh.owner}/${gh.repo}`;
  const repoHtml = `${gh.serverUrl}/${gh.owner}/${gh.repo}`;

  gh.override('git/get-tree', (ctx: HandlerContext): HandlerResult => {
    const ref = ctx.params.tree_sha ?? '';
    const files = ctx.state.treeAt(ref);
    if (!files) return errorBody(404, 'Not Found');
    const recursive = ctx.query.has('recursive');
    const entries = new Map<string, { type: 'blob' | 'tree'; sha: string; size?: number }>();
    for (const [path, content] of files) {
      const parts = path.split('/');
      for (let depth = 1; depth < parts.length && (recursive || depth === 1); depth++) {
        const dir = parts.slice(0, depth).join('/');
        entries.set(dir, { type: 'tree', sha: ctx.state.blobSha(`tree:${dir}`) });
      }
      if (recursive || parts.length === 1)
        entries.set(path, { type: 'blob', sha: ctx.state.blobSha(content), size: Buffer.byteLength(content) });
    }
    return {
      status: 200,
      body: {
        sha: ctx.state.resolveRef(ref) ?? ref,
        url: `${repoApi()}/git/trees/${ref}`,
        truncated: false,
        tree: [...entries]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([path, e]) => ({
            path,
            mode: e.type === 'tree' ? '040000' : '100644',
            type: e.type,
            sha: e.sha,
            ...(e.size === undefined ? {} : { size: e.size }),
            url: `${repoApi()}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`,
          })),
      },
    };
  });

  gh.override('actions/get-workflow-run', (ctx: HandlerContext): HandlerResult => {
    const run = runs.get(Number(ctx.params.run_id));
    if (!run) return errorBody(404, 'Not Found');
    const api = `${repoApi()}/actions/runs/${run.id}`;
    return {
      status: 200,
      body: sample('workflow-run', {
        id: run.id,
        name: run.name ?? 'Deploy',
        head_sha: run.headSha,
        check_suite_id: run.checkSuiteId,
        check_suite_url: `${repoApi()}/check-suites/${run.checkSuiteId}`,
        url: api,
        html_url: `${repoHtml}/actions/runs/${run.id}`,
        jobs_url: `${api}/jobs`,
        logs_url: `${api}/logs`,
        cancel_url: `${api}/cancel`,
        rerun_url: `${api}/rerun`,
        artifacts_url: `${api}/artifacts`,
        status: 'in_progress',
        conclusion: null,
        pull_requests: [],
        head_commit: null,
        repository: ctx.state.factories.minimalRepository(ctx.state.user(ctx.state.owner)),
        head_repository: ctx.state.factories.minimalRepository(ctx.state.user(ctx.state.owner)),
      }),
    };
  });

  return { addWorkflowRun: (run) => runs.set(run.id, run) };
}
