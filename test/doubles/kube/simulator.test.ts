import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../../src/core/exec.js';
import { kubectlBinaries } from './kubectl.js';
import { type KubeSimulator, startKubeSimulator } from './server.js';

const { found, missing } = kubectlBinaries();
for (const reason of missing) console.warn(`kube simulator tests: skipping a kubectl version — ${reason}`);

function deployment(
  name: string,
  image: string,
  extra: { progressDeadlineSeconds?: number; replicas?: number } = {},
): string {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: extra.replicas ?? 2,
      ...(extra.progressDeadlineSeconds ? { progressDeadlineSeconds: extra.progressDeadlineSeconds } : {}),
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
    },
  });
}

function workload(kind: 'StatefulSet' | 'DaemonSet', name: string, image: string, strategy: string): string {
  const strategyField = { type: strategy };
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind,
    metadata: { name },
    spec: {
      ...(kind === 'StatefulSet' ? { replicas: 2, serviceName: name } : {}),
      updateStrategy: strategyField,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
    },
  });
}

// Every test has a namespace of its own, so they run concurrently: most of their time is waiting.
describe.skipIf(found.length === 0)('kube simulator with the real kubectl', () => {
  let sim: KubeSimulator;
  let dir: string;
  beforeAll(async () => {
    sim = await startKubeSimulator({ timing: { tickMs: 50, startMs: 150, readyMs: 100 } });
    dir = await mkdtemp(join(tmpdir(), 'kube-sim-test-'));
  });
  afterAll(async () => {
    expect(sim.controllers.errors).toEqual([]);
    await sim?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  describe.concurrent.each(found)('$label', (binary) => {
    const label = binary.label.replace(/[^a-z0-9]/g, '');
    /** A namespace for one test, with kubectl and manifest helpers bound to it. */
    const setup = (test: string) => {
      const ns = `${test}-${label}`;
      sim.createNamespace(ns);
      const kubectl = (...args: string[]) =>
        exec([binary.path, '-n', ns, ...args], { env: sim.env, timeoutMs: 40_000 });
      const manifest = async (name: string, text: string) => {
        const file = join(dir, `${ns}-${name}.json`);
        await writeFile(file, text);
        return file;
      };
      return { kubectl, manifest };
    };

    it('applies a Deployment, rolls it out, and reports it with get -o json', async () => {
      const { kubectl, manifest } = setup('apply');
      const apply = await kubectl('apply', '-f', await manifest('web', deployment('web', 'web:1')));
      expect(apply.stderr).toBe('');
      expect(apply.stdout).toContain('deployment.apps/web created');
      const status = await kubectl('rollout', 'status', 'deployment/web', '--timeout=20s');
      expect(status.exitCode).toBe(0);
      expect(status.stdout).toContain('deployment "web" successfully rolled out');
      const got = JSON.parse((await kubectl('get', 'deployment', 'web', '-o', 'json')).stdout);
      expect(got.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
      expect(got.status).toMatchObject({
        replicas: 2,
        updatedReplicas: 2,
        readyReplicas: 2,
        availableReplicas: 2,
        observedGeneration: 1,
      });
      const pods = JSON.parse((await kubectl('get', 'pods', '-l', 'app=web', '-o', 'json')).stdout);
      expect(pods.items).toHaveLength(2);
    });

    it('lets rollout status run into the progress deadline on a crash loop, then rolls back with --to-revision', async () => {
      const { kubectl, manifest } = setup('crash');
      await kubectl('apply', '-f', await manifest('web', deployment('web', 'web:1')));
      expect((await kubectl('rollout', 'status', 'deployment/web', '--timeout=20s')).exitCode).toBe(0);
      await kubectl(
        'apply',
        '-f',
        await manifest('web', deployment('web', 'web:crashloop', { progressDeadlineSeconds: 3 })),
      );
      const status = await kubectl('rollout', 'status', 'deployment/web', '--timeout=30s');
      expect(status.exitCode).toBe(1);
      expect(status.stderr).toContain('deployment "web" exceeded its progress deadline');
      const pods = JSON.parse((await kubectl('get', 'pods', '-l', 'app=web', '-o', 'json')).stdout);
      const crashing = pods.items.find(
        (p: { spec: { containers: { image: string }[] } }) => p.spec.containers[0]?.image === 'web:crashloop',
      );
      expect(crashing.status.containerStatuses[0].restartCount).toBeGreaterThan(0);
      const previous = await kubectl('logs', crashing.metadata.name, '--previous', '--tail=2');
      expect(previous.exitCode).toBe(0);
      expect(previous.stdout).toContain('FATAL: DATABASE_URL is not set');
      const events = JSON.parse((await kubectl('get', 'events', '-o', 'json')).stdout);
      expect(events.items.map((e: { reason: string }) => e.reason)).toContain('BackOff');

      const history = await kubectl('rollout', 'history', 'deployment/web');
      expect(history.stdout).toMatch(/1\s+<none>[\s\S]*2\s+<none>/);
      const undo = await kubectl('rollout', 'undo', 'deployment/web', '--to-revision=1');
      expect(undo.exitCode).toBe(0);
      expect(undo.stdout).toContain('rolled back');
      expect((await kubectl('rollout', 'status', 'deployment/web', '--timeout=20s')).exitCode).toBe(0);
      const got = JSON.parse((await kubectl('get', 'deployment', 'web', '-o', 'json')).stdout);
      expect(got.spec.template.spec.containers[0].image).toBe('web:1');
      expect(got.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
      const sets = JSON.parse((await kubectl('get', 'replicasets', '-l', 'app=web', '-o', 'json')).stdout);
      expect(sets.items).toHaveLength(2);
    });

    it('times out rollout status on a pod that never becomes ready', async () => {
      const { kubectl, manifest } = setup('stuck');
      await kubectl('apply', '-f', await manifest('stuck', deployment('stuck', 'stuck:never-ready', { replicas: 1 })));
      const status = await kubectl('rollout', 'status', 'deployment/stuck', '--timeout=2s');
      expect(status.exitCode).toBe(1);
      expect(status.stderr).toContain('timed out waiting for the condition');
    });

    it('reports image pull failures and refuses logs of a container that never started', async () => {
      const { kubectl, manifest } = setup('pull');
      await kubectl('apply', '-f', await manifest('pull', deployment('pull', 'pull:missing', { replicas: 1 })));
      await new Promise((r) => setTimeout(r, 1000));
      const pods = JSON.parse((await kubectl('get', 'pods', '-l', 'app=pull', '-o', 'json')).stdout);
      const waiting = pods.items[0].status.containerStatuses[0].state.waiting;
      expect(['ErrImagePull', 'ImagePullBackOff']).toContain(waiting.reason);
      const logs = await kubectl('logs', pods.items[0].metadata.name);
      expect(logs.exitCode).toBe(1);
      expect(logs.stderr).toContain('is waiting to start: trying and failing to pull image');
      await kubectl('delete', 'deployment', 'pull', '--wait=true', '--timeout=20s');
      expect(JSON.parse((await kubectl('get', 'pods', '-l', 'app=pull', '-o', 'json')).stdout).items).toEqual([]);
    });

    it('pauses and resumes a Deployment; rollout undo refuses a paused one', async () => {
      const { kubectl, manifest } = setup('pause');
      for (const image of ['web:1', 'web:2']) {
        await kubectl('apply', '-f', await manifest('web', deployment('web', image, { replicas: 1 })));
        expect((await kubectl('rollout', 'status', 'deployment/web', '--timeout=20s')).exitCode).toBe(0);
      }
      expect((await kubectl('rollout', 'pause', 'deployment/web')).exitCode).toBe(0);
      const undo = await kubectl('rollout', 'undo', 'deployment/web');
      expect(undo.exitCode).toBe(1);
      expect(undo.stderr).toContain('paused');
      expect((await kubectl('rollout', 'resume', 'deployment/web')).exitCode).toBe(0);
      const got = JSON.parse((await kubectl('get', 'deployment', 'web', '-o', 'json')).stdout);
      expect(got.spec.paused).toBeFalsy();
    });

    it('rolls StatefulSets and DaemonSets through ControllerRevisions and undoes them', async () => {
      const { kubectl, manifest } = setup('sts');
      await kubectl('apply', '-f', await manifest('db', workload('StatefulSet', 'db', 'db:1', 'RollingUpdate')));
      await kubectl('apply', '-f', await manifest('agent', workload('DaemonSet', 'agent', 'agent:1', 'RollingUpdate')));
      expect((await kubectl('rollout', 'status', 'statefulset/db', '--timeout=20s')).exitCode).toBe(0);
      expect((await kubectl('rollout', 'status', 'daemonset/agent', '--timeout=20s')).exitCode).toBe(0);
      await kubectl('apply', '-f', await manifest('agent', workload('DaemonSet', 'agent', 'agent:2', 'RollingUpdate')));
      expect((await kubectl('rollout', 'status', 'daemonset/agent', '--timeout=20s')).exitCode).toBe(0);
      const undo = await kubectl('rollout', 'undo', 'daemonset/agent', '--to-revision=1');
      expect(undo.exitCode).toBe(0);
      expect((await kubectl('rollout', 'status', 'daemonset/agent', '--timeout=20s')).exitCode).toBe(0);
      const ds = JSON.parse((await kubectl('get', 'daemonset', 'agent', '-o', 'json')).stdout);
      expect(ds.spec.template.spec.containers[0].image).toBe('agent:1');
      expect(ds.status).toMatchObject({ desiredNumberScheduled: 3, numberAvailable: 3, updatedNumberScheduled: 3 });

      await kubectl('apply', '-f', await manifest('cache', workload('StatefulSet', 'cache', 'cache:1', 'OnDelete')));
      const onDelete = await kubectl('rollout', 'status', 'statefulset/cache', '--timeout=5s');
      expect(onDelete.stderr).toContain('rollout status is only available for RollingUpdate strategy type');
      const revisions = JSON.parse((await kubectl('get', 'controllerrevisions', '-l', 'app=db', '-o', 'json')).stdout);
      expect(revisions.items.map((r: { revision: number }) => r.revision)).toEqual([1]);
    });
  });
});
