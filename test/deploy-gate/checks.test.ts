import { describe, expect, it } from 'vitest';
import {
  isRunningJob,
  latestCheckRuns,
  latestStatuses,
  readChecks,
  settleChecks,
} from '../../src/deploy-gate/checks.js';
import { checkRun, commitStatus, fakeClock, fakeEvidence, SHA } from './fakes.js';

describe('deduplication', () => {
  it('keeps the latest check run per app and name', () => {
    const failed = checkRun('build', { conclusion: 'failure', startedAt: '2026-11-26T09:00:00Z' });
    const rerun = checkRun('build', { conclusion: 'success', startedAt: '2026-11-26T09:30:00Z' });
    const otherApp = checkRun('build', { appId: 99, appSlug: 'circleci', conclusion: 'failure' });
    const latest = latestCheckRuns([rerun, failed, otherApp]);
    expect(latest).toHaveLength(2);
    expect(latest).toContain(rerun);
    expect(latest).toContain(otherApp);
  });

  it('breaks a tie in start time by id', () => {
    const a = checkRun('lint', { conclusion: 'failure' });
    const b = checkRun('lint', { conclusion: 'success' });
    expect(latestCheckRuns([b, a])).toEqual([b]);
  });

  it('keeps the latest status per context', () => {
    const pending = commitStatus('ci/jenkins', 'pending', { createdAt: '2026-11-26T09:00:00Z' });
    const done = commitStatus('ci/jenkins', 'success', { createdAt: '2026-11-26T09:10:00Z' });
    const other = commitStatus('coverage', 'failure');
    expect(latestStatuses([done, pending, other])).toEqual([done, other]);
  });
});

describe('the running job', () => {
  const job = { runId: 100, jobName: 'deploy', checkSuiteId: 7 };
  it('is recognised by check suite and name, matrix and reusable-workflow names included', () => {
    expect(isRunningJob(checkRun('deploy', { checkSuiteId: 7, status: 'in_progress' }), job)).toBe(true);
    expect(isRunningJob(checkRun('deploy (eu, 1)', { checkSuiteId: 7 }), job)).toBe(true);
    expect(isRunningJob(checkRun('release / deploy', { checkSuiteId: 7 }), job)).toBe(true);
  });
  it('is told apart from a same-named job of another run and other jobs of this run', () => {
    const elsewhere = checkRun('deploy', {
      checkSuiteId: 8,
      htmlUrl: 'https://github.com/o/r/actions/runs/99/job/1',
      detailsUrl: undefined,
    });
    expect(isRunningJob(elsewhere, job)).toBe(false);
    expect(isRunningJob(checkRun('deployment-tests', { checkSuiteId: 7 }), job)).toBe(false);
    expect(isRunningJob(checkRun('deploy', { checkSuiteId: 7 }), { runId: undefined, jobName: 'deploy' })).toBe(false);
  });
  it('falls back to the run URL when the check suite is unknown', () => {
    expect(isRunningJob(checkRun('deploy'), { runId: 100, jobName: 'deploy' })).toBe(true);
    expect(isRunningJob(checkRun('deploy'), { runId: 1000, jobName: 'deploy' })).toBe(false);
  });
});

describe('reading and waiting', () => {
  it('merges check runs and statuses and leaves the running job out', async () => {
    const evidence = fakeEvidence({
      checkRuns: async () => [
        checkRun('test'),
        checkRun('deploy', { status: 'in_progress', conclusion: null, checkSuiteId: 5 }),
      ],
      statuses: async () => [commitStatus('ci/legacy', 'error')],
    });
    const snapshot = await readChecks(evidence, SHA, { runId: 100, jobName: 'deploy', checkSuiteId: 5 });
    expect(snapshot.entries.map((e) => [e.kind, e.name, e.state])).toEqual([
      ['status', 'ci/legacy', 'failure'],
      ['check-run', 'test', 'success'],
    ]);
    expect(snapshot.excluded.map((r) => r.name)).toEqual(['deploy']);
  });

  it('polls at the interval until pending checks complete', async () => {
    let reads = 0;
    const evidence = fakeEvidence({
      checkRuns: async () => {
        reads++;
        return [reads < 3 ? checkRun('e2e', { status: 'in_progress', conclusion: null }) : checkRun('e2e')];
      },
    });
    const clock = fakeClock();
    const snapshot = await settleChecks(
      evidence,
      SHA,
      {},
      { waitMs: 600_000, intervalMs: 15_000, required: [], clock },
    );
    expect(reads).toBe(3);
    expect(clock.slept).toEqual([15_000, 15_000]);
    expect(snapshot.waitedMs).toBe(30_000);
    expect(snapshot.entries[0]?.state).toBe('success');
  });

  it('waits for a missing required check, and stops at the deadline', async () => {
    const evidence = fakeEvidence({ checkRuns: async () => [checkRun('unit')] });
    const clock = fakeClock();
    const snapshot = await settleChecks(
      evidence,
      SHA,
      {},
      { waitMs: 40_000, intervalMs: 15_000, required: ['e2e'], clock },
    );
    expect(clock.slept).toEqual([15_000, 15_000, 10_000]);
    expect(snapshot.waitedMs).toBe(40_000);
  });

  it('reads once when there is no wait', async () => {
    const evidence = fakeEvidence({ checkRuns: async () => [checkRun('e2e', { status: 'queued', conclusion: null })] });
    const clock = fakeClock();
    await settleChecks(evidence, SHA, {}, { waitMs: 0, intervalMs: 15_000, required: [], clock });
    expect(evidence.calls.filter((c) => c === 'checkRuns')).toHaveLength(1);
    expect(clock.slept).toEqual([]);
  });
});

describe('looking up the check suite', () => {
  it('happens only when a check run has the job name and no URL into this run', async () => {
    const job = { runId: 100, jobName: 'deploy' };
    const byUrl = checkRun('deploy', { status: 'in_progress', conclusion: null });
    const bare = checkRun('deploy', {
      status: 'in_progress',
      conclusion: null,
      checkSuiteId: 9,
      htmlUrl: 'https://ghe.example.com/o/r/runs/5',
      detailsUrl: undefined,
    });
    let lookups = 0;
    const lookup = async () => {
      lookups++;
      return 9;
    };
    const direct = await readChecks(
      fakeEvidence({ checkRuns: async () => [byUrl, checkRun('unit')] }),
      SHA,
      job,
      lookup,
    );
    expect(direct.excluded).toEqual([byUrl]);
    expect(lookups).toBe(0);
    const looked = await readChecks(
      fakeEvidence({ checkRuns: async () => [bare, checkRun('unit')] }),
      SHA,
      job,
      lookup,
    );
    expect(looked.excluded).toEqual([bare]);
    expect(lookups).toBe(1);
    const unrelated = await readChecks(
      fakeEvidence({ checkRuns: async () => [checkRun('unit', { htmlUrl: undefined })] }),
      SHA,
      job,
      lookup,
    );
    expect(unrelated.excluded).toEqual([]);
    expect(lookups).toBe(1);
  });
});
