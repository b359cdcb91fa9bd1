import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/core/logger.js';
import { run } from '../../src/kubectl-rollout/main.js';
import { findOnPath } from '../doubles/kube/kubectl.js';
import { type KubeSimulator, startKubeSimulator } from '../doubles/kube/server.js';
import { actionEnv } from '../health-check/action-env.js';
import { getJson, kubectlFor, templateVersion, type WorkloadSpec, writeManifests } from './fixtures.js';

/**
 * mode rollback and mode scale end to end, in-process, with the real kubectl against the local API server
 * (test/doubles/kube). The workloads are first deployed with mode apply, as the runbook's deploy would.
 * Always the simulator (the images are the simulator's behaviours), also when KUBECTL_ROLLOUT_REAL_CLUSTER is set.
 */
const kubectl = findOnPath('kubectl');
if (!kubectl) console.warn('kubectl-rollout modes: skipped — kubectl is not on PATH');

interface Step {
  ok: boolean;
  error: string | undefined;
  outputs: Record<string, string>;
  summary: string;
  log: string;
}

const POLICY = `version: 1
kubernetes:
  scaling:
    web:
      min: 1
      max: 4
    db:
      min: 1
      max: 3
`;

let sim: KubeSimulator;
beforeAll(async () => {
  sim = await startKubeSimulator({ timing: { tickMs: 50, startMs: 150, readyMs: 100 } });
});
afterAll(async () => {
  expect(sim.controllers.errors).toEqual([]);
  await sim?.stop();
});
afterEach(() => {
  process.exitCode = undefined;
});

let counter = 0;
async function namespace(label: string): Promise<string> {
  const ns = `${label}-${++counter}`;
  sim.createNamespace(ns);
  return ns;
}

async function step(ns: string, inputs: Record<string, string>, specs: readonly WorkloadSpec[] = []): Promise<Step> {
  const env = actionEnv(
    'kubectl-rollout',
    { namespace: ns, kubectl: kubectl as string, 'poll-interval': '200ms', timeout: '20s', ...inputs },
    sim.env,
  );
  if (specs.length) writeManifests(env.workspace, 'production', specs);
  mkdirSync(join(env.workspace, '.github'), { recursive: true });
  writeFileSync(join(env.workspace, '.github', 'runbook.yml'), POLICY);
  const log = memoryLogger();
  const result = await run({ env: env.env, log });
  return {
    ok: result.ok,
    error: result.error,
    outputs: env.outputs(),
    summary: env.summary(),
    log: log.lines.join('\n'),
  };
}

async function deploy(ns: string, specs: readonly WorkloadSpec[]): Promise<void> {
  const result = await step(ns, { manifests: 'k8s/production/' }, specs);
  expect(result.outputs.result, result.log).toBe('success');
}

type Workload = {
  spec: {
    replicas?: number;
    template: { spec: { containers: { image: string }[] } };
  };
  metadata: { annotations: Record<string, string> };
  status: { readyReplicas?: number; replicas?: number };
};

describe.skipIf(!kubectl).concurrent('kubectl-rollout mode rollback and mode scale', () => {
  it('rolls back to the previous revision after a good v1 → v2 deploy, verified, then forward again', async () => {
    const ns = await namespace('rb-prev');
    await deploy(ns, [{ name: 'web', image: 'web:1' }]);
    await deploy(ns, [{ name: 'web', image: 'web:2' }]);
    const back = await step(ns, { mode: 'rollback', workloads: 'deployment/web' });
    expect(back.ok, back.log).toBe(true);
    expect(back.outputs).toEqual({
      result: 'success',
      reason: '',
      'failed-workloads': '[]',
      'previous-revisions': JSON.stringify({ [`${ns}/deployment/web`]: 2 }),
      'rolled-back-to': JSON.stringify({ [`${ns}/deployment/web`]: 1 }),
    });
    expect(back.summary).toContain(
      `| deployment/web | ${ns} | 2 | 1 | rolled back: runs the pod template of revision 1`,
    );
    const web = await getJson<Workload>(kubectlFor(sim, kubectl as string, ns), 'deployment', 'web');
    expect(templateVersion(web)).toBe('web:1');
    expect(web.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
    expect(web.status.readyReplicas).toBe(2);
    // The previous revision of revision 3 (web:1) is revision 2 (web:2), not revision 1 again.
    const again = await step(ns, { mode: 'rollback', workloads: 'deployment/web' });
    expect(again.outputs['rolled-back-to'], again.log).toBe(JSON.stringify({ [`${ns}/deployment/web`]: 2 }));
    expect(templateVersion(await getJson<Workload>(kubectlFor(sim, kubectl as string, ns), 'deployment', 'web'))).toBe(
      'web:2',
    );
  });

  it('rolls back to a given revision; refuses one that is not in the history', async () => {
    const ns = await namespace('rb-to');
    for (const v of ['1', '2', '3']) await deploy(ns, [{ name: 'web', image: `web:${v}` }]);
    const missing = await step(ns, { mode: 'rollback', workloads: 'deployment/web', 'to-revision': '9' });
    expect(missing.ok).toBe(false);
    expect(missing.outputs).toMatchObject({ result: 'failed', reason: 'RevisionNotFound', 'rolled-back-to': '{}' });
    expect(missing.error).toContain(
      'deployment/web: revision 9 is not in the rollout history (revisions kept: 1, 2, 3) — nothing was changed',
    );
    const back = await step(ns, { mode: 'rollback', workloads: 'deployment/web', 'to-revision': '1' });
    expect(back.outputs, back.log).toMatchObject({
      result: 'success',
      'previous-revisions': JSON.stringify({ [`${ns}/deployment/web`]: 3 }),
      'rolled-back-to': JSON.stringify({ [`${ns}/deployment/web`]: 1 }),
    });
    expect(templateVersion(await getJson<Workload>(kubectlFor(sim, kubectl as string, ns), 'deployment', 'web'))).toBe(
      'web:1',
    );
  });

  it('refuses when there is no earlier revision, changing nothing', async () => {
    const ns = await namespace('rb-none');
    await deploy(ns, [{ name: 'web', image: 'web:1' }]);
    const refused = await step(ns, { mode: 'rollback', workloads: 'deployment/web' });
    expect(refused.ok).toBe(false);
    expect(refused.outputs).toMatchObject({
      result: 'failed',
      reason: 'NoEarlierRevision',
      'failed-workloads': JSON.stringify([`${ns}/deployment/web`]),
      'previous-revisions': JSON.stringify({ [`${ns}/deployment/web`]: 1 }),
    });
    expect(refused.error).toMatch(/no earlier revision with a different pod template .* — nothing was changed$/);
    const web = await getJson<Workload>(kubectlFor(sim, kubectl as string, ns), 'deployment', 'web');
    expect(web.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
  });

  it('refuses a paused Deployment, or resumes it with paused: resume', async () => {
    const ns = await namespace('rb-paused');
    await deploy(ns, [{ name: 'web', image: 'web:1' }]);
    await deploy(ns, [{ name: 'web', image: 'web:2' }]);
    await kubectlFor(sim, kubectl as string, ns)('rollout', 'pause', 'deployment/web');
    const refused = await step(ns, { mode: 'rollback', workloads: 'deployment/web' });
    expect(refused.outputs).toMatchObject({ result: 'failed', reason: 'DeploymentPaused' });
    expect(refused.error).toContain('deployment/web: is paused (kubectl rollout undo refuses paused Deployments)');
    expect(templateVersion(await getJson<Workload>(kubectlFor(sim, kubectl as string, ns), 'deployment', 'web'))).toBe(
      'web:2',
    );
    const resumed = await step(ns, { mode: 'rollback', workloads: 'deployment/web', paused: 'resume' });
    expect(resumed.outputs.result, resumed.log).toBe('success');
    expect(templateVersion(await getJson<Workload>(kubectlFor(sim, kubectl as string, ns), 'deployment', 'web'))).toBe(
      'web:1',
    );
  });

  it('rolls a StatefulSet and a DaemonSet back together through their ControllerRevisions', async () => {
    const ns = await namespace('rb-cr');
    const specs = (v: string): WorkloadSpec[] => [
      { kind: 'StatefulSet', name: 'db', image: `db:${v}` },
      { kind: 'DaemonSet', name: 'agent', image: `agent:${v}` },
    ];
    await deploy(ns, specs('1'));
    await deploy(ns, specs('2'));
    const back = await step(ns, { mode: 'rollback', workloads: 'statefulset/db, daemonset/agent' });
    expect(back.outputs, back.log).toMatchObject({
      result: 'success',
      'previous-revisions': JSON.stringify({ [`${ns}/statefulset/db`]: 2, [`${ns}/daemonset/agent`]: 2 }),
      'rolled-back-to': JSON.stringify({ [`${ns}/statefulset/db`]: 1, [`${ns}/daemonset/agent`]: 1 }),
    });
    const k = kubectlFor(sim, kubectl as string, ns);
    expect(templateVersion(await getJson<Workload>(k, 'statefulset', 'db'))).toBe('db:1');
    expect(templateVersion(await getJson<Workload>(k, 'daemonset', 'agent'))).toBe('agent:1');
    const pods = await getJson<{ items: { spec: { containers: { image: string }[] } }[] }>(k, 'pods', '-l', 'app=db');
    expect(pods.items.map((p) => p.spec.containers[0]?.image)).toEqual(['db:1', 'db:1']);
  });

  it('scales within the policy bounds and waits until the replicas are ready, up and down', async () => {
    const ns = await namespace('scale-ok');
    await deploy(ns, [{ name: 'web', image: 'web:1' }]);
    const up = await step(ns, { mode: 'scale', workloads: 'deployment/web', replicas: '4' });
    expect(up.ok, up.log).toBe(true);
    expect(up.outputs).toEqual({
      result: 'success',
      reason: '',
      'failed-workloads': '[]',
      'previous-replicas': JSON.stringify({ [`${ns}/deployment/web`]: 2 }),
    });
    expect(up.summary).toContain(`| deployment/web | ${ns} | 2 | 4 | 1–4 | scaled: 4 replicas ready |`);
    const k = kubectlFor(sim, kubectl as string, ns);
    const web = await getJson<Workload>(k, 'deployment', 'web');
    expect([web.spec.replicas, web.status.readyReplicas, web.status.replicas]).toEqual([4, 4, 4]);
    const down = await step(ns, { mode: 'scale', workloads: 'deployment/web', replicas: '1' });
    expect(down.outputs.result, down.log).toBe('success');
    const after = await getJson<Workload>(k, 'deployment', 'web');
    expect([after.spec.replicas, after.status.readyReplicas, after.status.replicas]).toEqual([1, 1, 1]);
  });

  it('scales a StatefulSet and waits for its new pods', async () => {
    const ns = await namespace('scale-sts');
    await deploy(ns, [{ kind: 'StatefulSet', name: 'db', image: 'db:1' }]);
    const up = await step(ns, { mode: 'scale', workloads: 'statefulset/db', replicas: '3' });
    expect(up.outputs, up.log).toMatchObject({
      result: 'success',
      'previous-replicas': JSON.stringify({ [`${ns}/statefulset/db`]: 2 }),
    });
    const pods = await getJson<{ items: { metadata: { name: string } }[] }>(
      kubectlFor(sim, kubectl as string, ns),
      'pods',
      '-l',
      'app=db',
    );
    expect(pods.items.map((p) => p.metadata.name).sort()).toEqual(['db-0', 'db-1', 'db-2']);
  });

  it('refuses a count outside the bounds and a workload without bounds, changing nothing', async () => {
    const ns = await namespace('scale-no');
    await deploy(ns, [
      { name: 'web', image: 'web:1' },
      { name: 'api', image: 'api:1' },
    ]);
    const outside = await step(ns, { mode: 'scale', workloads: 'deployment/web', replicas: '5' });
    expect(outside.ok).toBe(false);
    expect(outside.outputs).toMatchObject({ result: 'failed', reason: 'OutsideScalingBounds' });
    expect(outside.error).toContain(
      'deployment/web: 5 replicas for deployment/web is outside kubernetes.scaling.web (min 1, max 4) — nothing was changed',
    );
    const unbounded = await step(ns, { mode: 'scale', workloads: 'deployment/web, deployment/api', replicas: '3' });
    expect(unbounded.outputs).toMatchObject({
      result: 'failed',
      reason: 'NoScalingBounds',
      'failed-workloads': JSON.stringify([`${ns}/deployment/api`]),
    });
    expect(unbounded.error).toContain('add kubernetes.scaling.api: { min: <n>, max: <n> } to .github/runbook.yml');
    const k = kubectlFor(sim, kubectl as string, ns);
    expect((await getJson<Workload>(k, 'deployment', 'web')).spec.replicas).toBe(2);
    expect((await getJson<Workload>(k, 'deployment', 'api')).spec.replicas).toBe(2);
  });

  it('refuses a DaemonSet and inputs of another mode before running kubectl', async () => {
    const ns = await namespace('scale-ds');
    const ds = await step(ns, { mode: 'scale', workloads: 'daemonset/agent', replicas: '2' });
    expect(ds.ok).toBe(false);
    expect(ds.outputs).toEqual({});
    expect(ds.error).toBe(
      'kubectl-rollout: invalid configuration — input "workloads" (got "daemonset/agent"): a DaemonSet runs one pod per node and cannot be scaled: use deployment/<name> or statefulset/<name>. Fix the step\'s inputs (see actions/kubectl-rollout/README.md).',
    );
    const mixed = await step(ns, { manifests: 'k8s/production/', replicas: '3' });
    expect(mixed.error).toContain('input "replicas" (got "3"): only applies to mode scale, not mode apply');
    const missing = await step(ns, { mode: 'rollback' });
    expect(missing.error).toContain('input "workloads": is required with mode rollback');
  });
});
