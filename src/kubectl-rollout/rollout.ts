import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import { describeFailure, type Exec, lastLines } from '../core/exec.js';
import type { Logger } from '../core/logger.js';
import { checkHealth, type HealthReport } from '../health-check/check.js';
import type { ExpectedStatus } from '../health-check/expect.js';
import {
  currentRevision,
  type DetectionRules,
  type Evaluation,
  findWorkload,
  type PodProblem,
  semanticJson,
} from './detect.js';
import { collectDiagnostics, type Diagnostic } from './diagnostics.js';
import { type Kubectl, succeeded, takeSnapshot } from './kubectl.js';
import { type ImageOverride, listManifestFiles, loadManifests, manifestList, renderManifests } from './manifests.js';
import { kubectlName, type Snapshot, type WorkloadRef, workloadKey } from './types.js';
import { type WatchResult, watchRollout } from './watch.js';

export type FirstDeployPolicy = 'delete' | 'keep' | 'fail';
export type PausedPolicy = 'fail' | 'resume';
export type Result = 'success' | 'rolled-back' | 'rollback-failed' | 'failed';

export interface RolloutOptions {
  manifests: readonly string[];
  namespace?: string;
  images: readonly ImageOverride[];
  changeCause?: string;
  dryRun: 'none' | 'server' | 'diff';
  timeoutMs: number;
  pollMs: number;
  rules: DetectionRules;
  firstDeploy: FirstDeployPolicy;
  paused: PausedPolicy;
  health?: {
    urls: readonly string[];
    expectedStatus?: ExpectedStatus;
    retries: number;
    timeoutMs: number;
    backoffMs: number;
  };
  smoke?: { argv: readonly string[]; timeoutMs: number };
  logLines: number;
  workspace: string;
}

export interface RolloutDeps {
  kubectl: Kubectl;
  exec: Exec;
  clock: Clock;
  log: Logger;
  fetch?: typeof fetch;
}

/** What was recorded about a workload before anything was applied. */
export interface Recorded {
  existed: boolean;
  revision: number | undefined;
  generation: number | undefined;
  template: string | undefined;
  paused: boolean;
}

export type RollbackOutcome = 'none' | 'rolled-back' | 'deleted' | 'kept' | 'failed';

export interface WorkloadReport {
  ref: WorkloadRef;
  key: string;
  before: Recorded;
  /** Revision after the apply (undefined when the controller never reported one). */
  after: number | undefined;
  state: string;
  message: string;
  rollback: RollbackOutcome;
  rollbackMessage?: string;
  rolledBackTo?: number;
}

export interface RolloutReport {
  result: Result;
  /** Machine-readable: CrashLoopBackOff, Timeout, HealthCheckFailed, ApplyFailed, … ('' on success). */
  reason: string;
  message: string;
  workloads: WorkloadReport[];
  /** Keys of the workloads that failed (or, for failures after the rollout, that changed). */
  failed: string[];
  diagnostics: Diagnostic[];
  health?: HealthReport;
  /** Milliseconds since the apply: failure detected, rollback started and completed. */
  timings: { detectedMs?: number; rollbackStartedMs?: number; rollbackCompletedMs?: number };
  kubectlCalls: number;
  polls: number;
}

/** The runbook's deploy, end to end: record, apply, watch, check, and roll back by itself on failure. */
export async function deploy(options: RolloutOptions, deps: RolloutDeps): Promise<RolloutReport> {
  const { kubectl, clock, log } = deps;
  const files = await listManifestFiles(options.manifests, options.workspace);
  const loaded = await loadManifests(files);
  const defaultNamespace = options.namespace ?? (await contextNamespace(kubectl));
  const rendered = renderManifests(loaded, {
    namespace: options.namespace,
    defaultNamespace,
    images: options.images,
    changeCause: options.changeCause,
  });
  const workloads = rendered.workloads;
  const namespaces = [...new Set(workloads.map((w) => w.namespace))].sort();
  const dir = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'kubectl-rollout-'));
  const file = join(dir, 'manifests.json');
  await writeFile(file, manifestList(rendered.objects), 'utf8');
  const namespaceArgs = options.namespace ? ['--namespace', options.namespace] : [];
  const reports = new Map<string, WorkloadReport>();
  const diagnostics: Diagnostic[] = [];
  let polls = 0;
  const finish = (
    result: Result,
    reason: string,
    message: string,
    extra: Partial<RolloutReport> = {},
  ): RolloutReport => ({
    result,
    reason,
    message,
    workloads: workloads.map((ref) => reports.get(workloadKey(ref)) as WorkloadReport),
    failed: [],
    diagnostics,
    timings: {},
    kubectlCalls: kubectl.calls,
    polls,
    ...extra,
  });

  try {
    // 1. Record what is there now.
    const before = namespaces.length ? await takeSnapshot(kubectl, namespaces) : emptySnapshot();
    for (const ref of workloads) {
      const recorded = record(before, ref);
      reports.set(workloadKey(ref), {
        ref,
        key: workloadKey(ref),
        before: recorded,
        after: undefined,
        state: 'pending',
        message: '',
        rollback: 'none',
      });
      log.info(
        `${kubectlName(ref)} (${ref.namespace}): ${recorded.existed ? `at revision ${recorded.revision ?? 'unknown'}` : 'does not exist yet (first deploy)'}${recorded.paused ? ', paused' : ''}`,
      );
    }
    const paused = workloads.filter((ref) => reports.get(workloadKey(ref))?.before.paused);
    if (paused.length && options.paused === 'fail')
      return finish(
        'failed',
        'DeploymentPaused',
        `${paused.map(kubectlName).join(', ')} ${paused.length === 1 ? 'is' : 'are'} paused: nothing was applied. Resume with \`kubectl rollout resume\` when the pause is over, or set paused: resume.`,
      );

    // 2. Optional server-side dry run or diff.
    if (options.dryRun !== 'none') {
      const args =
        options.dryRun === 'server' ? ['apply', '--dry-run=server', '--filename', file] : ['diff', '--filename', file];
      const result = await kubectl.run([...args, ...namespaceArgs], { timeoutMs: options.timeoutMs });
      // kubectl diff exits 1 when there are differences and >1 on errors.
      const ok = options.dryRun === 'diff' ? result.exitCode === 0 || result.exitCode === 1 : succeeded(result);
      diagnostics.push({
        title: options.dryRun === 'server' ? 'Server-side dry run' : 'kubectl diff',
        body: lastLines(result.stdout || result.stderr, 400) || '(no changes)',
      });
      if (!ok)
        return finish(
          'failed',
          'DryRunFailed',
          `the ${options.dryRun === 'server' ? 'server-side dry run' : 'diff'} failed, nothing was applied: ${describeFailure(result, 5)}`,
        );
    }

    // 3. Apply.
    const started = clock.now();
    const sinceStart = () => clock.now().getTime() - started.getTime();
    const applied = await kubectl.run(['apply', '--filename', file, ...namespaceArgs], {
      timeoutMs: options.timeoutMs,
    });
    log.info(applied.stdout.trim());
    let failure: { reason: string; message: string; watch?: WatchResult } | undefined;
    let health: HealthReport | undefined;
    if (!succeeded(applied)) {
      failure = { reason: 'ApplyFailed', message: `kubectl apply failed: ${describeFailure(applied, 10)}` };
    } else {
      if (options.paused === 'resume')
        for (const ref of paused) {
          const resumed = await kubectl.run(['rollout', 'resume', kubectlName(ref), '--namespace', ref.namespace]);
          if (!succeeded(resumed))
            failure ??= {
              reason: 'ResumeFailed',
              message: `could not resume ${kubectlName(ref)}: ${describeFailure(resumed, 5)}`,
            };
          else log.info(`resumed ${kubectlName(ref)} (${ref.namespace}), which was paused`);
        }
      // 4. Watch every workload under one deadline.
      if (!failure && workloads.length) {
        const watch = await watchRollout({
          workloads,
          namespaces,
          rules: options.rules,
          deadline: started.getTime() + options.timeoutMs,
          timeoutMs: options.timeoutMs,
          pollMs: options.pollMs,
          kubectl,
          clock,
          log,
        });
        polls += watch.polls;
        updateStates(reports, watch);
        if (!watch.ok) failure = { reason: watch.reason ?? 'Failed', message: watch.message, watch };
      }
      // 5. Health checks and the smoke command, after a complete rollout.
      if (!failure && options.health) {
        health = await checkHealth(
          {
            urls: options.health.urls,
            expectedStatus: options.health.expectedStatus,
            timeoutMs: options.health.timeoutMs,
            retries: options.health.retries,
            backoffMs: options.health.backoffMs,
          },
          { clock, log, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
        );
        if (!health.healthy)
          failure = {
            reason: 'HealthCheckFailed',
            message: `health check failed after the rollout: ${health.urls
              .filter((u) => !u.healthy)
              .map((u) => `${u.url} (${u.problem})`)
              .join('; ')}`,
          };
      }
      if (!failure && options.smoke) {
        log.info(`smoke command: ${options.smoke.argv.join(' ')}`);
        const smoke = await deps.exec(options.smoke.argv, {
          cwd: options.workspace,
          timeoutMs: options.smoke.timeoutMs,
          log,
          echo: true,
        });
        diagnostics.push({
          title: `Smoke command (exit ${smoke.exitCode ?? smoke.signal ?? 'none'})`,
          body: lastLines(`${smoke.stdout}\n${smoke.stderr}`.trim(), 60) || '(no output)',
        });
        if (!succeeded(smoke))
          failure = { reason: 'SmokeTestFailed', message: `smoke command failed: ${describeFailure(smoke, 5)}` };
      }
    }
    if (!failure)
      return finish('success', '', `${workloads.length} workload${workloads.length === 1 ? '' : 's'} rolled out`, {
        health,
      });

    // 6. Diagnostics, then roll back what changed.
    const detectedMs = sinceStart();
    log.error(`rollout failed (${failure.reason}): ${failure.message}`);
    const problems: (PodProblem & { namespace: string })[] = [];
    for (const ref of workloads) {
      const evaluation = failure.watch?.evaluations.get(workloadKey(ref));
      if (evaluation?.verdict.state === 'failed')
        problems.push(...evaluation.verdict.problems.map((p) => ({ ...p, namespace: ref.namespace })));
      else if (failure.reason === 'Timeout' && evaluation)
        problems.push(...notReadyProblems(evaluation).map((p) => ({ ...p, namespace: ref.namespace })));
    }
    if (namespaces.length)
      diagnostics.unshift(
        ...(await collectDiagnostics(kubectl, {
          workloads,
          namespaces,
          since: started,
          problems,
          logLines: options.logLines,
        })),
      );

    const rollbackStartedMs = sinceStart();
    const rollback = await rollBack(workloads, namespaces, reports, options, deps).catch((error: unknown) => ({
      failed: true,
      message: `the rollback could not run: ${errorMessage(error)}`,
      polls: 0,
    }));
    polls += rollback.polls;
    const rollbackCompletedMs = sinceStart();
    const outcomes = workloads.map((ref) => reports.get(workloadKey(ref))?.rollback);
    const result: Result = rollback.failed
      ? 'rollback-failed'
      : outcomes.some((o) => o === 'rolled-back' || o === 'deleted')
        ? 'rolled-back'
        : 'failed';
    const message =
      result === 'rolled-back'
        ? `${failure.message}; rolled back and verified`
        : result === 'rollback-failed'
          ? `${failure.message}; ROLLBACK FAILED: ${rollback.message}`
          : `${failure.message}; nothing to roll back${rollback.message ? ` (${rollback.message})` : ''}`;
    const failed = failure.watch
      ? failure.watch.failed.map(workloadKey)
      : workloads.filter((ref) => reports.get(workloadKey(ref))?.rollback !== 'none').map(workloadKey);
    return finish(result, failure.reason, message, {
      health,
      failed,
      timings: { detectedMs, rollbackStartedMs, rollbackCompletedMs },
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function emptySnapshot(): Snapshot {
  return { workloads: [], replicaSets: [], revisions: [], pods: [] };
}

export function record(snapshot: Snapshot, ref: WorkloadRef): Recorded {
  const object = findWorkload(snapshot, ref);
  if (!object)
    return { existed: false, revision: undefined, generation: undefined, template: undefined, paused: false };
  return {
    existed: true,
    revision: currentRevision(snapshot, object),
    generation: object.metadata.generation,
    template: semanticJson(object.spec?.template),
    paused: object.kind === 'Deployment' && object.spec?.paused === true,
  };
}

export async function contextNamespace(kubectl: Kubectl): Promise<string> {
  const result = await kubectl.run(['config', 'view', '--minify', '--output', 'jsonpath={..namespace}']);
  return (succeeded(result) && result.stdout.trim()) || 'default';
}

function updateStates(reports: Map<string, WorkloadReport>, watch: WatchResult): void {
  for (const [key, evaluation] of watch.evaluations) {
    const report = reports.get(key);
    if (!report) continue;
    report.state =
      evaluation.verdict.state === 'failed' ? `failed: ${evaluation.verdict.reason}` : evaluation.verdict.state;
    report.message = evaluation.verdict.message;
    if (evaluation.revision !== undefined) report.after = evaluation.revision;
  }
}

function notReadyProblems(evaluation: Evaluation): PodProblem[] {
  return evaluation.pods
    .filter((pod) => !(pod.status?.containerStatuses ?? []).every((c) => c.ready))
    .flatMap((pod) =>
      (pod.status?.containerStatuses ?? [])
        .filter((c) => !c.ready)
        .map((c) => ({
          pod: pod.metadata.name,
          container: c.name,
          reason: 'Timeout' as const,
          message: 'not ready',
          restartCount: c.restartCount ?? 0,
        })),
    )
    .slice(0, 3);
}

/**
 * Rolls back only the workloads whose revision changed, each to its recorded revision, then waits for
 * the rollback and verifies it (the pod template is the recorded one and the rollout is complete).
 * First deploys follow the first-deploy policy.
 */
async function rollBack(
  workloads: readonly WorkloadRef[],
  namespaces: readonly string[],
  reports: Map<string, WorkloadReport>,
  options: RolloutOptions,
  deps: RolloutDeps,
): Promise<{ failed: boolean; message: string; polls: number }> {
  const { kubectl, clock, log } = deps;
  const problems: string[] = [];
  const now = await takeSnapshot(kubectl, namespaces);
  const undone: WorkloadRef[] = [];
  for (const ref of workloads) {
    const report = reports.get(workloadKey(ref)) as WorkloadReport;
    const object = findWorkload(now, ref);
    const observed = object && (object.status?.observedGeneration ?? 0) >= (object.metadata.generation ?? 1);
    const revisionNow = object && observed ? currentRevision(now, object) : undefined;
    if (revisionNow !== undefined) report.after = revisionNow;
    if (!report.before.existed) {
      if (!object) continue;
      if (options.firstDeploy === 'delete') {
        const deleted = await kubectl.run([
          'delete',
          kubectlName(ref),
          '--namespace',
          ref.namespace,
          '--wait=true',
          '--timeout=120s',
        ]);
        if (succeeded(deleted)) {
          report.rollback = 'deleted';
          report.rollbackMessage = 'first deploy: deleted (first-deploy: delete)';
          log.info(`${kubectlName(ref)} (${ref.namespace}): first deploy failed, deleted`);
        } else {
          report.rollback = 'failed';
          report.rollbackMessage = `could not delete: ${describeFailure(deleted, 3)}`;
          problems.push(`${kubectlName(ref)}: ${report.rollbackMessage}`);
        }
      } else {
        report.rollback = 'kept';
        report.rollbackMessage = `first deploy: left in place (first-deploy: ${options.firstDeploy})`;
        if (options.firstDeploy === 'fail')
          problems.push(`${kubectlName(ref)} is a first deploy with no revision to roll back to (first-deploy: fail)`);
      }
      continue;
    }
    const changed =
      revisionNow !== undefined
        ? revisionNow !== report.before.revision
        : object?.metadata.generation !== report.before.generation;
    if (!changed) continue;
    if (report.before.revision === undefined) {
      report.rollback = 'failed';
      report.rollbackMessage = 'no recorded revision to roll back to';
      problems.push(`${kubectlName(ref)}: ${report.rollbackMessage}`);
      continue;
    }
    if (object?.spec?.paused) {
      // `rollout undo` refuses paused Deployments.
      const resumed = await kubectl.run(['rollout', 'resume', kubectlName(ref), '--namespace', ref.namespace]);
      log.info(
        `resumed ${kubectlName(ref)} before rolling it back: ${succeeded(resumed) ? 'ok' : resumed.stderr.trim()}`,
      );
    }
    const undo = await kubectl.run([
      'rollout',
      'undo',
      kubectlName(ref),
      '--namespace',
      ref.namespace,
      `--to-revision=${report.before.revision}`,
    ]);
    if (!succeeded(undo)) {
      report.rollback = 'failed';
      report.rollbackMessage = `kubectl rollout undo failed: ${lastLines(undo.stderr || undo.stdout, 3)}`;
      problems.push(`${kubectlName(ref)}: ${report.rollbackMessage}`);
      continue;
    }
    log.info(`${kubectlName(ref)} (${ref.namespace}): ${undo.stdout.trim()} (to revision ${report.before.revision})`);
    report.rolledBackTo = report.before.revision;
    undone.push(ref);
  }

  let polls = 0;
  if (undone.length) {
    const watch = await watchRollout({
      workloads: undone,
      namespaces: [...new Set(undone.map((w) => w.namespace))],
      rules: options.rules,
      deadline: clock.now().getTime() + options.timeoutMs,
      timeoutMs: options.timeoutMs,
      pollMs: options.pollMs,
      kubectl,
      clock,
      log,
    });
    polls = watch.polls;
    for (const ref of undone) {
      const report = reports.get(workloadKey(ref)) as WorkloadReport;
      const evaluation = watch.evaluations.get(workloadKey(ref));
      const object = watch.snapshot ? findWorkload(watch.snapshot, ref) : undefined;
      const sameTemplate = object !== undefined && semanticJson(object.spec?.template) === report.before.template;
      if (evaluation?.verdict.state === 'complete' && sameTemplate) {
        report.rollback = 'rolled-back';
        report.rollbackMessage = `back at the template of revision ${report.before.revision}, rollout complete`;
      } else {
        report.rollback = 'failed';
        report.rollbackMessage = !sameTemplate
          ? 'the pod template differs from the recorded one after the rollback'
          : `rollback did not complete: ${evaluation?.verdict.message ?? watch.message}`;
        problems.push(`${kubectlName(ref)}: ${report.rollbackMessage}`);
      }
    }
  }
  return { failed: problems.length > 0, message: problems.join('; '), polls };
}
