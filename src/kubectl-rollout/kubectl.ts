import { describeFailure, type Exec, type ExecResult } from '../core/exec.js';
import type { Logger } from '../core/logger.js';
import type { ControllerRevision, Pod, Snapshot, WorkloadObject } from './types.js';

/**
 * The runner's kubectl, always through `exec` with an argument array. Every call gets the optional
 * `--context`; the kubeconfig is the runner's (KUBECONFIG or ~/.kube/config).
 */
export interface Kubectl {
  run(args: readonly string[], options?: { timeoutMs?: number; stdin?: string }): Promise<ExecResult>;
  /** Processes started so far (the benchmark reports them per minute). */
  readonly calls: number;
}

export function createKubectl(options: {
  binary: string;
  context?: string;
  exec: Exec;
  log: Logger;
  env?: Record<string, string | undefined>;
}): Kubectl {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    run(args, runOptions = {}) {
      calls++;
      const argv = [options.binary, ...(options.context ? ['--context', options.context] : []), ...args];
      return options.exec(argv, {
        timeoutMs: runOptions.timeoutMs ?? 120_000,
        ...(runOptions.stdin !== undefined ? { stdin: runOptions.stdin } : {}),
        ...(options.env ? { env: options.env } : {}),
        log: options.log,
      });
    },
  };
}

export class KubectlError extends Error {
  constructor(
    readonly result: ExecResult,
    what: string,
  ) {
    super(`${what}: ${describeFailure(result, 2)}`);
  }
}

export function succeeded(result: ExecResult): boolean {
  return result.exitCode === 0 && !result.timedOut && !result.spawnError;
}

const SNAPSHOT_KINDS =
  'deployments.apps,statefulsets.apps,daemonsets.apps,replicasets.apps,controllerrevisions.apps,pods';

/** Arguments of the one request per poll: every kind the rules look at, in the namespace(s) touched. */
export function snapshotArgs(namespaces: readonly string[]): string[] {
  const scope = namespaces.length === 1 ? ['--namespace', namespaces[0] as string] : ['--all-namespaces'];
  return ['get', SNAPSHOT_KINDS, ...scope, '--output', 'json', '--request-timeout', '30s'];
}

export function parseSnapshot(json: string, namespaces: readonly string[]): Snapshot {
  const list = JSON.parse(json) as { items?: { kind?: string; metadata?: { namespace?: string } }[] };
  const snapshot: Snapshot = { workloads: [], replicaSets: [], revisions: [], pods: [] };
  for (const item of list.items ?? []) {
    if (!namespaces.includes(item.metadata?.namespace ?? '')) continue;
    switch (item.kind) {
      case 'Deployment':
      case 'StatefulSet':
      case 'DaemonSet':
        snapshot.workloads.push(item as WorkloadObject);
        break;
      case 'ReplicaSet':
        snapshot.replicaSets.push(item as WorkloadObject);
        break;
      case 'ControllerRevision':
        snapshot.revisions.push(item as ControllerRevision);
        break;
      case 'Pod':
        snapshot.pods.push(item as Pod);
        break;
    }
  }
  return snapshot;
}

export async function takeSnapshot(kubectl: Kubectl, namespaces: readonly string[]): Promise<Snapshot> {
  const result = await kubectl.run(snapshotArgs(namespaces), { timeoutMs: 45_000 });
  if (!succeeded(result)) throw new KubectlError(result, 'could not read the workloads');
  return parseSnapshot(result.stdout, namespaces);
}
