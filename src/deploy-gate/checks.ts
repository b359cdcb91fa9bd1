import type { Clock } from '../core/clock.js';
import { formatDuration } from '../core/duration.js';
import type { Logger } from '../core/logger.js';
import type { CheckRun, CommitStatus, Evidence } from './types.js';

/** One check as the gate judges it: a check run (latest per app and name) or a commit status (latest per context). */
export interface CheckEntry {
  kind: 'check-run' | 'status';
  name: string;
  state: 'success' | 'failure' | 'pending' | 'neutral' | 'skipped';
  /** GitHub's own word: conclusion, status or state. */
  detail: string;
  url: string | undefined;
}

export interface ChecksSnapshot {
  entries: CheckEntry[];
  /** Check runs left out because they are the running job itself. */
  excluded: CheckRun[];
  /** How long the gate waited for pending (or missing required) checks. */
  waitedMs: number;
}

/**
 * The job running the gate shows up as an in-progress check run on the same commit; counting it would
 * make the gate wait for itself. It is recognised by two facts together:
 * - its name is the job's name: `job-name` (default GITHUB_JOB, the job's id), a matrix variant of it
 *   (`deploy (eu, 1)`) or the same job inside a reusable workflow (`caller / deploy`);
 * - it belongs to this workflow run: its details/html URL points into `/actions/runs/<GITHUB_RUN_ID>/`, or
 *   its check suite is the run's check suite. The suite is looked up (GET /actions/runs/{id}, one request)
 *   only when a check run has the job's name and its URL does not settle it.
 */
export interface RunningJob {
  runId?: number | undefined;
  jobName?: string | undefined;
  /** The check suite of the workflow run; undefined when unknown. */
  checkSuiteId?: number | undefined;
}

function namedLikeJob(run: CheckRun, jobName: string): boolean {
  const base = run.name.includes(' / ') ? run.name.slice(run.name.lastIndexOf(' / ') + 3) : run.name;
  return [run.name, base].some((n) => n === jobName || n.startsWith(`${jobName} (`));
}

function linksIntoRun(run: CheckRun, runId: number): boolean {
  return [run.detailsUrl, run.htmlUrl].some((url) => url?.includes(`/actions/runs/${runId}/`));
}

export function isRunningJob(run: CheckRun, job: RunningJob): boolean {
  if (!job.jobName || job.runId === undefined || !namedLikeJob(run, job.jobName)) return false;
  return linksIntoRun(run, job.runId) || (job.checkSuiteId !== undefined && run.checkSuiteId === job.checkSuiteId);
}

/** Whether telling the running job apart needs its check suite: a check run has its name, and no URL decides. */
export function needsCheckSuite(runs: readonly CheckRun[], job: RunningJob): boolean {
  const { jobName, runId } = job;
  if (!jobName || runId === undefined || job.checkSuiteId !== undefined) return false;
  return runs.some((run) => namedLikeJob(run, jobName) && !linksIntoRun(run, runId));
}

function later(a: { startedAt?: string | undefined; id: number }, b: { startedAt?: string | undefined; id: number }) {
  const ta = a.startedAt ? Date.parse(a.startedAt) : 0;
  const tb = b.startedAt ? Date.parse(b.startedAt) : 0;
  return ta !== tb ? ta > tb : a.id > b.id;
}

/** A re-run leaves the old check run behind: keep the latest per (app, name). */
export function latestCheckRuns(runs: readonly CheckRun[]): CheckRun[] {
  const latest = new Map<string, CheckRun>();
  for (const run of runs) {
    const key = `${run.appId ?? run.appSlug ?? ''}\u0000${run.name}`;
    const seen = latest.get(key);
    if (!seen || later(run, seen)) latest.set(key, run);
  }
  return [...latest.values()];
}

/** Statuses are append-only: keep the latest per context. */
export function latestStatuses(statuses: readonly CommitStatus[]): CommitStatus[] {
  const latest = new Map<string, CommitStatus>();
  for (const status of statuses) {
    const seen = latest.get(status.context);
    if (!seen || later({ startedAt: status.createdAt, id: status.id }, { startedAt: seen.createdAt, id: seen.id }))
      latest.set(status.context, status);
  }
  return [...latest.values()];
}

export function checkRunEntry(run: CheckRun): CheckEntry {
  const url = run.htmlUrl ?? run.detailsUrl;
  if (run.status !== 'completed')
    return { kind: 'check-run', name: run.name, state: 'pending', detail: run.status, url };
  const conclusion = run.conclusion ?? 'unknown';
  const state =
    conclusion === 'success'
      ? 'success'
      : conclusion === 'neutral'
        ? 'neutral'
        : conclusion === 'skipped'
          ? 'skipped'
          : 'failure';
  return { kind: 'check-run', name: run.name, state, detail: conclusion, url };
}

export function statusEntry(status: CommitStatus): CheckEntry {
  const state = status.state === 'success' ? 'success' : status.state === 'pending' ? 'pending' : 'failure';
  return { kind: 'status', name: status.context, state, detail: status.state, url: status.targetUrl };
}

/** One reading of every check run and status on `sha` (each list fetched once, both at the same time). */
export async function readChecks(
  evidence: Evidence,
  sha: string,
  runningJob: RunningJob,
  lookupCheckSuite: () => Promise<number | undefined> = async () => undefined,
): Promise<Omit<ChecksSnapshot, 'waitedMs'>> {
  const [runs, statuses] = await Promise.all([evidence.checkRuns(sha), evidence.statuses(sha)]);
  const latest = latestCheckRuns(runs);
  const job = needsCheckSuite(latest, runningJob)
    ? { ...runningJob, checkSuiteId: await lookupCheckSuite() }
    : runningJob;
  const excluded: CheckRun[] = [];
  const kept: CheckRun[] = [];
  for (const run of latest) (isRunningJob(run, job) ? excluded : kept).push(run);
  return {
    entries: [...kept.map(checkRunEntry), ...latestStatuses(statuses).map(statusEntry)].sort((a, b) =>
      a.name.localeCompare(b.name),
    ),
    excluded,
  };
}

/** A check is found by its exact name, or by its job name inside a reusable workflow (`caller / name`). */
export function findCheck(entries: readonly CheckEntry[], name: string): CheckEntry | undefined {
  const candidates = entries.filter((e) => e.name === name || e.name.endsWith(` / ${name}`));
  return candidates.find((e) => e.state === 'success') ?? candidates[0];
}

export function missingRequired(entries: readonly CheckEntry[], required: readonly string[]): string[] {
  return required.filter((name) => !findCheck(entries, name));
}

export interface WaitOptions {
  /** Finds the check suite of the running job's workflow run, when its check run's URL does not tell. */
  lookupCheckSuite?: () => Promise<number | undefined>;
  /** How long to wait for pending or missing required checks; 0 reads once. */
  waitMs: number;
  intervalMs: number;
  required: readonly string[];
  clock: Clock;
  log?: Logger;
  signal?: AbortSignal;
}

/** Reads the checks, and while some are pending (or required ones missing) polls until `waitMs` has passed. */
export async function settleChecks(
  evidence: Evidence,
  sha: string,
  job: RunningJob,
  options: WaitOptions,
): Promise<ChecksSnapshot> {
  const started = options.clock.now().getTime();
  for (;;) {
    const snapshot = await readChecks(evidence, sha, job, options.lookupCheckSuite);
    const waiting = [
      ...snapshot.entries.filter((e) => e.state === 'pending').map((e) => e.name),
      ...missingRequired(snapshot.entries, options.required),
    ];
    const waitedMs = options.clock.now().getTime() - started;
    const left = options.waitMs - waitedMs;
    if (waiting.length === 0 || left <= 0) return { ...snapshot, waitedMs };
    options.log?.info(
      `waiting for ${waiting.length} check${waiting.length === 1 ? '' : 's'} (${waiting.slice(0, 5).join(', ')}${
        waiting.length > 5 ? ', …' : ''
      }); ${formatDuration(left)} left`,
    );
    await options.clock.sleep(Math.min(options.intervalMs, left), options.signal);
  }
}
