import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../doubles/kube/kubectl.js';
import { type KubeSimulator, startKubeSimulator } from '../doubles/kube/server.js';
import { repoRoot, runBundle } from '../support/bundle.js';
import { writeManifests } from './fixtures.js';

/** The committed bundle, run as the runner runs it, with the real kubectl against the kube simulator. */
const bundle = join(repoRoot, 'actions/kubectl-rollout/dist/index.js');
const kubectl = findOnPath('kubectl');
if (!kubectl) console.warn('kubectl-rollout bundle test: skipped — kubectl is not on PATH');

describe.skipIf(!existsSync(bundle) || !kubectl)('kubectl-rollout bundle', () => {
  let sim: KubeSimulator;
  beforeAll(async () => {
    sim = await startKubeSimulator();
    sim.createNamespace('bundle');
  });
  afterAll(() => sim?.stop());

  const step = async (image: string) => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const workspace = mkdtempSync(join(tmpdir(), 'kubectl-rollout-ws-'));
    writeManifests(workspace, 'production', [{ name: 'web', image }]);
    return runBundle('kubectl-rollout', {
      workspace,
      inputs: { manifests: 'k8s/production/', namespace: 'bundle', 'poll-interval': '250ms', timeout: '30s' },
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...sim.env },
      timeoutMs: 90_000,
    });
  };

  it('deploys, then rolls a crash-looping version back: exit 1, outputs, summary', async () => {
    const good = await step('web:1');
    expect(good.exitCode, good.stdout + good.stderr).toBe(0);
    expect(good.outputs).toMatchObject({ result: 'success', 'previous-revisions': '{"bundle/deployment/web":null}' });

    const bad = await step('web:crashloop');
    expect(bad.exitCode).toBe(1);
    expect(bad.outputs).toMatchObject({
      result: 'rolled-back',
      reason: 'CrashLoopBackOff',
      'failed-workloads': '["bundle/deployment/web"]',
      'previous-revisions': '{"bundle/deployment/web":1}',
      'rolled-back-to': '{"bundle/deployment/web":1}',
    });
    const errors = bad.annotations.filter((a) => a.level === 'error').map((a) => a.message);
    expect(errors[0]).toMatch(/^rollout failed \(CrashLoopBackOff\): deployment\/web: container app is crash-looping/);
    expect(errors.at(-1)).toMatch(
      /^kubectl-rollout: rolled-back \(CrashLoopBackOff\): deployment\/web: container app is crash-looping .*; rolled back and verified — the previous version is running again/,
    );
    expect(bad.summary).toContain('| deployment/web | bundle | 1 | 2 | failed: CrashLoopBackOff');
    expect(bad.summary).toContain('<details><summary>Logs of web-');
  });

  it('mode rollback goes back to the previous revision, verified; mode scale is bounded by the policy', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    sim.createNamespace('bundle-modes');
    const workspace = mkdtempSync(join(tmpdir(), 'kubectl-rollout-ws-'));
    mkdirSync(join(workspace, '.github'));
    writeFileSync(
      join(workspace, '.github', 'runbook.yml'),
      'version: 1\nkubernetes:\n  scaling:\n    api: { min: 1, max: 3 }\n',
    );
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...sim.env };
    const common = { namespace: 'bundle-modes', 'poll-interval': '250ms', timeout: '30s' };
    for (const image of ['api:1', 'api:2']) {
      writeManifests(workspace, 'production', [{ name: 'api', image }]);
      const deployed = await runBundle('kubectl-rollout', {
        workspace,
        inputs: { manifests: 'k8s/production/', ...common },
        env,
        timeoutMs: 90_000,
      });
      expect(deployed.outputs.result, deployed.stdout + deployed.stderr).toBe('success');
    }

    const back = await runBundle('kubectl-rollout', {
      workspace,
      inputs: { mode: 'rollback', workloads: 'deployment/api', ...common },
      env,
      timeoutMs: 90_000,
    });
    expect(back.exitCode, back.stdout + back.stderr).toBe(0);
    expect(back.outputs).toMatchObject({
      result: 'success',
      'previous-revisions': '{"bundle-modes/deployment/api":2}',
      'rolled-back-to': '{"bundle-modes/deployment/api":1}',
    });
    expect(back.summary).toContain('| deployment/api | bundle-modes | 2 | 1 | rolled back');

    const tooMany = await runBundle('kubectl-rollout', {
      workspace,
      inputs: { mode: 'scale', workloads: 'deployment/api', replicas: '7', ...common },
      env,
      timeoutMs: 90_000,
    });
    expect(tooMany.exitCode).toBe(1);
    expect(tooMany.outputs).toMatchObject({ result: 'failed', reason: 'OutsideScalingBounds' });
    expect(tooMany.annotations.filter((a) => a.level === 'error').at(-1)?.message).toBe(
      'kubectl-rollout: scale failed (OutsideScalingBounds): deployment/api: 7 replicas for deployment/api is outside kubernetes.scaling.api (min 1, max 3) — nothing was changed',
    );
    const scaled = await runBundle('kubectl-rollout', {
      workspace,
      inputs: { mode: 'scale', workloads: 'deployment/api', replicas: '3', ...common },
      env,
      timeoutMs: 90_000,
    });
    expect(scaled.exitCode, scaled.stdout + scaled.stderr).toBe(0);
    expect(scaled.outputs).toMatchObject({
      result: 'success',
      'previous-replicas': '{"bundle-modes/deployment/api":2}',
    });
  });
});
