import type { Clock } from '../core/clock.js';
import type { GitHubContext } from '../core/github.js';
import type { Logger } from '../core/logger.js';
import type { Policy } from '../core/policy/schema.js';
import { type ChecksSnapshot, type RunningJob, settleChecks } from './checks.js';
import type { Evidence, ItemId, ItemResult, ItemStatus, PullRequest } from './types.js';

export type DeployPolicy = Policy['deploy'];
export type Checklist = DeployPolicy['checklist'];

export interface GateOptions {
  evidence: Evidence;
  deploy: DeployPolicy;
  /** The commit being deployed. */
  sha: string;
  /** The ref it was built from (`refs/heads/main`): code-scanning analyses and alerts are kept per ref. */
  ref: string | undefined;
  environment: string;
  /** Services being deployed: every one must be covered by an alert rule. Empty: coverage is not checked. */
  services: readonly string[];
  /** Post the stakeholder notice when none exists (and every other item passed). */
  notify: boolean;
  runningJob: RunningJob;
  /** For links (GITHUB_SERVER_URL, owner/repo, run id). */
  github: GitHubContext;
  clock: Clock;
  log: Logger;
}

/** What an item function gets: the options, plus lookups shared by several items (each made once). */
export interface ItemContext extends GateOptions {
  /** The pull request the commit belongs to (merged into it, or its head), or undefined for a direct push. */
  pullRequest(): Promise<PullRequest | undefined>;
  /** Check runs and statuses on the commit, after waiting for pending ones as the tests policy says. */
  checks(): Promise<ChecksSnapshot>;
  /** The results of every other item; only the stakeholder item awaits it (to post only when the rest pass). */
  otherItems(): Promise<ItemResult[]>;
  /** Links to pages on the GitHub server. */
  url(path: string): string;
}

export type ItemCheck = (ctx: ItemContext) => Promise<ItemResult>;

export function result(item: ItemId, status: ItemStatus, reason: string, evidenceUrl?: string): ItemResult {
  return evidenceUrl ? { item, status, reason, evidenceUrl } : { item, status, reason };
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

function memo<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= load();
    return value;
  };
}

/**
 * Picks the pull request that brought `sha`: the one merged as this very commit, else the one whose head it is,
 * else any merged one (the commit came in through it), else an open one.
 */
export function choosePullRequest(pulls: readonly PullRequest[], sha: string): PullRequest | undefined {
  return (
    pulls.find((p) => p.mergedAt && p.mergeCommitSha === sha) ??
    pulls.find((p) => p.headSha === sha) ??
    pulls.find((p) => p.mergedAt) ??
    pulls.find((p) => p.state === 'open')
  );
}

export function createItemContext(options: GateOptions, otherItems: () => Promise<ItemResult[]>): ItemContext {
  const tests = options.deploy.checklist.tests;
  const { serverUrl, owner, repo } = options.github;
  const checkSuite = memo(async (): Promise<number | undefined> => {
    const { runId } = options.runningJob;
    if (runId === undefined) return undefined;
    try {
      return await options.evidence.workflowRunCheckSuite(runId);
    } catch (error) {
      options.log.warning(
        `could not read workflow run ${runId} to recognise this job's own check run (${(error as Error).message}): grant \`actions: read\`, or this job counts as a pending check`,
      );
      return undefined;
    }
  });
  return {
    ...options,
    pullRequest: memo(async () =>
      choosePullRequest(await options.evidence.pullRequestsForCommit(options.sha), options.sha),
    ),
    checks: memo(async () =>
      settleChecks(options.evidence, options.sha, options.runningJob, {
        lookupCheckSuite: checkSuite,
        waitMs: tests.wait,
        intervalMs: tests.interval,
        required: tests.enabled ? tests.requiredChecks : [],
        clock: options.clock,
        log: options.log,
      }),
    ),
    otherItems,
    url: (path) => `${serverUrl}/${owner}/${repo}/${path.replace(/^\//, '')}`,
  };
}
