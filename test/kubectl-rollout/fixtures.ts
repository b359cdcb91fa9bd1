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

export function workloadManifest(spec: WorkloadSpec): object {
  const kind = spec.kind ?? 'Deployment';
  const template = {
    metadata: { labels: { app: spec.name } },
    spec: { containers: [{ name: 'app', image: spec.image }] },
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
export function writeManifests(workspace: string, folder: string, specs: readonly WorkloadSpec[]): string {
  const dir = join(workspace, 'k8s', folder);
  mkdirSync(dir, { recursive: true });
  for (const spec of specs) writeFileSync(join(dir, `${spec.name}.yaml`), stringify(workloadManifest(spec)));
  return `k8s/${folder}/`;
}

export function kubectlFor(sim: KubeSimulator, binary: string, namespace: string) {
  return async (...args: string[]) => {
    const result = await exec([binary, '--namespace', namespace, ...args], { env: sim.env, timeoutMs: 60_000 });
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
