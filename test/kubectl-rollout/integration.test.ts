import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/core/logger.js';
import { run } from '../../src/kubectl-rollout/main.js';
import { kubectlBinaries } from '../doubles/kube/kubectl.js';
import { actionEnv } from '../health-check/action-env.js';
import {
  getJson,
  imageOf,
  kubectlFor,
  type TestCluster,
  templateVersion,
  testCluster,
  type WorkloadSpec,
  writeManifests,
} from './fixtures.js';

/**
 * The action end to end, in-process, driving the real kubectl against the local API server
 * (test/doubles/kube). Every scenario of the issue, with the default kubectl; the core scenarios
 * again with the oldest and newest kubectl on the machine. With KUBECTL_ROLLOUT_REAL_CLUSTER=true the
 * same scenarios run against the runner's kubeconfig (a kind cluster: .github/workflows/kubectl-rollout-kind.yml).
 */
const REAL = process.env.KUBECTL_ROLLOUT_REAL_CLUSTER === 'true';
const { found, missing } = REAL
  ? { found: [{ label: 'kubectl (real cluster)', path: 'kubectl' }], missing: [] }
  : kubectlBinaries();
for (const reason of missing) console.warn(`kubectl-rollout integration: skipping a kubectl version — ${reason}`);

interface Deployed {
  ok: boolean;
  outputs: Record<string, string>;
  summary: string;
  log: string[];
  ms: number;
}

let sim: TestCluster;
let health: Server;
let healthOrigin: string;
/** Real clusters pull images and back off for real: longer deadlines. */
const TIMEOUT = REAL ? '180s' : '30s';
beforeAll(async () => {
  sim = await testCluster();
  health = createServer((req, res) => {
    res.writeHead(req.url === '/health' ? 200 : 503);
    res.end(req.url === '/health' ? 'ok' : 'unavailable');
  });
  await new Promise<void>((resolve) => health.listen(0, '127.0.0.1', resolve));
  healthOrigin = `http://127.0.0.1:${(health.address() as AddressInfo).port}`;
});
afterAll(async () => {
  expect(sim.errors()).toEqual([]);
  await sim?.stop();
  health?.close();
});
// core.setFailed sets the worker's exit code; the action's failure is what these tests assert.
afterEach(() => {
  process.exitCode = undefined;
});

let counter = 0;
async function namespace(label: string): Promise<string> {
  const ns = `${label}-${++counter}${REAL ? `-${process.pid}` : ''}`;
  await sim.createNamespace(ns);
  return ns;
}

async function deploy(
  binary: string,
  ns: string,
  workspaceSpecs: readonly WorkloadSpec[],
  inputs: Record<string, string> = {},
  /** More manifest files for k8s/production/, by name. */
  extraFiles: Record<string, string> = {},
): Promise<Deployed> {
  const step = actionEnv(
    'kubectl-rollout',
    {
      manifests: 'k8s/production/',
      namespace: ns,
      kubectl: binary,
      'poll-interval': '250ms',
      timeout: TIMEOUT,
      'image-pull-grace': REAL ? '60s' : '3s',
      ...inputs,
    },
    sim.env,
  );
  writeManifests(step.workspace, 'production', workspaceSpecs, REAL);
  for (const [name, text] of Object.entries(extraFiles))
    writeFileSync(join(step.workspace, 'k8s', 'production', name), text);
  const log = memoryLogger();
  const started = performance.now();
  const result = await run({ env: step.env, log });
  return {
    ok: result.ok,
    outputs: step.outputs(),
    summary: step.summary(),
    log: log.lines,
    ms: performance.now() - started,
  };
}

type Image = {
  spec: { template: { spec: { containers: { image: string }[] } } };
  metadata: { annotations: Record<string, string> };
};

// Scenarios are independent (a namespace each), so they run concurrently: most of their time is waiting.
describe.concurrent.each(found.map((b, i) => ({ ...b, full: i === 0 })))(
  'kubectl-rollout with $label',
  ({ path: kubectl, full }) => {
    it('deploys new workloads, then new versions after a server-side dry run and a diff', async () => {
      const ns = await namespace('good');
      const first = await deploy(kubectl, ns, [
        { name: 'api', image: 'api:1' },
        { name: 'web', image: 'web:1' },
      ]);
      expect(first.ok, first.log.join('\n')).toBe(true);
      expect(first.outputs).toMatchObject({
        result: 'success',
        reason: '',
        'failed-workloads': '[]',
        'rolled-back-to': '{}',
        'previous-revisions': JSON.stringify({ [`${ns}/deployment/api`]: null, [`${ns}/deployment/web`]: null }),
      });
      // A new version of one workload, checked first with a server-side dry run.
      const second = await deploy(
        kubectl,
        ns,
        [
          { name: 'api', image: 'api:1' },
          { name: 'web', image: 'web:2' },
        ],
        { 'dry-run': 'server' },
      );
      expect(second.outputs.result, second.log.join('\n')).toBe('success');
      expect(JSON.parse(second.outputs['previous-revisions'] as string)).toEqual({
        [`${ns}/deployment/api`]: 1,
        [`${ns}/deployment/web`]: 1,
      });
      expect(second.summary).toContain('kubectl rollout: success');
      expect(second.summary).toContain('<summary>Server-side dry run</summary>');
      const kubectlNs = kubectlFor(sim, kubectl, ns);
      const web = await getJson<Image>(kubectlNs, 'deployment', 'web');
      expect(templateVersion(web)).toBe('web:2');
      expect(web.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
      const api = await getJson<Image>(kubectlNs, 'deployment', 'api');
      expect(api.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');

      // An image override (every container named app), shown first with kubectl diff.
      const third = await deploy(
        kubectl,
        ns,
        [
          { name: 'api', image: 'api:1' },
          { name: 'web', image: 'web:2' },
        ],
        { images: 'app=shop:3', 'dry-run': 'diff' },
      );
      expect(third.outputs.result, third.log.join('\n')).toBe('success');
      expect(third.summary).toMatch(/<summary>kubectl diff<\/summary>[\s\S]*\+\s+- image: shop:3/);
      expect(templateVersion(await getJson<Image>(kubectlNs, 'deployment', 'api'))).toBe('shop:3');
    });

    it('detects a crash loop fast, rolls back only what changed, to the recorded revision, and verifies it', async () => {
      const ns = await namespace('crash');
      const v1: WorkloadSpec[] = [
        { name: 'api', image: 'api:1' },
        { name: 'web', image: 'web:1' },
      ];
      expect((await deploy(kubectl, ns, v1)).outputs.result).toBe('success');
      const broken = await deploy(kubectl, ns, [
        { name: 'api', image: 'api:1' },
        { name: 'web', image: 'web:crashloop' },
      ]);
      expect(broken.ok).toBe(false);
      expect(broken.outputs).toMatchObject({
        result: 'rolled-back',
        reason: 'CrashLoopBackOff',
        'failed-workloads': JSON.stringify([`${ns}/deployment/web`]),
        'rolled-back-to': JSON.stringify({ [`${ns}/deployment/web`]: 1 }),
      });
      // Fail fast: the Deployment's progress deadline is the default 600 s (loose bound: tests run concurrently).
      expect(broken.ms).toBeLessThan(REAL ? 120_000 : 60_000);
      const kubectlNs = kubectlFor(sim, kubectl, ns);
      const web = await getJson<Image>(kubectlNs, 'deployment', 'web');
      expect(templateVersion(web)).toBe('web:1');
      expect(web.metadata.annotations['deployment.kubernetes.io/revision']).toBe('3');
      const api = await getJson<Image>(kubectlNs, 'deployment', 'api');
      expect(api.metadata.annotations['deployment.kubernetes.io/revision']).toBe('1');
      expect(broken.summary).toContain('FATAL: DATABASE_URL is not set');
      expect(broken.summary).toMatch(/<summary>Events in crash-\d+ since the deploy began<\/summary>[\s\S]*BackOff/);
      expect(broken.summary).toMatch(/\| deployment\/web \| crash-\d+ \| 1 \| 2 \| failed: CrashLoopBackOff/);
    });

    it.runIf(full)('fails on a missing image without waiting for the pull grace period', async () => {
      const ns = await namespace('pull');
      await deploy(kubectl, ns, [{ name: 'web', image: 'web:1' }]);
      const broken = await deploy(kubectl, ns, [{ name: 'web', image: 'web:missing' }], { 'image-pull-grace': '5m' });
      expect(broken.outputs).toMatchObject({ result: 'rolled-back', reason: 'ErrImagePull' });
      expect(broken.summary).toContain(`Failed to pull image "${imageOf('web:missing', REAL)}"`);
    });

    it.runIf(full)('rolls back what a partly failed apply changed', async () => {
      const ns = await namespace('apply');
      await deploy(kubectl, ns, [{ name: 'web', image: 'web:1' }]);
      // A kind the API server does not serve: kubectl applies the rest and exits 1.
      const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: gadget\n';
      const broken = await deploy(kubectl, ns, [{ name: 'web', image: 'web:2' }], {}, { 'widget.yaml': widget });
      expect(broken.outputs).toMatchObject({
        result: 'rolled-back',
        reason: 'ApplyFailed',
        'rolled-back-to': JSON.stringify({ [`${ns}/deployment/web`]: 1 }),
      });
      expect(broken.summary).toContain('kubectl apply failed');
      expect(templateVersion(await getJson<Image>(kubectlFor(sim, kubectl, ns), 'deployment', 'web'))).toBe('web:1');
    });

    it.runIf(full)('times out on a version that never becomes ready, then rolls back', async () => {
      const ns = await namespace('ready');
      await deploy(kubectl, ns, [{ name: 'web', image: 'web:1' }]);
      const broken = await deploy(kubectl, ns, [{ name: 'web', image: 'web:never-ready' }], {
        timeout: REAL ? '40s' : '3s',
      });
      expect(broken.outputs).toMatchObject({ result: 'rolled-back', reason: 'Timeout' });
      expect(broken.summary).toContain(`timed out after ${REAL ? '40s' : '3s'}`);
      expect(broken.summary).toContain('Readiness probe failed');
    });

    it.runIf(full)('follows the first-deploy policy when a new workload fails', async () => {
      const outcomes: Record<string, string> = {};
      for (const policy of ['delete', 'keep', 'fail']) {
        const ns = await namespace(`first-${policy}`);
        const run = await deploy(kubectl, ns, [{ name: 'web', image: 'web:config-error' }], { 'first-deploy': policy });
        expect(run.outputs.reason).toBe('CreateContainerConfigError');
        const left = await getJson<{ items: unknown[] }>(kubectlFor(sim, kubectl, ns), 'deployments');
        outcomes[policy] = `${run.outputs.result}, ${left.items.length} left`;
      }
      expect(outcomes).toEqual({
        delete: 'rolled-back, 0 left',
        keep: 'failed, 1 left',
        fail: 'rollback-failed, 1 left',
      });
    });

    it.runIf(full)('refuses a paused Deployment, or resumes it when told to', async () => {
      const ns = await namespace('paused');
      await deploy(kubectl, ns, [{ name: 'web', image: 'web:1' }]);
      await kubectlFor(sim, kubectl, ns)('rollout', 'pause', 'deployment/web');
      const refused = await deploy(kubectl, ns, [{ name: 'web', image: 'web:2' }]);
      expect(refused.outputs).toMatchObject({ result: 'failed', reason: 'DeploymentPaused' });
      const untouched = await getJson<Image>(kubectlFor(sim, kubectl, ns), 'deployment', 'web');
      expect(templateVersion(untouched)).toBe('web:1');
      const resumed = await deploy(kubectl, ns, [{ name: 'web', image: 'web:2' }], { paused: 'resume' });
      expect(resumed.outputs.result, resumed.log.join('\n')).toBe('success');
    });

    it.runIf(full)('rolls an OnDelete StatefulSet by deleting its pods, and rolls it back the same way', async () => {
      const ns = await namespace('sts');
      const spec = (image: string): WorkloadSpec[] => [
        { kind: 'StatefulSet', name: 'db', image, strategy: 'OnDelete' },
      ];
      expect((await deploy(kubectl, ns, spec('db:1'))).outputs.result).toBe('success');
      const upgraded = await deploy(kubectl, ns, spec('db:2'));
      expect(upgraded.outputs.result, upgraded.log.join('\n')).toBe('success');
      const pods = await getJson<{ items: { spec: { containers: { image: string }[] } }[] }>(
        kubectlFor(sim, kubectl, ns),
        'pods',
        '-l',
        'app=db',
      );
      expect(pods.items.map((p) => p.spec.containers[0]?.image)).toEqual([
        imageOf('db:2', REAL),
        imageOf('db:2', REAL),
      ]);
      const broken = await deploy(kubectl, ns, spec('db:crashloop'));
      expect(broken.outputs).toMatchObject({
        result: 'rolled-back',
        reason: 'CrashLoopBackOff',
        'rolled-back-to': JSON.stringify({ [`${ns}/statefulset/db`]: 2 }),
      });
      const after = await getJson<{ items: { spec: { containers: { image: string }[] } }[] }>(
        kubectlFor(sim, kubectl, ns),
        'pods',
        '-l',
        'app=db',
      );
      expect(after.items.map((p) => p.spec.containers[0]?.image)).toEqual([
        imageOf('db:2', REAL),
        imageOf('db:2', REAL),
      ]);
    });

    it.runIf(full)('rolls back a DaemonSet to its recorded ControllerRevision', async () => {
      const ns = await namespace('ds');
      const spec = (image: string): WorkloadSpec[] => [{ kind: 'DaemonSet', name: 'agent', image }];
      expect((await deploy(kubectl, ns, spec('agent:1'))).outputs.result).toBe('success');
      const broken = await deploy(kubectl, ns, spec('agent:cannot-run'));
      expect(broken.outputs).toMatchObject({
        result: 'rolled-back',
        reason: 'ContainerCannotRun',
        'rolled-back-to': JSON.stringify({ [`${ns}/daemonset/agent`]: 1 }),
      });
      const ds = await getJson<Image & { status: Record<string, number> }>(
        kubectlFor(sim, kubectl, ns),
        'daemonset',
        'agent',
      );
      expect(templateVersion(ds)).toBe('agent:1');
      expect(ds.status.numberAvailable).toBe(ds.status.desiredNumberScheduled);
      expect(ds.status.updatedNumberScheduled).toBe(ds.status.desiredNumberScheduled);
    });

    it.runIf(full)('rolls back when the health check fails after a complete rollout', async () => {
      const ns = await namespace('health');
      await deploy(kubectl, ns, [{ name: 'web', image: 'web:1' }]);
      const good = await deploy(kubectl, ns, [{ name: 'web', image: 'web:2' }], {
        'health-urls': `${healthOrigin}/health`,
      });
      expect(good.outputs.result).toBe('success');
      const bad = await deploy(kubectl, ns, [{ name: 'web', image: 'web:3' }], {
        'health-urls': `${healthOrigin}/down`,
        'health-retries': '1',
      });
      expect(bad.outputs).toMatchObject({
        result: 'rolled-back',
        reason: 'HealthCheckFailed',
        'rolled-back-to': JSON.stringify({ [`${ns}/deployment/web`]: 2 }),
      });
      expect(bad.summary).toContain('HTTP 503');
    });

    it.runIf(full)('rolls back when the smoke command fails, and runs it without a shell', async () => {
      const ns = await namespace('smoke');
      await deploy(kubectl, ns, [{ name: 'web', image: 'web:1' }]);
      const passed = await deploy(kubectl, ns, [{ name: 'web', image: 'web:2' }], {
        'smoke-command': 'node\n-e\nconsole.log("smoke ok; $HOME not expanded")',
      });
      expect(passed.outputs.result).toBe('success');
      const failed = await deploy(kubectl, ns, [{ name: 'web', image: 'web:3' }], {
        'smoke-command': 'node\n-e\nconsole.error("checkout broken"); process.exit(3)',
      });
      expect(failed.outputs).toMatchObject({ result: 'rolled-back', reason: 'SmokeTestFailed' });
      expect(failed.summary).toContain('checkout broken');
      const web = await getJson<Image>(kubectlFor(sim, kubectl, ns), 'deployment', 'web');
      expect(templateVersion(web)).toBe('web:2');
    });
  },
);
