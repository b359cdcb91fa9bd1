import { controlledBy, semanticJson } from './detect.js';
import { objectNameProblem } from './manifests.js';
import type { Snapshot, WorkloadKind, WorkloadObject } from './types.js';

/**
 * The pure parts of `mode: rollback` and `mode: scale`: which workloads, which revision to go back to,
 * and whether a replica count is inside the policy's bounds.
 */

export interface WorkloadName {
  kind: WorkloadKind;
  name: string;
}

const KINDS: Record<string, WorkloadKind> = {
  deployment: 'Deployment',
  statefulset: 'StatefulSet',
  daemonset: 'DaemonSet',
};

/** `deployment/name`, `statefulset/name` or `daemonset/name`; the name by the Kubernetes naming rules. */
export function parseWorkloadName(entry: string): WorkloadName | string {
  const slash = entry.indexOf('/');
  if (slash <= 0) return 'expected kind/name: deployment/<name>, statefulset/<name> or daemonset/<name>';
  const kindText = entry.slice(0, slash);
  const name = entry.slice(slash + 1);
  const kind = KINDS[kindText];
  if (!kind) return `kind "${kindText}" is not one of deployment, statefulset, daemonset`;
  const problem = objectNameProblem(name);
  if (problem) return `name "${name}" ${problem}`;
  return { kind, name };
}

/** One entry of a workload's rollout history: the revision number and its pod template (semanticJson). */
export interface HistoryEntry {
  revision: number;
  template: string;
}

const REVISION = 'deployment.kubernetes.io/revision';
const HASH_LABEL = 'pod-template-hash';

/** The pod template as the workload's spec holds it: without the ReplicaSet's hash label or the revision's `$patch`. */
function deploymentTemplate(rs: WorkloadObject): string {
  const template = structuredClone(rs.spec?.template ?? {}) as {
    metadata?: { labels?: Record<string, string> };
  };
  if (template.metadata?.labels) delete template.metadata.labels[HASH_LABEL];
  return semanticJson(template);
}

function revisionTemplate(data: unknown): string {
  const template = (data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template ?? {};
  const { $patch: _patch, ...rest } = template;
  return semanticJson(rest);
}

/**
 * The rollout history of a workload, as `kubectl rollout history` would list it: a Deployment's ReplicaSets
 * (revision annotation), a StatefulSet's or DaemonSet's ControllerRevisions. Oldest first.
 */
export function revisionHistory(snapshot: Snapshot, object: WorkloadObject): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  if (object.kind === 'Deployment') {
    for (const rs of snapshot.replicaSets) {
      const text = rs.metadata.annotations?.[REVISION];
      if (!controlledBy(rs, object) || text === undefined || !/^\d+$/.test(text)) continue;
      entries.push({ revision: Number(text), template: deploymentTemplate(rs) });
    }
  } else {
    for (const revision of snapshot.revisions) {
      if (!controlledBy(revision, object) || typeof revision.revision !== 'number') continue;
      entries.push({ revision: revision.revision, template: revisionTemplate(revision.data) });
    }
  }
  return entries.sort((a, b) => a.revision - b.revision);
}

export type TargetChoice =
  | { ok: true; revision: number; template: string }
  | { ok: false; reason: 'NoEarlierRevision' | 'RevisionNotFound' | 'AlreadyAtRevision'; message: string };

/**
 * The revision to roll back to. With `toRevision`: that revision, which must be in the history and run a
 * different template than now. Without: the highest revision below the current one whose template differs
 * from the current template — computed here rather than left to `kubectl rollout undo`, whose
 * "second-highest revision" is one revision too far back when the last apply did not change the template.
 */
export function chooseTarget(
  history: readonly HistoryEntry[],
  current: { revision: number | undefined; template: string },
  toRevision?: number,
): TargetChoice {
  const listed = history.map((h) => h.revision).join(', ') || 'none';
  if (toRevision !== undefined) {
    const entry = history.find((h) => h.revision === toRevision);
    if (!entry)
      return {
        ok: false,
        reason: 'RevisionNotFound',
        message: `revision ${toRevision} is not in the rollout history (revisions kept: ${listed})`,
      };
    if (entry.template === current.template)
      return {
        ok: false,
        reason: 'AlreadyAtRevision',
        message: `already runs the pod template of revision ${toRevision}${current.revision !== undefined ? ` (current revision ${current.revision})` : ''}: nothing to roll back`,
      };
    return { ok: true, revision: entry.revision, template: entry.template };
  }
  if (current.revision === undefined)
    return {
      ok: false,
      reason: 'NoEarlierRevision',
      message: 'the current revision is not known (the controller has not recorded one yet)',
    };
  const now = current.revision;
  const earlier = history.filter((h) => h.revision < now && h.template !== current.template);
  const target = earlier.at(-1);
  if (!target)
    return {
      ok: false,
      reason: 'NoEarlierRevision',
      message: `no earlier revision with a different pod template to roll back to (current revision ${now}; revisions kept: ${listed})`,
    };
  return { ok: true, revision: target.revision, template: target.template };
}

export interface ScalingBounds {
  min: number;
  max: number;
}

export type BoundsCheck =
  | { ok: true; bounds: ScalingBounds }
  | { ok: false; reason: 'NoScalingBounds' | 'InvalidScalingBounds' | 'OutsideScalingBounds'; message: string };

/**
 * A replica count against the policy's `kubernetes.scaling.<name>`: a workload without bounds is refused
 * (scaling production unbounded is the quiet misuse to prevent), and so is a count outside them.
 */
export function checkScalingBounds(
  workload: WorkloadName,
  replicas: number,
  scaling: Readonly<Record<string, ScalingBounds>>,
  policyFile: string,
): BoundsCheck {
  const key = `kubernetes.scaling.${workload.name}`;
  const label = `${workload.kind.toLowerCase()}/${workload.name}`;
  const bounds = Object.hasOwn(scaling, workload.name) ? scaling[workload.name] : undefined;
  if (!bounds)
    return {
      ok: false,
      reason: 'NoScalingBounds',
      message: `${label} has no replica bounds in the policy: add ${key}: { min: <n>, max: <n> } to ${policyFile} (scaling is refused without bounds)`,
    };
  if (bounds.min > bounds.max)
    return {
      ok: false,
      reason: 'InvalidScalingBounds',
      message: `${key} in ${policyFile} has min ${bounds.min} above max ${bounds.max}`,
    };
  if (replicas < bounds.min || replicas > bounds.max)
    return {
      ok: false,
      reason: 'OutsideScalingBounds',
      message: `${replicas} replicas for ${label} is outside ${key} (min ${bounds.min}, max ${bounds.max})`,
    };
  return { ok: true, bounds };
}
