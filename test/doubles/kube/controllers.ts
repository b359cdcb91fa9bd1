// biome-ignore-all lint/suspicious/noExplicitAny: Kubernetes objects are untyped JSON in the simulator.
import { createHash, randomBytes } from 'node:crypto';
import {
  type Behaviour,
  behaviourOf,
  type ContainerView,
  containerView,
  DEFAULT_TIMING,
  logLines,
  PULL_NOT_FOUND,
  type SimulatorTiming,
} from './behaviour.js';
import { clone } from './patch.js';
import { ApiError, type KObject, randomSuffix, rfc3339, type Store } from './store.js';

export type { SimulatorTiming } from './behaviour.js';

const REVISION = 'deployment.kubernetes.io/revision';
const HASH_LABEL = 'pod-template-hash';
const REVISION_HASH = 'controller-revision-hash';
/** Deployment annotations the controller does not copy onto its ReplicaSets (as in the real controller). */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
]);

interface Progress {
  lastProgressMs: number;
  updated: number;
  ready: number;
  available: number;
  old: number;
  newRs: string;
}

/**
 * The controllers, in one timer-driven loop: Deployment (ReplicaSet per pod-template hash, revisions,
 * rolling update, progress deadline, pause), ReplicaSet, StatefulSet and DaemonSet (ControllerRevisions,
 * RollingUpdate and OnDelete), garbage collection by owner, and a kubelet that plays each container's
 * behaviour and records Events.
 */
export class Controllers {
  readonly timing: SimulatorTiming;
  readonly nodes: string[];
  private timer: NodeJS.Timeout | undefined;
  private readonly progress = new Map<string, Progress>();
  private readonly signatures = new Map<string, string>();
  private readonly events = new Map<string, string>();
  private nextNode = 0;
  /** Errors thrown inside the loop (a test can assert there were none). */
  readonly errors: string[] = [];

  constructor(
    private readonly store: Store,
    options: { nodes: number; timing: Partial<SimulatorTiming> },
  ) {
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.nodes = Array.from({ length: options.nodes }, (_, i) => `sim-node-${i + 1}`);
  }

  start(): void {
    for (const name of this.nodes)
      this.store.create('nodes', {
        metadata: { name, labels: { 'kubernetes.io/hostname': name } },
        status: { conditions: [{ type: 'Ready', status: 'True' }] },
      });
    this.timer = setInterval(() => this.tick(), this.timing.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  tick(): void {
    const steps = [
      () => this.collectGarbage(),
      () => this.each('deployments', (o) => this.syncDeployment(o)),
      () => this.each('replicasets', (o) => this.syncReplicaSet(o)),
      () => this.each('statefulsets', (o) => this.syncStatefulSet(o)),
      () => this.each('daemonsets', (o) => this.syncDaemonSet(o)),
      () => this.each('pods', (o) => this.syncPod(o)),
    ];
    for (const step of steps) {
      try {
        step();
      } catch (error) {
        this.errors.push(String((error as Error).stack ?? error));
      }
    }
  }

  private each(resource: string, sync: (object: KObject) => void): void {
    for (const object of this.store.list(resource)) sync(object);
  }

  applyDefaults(resource: string, object: any): void {
    const spec = object.spec;
    if (!spec || typeof spec !== 'object') return;
    if (resource === 'deployments') {
      spec.replicas ??= 1;
      spec.progressDeadlineSeconds ??= 600;
      spec.revisionHistoryLimit ??= 10;
      spec.strategy ??= { type: 'RollingUpdate' };
      spec.strategy.type ??= 'RollingUpdate';
      if (spec.strategy.type === 'RollingUpdate')
        spec.strategy.rollingUpdate ??= { maxSurge: '25%', maxUnavailable: '25%' };
    } else if (resource === 'statefulsets') {
      spec.replicas ??= 1;
      spec.podManagementPolicy ??= 'OrderedReady';
      spec.revisionHistoryLimit ??= 10;
      spec.updateStrategy ??= { type: 'RollingUpdate' };
      spec.updateStrategy.type ??= 'RollingUpdate';
      if (spec.updateStrategy.type === 'RollingUpdate') spec.updateStrategy.rollingUpdate ??= { partition: 0 };
    } else if (resource === 'daemonsets') {
      spec.revisionHistoryLimit ??= 10;
      spec.updateStrategy ??= { type: 'RollingUpdate' };
      spec.updateStrategy.type ??= 'RollingUpdate';
      if (spec.updateStrategy.type === 'RollingUpdate')
        spec.updateStrategy.rollingUpdate ??= { maxUnavailable: 1, maxSurge: 0 };
    } else if (resource === 'replicasets') {
      spec.replicas ??= 1;
    }
  }

  onDeleted(_resource: string, _object: KObject): void {
    this.collectGarbage();
  }

  // ---- garbage collection -----------------------------------------------------------------------

  private collectGarbage(): void {
    const uids = new Set<string>();
    for (const resource of ['deployments', 'replicasets', 'statefulsets', 'daemonsets', 'pods'])
      for (const o of this.store.list(resource)) uids.add(o.metadata.uid);
    for (const resource of ['replicasets', 'pods', 'controllerrevisions']) {
      for (const o of this.store.list(resource)) {
        const owner = (o.metadata.ownerReferences ?? []).find((r: any) => r.controller);
        if (owner && !uids.has(owner.uid)) this.store.delete(resource, o.metadata.namespace, o.metadata.name);
      }
    }
    for (const event of this.store.list('events')) {
      if (event.involvedObject?.uid && !uids.has(event.involvedObject.uid) && event.involvedObject.kind === 'Pod') {
        const ageMs = Date.now() - Date.parse(event.lastTimestamp);
        if (ageMs > 3_600_000) this.store.delete('events', event.metadata.namespace, event.metadata.name);
      }
    }
  }

  // ---- Deployments -------------------------------------------------------------------------------

  private syncDeployment(d: KObject): void {
    const ns = d.metadata.namespace;
    const desired: number = d.spec.replicas ?? 1;
    let sets = this.owned('replicasets', d);
    const template = d.spec.template;
    let newRs = sets.find((rs) => sameTemplate(withoutLabel(rs.spec.template, HASH_LABEL), template));
    const maxRevision = Math.max(0, ...sets.map(revisionOf));
    let restarted = false;
    if (!newRs && !d.spec.paused) {
      const hash = templateHash(template);
      const rsTemplate = clone(template);
      rsTemplate.metadata ??= {};
      rsTemplate.metadata.labels = { ...rsTemplate.metadata.labels, [HASH_LABEL]: hash };
      newRs = this.store.create('replicasets', {
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: ns,
          labels: rsTemplate.metadata.labels,
          annotations: { ...copiedAnnotations(d), [REVISION]: String(maxRevision + 1) },
          ownerReferences: [ownerReference(d)],
        },
        spec: {
          replicas: 0,
          minReadySeconds: d.spec.minReadySeconds ?? 0,
          selector: { ...d.spec.selector, matchLabels: { ...d.spec.selector?.matchLabels, [HASH_LABEL]: hash } },
          template: rsTemplate,
        },
      });
      restarted = true;
      sets = [...sets, newRs];
    } else if (newRs) {
      const wanted = { ...newRs.metadata.annotations, ...copiedAnnotations(d) };
      if (revisionOf(newRs) < maxRevision) {
        wanted[REVISION] = String(maxRevision + 1);
        restarted = true;
      }
      if (JSON.stringify(wanted) !== JSON.stringify(newRs.metadata.annotations)) {
        newRs = this.store.update('replicasets', { ...newRs, metadata: { ...newRs.metadata, annotations: wanted } });
        sets = sets.map((rs) => (rs.metadata.uid === newRs?.metadata.uid ? (newRs as KObject) : rs));
      }
    }
    const olds = sets.filter((rs) => rs !== newRs);

    if (!d.spec.paused && newRs) {
      if (d.spec.strategy?.type === 'Recreate') {
        for (const rs of olds) if (rs.spec.replicas > 0) this.scale(d, rs, 0);
        const oldPods = olds.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
        if (oldPods === 0 && newRs.spec.replicas !== desired) newRs = this.scale(d, newRs, desired);
      } else {
        const surge = resolveIntOrPercent(d.spec.strategy?.rollingUpdate?.maxSurge ?? '25%', desired, true);
        let unavailable = resolveIntOrPercent(d.spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%', desired, false);
        if (surge === 0 && unavailable === 0) unavailable = 1;
        const total = sets.reduce((n, rs) => n + rs.spec.replicas, 0);
        if (newRs.spec.replicas > desired) newRs = this.scale(d, newRs, desired);
        else if (newRs.spec.replicas < desired) {
          const up = Math.min(desired + surge - total, desired - newRs.spec.replicas);
          if (up > 0) newRs = this.scale(d, newRs, newRs.spec.replicas + up);
        }
        this.scaleDownOld(d, newRs, olds, desired, unavailable);
      }
    }
    this.cleanupHistory(d, newRs);
    this.updateDeploymentStatus(d, newRs, restarted);
  }

  private scaleDownOld(d: KObject, newRs: KObject, oldsIn: KObject[], desired: number, maxUnavailable: number): void {
    let olds = this.owned('replicasets', d).filter((rs) => rs.metadata.uid !== newRs.metadata.uid);
    if (oldsIn.length === 0 || olds.every((rs) => rs.spec.replicas === 0)) return;
    const all = [...olds, newRs];
    const allPods = all.reduce((n, rs) => n + rs.spec.replicas, 0);
    const minAvailable = desired - maxUnavailable;
    const newUnavailable = newRs.spec.replicas - (newRs.status?.availableReplicas ?? 0);
    const maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return;
    let cleaned = 0;
    olds = olds.map((rs) => {
      const unhealthy = rs.spec.replicas - (rs.status?.availableReplicas ?? 0);
      const down = Math.min(maxScaledDown - cleaned, unhealthy);
      if (down <= 0) return rs;
      cleaned += down;
      return this.scale(d, rs, rs.spec.replicas - down);
    });
    const available = [...olds, newRs].reduce(
      (n, rs) => n + Math.min(rs.status?.availableReplicas ?? 0, rs.spec.replicas),
      0,
    );
    if (available <= minAvailable) return;
    let budget = available - minAvailable;
    for (const rs of olds) {
      if (budget <= 0) break;
      const down = Math.min(rs.spec.replicas, budget);
      if (down <= 0) continue;
      budget -= down;
      this.scale(d, rs, rs.spec.replicas - down);
    }
  }

  private scale(d: KObject, rs: KObject, replicas: number): KObject {
    const from = rs.spec.replicas;
    const updated = this.store.update('replicasets', {
      ...rs,
      metadata: {
        ...rs.metadata,
        annotations: {
          ...rs.metadata.annotations,
          'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas ?? 1),
        },
      },
      spec: { ...rs.spec, replicas },
    });
    this.recordEvent(
      d,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${replicas > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${replicas}`,
      'deployment-controller',
    );
    return updated;
  }

  private cleanupHistory(d: KObject, newRs: KObject | undefined): void {
    const limit = d.spec.revisionHistoryLimit ?? 10;
    const idle = this.owned('replicasets', d)
      .filter(
        (rs) =>
          rs !== newRs &&
          rs.metadata.uid !== newRs?.metadata.uid &&
          rs.spec.replicas === 0 &&
          (rs.status?.replicas ?? 0) === 0,
      )
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit)))
      this.store.delete('replicasets', rs.metadata.namespace, rs.metadata.name);
  }

  private updateDeploymentStatus(d: KObject, newRs: KObject | undefined, restarted: boolean): void {
    const fresh = this.store.get('deployments', d.metadata.namespace, d.metadata.name);
    if (!fresh) return;
    const sets = this.owned('replicasets', fresh);
    const current = newRs ? sets.find((rs) => rs.metadata.uid === newRs.metadata.uid) : undefined;
    const desired: number = fresh.spec.replicas ?? 1;
    const sum = (f: (rs: KObject) => number) => sets.reduce((n, rs) => n + f(rs), 0);
    const replicas = sum((rs) => rs.status?.replicas ?? 0);
    const updated = current?.status?.replicas ?? 0;
    const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
    const available = sum((rs) => rs.status?.availableReplicas ?? 0);
    const specTotal = sum((rs) => rs.spec.replicas);
    const now = Date.now();
    const old = replicas - updated;
    const key = fresh.metadata.uid;
    const previous = this.progress.get(key);
    const rsName = current?.metadata.name ?? '';
    let progress = previous;
    if (!previous || restarted || previous.newRs !== rsName) {
      progress = { lastProgressMs: now, updated, ready, available, old, newRs: rsName };
    } else if (
      updated > previous.updated ||
      ready > previous.ready ||
      available > previous.available ||
      old < previous.old
    ) {
      progress = { lastProgressMs: now, updated, ready, available, old, newRs: rsName };
    } else {
      progress = { ...previous, updated, ready, available, old };
    }
    this.progress.set(key, progress);

    const conditions: any[] = [...(fresh.status?.conditions ?? [])];
    const setCondition = (type: string, status: string, reason: string, message: string, touched: boolean) => {
      const at = conditions.findIndex((c) => c.type === type);
      const before = at >= 0 ? conditions[at] : undefined;
      const changed = !before || before.status !== status || before.reason !== reason;
      const next = {
        type,
        status,
        lastUpdateTime: changed || touched ? rfc3339(now) : before.lastUpdateTime,
        lastTransitionTime: !before || before.status !== status ? rfc3339(now) : before.lastTransitionTime,
        reason,
        message,
      };
      if (at >= 0) conditions[at] = next;
      else conditions.push(next);
    };
    const maxUnavailable =
      fresh.spec.strategy?.type === 'Recreate'
        ? desired
        : resolveIntOrPercent(fresh.spec.strategy?.rollingUpdate?.maxUnavailable ?? '25%', desired, false);
    if (available >= desired - maxUnavailable)
      setCondition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', false);
    else
      setCondition(
        'Available',
        'False',
        'MinimumReplicasUnavailable',
        'Deployment does not have minimum availability.',
        false,
      );

    const progressing = conditions.find((c) => c.type === 'Progressing');
    const complete =
      current !== undefined &&
      updated === desired &&
      replicas === desired &&
      available === desired &&
      current.spec.replicas === desired;
    if (fresh.spec.paused) {
      setCondition('Progressing', 'Unknown', 'DeploymentPaused', 'Deployment is paused', false);
    } else if (progressing?.reason === 'DeploymentPaused') {
      this.progress.set(key, { ...progress, lastProgressMs: now });
      setCondition('Progressing', 'True', 'DeploymentResumed', 'Deployment is resumed', true);
    } else if (complete) {
      setCondition(
        'Progressing',
        'True',
        'NewReplicaSetAvailable',
        `ReplicaSet "${rsName}" has successfully progressed.`,
        false,
      );
    } else if (restarted) {
      setCondition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${rsName}"`, true);
    } else if (progress.lastProgressMs === now && progress !== previous) {
      setCondition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`, true);
    } else if (
      progressing?.reason !== 'NewReplicaSetAvailable' &&
      now - progress.lastProgressMs > (fresh.spec.progressDeadlineSeconds ?? 600) * 1000
    ) {
      setCondition(
        'Progressing',
        'False',
        'ProgressDeadlineExceeded',
        `ReplicaSet "${rsName}" has timed out progressing.`,
        false,
      );
    } else if (progressing?.reason === 'NewReplicaSetAvailable' && !complete && current) {
      setCondition('Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`, true);
    }
    const status = {
      observedGeneration: fresh.metadata.generation,
      replicas,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
      unavailableReplicas: Math.max(0, specTotal - available),
      conditions,
    };
    for (const field of [
      'replicas',
      'updatedReplicas',
      'readyReplicas',
      'availableReplicas',
      'unavailableReplicas',
    ] as const)
      if ((status as any)[field] === 0) delete (status as any)[field];
    const annotations = { ...fresh.metadata.annotations };
    if (current) annotations[REVISION] = String(revisionOf(current));
    const next = { ...fresh, metadata: { ...fresh.metadata, annotations }, status };
    if (JSON.stringify(next) !== JSON.stringify(fresh)) this.store.update('deployments', next);
  }

  // ---- ReplicaSets -------------------------------------------------------------------------------

  private syncReplicaSet(rs: KObject): void {
    const pods = this.owned('pods', rs);
    const active = pods.filter((p) => !['Failed', 'Succeeded'].includes(p.status?.phase));
    const want: number = rs.spec.replicas ?? 1;
    if (active.length < want) {
      for (let i = active.length; i < want; i++) {
        const pod = this.createPod(rs, rs.spec.template, `${rs.metadata.name}-${randomSuffix()}`, this.pickNode(), {});
        this.recordEvent(
          rs,
          'Normal',
          'SuccessfulCreate',
          `Created pod: ${pod.metadata.name}`,
          'replicaset-controller',
        );
      }
    } else if (active.length > want) {
      const victims = [...active].sort(
        (a, b) => Number(isReady(a)) - Number(isReady(b)) || this.created(b) - this.created(a),
      );
      for (const pod of victims.slice(0, active.length - want)) {
        this.store.delete('pods', pod.metadata.namespace, pod.metadata.name);
        this.recordEvent(
          rs,
          'Normal',
          'SuccessfulDelete',
          `Deleted pod: ${pod.metadata.name}`,
          'replicaset-controller',
        );
      }
    }
    const now = this.owned('pods', rs).filter((p) => !['Failed', 'Succeeded'].includes(p.status?.phase));
    const ready = now.filter(isReady).length;
    const status = {
      replicas: now.length,
      fullyLabeledReplicas: now.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation,
    };
    const fresh = this.store.get('replicasets', rs.metadata.namespace, rs.metadata.name);
    if (fresh && JSON.stringify(fresh.status) !== JSON.stringify(status))
      this.store.update('replicasets', { ...fresh, status });
  }

  // ---- StatefulSets ------------------------------------------------------------------------------

  private syncStatefulSet(sts: KObject): void {
    const ns = sts.metadata.namespace;
    const name = sts.metadata.name;
    const update = this.revisionFor(sts, (hash) => `${name}-${hash}`);
    let currentName: string = sts.status?.currentRevision ?? update.metadata.name;
    if (!this.store.get('controllerrevisions', ns, currentName)) currentName = update.metadata.name;
    const replicas: number = sts.spec.replicas ?? 1;
    const rolling = (sts.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    const partition: number = rolling ? (sts.spec.updateStrategy?.rollingUpdate?.partition ?? 0) : 0;
    const monotonic = (sts.spec.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
    const podName = (i: number) => `${name}-${i}`;
    const podAt = (i: number) => {
      const pod = this.store.get('pods', ns, podName(i));
      return pod && this.controlledBy(pod, sts) ? pod : undefined;
    };

    let waiting = false;
    for (let i = 0; i < replicas && !waiting; i++) {
      let pod = podAt(i);
      if (pod && pod.status?.phase === 'Failed') {
        this.store.delete('pods', ns, pod.metadata.name);
        pod = undefined;
      }
      if (!pod) {
        const revisionName = rolling && i < partition ? currentName : update.metadata.name;
        const revision = this.store.get('controllerrevisions', ns, revisionName) ?? update;
        const template = templateOfRevision(revision);
        pod = this.createPod(sts, template, podName(i), this.pickNode(), {
          [REVISION_HASH]: revision.metadata.name,
          'statefulset.kubernetes.io/pod-name': podName(i),
          'apps.kubernetes.io/pod-index': String(i),
        });
        this.recordEvent(
          sts,
          'Normal',
          'SuccessfulCreate',
          `create Pod ${pod.metadata.name} in StatefulSet ${name} successful`,
          'statefulset-controller',
        );
      }
      // OrderedReady: the next ordinal (and any update) waits until this pod is running and ready.
      if (monotonic && !isReady(pod)) waiting = true;
    }
    if (!waiting) {
      for (const pod of this.owned('pods', sts)) {
        const ordinal = Number(pod.metadata.labels?.['apps.kubernetes.io/pod-index'] ?? -1);
        if (ordinal >= replicas) {
          this.store.delete('pods', ns, pod.metadata.name);
          this.recordEvent(
            sts,
            'Normal',
            'SuccessfulDelete',
            `delete Pod ${pod.metadata.name} in StatefulSet ${name} successful`,
            'statefulset-controller',
          );
          break;
        }
      }
    }
    if (!waiting && rolling) {
      for (let target = replicas - 1; target >= partition; target--) {
        const pod = podAt(target);
        if (!pod) break;
        if (pod.metadata.labels?.[REVISION_HASH] !== update.metadata.name) {
          this.store.delete('pods', ns, pod.metadata.name);
          this.recordEvent(
            sts,
            'Normal',
            'SuccessfulDelete',
            `delete Pod ${pod.metadata.name} in StatefulSet ${name} successful`,
            'statefulset-controller',
          );
          break;
        }
        if (!isReady(pod)) break;
      }
    }

    const pods = this.owned('pods', sts);
    const updated = pods.filter((p) => p.metadata.labels?.[REVISION_HASH] === update.metadata.name).length;
    const ready = pods.filter(isReady).length;
    if (updated === replicas && pods.length === replicas) currentName = update.metadata.name;
    const status = {
      observedGeneration: sts.metadata.generation,
      replicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
      currentReplicas: pods.filter((p) => p.metadata.labels?.[REVISION_HASH] === currentName).length,
      updatedReplicas: updated,
      currentRevision: currentName,
      updateRevision: update.metadata.name,
      collisionCount: 0,
    };
    const fresh = this.store.get('statefulsets', ns, name);
    if (fresh && JSON.stringify(fresh.status) !== JSON.stringify(status))
      this.store.update('statefulsets', { ...fresh, status });
    this.cleanupRevisions(sts, [currentName, update.metadata.name]);
  }

  // ---- DaemonSets --------------------------------------------------------------------------------

  private syncDaemonSet(ds: KObject): void {
    const ns = ds.metadata.namespace;
    const update = this.revisionFor(ds, (hash) => `${ds.metadata.name}-${hash}`);
    const hash = update.metadata.labels[REVISION_HASH];
    const rolling = (ds.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
    const maxUnavailable = rolling
      ? Math.max(
          1,
          resolveIntOrPercent(ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1, this.nodes.length, true),
        )
      : 0;
    const byNode = new Map<string, KObject[]>();
    for (const pod of this.owned('pods', ds)) {
      if (pod.status?.phase === 'Failed') {
        this.store.delete('pods', ns, pod.metadata.name);
        continue;
      }
      byNode.set(pod.spec.nodeName, [...(byNode.get(pod.spec.nodeName) ?? []), pod]);
    }
    for (const node of this.nodes) {
      if ((byNode.get(node) ?? []).length > 0) continue;
      const pod = this.createPod(ds, templateOfRevision(update), `${ds.metadata.name}-${randomSuffix()}`, node, {
        [REVISION_HASH]: hash,
        'pod-template-generation': String(ds.metadata.generation ?? 1),
      });
      byNode.set(node, [pod]);
      this.recordEvent(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, 'daemonset-controller');
    }
    if (rolling) {
      let unavailable = this.nodes.filter((n) => !(byNode.get(n) ?? []).some(isReady)).length;
      for (const node of this.nodes) {
        for (const pod of byNode.get(node) ?? []) {
          if (pod.metadata.labels?.[REVISION_HASH] === hash) continue;
          // Old pods that are not available go at once; available ones within maxUnavailable.
          if (!isReady(pod)) this.store.delete('pods', ns, pod.metadata.name);
          else if (unavailable < maxUnavailable) {
            this.store.delete('pods', ns, pod.metadata.name);
            unavailable++;
          }
        }
      }
    }
    const pods = this.owned('pods', ds);
    const available = this.nodes.filter((n) => pods.some((p) => p.spec.nodeName === n && isReady(p))).length;
    const status = {
      observedGeneration: ds.metadata.generation,
      desiredNumberScheduled: this.nodes.length,
      currentNumberScheduled: this.nodes.filter((n) => pods.some((p) => p.spec.nodeName === n)).length,
      numberMisscheduled: 0,
      numberReady: pods.filter(isReady).length,
      numberAvailable: available,
      numberUnavailable: this.nodes.length - available,
      updatedNumberScheduled: this.nodes.filter((n) =>
        pods.some((p) => p.spec.nodeName === n && p.metadata.labels?.[REVISION_HASH] === hash),
      ).length,
    };
    const fresh = this.store.get('daemonsets', ns, ds.metadata.name);
    if (fresh && JSON.stringify(fresh.status) !== JSON.stringify(status))
      this.store.update('daemonsets', { ...fresh, status });
    this.cleanupRevisions(ds, [update.metadata.name]);
  }

  /** The ControllerRevision holding the workload's current template: reused (and renumbered) or created. */
  private revisionFor(owner: KObject, nameFor: (hash: string) => string): KObject {
    const ns = owner.metadata.namespace;
    const revisions = this.owned('controllerrevisions', owner);
    const template = owner.spec.template;
    const max = Math.max(0, ...revisions.map((r) => Number(r.revision ?? 0)));
    const existing = revisions.find((r) => sameTemplate(templateOfRevision(r), template));
    if (existing) {
      if (Number(existing.revision) < max)
        return this.store.update('controllerrevisions', { ...existing, revision: max + 1 });
      return existing;
    }
    const hash = templateHash(template);
    return this.store.create('controllerrevisions', {
      metadata: {
        name: nameFor(hash),
        namespace: ns,
        labels: { ...template.metadata?.labels, [REVISION_HASH]: hash },
        ownerReferences: [ownerReference(owner)],
      },
      data: { spec: { template: { ...clone(template), $patch: 'replace' } } },
      revision: max + 1,
    });
  }

  private cleanupRevisions(owner: KObject, keep: string[]): void {
    const limit = owner.spec.revisionHistoryLimit ?? 10;
    const old = this.owned('controllerrevisions', owner)
      .filter((r) => !keep.includes(r.metadata.name))
      .sort((a, b) => Number(a.revision) - Number(b.revision));
    for (const r of old.slice(0, Math.max(0, old.length - limit)))
      this.store.delete('controllerrevisions', r.metadata.namespace, r.metadata.name);
  }

  // ---- Pods and the kubelet ----------------------------------------------------------------------

  private createPod(
    owner: KObject,
    template: any,
    name: string,
    node: string,
    extraLabels: Record<string, string>,
  ): KObject {
    const pod = this.store.create('pods', {
      metadata: {
        name,
        namespace: owner.metadata.namespace,
        labels: { ...template.metadata?.labels, ...extraLabels },
        annotations: { ...template.metadata?.annotations },
        ownerReferences: [ownerReference(owner)],
      },
      spec: { ...clone(template.spec), nodeName: node },
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: rfc3339(Date.now()) }],
      },
    });
    this.recordEvent(
      pod,
      'Normal',
      'Scheduled',
      `Successfully assigned ${pod.metadata.namespace}/${name} to ${node}`,
      'default-scheduler',
    );
    return pod;
  }

  private pickNode(): string {
    const node = this.nodes[this.nextNode % this.nodes.length] as string;
    this.nextNode++;
    return node;
  }

  private views(pod: KObject): { container: any; behaviour: Behaviour; view: ContainerView }[] {
    const created = this.created(pod);
    const age = Date.now() - created;
    return (pod.spec.containers ?? []).map((container: any) => {
      const behaviour = behaviourOf(container, pod.metadata.annotations, this.timing);
      return { container, behaviour, view: containerView(behaviour, age, created, this.timing) };
    });
  }

  private syncPod(pod: KObject): void {
    if (pod.status?.phase === 'Failed') return;
    const views = this.views(pod);
    const now = Date.now();
    const failed = views.some((v) => v.view.podPhase === 'Failed');
    const allReady = views.length > 0 && views.every((v) => v.view.ready);
    const phase = failed ? 'Failed' : views.some((v) => v.view.podPhase === 'Running') ? 'Running' : 'Pending';
    const started = views.some((v) => v.view.started);
    const created = this.created(pod);
    const at = (ms: number) => rfc3339(ms);
    const status: any = {
      phase,
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: at(created) },
        { type: 'Initialized', status: 'True', lastTransitionTime: at(created) },
        { type: 'ContainersReady', status: allReady ? 'True' : 'False', lastTransitionTime: at(created) },
        { type: 'Ready', status: allReady ? 'True' : 'False', lastTransitionTime: at(created) },
      ],
      hostIP: '10.0.0.1',
      podIP: started ? `10.244.0.${(Math.abs(hashCode(pod.metadata.uid)) % 250) + 2}` : undefined,
      startTime: at(created),
      containerStatuses: views.map(({ container, view }) => ({
        name: container.name,
        image: container.image,
        imageID: view.started ? `docker.io/library/${container.image}@sha256:${'0'.repeat(64)}` : '',
        containerID: view.started
          ? `containerd://${pod.metadata.uid}-${container.name}-${view.restartCount}`
          : undefined,
        ready: view.ready,
        started: view.state.running !== undefined,
        restartCount: view.restartCount,
        state: view.state,
        lastState: view.lastState,
      })),
    };
    if (failed) {
      status.reason = 'Evicted';
      status.message = 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 12Mi.';
    }
    if (JSON.stringify(pod.status) !== JSON.stringify(JSON.parse(JSON.stringify(status))))
      this.store.update('pods', { ...pod, status: JSON.parse(JSON.stringify(status)) });
    for (const { container, view } of views) this.containerEvents(pod, container, view, now);
    if (failed) this.recordEvent(pod, 'Warning', 'Evicted', status.message, 'kubelet');
  }

  private containerEvents(pod: KObject, container: any, view: ContainerView, now: number): void {
    const key = `${pod.metadata.uid}/${container.name}`;
    const before = this.signatures.get(key);
    if (before === view.signature) {
      if (view.signature === 'running:false' && view.state.running) {
        const last = Number(this.signatures.get(`${key}/unhealthy`) ?? 0);
        if (now - last > 2000) {
          this.signatures.set(`${key}/unhealthy`, String(now));
          this.recordEvent(
            pod,
            'Warning',
            'Unhealthy',
            'Readiness probe failed: HTTP probe failed with statuscode: 503',
            'kubelet',
            container.name,
          );
        }
      }
      return;
    }
    this.signatures.set(key, view.signature);
    const image = container.image;
    const event = (type: string, reason: string, message: string) =>
      this.recordEvent(pod, type, reason, message, 'kubelet', container.name);
    const kind = view.signature.split(':')[0];
    switch (kind) {
      case 'creating':
        event('Normal', 'Pulling', `Pulling image "${image}"`);
        break;
      case 'running':
      case 'run':
        if (!before?.startsWith('running') && !before?.startsWith('run:')) {
          if (view.restartCount === 0) event('Normal', 'Pulled', `Successfully pulled image "${image}"`);
          event('Normal', 'Created', `Created container ${container.name}`);
          event('Normal', 'Started', `Started container ${container.name}`);
        }
        break;
      case 'exited':
        break;
      case 'backoff':
        event(
          'Warning',
          'BackOff',
          `Back-off restarting failed container ${container.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
        );
        break;
      case 'pull-error':
        event('Warning', 'Failed', `Failed to pull image "${image}": ${PULL_NOT_FOUND}`);
        event('Warning', 'Failed', 'Error: ErrImagePull');
        break;
      case 'pull-backoff':
        event('Normal', 'BackOff', `Back-off pulling image "${image}"`);
        event('Warning', 'Failed', 'Error: ImagePullBackOff');
        break;
      case 'config-error':
        event('Warning', 'Failed', `Error: ${view.state.waiting.message}`);
        break;
    }
    if (view.state.terminated?.reason === 'ContainerCannotRun')
      event('Warning', 'Failed', `Error: ${view.state.terminated.message}`);
  }

  podLog(pod: KObject, options: { container?: string; previous: boolean; tailLines?: number }): string {
    const views = this.views(pod);
    let chosen = options.container ? views.find((v) => v.container.name === options.container) : undefined;
    if (!options.container) {
      const fallback = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
      if (views.length === 1) chosen = views[0];
      else if (fallback) chosen = views.find((v) => v.container.name === fallback);
      else
        throw new ApiError(
          400,
          'BadRequest',
          `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${views.map((v) => v.container.name).join(' ')}]`,
        );
    }
    if (!chosen)
      throw new ApiError(400, 'BadRequest', `container ${options.container} is not valid for pod ${pod.metadata.name}`);
    const { container, behaviour, view } = chosen;
    const name = container.name;
    let instance: number;
    if (options.previous) {
      // A running container's previous instance is the one before it; a container in back-off has none running.
      instance = view.state.running ? view.instances - 2 : view.instances - 1;
      if (instance < 0 || (view.restartCount === 0 && !view.state.terminated))
        throw new ApiError(
          400,
          'BadRequest',
          `previous terminated container "${name}" in pod "${pod.metadata.name}" not found`,
        );
    } else {
      if (view.instances === 0) {
        const reason = view.state.waiting?.reason ?? 'ContainerCreating';
        const why =
          reason === 'ErrImagePull' || reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
        throw new ApiError(
          400,
          'BadRequest',
          `container "${name}" in pod "${pod.metadata.name}" is waiting to start: ${why}`,
        );
      }
      instance = view.instances - 1;
    }
    const startedMs = this.created(pod) + this.timing.startMs;
    const lines = logLines(behaviour, name, container.image, instance, startedMs);
    const tail = options.tailLines !== undefined && options.tailLines >= 0 ? lines.slice(-options.tailLines) : lines;
    return tail.length ? `${tail.join('\n')}\n` : '';
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private recordEvent(
    involved: KObject,
    type: string,
    reason: string,
    message: string,
    component: string,
    container?: string,
  ): void {
    const ns = involved.metadata.namespace ?? 'default';
    const key = `${involved.metadata.uid}/${reason}/${message}`;
    const now = rfc3339(Date.now());
    const existingName = this.events.get(key);
    const existing = existingName ? this.store.get('events', ns, existingName) : undefined;
    if (existing) {
      this.store.update('events', { ...existing, count: (existing.count ?? 1) + 1, lastTimestamp: now });
      return;
    }
    const name = `${involved.metadata.name}.${randomBytes(8).toString('hex')}`;
    this.events.set(key, name);
    this.store.create('events', {
      metadata: { name, namespace: ns },
      involvedObject: {
        kind: involved.kind,
        namespace: ns,
        name: involved.metadata.name,
        uid: involved.metadata.uid,
        apiVersion: involved.apiVersion,
        resourceVersion: involved.metadata.resourceVersion,
        ...(container ? { fieldPath: `spec.containers{${container}}` } : {}),
      },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component, ...(component === 'kubelet' ? { host: involved.spec?.nodeName } : {}) },
      reportingComponent: component,
      reportingInstance: component === 'kubelet' ? (involved.spec?.nodeName ?? '') : '',
    });
  }

  private owned(resource: string, owner: KObject): KObject[] {
    return this.store.list(resource, owner.metadata.namespace).filter((o) => this.controlledBy(o, owner));
  }

  private controlledBy(object: KObject, owner: KObject): boolean {
    return (object.metadata.ownerReferences ?? []).some((r: any) => r.controller && r.uid === owner.metadata.uid);
  }

  private created(object: KObject): number {
    return this.store.createdAt.get(object.metadata.uid) ?? Date.parse(object.metadata.creationTimestamp);
  }
}

function ownerReference(owner: KObject): object {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

function copiedAnnotations(d: KObject): Record<string, string> {
  return Object.fromEntries(Object.entries(d.metadata.annotations ?? {}).filter(([k]) => !NOT_COPIED.has(k))) as Record<
    string,
    string
  >;
}

function revisionOf(rs: KObject): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? 0);
}

export function isReady(pod: KObject | undefined): boolean {
  return (
    !!pod &&
    pod.status?.phase === 'Running' &&
    (pod.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True')
  );
}

function templateOfRevision(revision: KObject): any {
  const { $patch: _patch, ...template } = revision.data?.spec?.template ?? {};
  return template;
}

function withoutLabel(template: any, label: string): any {
  const copy = clone(template) ?? {};
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[label];
  }
  return copy;
}

/**
 * Templates compared as the API server would after decoding into typed structs: kubectl's typed
 * clients send `creationTimestamp: null` and `resources: {}`, which mean the same as leaving them out.
 */
function sameTemplate(a: unknown, b: unknown): boolean {
  return stableJson(semantic(a)) === stableJson(semantic(b));
}

function semantic(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? value.map(semantic) : undefined;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const s = semantic(v);
      if (s !== undefined && s !== null) out[k] = s;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value;
}

export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

function templateHash(template: unknown): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const digest = createHash('sha256')
    .update(stableJson(semantic(template)))
    .digest();
  return Array.from(digest.subarray(0, 10), (b) => alphabet[b % alphabet.length]).join('');
}

function resolveIntOrPercent(value: number | string, total: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return Number(value) || 0;
  const raw = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

function hashCode(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}
