import { describe, expect, it } from 'vitest';
import {
  type DetectionRules,
  evaluateWorkload,
  type PullTracker,
  podProblems,
  podsToDelete,
  progressVerdict,
  semanticJson,
} from '../../src/kubectl-rollout/detect.js';
import type { ContainerStatus, Pod, Snapshot, WorkloadObject } from '../../src/kubectl-rollout/types.js';

const rules: DetectionRules = { restartLimit: 3, imagePullGraceMs: 60_000 };
const T0 = Date.parse('2026-11-26T10:00:00Z');

function pod(name: string, container: Partial<ContainerStatus>, extra: Partial<Pod> = {}): Pod {
  return {
    metadata: {
      name,
      ownerReferences: [{ kind: 'ReplicaSet', name: 'web-new', uid: 'rs-new', controller: true }],
      ...extra.metadata,
    },
    status: {
      phase: 'Running',
      containerStatuses: [{ name: 'app', image: 'web:2', restartCount: 0, ...container }],
      ...extra.status,
    },
  };
}

const problem = (p: Pod, now = T0, pulls: PullTracker = new Map()) => podProblems(p, rules, now, pulls)[0];

describe('pod problems (fail-fast rules)', () => {
  it('fails fast on CrashLoopBackOff, with the restarts and the last exit code', () => {
    const found = problem(
      pod('a', {
        restartCount: 1,
        state: { waiting: { reason: 'CrashLoopBackOff' } },
        lastState: { terminated: { exitCode: 1 } },
      }),
    );
    expect(found).toMatchObject({ reason: 'CrashLoopBackOff', container: 'app', restartCount: 1 });
    expect(found?.message).toBe('container app is crash-looping (1 restart, last exit code 1)');
  });

  it('fails fast on an image that does not exist, in ErrImagePull or (kubelet ≥ 1.31) ImagePullBackOff', () => {
    const message =
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/web:9": not found';
    expect(problem(pod('a', { state: { waiting: { reason: 'ErrImagePull', message } } }))?.reason).toBe('ErrImagePull');
    expect(
      problem(
        pod('a', {
          state: {
            waiting: {
              reason: 'ImagePullBackOff',
              message: `Back-off pulling image "web:9": ErrImagePull: ${message}`,
            },
          },
        }),
      )?.reason,
    ).toBe('ErrImagePull');
    expect(
      problem(
        pod('a', {
          state: { waiting: { reason: 'ErrImagePull', message: 'pull access denied, repository does not exist' } },
        }),
      )?.reason,
    ).toBe('ErrImagePull');
  });

  it('gives ImagePullBackOff without "not found" a grace period, counted from when it was first seen', () => {
    const pulls: PullTracker = new Map();
    const flapping = pod('a', {
      state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "web:2"' } },
    });
    expect(problem(flapping, T0, pulls)).toBeUndefined();
    expect(problem(flapping, T0 + 59_000, pulls)).toBeUndefined();
    expect(problem(flapping, T0 + 60_000, pulls)).toMatchObject({ reason: 'ImagePullBackOff' });
    // Once the pull succeeds the clock starts again.
    problem(pod('a', { state: { running: {} } }), T0 + 61_000, pulls);
    expect(problem(flapping, T0 + 62_000, pulls)).toBeUndefined();
  });

  it('fails fast on CreateContainerConfigError, ContainerCannotRun (now or last time) and InvalidImageName', () => {
    expect(
      problem(
        pod('a', { state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "db" not found' } } }),
      ),
    ).toMatchObject({
      reason: 'CreateContainerConfigError',
      message: 'container app: CreateContainerConfigError: secret "db" not found',
    });
    expect(
      problem(pod('a', { state: { terminated: { reason: 'ContainerCannotRun', message: 'exec: "/app": not found' } } }))
        ?.reason,
    ).toBe('ContainerCannotRun');
    expect(
      problem(
        pod('a', {
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { reason: 'ContainerCannotRun' } },
        }),
      )?.reason,
    ).toBe('ContainerCannotRun');
    expect(problem(pod('a', { state: { waiting: { reason: 'InvalidImageName' } } }))?.reason).toBe('InvalidImageName');
    // containerd's wording of the same failure
    expect(
      problem(
        pod('a', {
          restartCount: 1,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { reason: 'StartError', exitCode: 128 } },
        }),
      )?.reason,
    ).toBe('ContainerCannotRun');
  });

  it('fails on a failed pod, and on restarts reaching the limit even while the container runs', () => {
    expect(
      problem(pod('a', {}, { status: { phase: 'Failed', reason: 'Evicted', message: 'low on memory' } })),
    ).toMatchObject({
      reason: 'PodFailed',
      message: 'pod a failed (Evicted): low on memory',
    });
    expect(problem(pod('a', { restartCount: 2, state: { running: {} } }))).toBeUndefined();
    expect(problem(pod('a', { restartCount: 3, state: { running: {} } }))).toMatchObject({ reason: 'RestartLimit' });
  });

  it('looks at init containers too, and leaves healthy and starting pods alone', () => {
    const init = pod(
      'a',
      {},
      {
        status: {
          phase: 'Pending',
          initContainerStatuses: [{ name: 'migrate', state: { waiting: { reason: 'CrashLoopBackOff' } } }],
        },
      },
    );
    expect(problem(init)).toMatchObject({ reason: 'CrashLoopBackOff', container: 'migrate' });
    expect(problem(pod('a', { state: { waiting: { reason: 'ContainerCreating' } } }))).toBeUndefined();
    expect(problem(pod('a', { ready: true, state: { running: {} } }))).toBeUndefined();
  });
});

function deployment(
  status: WorkloadObject['status'],
  spec: WorkloadObject['spec'] = {},
  revision = '2',
): WorkloadObject {
  return {
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'prod',
      uid: 'd1',
      generation: 2,
      annotations: { 'deployment.kubernetes.io/revision': revision },
    },
    spec: { replicas: 2, ...spec },
    status: { observedGeneration: 2, ...status },
  };
}

function snapshot(workload: WorkloadObject, pods: Pod[] = []): Snapshot {
  return {
    workloads: [workload],
    replicaSets: [
      {
        kind: 'ReplicaSet',
        metadata: {
          name: 'web-old',
          uid: 'rs-old',
          annotations: { 'deployment.kubernetes.io/revision': '1' },
          ownerReferences: [{ kind: 'Deployment', name: 'web', uid: 'd1', controller: true }],
        },
      },
      {
        kind: 'ReplicaSet',
        metadata: {
          name: 'web-new',
          uid: 'rs-new',
          annotations: { 'deployment.kubernetes.io/revision': '2' },
          ownerReferences: [{ kind: 'Deployment', name: 'web', uid: 'd1', controller: true }],
        },
      },
    ],
    revisions: [],
    pods,
  };
}

const ref = { kind: 'Deployment' as const, namespace: 'prod', name: 'web' };

describe('workload verdicts', () => {
  it('waits until the controller has observed the new generation', () => {
    const result = evaluateWorkload(snapshot(deployment({ observedGeneration: 1 })), ref, rules, T0, new Map());
    expect(result.verdict).toEqual({ state: 'waiting', message: 'waiting for the controller to observe the new spec' });
    expect(result.revision).toBeUndefined();
  });

  it('judges only the pods of the new revision: an old crashing pod does not fail the rollout', () => {
    const oldCrashing = pod(
      'web-old-x',
      { state: { waiting: { reason: 'CrashLoopBackOff' } } },
      {
        metadata: {
          name: 'web-old-x',
          ownerReferences: [{ kind: 'ReplicaSet', name: 'web-old', uid: 'rs-old', controller: true }],
        },
      },
    );
    const result = evaluateWorkload(
      snapshot(deployment({ replicas: 3, updatedReplicas: 1 }), [oldCrashing]),
      ref,
      rules,
      T0,
      new Map(),
    );
    expect(result.verdict.state).toBe('waiting');
    expect(result.revision).toBe(2);
    const newCrashing = pod('web-new-x', { state: { waiting: { reason: 'CrashLoopBackOff' } } });
    const failed = evaluateWorkload(
      snapshot(deployment({ replicas: 3, updatedReplicas: 1 }), [newCrashing]),
      ref,
      rules,
      T0,
      new Map(),
    );
    expect(failed.verdict).toMatchObject({ state: 'failed', reason: 'CrashLoopBackOff' });
  });

  it('reports ProgressDeadlineExceeded from the Progressing condition', () => {
    const stuck = deployment({
      conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }],
    });
    expect(evaluateWorkload(snapshot(stuck), ref, rules, T0, new Map()).verdict).toMatchObject({
      state: 'failed',
      reason: 'ProgressDeadlineExceeded',
      message: 'deployment "web" exceeded its progress deadline',
    });
  });

  it('judges completion like kubectl rollout status', () => {
    expect(progressVerdict(deployment({ replicas: 2, updatedReplicas: 1, availableReplicas: 2 }), []).state).toBe(
      'waiting',
    );
    expect(progressVerdict(deployment({ replicas: 3, updatedReplicas: 2, availableReplicas: 2 }), [])).toEqual({
      state: 'waiting',
      message: '1 old replicas pending termination',
    });
    expect(progressVerdict(deployment({ replicas: 2, updatedReplicas: 2, availableReplicas: 1 }), []).state).toBe(
      'waiting',
    );
    expect(progressVerdict(deployment({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 }), []).state).toBe(
      'complete',
    );
    expect(
      progressVerdict(deployment({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 }, { paused: true }), []),
    ).toEqual({ state: 'waiting', message: 'paused' });
    const ds: WorkloadObject = {
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      status: { desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2 },
    };
    expect(progressVerdict(ds, []).state).toBe('waiting');
  });
});

describe('pods the action deletes', () => {
  const sts = (strategy: string, updateRevision = 'db-new'): WorkloadObject => ({
    kind: 'StatefulSet',
    metadata: { name: 'db', uid: 's1' },
    spec: { replicas: 2, updateStrategy: { type: strategy } },
    status: { updateRevision },
  });
  const stsPod = (name: string, revision: string, ready: boolean): Pod => ({
    metadata: {
      name,
      labels: { 'controller-revision-hash': revision },
      ownerReferences: [{ kind: 'StatefulSet', name: 'db', uid: 's1', controller: true }],
    },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });
  const snap = (w: WorkloadObject, pods: Pod[]): Snapshot => ({ workloads: [w], replicaSets: [], revisions: [], pods });

  it('OnDelete: one old pod at a time, highest ordinal first, only while all pods are ready', () => {
    expect(
      podsToDelete(
        snap(sts('OnDelete'), [stsPod('db-0', 'db-old', true), stsPod('db-1', 'db-old', true)]),
        sts('OnDelete'),
      ),
    ).toEqual(['db-1']);
    expect(
      podsToDelete(
        snap(sts('OnDelete'), [stsPod('db-0', 'db-old', true), stsPod('db-1', 'db-new', false)]),
        sts('OnDelete'),
      ),
    ).toEqual([]);
    expect(
      podsToDelete(
        snap(sts('OnDelete'), [stsPod('db-0', 'db-new', true), stsPod('db-1', 'db-new', true)]),
        sts('OnDelete'),
      ),
    ).toEqual([]);
  });

  it('RollingUpdate: only broken pods of a superseded revision, which the controller would wait on forever', () => {
    expect(
      podsToDelete(
        snap(sts('RollingUpdate'), [stsPod('db-0', 'db-new', true), stsPod('db-1', 'db-bad', false)]),
        sts('RollingUpdate'),
      ),
    ).toEqual(['db-1']);
    expect(
      podsToDelete(
        snap(sts('RollingUpdate'), [stsPod('db-0', 'db-old', true), stsPod('db-1', 'db-new', true)]),
        sts('RollingUpdate'),
      ),
    ).toEqual([]);
  });
});

describe('template comparison', () => {
  it('treats null, empty objects and empty lists as absent (typed clients add them), and key order as irrelevant', () => {
    const stored = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'web:1' }] } };
    const fromUndo = {
      spec: { containers: [{ resources: {}, image: 'web:1', name: 'app' }] },
      metadata: { creationTimestamp: null, labels: { app: 'web' } },
    };
    expect(semanticJson(fromUndo)).toBe(semanticJson(stored));
    expect(semanticJson({ ...stored, spec: { containers: [{ name: 'app', image: 'web:2' }] } })).not.toBe(
      semanticJson(stored),
    );
  });
});
