import { describe, expect, it } from 'vitest';
import { semanticJson } from '../../src/kubectl-rollout/detect.js';
import { modeIssues } from '../../src/kubectl-rollout/main.js';
import {
  checkScalingBounds,
  chooseTarget,
  parseWorkloadName,
  revisionHistory,
} from '../../src/kubectl-rollout/targets.js';
import type { Snapshot, WorkloadObject } from '../../src/kubectl-rollout/types.js';

const template = (image: string) => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'app', image }] },
});
const t = (image: string) => semanticJson(template(image));

describe('parseWorkloadName', () => {
  it('takes deployment/, statefulset/ and daemonset/ with a DNS-1123 name', () => {
    expect(parseWorkloadName('deployment/api-gateway')).toEqual({ kind: 'Deployment', name: 'api-gateway' });
    expect(parseWorkloadName('statefulset/db.primary')).toEqual({ kind: 'StatefulSet', name: 'db.primary' });
    expect(parseWorkloadName('daemonset/agent')).toEqual({ kind: 'DaemonSet', name: 'agent' });
  });

  it('says what is wrong with anything else', () => {
    expect(parseWorkloadName('api-gateway')).toMatch(/^expected kind\/name/);
    expect(parseWorkloadName('pod/api')).toBe('kind "pod" is not one of deployment, statefulset, daemonset');
    expect(parseWorkloadName('deployment/Api_Gateway')).toMatch(/^name "Api_Gateway" must be a DNS-1123 subdomain/);
    expect(parseWorkloadName(`deployment/${'a'.repeat(254)}`)).toMatch(/must be at most 253 characters/);
  });
});

describe('chooseTarget', () => {
  const history = [
    { revision: 1, template: t('web:1') },
    { revision: 2, template: t('web:2') },
    { revision: 4, template: t('web:3') },
  ];

  it('without to-revision: the highest earlier revision with a different template', () => {
    expect(chooseTarget(history, { revision: 4, template: t('web:3') })).toEqual({
      ok: true,
      revision: 2,
      template: t('web:2'),
    });
  });

  it('skips earlier revisions that run the current template (where undo would stop)', () => {
    // Revision 3 was the same template as the current one (e.g. re-created): not a rollback target.
    const withSame = [...history, { revision: 3, template: t('web:3') }].sort((a, b) => a.revision - b.revision);
    expect(chooseTarget(withSame, { revision: 4, template: t('web:3') })).toMatchObject({ ok: true, revision: 2 });
  });

  it('refuses when there is no earlier revision, or the current one is unknown', () => {
    expect(chooseTarget([{ revision: 1, template: t('web:1') }], { revision: 1, template: t('web:1') })).toEqual({
      ok: false,
      reason: 'NoEarlierRevision',
      message:
        'no earlier revision with a different pod template to roll back to (current revision 1; revisions kept: 1)',
    });
    expect(chooseTarget(history, { revision: undefined, template: t('web:3') })).toMatchObject({
      ok: false,
      reason: 'NoEarlierRevision',
    });
  });

  it('with to-revision: that revision, if it is kept and differs from the current template', () => {
    expect(chooseTarget(history, { revision: 4, template: t('web:3') }, 1)).toMatchObject({ ok: true, revision: 1 });
    expect(chooseTarget(history, { revision: 4, template: t('web:3') }, 3)).toEqual({
      ok: false,
      reason: 'RevisionNotFound',
      message: 'revision 3 is not in the rollout history (revisions kept: 1, 2, 4)',
    });
    expect(chooseTarget(history, { revision: 4, template: t('web:3') }, 4)).toMatchObject({
      ok: false,
      reason: 'AlreadyAtRevision',
    });
  });
});

describe('revisionHistory', () => {
  const owner: WorkloadObject = { kind: 'Deployment', metadata: { name: 'web', uid: 'd1' }, spec: {} };
  const owned = { ownerReferences: [{ kind: 'Deployment', name: 'web', uid: 'd1', controller: true }] };

  it("reads a Deployment's ReplicaSets without their pod-template-hash label", () => {
    const rs = (revision: string, image: string, uid = 'd1'): WorkloadObject => {
      const tpl = template(image);
      return {
        kind: 'ReplicaSet',
        metadata: {
          name: `web-${revision}`,
          annotations: { 'deployment.kubernetes.io/revision': revision },
          ownerReferences: [{ kind: 'Deployment', name: 'web', uid, controller: true }],
        },
        spec: { template: { ...tpl, metadata: { labels: { ...tpl.metadata.labels, 'pod-template-hash': 'abc' } } } },
      };
    };
    const snapshot: Snapshot = {
      workloads: [owner],
      replicaSets: [rs('2', 'web:2'), rs('1', 'web:1'), rs('7', 'other:1', 'someone-else')],
      revisions: [],
      pods: [],
    };
    expect(revisionHistory(snapshot, owner)).toEqual([
      { revision: 1, template: t('web:1') },
      { revision: 2, template: t('web:2') },
    ]);
  });

  it("reads a StatefulSet's ControllerRevisions without $patch", () => {
    const sts: WorkloadObject = { ...owner, kind: 'StatefulSet' };
    const snapshot: Snapshot = {
      workloads: [sts],
      replicaSets: [],
      revisions: [
        {
          metadata: { name: 'db-b', ...owned },
          revision: 2,
          data: { spec: { template: { $patch: 'replace', ...template('db:2') } } },
        },
        {
          metadata: { name: 'db-a', ...owned },
          revision: 1,
          data: { spec: { template: { $patch: 'replace', ...template('db:1') } } },
        },
      ],
      pods: [],
    };
    expect(revisionHistory(snapshot, sts)).toEqual([
      { revision: 1, template: t('db:1') },
      { revision: 2, template: t('db:2') },
    ]);
  });
});

describe('checkScalingBounds', () => {
  const web = { kind: 'Deployment' as const, name: 'api-gateway' };
  const scaling = { 'api-gateway': { min: 2, max: 10 }, odd: { min: 5, max: 3 } };

  it('accepts a count within the bounds, both ends included', () => {
    expect(checkScalingBounds(web, 2, scaling, '.github/runbook.yml')).toEqual({
      ok: true,
      bounds: { min: 2, max: 10 },
    });
    expect(checkScalingBounds(web, 10, scaling, '.github/runbook.yml').ok).toBe(true);
  });

  it('refuses outside the bounds, naming the policy key and the bounds', () => {
    expect(checkScalingBounds(web, 11, scaling, '.github/runbook.yml')).toEqual({
      ok: false,
      reason: 'OutsideScalingBounds',
      message: '11 replicas for deployment/api-gateway is outside kubernetes.scaling.api-gateway (min 2, max 10)',
    });
    expect(checkScalingBounds(web, 1, scaling, '.github/runbook.yml')).toMatchObject({
      reason: 'OutsideScalingBounds',
    });
  });

  it('refuses a workload without bounds, saying which key to add', () => {
    expect(checkScalingBounds({ kind: 'StatefulSet', name: 'db' }, 3, scaling, 'ops/policy.yml')).toEqual({
      ok: false,
      reason: 'NoScalingBounds',
      message:
        'statefulset/db has no replica bounds in the policy: add kubernetes.scaling.db: { min: <n>, max: <n> } to ops/policy.yml (scaling is refused without bounds)',
    });
    // Not fooled by names of Object.prototype.
    expect(checkScalingBounds({ kind: 'Deployment', name: 'constructor' }, 1, scaling, 'p.yml').ok).toBe(false);
  });

  it('refuses bounds with min above max', () => {
    expect(checkScalingBounds({ kind: 'Deployment', name: 'odd' }, 4, scaling, 'p.yml')).toMatchObject({
      reason: 'InvalidScalingBounds',
      message: 'kubernetes.scaling.odd in p.yml has min 5 above max 3',
    });
  });
});

describe('modeIssues', () => {
  const fields = (issues: ReturnType<typeof modeIssues>) => issues.map((i) => `${i.field}: ${i.message}`);

  it('requires the inputs of each mode, naming the input and the mode', () => {
    expect(fields(modeIssues('apply', {}))).toEqual(['input "manifests": is required with mode apply']);
    expect(fields(modeIssues('rollback', {}))).toEqual(['input "workloads": is required with mode rollback']);
    expect(fields(modeIssues('scale', { workloads: 'deployment/web' }))).toEqual([
      'input "replicas": is required with mode scale',
    ]);
  });

  it('refuses inputs of another mode', () => {
    expect(fields(modeIssues('apply', { manifests: 'k8s/', replicas: '3', 'to-revision': '2' }))).toEqual([
      'input "to-revision": only applies to mode rollback, not mode apply: remove it',
      'input "replicas": only applies to mode scale, not mode apply: remove it',
    ]);
    expect(
      fields(modeIssues('rollback', { workloads: 'deployment/web', manifests: 'k8s/', 'dry-run': 'server' })),
    ).toEqual([
      'input "manifests": only applies to mode apply, not mode rollback: remove it',
      'input "dry-run": dry-run: server only applies to mode apply, not mode rollback',
    ]);
    expect(fields(modeIssues('scale', { workloads: 'deployment/web', replicas: '2', paused: 'resume' }))).toEqual([
      'input "paused": paused: resume only applies to mode apply or rollback, not mode scale',
    ]);
    // The defaults action.yml fills in are not "given".
    expect(
      modeIssues('scale', { workloads: 'deployment/web', replicas: '2', paused: 'fail', 'dry-run': 'none' }),
    ).toEqual([]);
  });

  it('to-revision only with exactly one workload; no DaemonSet in scale; no workload twice', () => {
    expect(fields(modeIssues('rollback', { workloads: 'deployment/a, deployment/b', 'to-revision': '3' }))).toEqual([
      'input "to-revision": applies to exactly one workload (revision numbers are per workload); 2 given in input "workloads"',
    ]);
    expect(modeIssues('rollback', { workloads: 'deployment/a', 'to-revision': '3' })).toEqual([]);
    expect(fields(modeIssues('scale', { workloads: 'daemonset/agent', replicas: '2' }))).toEqual([
      'input "workloads": a DaemonSet runs one pod per node and cannot be scaled: use deployment/<name> or statefulset/<name>',
    ]);
    expect(fields(modeIssues('rollback', { workloads: 'deployment/a\ndeployment/a' }))).toEqual([
      'input "workloads": is listed twice',
    ]);
  });
});
