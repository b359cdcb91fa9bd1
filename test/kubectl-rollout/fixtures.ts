import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { exec } from '../../src/core/exec.js';
import type { KubeSimulator } from '../doubles/kube/server.js';

/** Workload manifests for the rollout tests; behaviour comes from the image tag (see test/doubles/kube/behaviour.ts). */
export interface WorkloadSpec {
  kind?: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  name: string;
  image: string;
  replicas?: number;
  progressDeadlineSeconds?: number;
  strategy?: 'RollingUpdate' | 'OnDelete';
  paused?: boolean;
}

/**
 * On a real cluster (kind), the simulator's behaviours become real containers: the tag after ":" picks one.
 * Everything else (web:1, db:2) is a healthy pause container, the tag kept in an env var so that each
 * version is a new pod template.
 */
export function realContainer(image: string): Record<string, unknown> {
  const tag = image.slice(image.lastIndexOf(':') + 1);
  const busybox = 'busybox:1.36';
  switch (tag) {
    case 'crashloop':
      return { image: busybox, command: ['sh', '-c', 'echo "FATAL: DATABASE_URL is not set"; exit 1'] };
    case 'missing':
      // A tag that does not exist in a public repository: the registry answers "not found" (a missing
      // repository on some registries answers 401 instead, which looks like a private image).
      return { image: `busybox:0.0.0-${image.split(':')[0]}-missing` };
    case 'never-ready':
      return {
        image: busybox,
        command: ['sleep', '3600'],
        readinessProbe: { exec: { command: ['false'] }, periodSeconds: 2 },
      };
    case 'config-error':
      return {
        image: busybox,
        command: ['sleep', '3600'],
        env: [{ name: 'DB', valueFrom: { secretKeyRef: { name: 'app-secrets', key: 'url' } } }],
      };
    case 'cannot-run':
      return { image: busybox, command: ['/app/server'] };
    default:
      return { image: 'registry.k8s.io/pause:3.10', env: [{ name: 'VERSION', value: image }] };
  }
}

/** The image the pods run, for expectations that name it. */
export function imageOf(image: string, real: boolean): string {
  return real ? String(realContainer(image).image) : image;
}

export function workloadManifest(spec: WorkloadSpec, real = false): object {
  const kind = spec.kind ?? 'Deployment';
  const container = real ? { name: 'app', ...realContainer(spec.image) } : { name: 'app', image: spec.image };
  const template = {
    metadata: { labels: { app: spec.name } },
    spec: { terminationGracePeriodSeconds: 0, containers: [container] },
  };
  const base = { apiVersion: 'apps/v1', kind, metadata: { name: spec.name } };
  if (kind === 'Deployment')
    return {
      ...base,
      spec: {
        replicas: spec.replicas ?? 2,
        ...(spec.progressDeadlineSeconds ? { progressDeadlineSeconds: spec.progressDeadlineSeconds } : {}),
        ...(spec.paused ? { paused: true } : {}),
        selector: { matchLabels: { app: spec.name } },
        template,
      },
    };
  if (kind === 'StatefulSet')
    return {
      ...base,
      spec: {
        replicas: spec.replicas ?? 2,
        serviceName: spec.name,
        updateStrategy: { type: spec.strategy ?? 'RollingUpdate' },
        selector: { matchLabels: { app: spec.name } },
        template,
      },
    };
  return {
    ...base,
    spec: {
      updateStrategy: { type: spec.strategy ?? 'RollingUpdate' },
      selector: { matchLabels: { app: spec.name } },
      template,
    },
  };
}

/** Writes `k8s/<folder>/<name>.yaml` files into the workspace; returns the folder, relative to it. */
export function writeManifests(
  workspace: string,
  folder: string,
  specs: readonly WorkloadSpec[],
  real = false,
): string {
  const dir = join(workspace, 'k8s', folder);
  mkdirSync(dir, { recursive: true });
  for (const spec of specs) writeFileSync(join(dir, `${spec.name}.yaml`), stringify(workloadManifest(spec, real)));
  return `k8s/${folder}/`;
}

/** Where the scenarios run: the simulator, or a real cluster (KUBECTL_ROLLOUT_REAL_CLUSTER=true, the runner's kubeconfig). */
export interface TestCluster {
  real: boolean;
  env: Record<string, string>;
  createNamespace(name: string): Promise<void>;
  /** Problems inside the cluster double (none for a real cluster). */
  errors(): string[];
  stop(): Promise<void>;
}

export async function testCluster(): Promise<TestCluster> {
  if (process.env.KUBECTL_ROLLOUT_REAL_CLUSTER === 'true') {
    return {
      real: true,
      env: {},
      async createNamespace(name) {
        const result = await exec(['kubectl', 'create', 'namespace', name], { timeoutMs: 60_000 });
        if (result.exitCode !== 0) throw new Error(result.stderr);
      },
      errors: () => [],
      stop: async () => {},
    };
  }
  const { startKubeSimulator } = await import('../doubles/kube/server.js');
  const sim: KubeSimulator = await startKubeSimulator({ timing: { tickMs: 50, startMs: 150, readyMs: 100 } });
  return {
    real: false,
    env: sim.env,
    createNamespace: async (name) => sim.createNamespace(name),
    errors: () => sim.controllers.errors,
    stop: () => sim.stop(),
  };
}

export function kubectlFor(cluster: { env: Record<string, string> }, binary: string, namespace: string) {
  return async (...args: string[]) => {
    const result = await exec([binary, '--namespace', namespace, ...args], { env: cluster.env, timeoutMs: 60_000 });
    if (result.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout;
  };
}

export async function getJson<T = Record<string, unknown>>(
  kubectl: (...args: string[]) => Promise<string>,
  ...args: string[]
): Promise<T> {
  return JSON.parse(await kubectl('get', ...args, '--output', 'json')) as T;
}

/** The version a pod template runs: its image on the simulator, the VERSION variable on a real cluster. */
export function templateVersion(object: {
  spec: { template: { spec: { containers: { image: string; env?: { name: string; value?: string }[] }[] } } };
}): string | undefined {
  const container = object.spec.template.spec.containers[0];
  return container?.env?.find((e) => e.name === 'VERSION')?.value ?? container?.image;
}
