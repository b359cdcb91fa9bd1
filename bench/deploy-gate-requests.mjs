#!/usr/bin/env node
// deploy-gate benchmark: requests made by the "all tests passing" item for a commit with 300 check runs and
// 150 commit statuses, counted by the GitHub double (test/doubles/github), and its wall time.
// Target: ≤ 6 requests (GitHub's default of 30 per page would need 10 + 5 = 15, as the baseline shows).
// Usage (Node 24, as the runner): npx node bench/deploy-gate-requests.mjs [--rounds 5]
// The sources are TypeScript: scripts/ts-hooks.mjs strips their types (Node's own stripTypeScriptTypes).
import { parseArgs } from 'node:util';
import '../scripts/ts-hooks.mjs'; // the TypeScript sources below load directly

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { startGitHubDouble } = await import('../test/doubles/github/index.ts');
const { installGitAndActions } = await import('../test/doubles/github/git-and-actions.ts');
const { createGitHubClient, githubContext } = await import('../src/core/github.ts');
const { memoryLogger } = await import('../src/core/logger.ts');
const { parsePolicy } = await import('../src/core/policy/parse.ts');
const { systemClock } = await import('../src/core/clock.ts');
const { createItemContext } = await import('../src/deploy-gate/context.ts');
const { githubEvidence } = await import('../src/deploy-gate/github-evidence.ts');
const { testsPassing } = await import('../src/deploy-gate/items/tests.ts');

const RUN_ID = 900;
const repo = { owner: 'acme', repo: 'shop' };
const gh = await startGitHubDouble(repo);
const runs = installGitAndActions(gh);
const github = githubContext({ ...gh.env(), GITHUB_RUN_ID: String(RUN_ID) });
const octokit = await createGitHubClient({ token: 'ghs_bench', context: github, log: memoryLogger() });
const deploy = parsePolicy({}).deploy;

/**
 * A commit with 300 check runs (299 finished jobs + the in-progress job running the gate) and 150 statuses.
 * `actionsUrls`: check runs carry the details URL GitHub gives Actions jobs (…/actions/runs/<run>/job/<job>),
 * so the gate's own job is recognised from it; without, the run's check suite must be looked up.
 */
function seed(actionsUrls) {
  const sha = gh.state.addCommit({ message: `release ${actionsUrls}` }).sha;
  const url = (run, job) => (actionsUrls ? `${gh.serverUrl}/acme/shop/actions/runs/${run}/job/${job}` : null);
  for (let i = 0; i < 299; i++)
    gh.state.addCheckRun({
      headSha: sha,
      name: `check-${String(i).padStart(3, '0')}`,
      checkSuiteId: 1 + (i % 12),
      detailsUrl: url(800 + (i % 12), i),
    });
  gh.state.addCheckRun({
    headSha: sha,
    name: 'deploy',
    status: 'in_progress',
    checkSuiteId: 99,
    detailsUrl: url(RUN_ID, 1),
  });
  runs.addWorkflowRun({ id: RUN_ID, checkSuiteId: 99, headSha: sha });
  for (let i = 0; i < 150; i++) gh.state.addStatus({ sha, context: `ci/status-${i}`, state: 'success' });
  return sha;
}

async function measure(label, sha) {
  const counts = [];
  const times = [];
  let last;
  let byOperation;
  for (let round = 0; round < rounds + 1; round++) {
    const ctx = createItemContext(
      {
        evidence: githubEvidence(octokit, repo),
        deploy,
        sha,
        ref: 'refs/heads/main',
        environment: 'production',
        services: [],
        notify: false,
        runningJob: { runId: RUN_ID, jobName: 'deploy' },
        github,
        clock: systemClock,
        log: memoryLogger(),
      },
      async () => [],
    );
    const mark = gh.requests.mark();
    const started = performance.now();
    last = await testsPassing(ctx);
    const elapsed = performance.now() - started;
    if (round === 0) continue; // warm-up: the double parses GitHub's OpenAPI description on first use
    times.push(elapsed);
    counts.push(gh.requests.since(mark).length);
    byOperation ??= Object.fromEntries(
      Object.entries(Object.groupBy(gh.requests.since(mark), (r) => r.operationId)).map(([k, v]) => [k, v.length]),
    );
  }
  if (last.status !== 'pass') throw new Error(`the item should pass on this data: ${last.reason}`);
  const requests = median(counts);
  console.log(
    `${label}: ${requests} requests ${JSON.stringify(byOperation)}; wall time median ${median(times).toFixed(0)} ms over ${rounds} rounds (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`,
  );
  console.log(`  item: ${last.status} — ${last.reason}`);
  return { sha, requests };
}

console.log('"all tests passing" on a commit with 300 check runs + 150 statuses (target ≤ 6 requests):');
const actions = await measure('Actions job URLs', seed(true));
const bare = await measure('no job URLs (check suite looked up)', seed(false));

// Baseline: the same two lists read the plain way (octokit.paginate, GitHub's default page size).
const mark = gh.requests.mark();
await octokit.paginate(octokit.rest.checks.listForRef, { ...repo, ref: actions.sha });
await octokit.paginate(octokit.rest.repos.listCommitStatusesForRef, { ...repo, ref: actions.sha });
console.log(`baseline, default 30 per page: ${gh.requests.since(mark).length} requests`);

if (gh.violations.length) throw new Error(`OpenAPI violations: ${JSON.stringify(gh.violations, null, 2)}`);
await gh.close();

if (Math.max(actions.requests, bare.requests) > 6) process.exitCode = 1;
