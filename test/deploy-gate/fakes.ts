import type { Clock } from '../../src/core/clock.js';
import { githubContext } from '../../src/core/github.js';
import { memoryLogger } from '../../src/core/logger.js';
import { parsePolicy } from '../../src/core/policy/parse.js';
import type { PolicyInput } from '../../src/core/policy/schema.js';
import { createItemContext, type GateOptions, type ItemContext } from '../../src/deploy-gate/context.js';
import type { CheckRun, CommitStatus, Evidence, ItemResult, PullRequest } from '../../src/deploy-gate/types.js';

export const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
export const OLD_SHA = '0123456789abcdef0123456789abcdef01234567';

/** A clock whose sleeps advance time instantly. */
export function fakeClock(start = '2026-11-26T10:00:00Z'): Clock & { slept: number[] } {
  let now = Date.parse(start);
  const slept: number[] = [];
  return {
    slept,
    now: () => new Date(now),
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

/** Evidence where nothing exists, every call recorded; tests override what they need. */
export function fakeEvidence(overrides: Partial<Evidence> = {}): Evidence & { calls: string[] } {
  const calls: string[] = [];
  const base: Evidence = {
    pullRequestsForCommit: async () => [],
    reviews: async () => [],
    checkRuns: async () => [],
    statuses: async () => [],
    workflowRunCheckSuite: async () => undefined,
    codeScanningAnalyses: async () => ({ enabled: true, analyses: [] }),
    openCodeScanningAlerts: async () => [],
    deployments: async () => [],
    deploymentStatuses: async () => [],
    compare: async () => ({
      status: 'ahead',
      aheadBy: 0,
      behindBy: 0,
      files: [],
      htmlUrl: 'https://github.com/o/r/compare',
    }),
    file: async () => undefined,
    tree: async () => ({ paths: [], truncated: false }),
    issueComments: async () => [],
    createIssueComment: async () => {
      throw new Error('createIssueComment not expected');
    },
  };
  const merged = { ...base, ...overrides };
  const recorded = Object.fromEntries(
    Object.entries(merged).map(([name, fn]) => [
      name,
      (...args: unknown[]) => {
        calls.push(name);
        return (fn as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as unknown as Evidence;
  return Object.assign(recorded, { calls });
}

export function pull(overrides: Partial<PullRequest> = {}): PullRequest {
  return {
    number: 42,
    title: 'Add payments',
    body: '',
    state: 'closed',
    author: 'alice',
    headSha: 'f'.repeat(40),
    mergeCommitSha: SHA,
    mergedAt: '2026-11-26T09:00:00Z',
    htmlUrl: 'https://github.com/o/r/pull/42',
    ...overrides,
  };
}

let nextId = 1;
export function checkRun(name: string, overrides: Partial<CheckRun> = {}): CheckRun {
  const id = nextId++;
  return {
    id,
    name,
    status: 'completed',
    conclusion: 'success',
    startedAt: '2026-11-26T09:00:00Z',
    appId: 15368,
    appSlug: 'github-actions',
    checkSuiteId: 1,
    htmlUrl: `https://github.com/o/r/actions/runs/100/job/${id}`,
    detailsUrl: `https://github.com/o/r/actions/runs/100/job/${id}`,
    ...overrides,
  };
}

export function commitStatus(context: string, state: string, overrides: Partial<CommitStatus> = {}): CommitStatus {
  return {
    id: nextId++,
    context,
    state,
    description: undefined,
    targetUrl: `https://ci.example.com/${context}`,
    createdAt: '2026-11-26T09:00:00Z',
    ...overrides,
  };
}

export interface ContextSetup {
  evidence?: Evidence;
  policy?: PolicyInput['deploy'];
  sha?: string;
  ref?: string;
  services?: string[];
  notify?: boolean;
  runId?: number;
  jobName?: string;
  clock?: Clock;
  otherItems?: ItemResult[];
}

export function gateOptions(setup: ContextSetup = {}): GateOptions {
  const policy = parsePolicy({ deploy: setup.policy ?? {} });
  return {
    evidence: setup.evidence ?? fakeEvidence(),
    deploy: policy.deploy,
    sha: setup.sha ?? SHA,
    ref: setup.ref ?? 'refs/heads/main',
    environment: policy.deploy.environment,
    services: setup.services ?? [],
    notify: setup.notify ?? false,
    runningJob: { runId: setup.runId, jobName: setup.jobName },
    github: githubContext({ GITHUB_REPOSITORY: 'o/r', GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '100' }),
    clock: setup.clock ?? fakeClock(),
    log: memoryLogger(),
  };
}

export function itemContext(setup: ContextSetup = {}): ItemContext {
  return createItemContext(gateOptions(setup), async () => setup.otherItems ?? []);
}
