import { describeFailure, lastLines } from '../core/exec.js';
import type { DetectionRules } from './detect.js';
import { currentRevision, findWorkload, semanticJson } from './detect.js';
import { collectDiagnostics, type Diagnostic } from './diagnostics.js';
import { succeeded, takeSnapshot } from './kubectl.js';
import { contextNamespace, type PausedPolicy, type RolloutDeps } from './rollout.js';
import { checkScalingBounds, chooseTarget, revisionHistory, type ScalingBounds, type WorkloadName } from './targets.js';
import { kubectlName, type Snapshot, type WorkloadRef, workloadKey } from './types.js';
import { type WatchResult, watchRollout } from './watch.js';

/** `mode: rollback` and `mode: scale`: the runbook's quick rollback and horizontal scaling, verified. */

export interface OperationRow {
  ref: WorkloadRef;
  key: string;
  /** Revision (rollback) or replicas (scale) before; undefined when unknown or the workload is missing. */
  before: number | undefined;
  /** Target revision (rollback) or replica count (scale). */
  target: number | undefined;
  /** Policy bounds (scale). */
  bounds?: ScalingBounds;
  state: string;
  message: string;
  /** The operation was verified for this workload. */
  done: boolean;
}

export interface OperationReport {
  result: 'success' | 'failed';
  /** '' on success; otherwise why (NoEarlierRevision, DeploymentPaused, OutsideScalingBounds, Timeout, …). */
  reason: string;
  message: string;
  namespace: string;
  rows: OperationRow[];
  failed: string[];
  diagnostics: Diagnostic[];
  kubectlCalls: number;
  polls: number;
}

interface Common {
  workloads: readonly WorkloadName[];
  namespace?: string;
  timeoutMs: number;
  pollMs: number;
  rules: DetectionRules;
  logLines: number;
}

export interface RollbackOptions extends Common {
  toRevision?: number;
  paused: PausedPolicy;
}

export interface ScaleOptions extends Common {
  replicas: number;
  scaling: Readonly<Record<string, ScalingBounds>>;
  policyFile: string;
}

function rowsFor(refs: readonly WorkloadRef[]): Map<string, OperationRow> {
  return new Map(
    refs.map((ref) => [
      workloadKey(ref),
      {
        ref,
        key: workloadKey(ref),
        before: undefined,
        target: undefined,
        state: 'not started',
        message: '',
        done: false,
      },
    ]),
  );
}

function reporter(namespace: string, rows: Map<string, OperationRow>, deps: RolloutDeps) {
  const diagnostics: Diagnostic[] = [];
  let polls = 0;
  return {
    diagnostics,
    addPolls(n: number) {
      polls += n;
    },
    finish(result: 'success' | 'failed', reason: string, message: string): OperationReport {
      const list = [...rows.values()];
      return {
        result,
        reason,
        message,
        namespace,
        rows: list,
        failed: result === 'success' ? [] : list.filter((r) => !r.done && r.state !== 'not started').map((r) => r.key),
        diagnostics,
        kubectlCalls: deps.kubectl.calls,
        polls,
      };
    },
  };
}

/** Refusals found before anything changed: the first reason, every message. */
function refusal(problems: readonly { ref: WorkloadRef; reason: string; message: string }[]) {
  return {
    reason: (problems[0] as { reason: string }).reason,
    message: problems.map((p) => `${kubectlName(p.ref)}: ${p.message}`).join('; '),
  };
}

async function watchAndDiagnose(
  refs: readonly WorkloadRef[],
  namespace: string,
  options: Common,
  deps: RolloutDeps,
  started: Date,
  settled?: (snapshot: Snapshot, ref: WorkloadRef) => string | undefined,
): Promise<{ watch: WatchResult; diagnostics: Diagnostic[] }> {
  const watch = await watchRollout({
    workloads: refs,
    namespaces: [namespace],
    rules: options.rules,
    deadline: started.getTime() + options.timeoutMs,
    timeoutMs: options.timeoutMs,
    pollMs: options.pollMs,
    kubectl: deps.kubectl,
    clock: deps.clock,
    log: deps.log,
    ...(settled ? { settled } : {}),
  });
  if (watch.ok) return { watch, diagnostics: [] };
  const problems = refs.flatMap((ref) => {
    const evaluation = watch.evaluations.get(workloadKey(ref));
    return evaluation?.verdict.state === 'failed' ? evaluation.verdict.problems.map((p) => ({ ...p, namespace })) : [];
  });
  const diagnostics = await collectDiagnostics(deps.kubectl, {
    workloads: refs,
    namespaces: [namespace],
    since: started,
    problems,
    logLines: options.logLines,
  }).catch(() => []);
  return { watch, diagnostics };
}

/**
 * The runbook's quick rollback (`kubectl rollout undo deployment/api-gateway` + `rollout status`), verified:
 * the target revision is computed from the history (never undo's "second-highest" rule), every workload is
 * checked before any is touched, each is undone with `--to-revision`, watched with the deploy's detection
 * rules under one deadline, and must end up running the target's pod template.
 */
export async function rollback(options: RollbackOptions, deps: RolloutDeps): Promise<OperationReport> {
  const { kubectl, log, clock } = deps;
  const namespace = options.namespace ?? (await contextNamespace(kubectl));
  const refs = options.workloads.map((w): WorkloadRef => ({ ...w, namespace }));
  const rows = rowsFor(refs);
  const report = reporter(namespace, rows, deps);

  const snapshot = await takeSnapshot(kubectl, [namespace]);
  const problems: { ref: WorkloadRef; reason: string; message: string }[] = [];
  const targets = new Map<string, { revision: number; template: string }>();
  const paused: WorkloadRef[] = [];
  for (const ref of refs) {
    const row = rows.get(workloadKey(ref)) as OperationRow;
    const object = findWorkload(snapshot, ref);
    if (!object) {
      problems.push({ ref, reason: 'NotFound', message: `not found in namespace ${namespace}` });
      row.state = 'not found';
      continue;
    }
    row.before = currentRevision(snapshot, object);
    const choice = chooseTarget(
      revisionHistory(snapshot, object),
      { revision: row.before, template: semanticJson(object.spec?.template) },
      options.toRevision,
    );
    if (!choice.ok) {
      problems.push({ ref, reason: choice.reason, message: choice.message });
      row.state = `refused: ${choice.reason}`;
      row.message = choice.message;
      continue;
    }
    row.target = choice.revision;
    targets.set(workloadKey(ref), choice);
    if (object.kind === 'Deployment' && object.spec?.paused) {
      if (options.paused === 'fail') {
        problems.push({
          ref,
          reason: 'DeploymentPaused',
          message:
            'is paused (kubectl rollout undo refuses paused Deployments): resume it with kubectl rollout resume when the pause is over, or set paused: resume',
        });
        row.state = 'refused: DeploymentPaused';
        continue;
      }
      paused.push(ref);
    }
    log.info(`${kubectlName(ref)} (${namespace}): at revision ${row.before}, rolling back to revision ${row.target}`);
  }
  if (problems.length) {
    const { reason, message } = refusal(problems);
    return report.finish('failed', reason, message);
  }

  const started = clock.now();
  const undone: WorkloadRef[] = [];
  const failures: string[] = [];
  for (const ref of refs) {
    const row = rows.get(workloadKey(ref)) as OperationRow;
    if (paused.includes(ref)) {
      const resumed = await kubectl.run(['rollout', 'resume', kubectlName(ref), '--namespace', namespace]);
      if (!succeeded(resumed)) {
        row.state = 'failed: ResumeFailed';
        row.message = `could not resume: ${describeFailure(resumed, 3)}`;
        failures.push(`${kubectlName(ref)}: ${row.message}`);
        continue;
      }
      log.info(`resumed ${kubectlName(ref)} (${namespace}) to roll it back`);
    }
    const undo = await kubectl.run([
      'rollout',
      'undo',
      kubectlName(ref),
      '--namespace',
      namespace,
      `--to-revision=${row.target}`,
    ]);
    if (!succeeded(undo)) {
      row.state = 'failed: UndoFailed';
      row.message = `kubectl rollout undo failed: ${lastLines(undo.stderr || undo.stdout, 3)}`;
      failures.push(`${kubectlName(ref)}: ${row.message}`);
      continue;
    }
    log.info(`${kubectlName(ref)} (${namespace}): ${undo.stdout.trim()} (to revision ${row.target})`);
    row.state = 'rolling back';
    undone.push(ref);
  }

  let watchFailure: { reason: string; message: string } | undefined;
  if (undone.length) {
    const { watch, diagnostics } = await watchAndDiagnose(undone, namespace, options, deps, started);
    report.addPolls(watch.polls);
    report.diagnostics.push(...diagnostics);
    if (!watch.ok) watchFailure = { reason: watch.reason ?? 'Failed', message: watch.message };
    for (const ref of undone) {
      const row = rows.get(workloadKey(ref)) as OperationRow;
      const evaluation = watch.evaluations.get(workloadKey(ref));
      const object = watch.snapshot ? findWorkload(watch.snapshot, ref) : undefined;
      const target = targets.get(workloadKey(ref)) as { revision: number; template: string };
      const sameTemplate = object !== undefined && semanticJson(object.spec?.template) === target.template;
      if (evaluation?.verdict.state === 'complete' && sameTemplate) {
        row.done = true;
        row.state = 'rolled back';
        row.message = `runs the pod template of revision ${row.target}; rollout complete`;
      } else if (evaluation?.verdict.state === 'complete') {
        row.state = 'failed: TemplateMismatch';
        row.message = `the pod template is not the one of revision ${row.target} after the rollback`;
        failures.push(`${kubectlName(ref)}: ${row.message}`);
        watchFailure ??= { reason: 'TemplateMismatch', message: row.message };
      } else {
        row.state = evaluation?.verdict.state === 'failed' ? `failed: ${evaluation.verdict.reason}` : 'not complete';
        row.message = evaluation?.verdict.message ?? 'not seen';
      }
    }
  }
  const firstFailure = [...rows.values()].find((r) => r.state.startsWith('failed: '));
  if (failures.length || watchFailure) {
    const reason = watchFailure?.reason ?? (firstFailure ? firstFailure.state.slice('failed: '.length) : 'Failed');
    const message = [watchFailure?.message, ...failures].filter(Boolean).join('; ');
    return report.finish('failed', reason, `rollback not verified: ${message}`);
  }
  return report.finish(
    'success',
    '',
    `${undone.length} workload${undone.length === 1 ? '' : 's'} rolled back and verified: ${undone
      .map((ref) => `${kubectlName(ref)} to revision ${rows.get(workloadKey(ref))?.target}`)
      .join(', ')}`,
  );
}

/**
 * The runbook's horizontal scaling (`kubectl scale deployment api-gateway --replicas=5`), bounded by the
 * policy's `kubernetes.scaling.<name>`: refused without bounds or outside them. The replica count is set
 * with a JSON patch that first tests the count read before (another change in between fails the patch
 * instead of being overwritten), then the workloads are watched until the new count is ready.
 */
export async function scale(options: ScaleOptions, deps: RolloutDeps): Promise<OperationReport> {
  const { kubectl, log, clock } = deps;
  const namespace = options.namespace ?? (await contextNamespace(kubectl));
  const refs = options.workloads.map((w): WorkloadRef => ({ ...w, namespace }));
  const rows = rowsFor(refs);
  const report = reporter(namespace, rows, deps);
  const problems: { ref: WorkloadRef; reason: string; message: string }[] = [];
  for (const ref of refs) {
    const row = rows.get(workloadKey(ref)) as OperationRow;
    row.target = options.replicas;
    const check = checkScalingBounds(ref, options.replicas, options.scaling, options.policyFile);
    if (check.ok) row.bounds = check.bounds;
    else {
      problems.push({ ref, reason: check.reason, message: check.message });
      row.state = `refused: ${check.reason}`;
      row.message = check.message;
    }
  }
  // Bounds first: nothing about the cluster is needed to refuse an unbounded or out-of-bounds request.
  if (problems.length) {
    const { reason, message } = refusal(problems);
    return report.finish('failed', reason, message);
  }

  const snapshot = await takeSnapshot(kubectl, [namespace]);
  for (const ref of refs) {
    const row = rows.get(workloadKey(ref)) as OperationRow;
    const object = findWorkload(snapshot, ref);
    if (!object) {
      problems.push({ ref, reason: 'NotFound', message: `not found in namespace ${namespace}` });
      row.state = 'not found';
      continue;
    }
    row.before = object.spec?.replicas;
    if (object.kind === 'Deployment' && object.spec?.paused) {
      problems.push({
        ref,
        reason: 'DeploymentPaused',
        message: 'is paused: its rollout would not progress; resume it with kubectl rollout resume first',
      });
      row.state = 'refused: DeploymentPaused';
    }
  }
  if (problems.length) {
    const { reason, message } = refusal(problems);
    return report.finish('failed', reason, message);
  }

  const started = clock.now();
  const patched: WorkloadRef[] = [];
  const failures: string[] = [];
  for (const ref of refs) {
    const row = rows.get(workloadKey(ref)) as OperationRow;
    const operations = [
      ...(row.before !== undefined ? [{ op: 'test', path: '/spec/replicas', value: row.before }] : []),
      { op: row.before !== undefined ? 'replace' : 'add', path: '/spec/replicas', value: options.replicas },
    ];
    const result = await kubectl.run([
      'patch',
      kubectlName(ref),
      '--namespace',
      namespace,
      '--type=json',
      `--patch=${JSON.stringify(operations)}`,
    ]);
    if (!succeeded(result)) {
      row.state = 'failed: ScaleFailed';
      row.message = `could not set the replicas (changed by someone else since it was read?): ${lastLines(result.stderr || result.stdout, 3)}`;
      failures.push(`${kubectlName(ref)}: ${row.message}`);
      continue;
    }
    log.info(`${kubectlName(ref)} (${namespace}): replicas ${row.before ?? 'unset'} → ${options.replicas}`);
    row.state = 'scaling';
    patched.push(ref);
  }

  let watchFailure: { reason: string; message: string } | undefined;
  if (patched.length) {
    const settled = (snap: Snapshot, ref: WorkloadRef): string | undefined => {
      const status = findWorkload(snap, ref)?.status ?? {};
      const want = options.replicas;
      if ((status.replicas ?? 0) !== want || (status.readyReplicas ?? 0) !== want)
        return `${status.readyReplicas ?? 0} ready of ${status.replicas ?? 0} replicas, want ${want}`;
      return undefined;
    };
    const { watch, diagnostics } = await watchAndDiagnose(patched, namespace, options, deps, started, settled);
    report.addPolls(watch.polls);
    report.diagnostics.push(...diagnostics);
    if (!watch.ok) watchFailure = { reason: watch.reason ?? 'Failed', message: watch.message };
    for (const ref of patched) {
      const row = rows.get(workloadKey(ref)) as OperationRow;
      const evaluation = watch.evaluations.get(workloadKey(ref));
      if (evaluation?.verdict.state === 'complete') {
        row.done = true;
        row.state = 'scaled';
        row.message = `${options.replicas} replicas ready`;
      } else {
        row.state = evaluation?.verdict.state === 'failed' ? `failed: ${evaluation.verdict.reason}` : 'not complete';
        row.message = evaluation?.verdict.message ?? 'not seen';
      }
    }
  }
  if (failures.length || watchFailure) {
    const reason = watchFailure?.reason ?? 'ScaleFailed';
    const message = [watchFailure?.message, ...failures].filter(Boolean).join('; ');
    return report.finish('failed', reason, `scaling not verified: ${message}`);
  }
  return report.finish(
    'success',
    '',
    `${patched.length} workload${patched.length === 1 ? '' : 's'} scaled to ${options.replicas} replicas, all ready`,
  );
}
