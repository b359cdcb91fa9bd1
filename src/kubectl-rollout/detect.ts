import type {
  Condition,
  ContainerStatus,
  ControllerRevision,
  Pod,
  Snapshot,
  WorkloadObject,
  WorkloadRef,
} from './types.js';

/**
 * The detection rules, as pure functions of one snapshot: is each workload's rollout complete, still
 * progressing, or failed — and why. `kubectl rollout status` notices only the progress deadline (600 s
 * by default, none at all for StatefulSets and DaemonSets); these rules look at the pods of the new
 * revision and fail fast on what will not heal by itself (as Shopify/krane does): CrashLoopBackOff,
 * an image that does not exist, CreateContainerConfigError, ContainerCannotRun, failed pods, too many
 * restarts, and ImagePullBackOff that persists past a grace period (registries flap, so it alone is
 * not fatal at once).
 */

export type FailureReason =
  | 'CrashLoopBackOff'
  | 'ErrImagePull'
  | 'ImagePullBackOff'
  | 'InvalidImageName'
  | 'CreateContainerConfigError'
  | 'ContainerCannotRun'
  | 'PodFailed'
  | 'RestartLimit'
  | 'ProgressDeadlineExceeded'
  | 'Timeout';

export interface DetectionRules {
  /** Restarts of one container that count as a failure. */
  restartLimit: number;
  /** How long ImagePullBackOff/ErrImagePull (without "not found") may last. */
  imagePullGraceMs: number;
}

export interface PodProblem {
  pod: string;
  container?: string;
  reason: FailureReason;
  message: string;
  restartCount: number;
}

export type Verdict =
  | { state: 'waiting'; message: string }
  | { state: 'complete'; message: string }
  | { state: 'failed'; reason: FailureReason; message: string; problems: PodProblem[] };

export interface Evaluation {
  verdict: Verdict;
  /** The workload's revision (Deployment annotation / ControllerRevision number), once the controller has seen the spec. */
  revision: number | undefined;
  /** Pods the action must delete for the rollout to proceed (OnDelete, stuck StatefulSet pods). */
  deletePods: string[];
  /** Pods of the revision being rolled out (for diagnostics). */
  pods: Pod[];
}

/** When each pod/container was first seen pulling without success: kept between polls by the watcher. */
export type PullTracker = Map<string, number>;

/** "Image does not exist" as containerd, CRI-O and Docker word it; kubelets ≥ 1.31 repeat it in ImagePullBackOff. */
const IMAGE_NOT_FOUND =
  /not found|manifest unknown|repository does not exist|no such image|name unknown|pull access denied/i;

export function findWorkload(snapshot: Snapshot, ref: WorkloadRef): WorkloadObject | undefined {
  return snapshot.workloads.find(
    (w) => w.kind === ref.kind && w.metadata.name === ref.name && (w.metadata.namespace ?? '') === ref.namespace,
  );
}

export function controlledBy(
  object: { metadata: { ownerReferences?: { uid: string; controller?: boolean }[] } },
  owner: WorkloadObject,
): boolean {
  return (object.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === owner.metadata.uid);
}

export function isPodReady(pod: Pod): boolean {
  return (
    pod.status?.phase === 'Running' &&
    (pod.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

function condition(object: WorkloadObject, type: string): Condition | undefined {
  return object.status?.conditions?.find((c) => c.type === type);
}

const DEPLOYMENT_REVISION = 'deployment.kubernetes.io/revision';
const REVISION_HASH = 'controller-revision-hash';

/** The revision a workload's current spec is at, or undefined while it cannot be known. */
export function currentRevision(snapshot: Snapshot, object: WorkloadObject): number | undefined {
  switch (object.kind) {
    case 'Deployment': {
      const text = object.metadata.annotations?.[DEPLOYMENT_REVISION];
      return text === undefined ? undefined : Number(text);
    }
    case 'StatefulSet': {
      const name = object.status?.updateRevision;
      const revision = snapshot.revisions.find((r) => r.metadata.name === name && controlledBy(r, object));
      return revision?.revision;
    }
    case 'DaemonSet':
      return newestRevision(snapshot, object)?.revision;
    default:
      return undefined;
  }
}

function newestRevision(snapshot: Snapshot, object: WorkloadObject): ControllerRevision | undefined {
  return snapshot.revisions
    .filter((r) => controlledBy(r, object))
    .sort((a, b) => (b.revision ?? 0) - (a.revision ?? 0))[0];
}

function observed(object: WorkloadObject): boolean {
  return (object.status?.observedGeneration ?? 0) >= (object.metadata.generation ?? 1);
}

/** The pods running the workload's current revision. */
export function podsOfCurrentRevision(snapshot: Snapshot, object: WorkloadObject): Pod[] {
  const owned = (owner: WorkloadObject) =>
    snapshot.pods.filter((p) => controlledBy(p, owner) && !p.metadata.deletionTimestamp);
  switch (object.kind) {
    case 'Deployment': {
      const revision = object.metadata.annotations?.[DEPLOYMENT_REVISION];
      const rs = snapshot.replicaSets.find(
        (r) => controlledBy(r, object) && r.metadata.annotations?.[DEPLOYMENT_REVISION] === revision,
      );
      return rs ? owned(rs) : [];
    }
    case 'StatefulSet':
      return owned(object).filter((p) => p.metadata.labels?.[REVISION_HASH] === object.status?.updateRevision);
    case 'DaemonSet': {
      const hash = newestRevision(snapshot, object)?.metadata.labels?.[REVISION_HASH];
      return owned(object).filter((p) => p.metadata.labels?.[REVISION_HASH] === hash);
    }
    default:
      return [];
  }
}

/** Problems of one pod that will not heal by themselves, in order of how much they explain. */
export function podProblems(pod: Pod, rules: DetectionRules, now: number, pulls: PullTracker): PodProblem[] {
  const name = pod.metadata.name;
  const problems: PodProblem[] = [];
  if (pod.status?.phase === 'Failed') {
    problems.push({
      pod: name,
      reason: 'PodFailed',
      message: `pod ${name} failed${pod.status.reason ? ` (${pod.status.reason})` : ''}${pod.status.message ? `: ${pod.status.message}` : ''}`,
      restartCount: 0,
    });
    return problems;
  }
  const statuses: ContainerStatus[] = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  for (const status of statuses) {
    const problem = containerProblem(name, status, rules, now, pulls);
    if (problem) problems.push(problem);
  }
  return problems;
}

function containerProblem(
  pod: string,
  status: ContainerStatus,
  rules: DetectionRules,
  now: number,
  pulls: PullTracker,
): PodProblem | undefined {
  const waiting = status.state?.waiting;
  const terminated = status.state?.terminated;
  const last = status.lastState?.terminated;
  const restartCount = status.restartCount ?? 0;
  const base = { pod, container: status.name, restartCount };
  const detail = (text: string | undefined) => (text ? `: ${text}` : '');
  const pullKey = `${pod}/${status.name}`;
  const pulling = waiting?.reason === 'ErrImagePull' || waiting?.reason === 'ImagePullBackOff';
  if (!pulling) pulls.delete(pullKey);

  // Docker says ContainerCannotRun; containerd says StartError (and RunContainerError while waiting).
  const cannotRun = (reason: string | undefined) =>
    reason === 'ContainerCannotRun' || reason === 'StartError' || reason === 'RunContainerError';
  if (cannotRun(terminated?.reason) || cannotRun(last?.reason) || cannotRun(waiting?.reason))
    return {
      ...base,
      reason: 'ContainerCannotRun',
      message: `container ${status.name} cannot run${detail(terminated?.message ?? last?.message)}`,
    };
  if (waiting?.reason === 'CrashLoopBackOff')
    return {
      ...base,
      reason: 'CrashLoopBackOff',
      message: `container ${status.name} is crash-looping (${restartCount} restart${restartCount === 1 ? '' : 's'}${
        last?.exitCode !== undefined ? `, last exit code ${last.exitCode}` : ''
      })`,
    };
  if (waiting?.reason === 'CreateContainerConfigError' || waiting?.reason === 'CreateContainerError')
    return {
      ...base,
      reason: 'CreateContainerConfigError',
      message: `container ${status.name}: ${waiting.reason}${detail(waiting.message)}`,
    };
  if (waiting?.reason === 'InvalidImageName')
    return {
      ...base,
      reason: 'InvalidImageName',
      message: `container ${status.name}: invalid image name${detail(waiting.message)}`,
    };
  if (pulling && IMAGE_NOT_FOUND.test(waiting?.message ?? ''))
    return {
      ...base,
      reason: 'ErrImagePull',
      message: `container ${status.name}: image ${status.image ?? ''} not found${detail(waiting?.message)}`,
    };
  if (restartCount >= rules.restartLimit)
    return {
      ...base,
      reason: 'RestartLimit',
      message: `container ${status.name} restarted ${restartCount} times (limit ${rules.restartLimit})`,
    };
  if (pulling) {
    const since = pulls.get(pullKey) ?? now;
    pulls.set(pullKey, since);
    if (now - since >= rules.imagePullGraceMs)
      return {
        ...base,
        reason: 'ImagePullBackOff',
        message: `container ${status.name}: image ${status.image ?? ''} could not be pulled for ${Math.round((now - since) / 1000)}s${detail(waiting?.message)}`,
      };
  }
  return undefined;
}

/** One workload's state in a snapshot. */
export function evaluateWorkload(
  snapshot: Snapshot,
  ref: WorkloadRef,
  rules: DetectionRules,
  now: number,
  pulls: PullTracker,
): Evaluation {
  const object = findWorkload(snapshot, ref);
  if (!object)
    return { verdict: { state: 'waiting', message: 'not found yet' }, revision: undefined, deletePods: [], pods: [] };
  if (!observed(object))
    return {
      verdict: { state: 'waiting', message: 'waiting for the controller to observe the new spec' },
      revision: undefined,
      deletePods: [],
      pods: [],
    };
  const revision = currentRevision(snapshot, object);
  const pods = podsOfCurrentRevision(snapshot, object);
  const problems = pods.flatMap((pod) => podProblems(pod, rules, now, pulls));
  const deletePods = podsToDelete(snapshot, object);
  if (problems.length > 0) {
    const first = problems[0] as PodProblem;
    return {
      verdict: { state: 'failed', reason: first.reason, message: first.message, problems },
      revision,
      deletePods: [],
      pods,
    };
  }
  if (object.kind === 'Deployment') {
    const progressing = condition(object, 'Progressing');
    if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded')
      return {
        verdict: {
          state: 'failed',
          reason: 'ProgressDeadlineExceeded',
          message: `deployment "${ref.name}" exceeded its progress deadline`,
          problems: [],
        },
        revision,
        deletePods,
        pods,
      };
  }
  return { verdict: progressVerdict(object, pods), revision, deletePods, pods };
}

/** Completion as `kubectl rollout status` judges it, plus OnDelete strategies (which it refuses). */
export function progressVerdict(object: WorkloadObject, pods: readonly Pod[]): Verdict {
  const s = object.status ?? {};
  const wait = (message: string): Verdict => ({ state: 'waiting', message });
  switch (object.kind) {
    case 'Deployment': {
      const want = object.spec?.replicas ?? 1;
      if (object.spec?.paused) return wait('paused');
      if ((s.updatedReplicas ?? 0) < want) return wait(`${s.updatedReplicas ?? 0} of ${want} new replicas updated`);
      if ((s.replicas ?? 0) > (s.updatedReplicas ?? 0))
        return wait(`${(s.replicas ?? 0) - (s.updatedReplicas ?? 0)} old replicas pending termination`);
      if ((s.availableReplicas ?? 0) < (s.updatedReplicas ?? 0))
        return wait(`${s.availableReplicas ?? 0} of ${s.updatedReplicas} updated replicas available`);
      return { state: 'complete', message: `${want} of ${want} replicas updated and available` };
    }
    case 'StatefulSet': {
      const want = object.spec?.replicas ?? 1;
      const onDelete = object.spec?.updateStrategy?.type === 'OnDelete';
      const partition = onDelete ? 0 : (object.spec?.updateStrategy?.rollingUpdate?.partition ?? 0);
      if ((s.readyReplicas ?? 0) < want) return wait(`${s.readyReplicas ?? 0} of ${want} pods ready`);
      if ((s.updatedReplicas ?? 0) < want - partition)
        return wait(`${s.updatedReplicas ?? 0} of ${want - partition} pods updated`);
      if (partition === 0 && pods.filter(isPodReady).length < want)
        return wait(`${pods.filter(isPodReady).length} of ${want} updated pods ready`);
      return {
        state: 'complete',
        message: `${want} pods ready at revision ${s.updateRevision ?? ''}${partition ? ` (partition ${partition})` : ''}`,
      };
    }
    case 'DaemonSet': {
      const want = s.desiredNumberScheduled ?? 0;
      if ((s.updatedNumberScheduled ?? 0) < want)
        return wait(`${s.updatedNumberScheduled ?? 0} of ${want} updated pods scheduled`);
      if ((s.numberAvailable ?? 0) < want) return wait(`${s.numberAvailable ?? 0} of ${want} pods available`);
      if (pods.filter(isPodReady).length < want)
        return wait(`${pods.filter(isPodReady).length} of ${want} updated pods ready`);
      return { state: 'complete', message: `${want} of ${want} pods updated and available` };
    }
    default:
      return wait('unknown kind');
  }
}

/**
 * Pods the action deletes, because no controller will:
 * - OnDelete StatefulSets/DaemonSets keep old pods until someone deletes them: one old pod at a time
 *   (highest ordinal first), only while every other pod is ready — the manual procedure, automated.
 * - A StatefulSet (OrderedReady) waits forever for a broken pod of a superseded revision to become
 *   ready (kubernetes/kubernetes#67250): after a rollback, such pods are deleted so the controller
 *   recreates them at the restored revision.
 */
export function podsToDelete(snapshot: Snapshot, object: WorkloadObject): string[] {
  if (object.kind !== 'StatefulSet' && object.kind !== 'DaemonSet') return [];
  const owned = snapshot.pods.filter((p) => controlledBy(p, object) && !p.metadata.deletionTimestamp);
  const target =
    object.kind === 'StatefulSet'
      ? object.status?.updateRevision
      : newestRevision(snapshot, object)?.metadata.labels?.[REVISION_HASH];
  if (!target) return [];
  const stale = owned.filter((p) => p.metadata.labels?.[REVISION_HASH] !== target);
  if (object.kind === 'StatefulSet') {
    const broken = stale.filter((p) => !isPodReady(p));
    if (broken.length) return broken.map((p) => p.metadata.name);
  }
  if (object.spec?.updateStrategy?.type !== 'OnDelete' || stale.length === 0) return [];
  if (owned.some((p) => !isPodReady(p))) return [];
  const byOrdinal = [...stale].sort(
    (a, b) => ordinal(b) - ordinal(a) || a.metadata.name.localeCompare(b.metadata.name),
  );
  return [(byOrdinal[0] as Pod).metadata.name];
}

function ordinal(pod: Pod): number {
  const m = /-(\d+)$/.exec(pod.metadata.name);
  return m ? Number(m[1]) : -1;
}

/** Stable JSON without null, empty objects and empty lists: how two pod templates are compared. */
export function semanticJson(value: unknown): string {
  return JSON.stringify(normalize(value) ?? null);
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? value.map(normalize) : undefined;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = normalize((value as Record<string, unknown>)[key]);
      if (v !== undefined && v !== null) out[key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}
