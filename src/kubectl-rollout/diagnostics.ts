import type { PodProblem } from './detect.js';
import { type Kubectl, succeeded } from './kubectl.js';
import type { WorkloadRef } from './types.js';

/** What a failed rollout leaves for the job summary: events since the deploy began, and container logs. */
export interface Diagnostic {
  title: string;
  body: string;
}

interface KubeEvent {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  firstTimestamp?: string | null;
  involvedObject?: { kind?: string; name?: string };
}

function eventTime(event: KubeEvent): number {
  return Date.parse(event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? '') || 0;
}

/** Events about the workloads (and their ReplicaSets and pods, named `<workload>-…`) since `since`. */
export function relevantEvents(
  events: readonly KubeEvent[],
  workloads: readonly WorkloadRef[],
  since: Date,
  limit = 80,
): string[] {
  // Event timestamps have whole seconds.
  const from = Math.floor(since.getTime() / 1000) * 1000;
  const names = workloads.map((w) => w.name);
  const related = (name: string | undefined) => !!name && names.some((n) => name === n || name.startsWith(`${n}-`));
  return events
    .filter((e) => eventTime(e) >= from && related(e.involvedObject?.name))
    .sort((a, b) => eventTime(a) - eventTime(b))
    .slice(-limit)
    .map(
      (e) =>
        `${new Date(eventTime(e)).toISOString().slice(11, 19)}  ${(e.type ?? '').padEnd(7)}  ${(e.reason ?? '').padEnd(18)}  ${e.involvedObject?.kind?.toLowerCase()}/${
          e.involvedObject?.name
        }: ${e.message ?? ''}${(e.count ?? 1) > 1 ? ` (×${e.count})` : ''}`,
    );
}

export async function collectDiagnostics(
  kubectl: Kubectl,
  options: {
    workloads: readonly WorkloadRef[];
    namespaces: readonly string[];
    since: Date;
    problems: readonly (PodProblem & { namespace: string })[];
    logLines: number;
  },
): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const namespace of options.namespaces) {
    const result = await kubectl.run(
      ['get', 'events', '--namespace', namespace, '--output', 'json', '--request-timeout', '30s'],
      { timeoutMs: 45_000 },
    );
    if (!succeeded(result)) {
      out.push({ title: `Events in ${namespace} (could not be read)`, body: result.stderr.trim() });
      continue;
    }
    const items = (JSON.parse(result.stdout) as { items?: KubeEvent[] }).items ?? [];
    const lines = relevantEvents(
      items,
      options.workloads.filter((w) => w.namespace === namespace),
      options.since,
    );
    out.push({
      title: `Events in ${namespace} since the deploy began`,
      body: lines.length ? lines.join('\n') : '(none)',
    });
  }
  const seen = new Set<string>();
  for (const problem of options.problems) {
    if (!problem.container) continue;
    const key = `${problem.namespace}/${problem.pod}/${problem.container}`;
    if (seen.has(key) || seen.size >= 6) continue;
    seen.add(key);
    // A container that never started has no logs; its events say why.
    if (['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'CreateContainerConfigError'].includes(problem.reason))
      continue;
    const crashed =
      problem.restartCount > 0 || problem.reason === 'CrashLoopBackOff' || problem.reason === 'ContainerCannotRun';
    const args = [
      'logs',
      problem.pod,
      '--namespace',
      problem.namespace,
      '--container',
      problem.container,
      `--tail=${options.logLines}`,
    ];
    const result = await kubectl.run(crashed ? [...args, '--previous'] : args, { timeoutMs: 45_000 });
    out.push({
      title: `Logs of ${problem.pod}/${problem.container}${crashed ? ' (previous instance, before it crashed)' : ''}`,
      body: succeeded(result) ? result.stdout.trimEnd() || '(empty)' : `(not available: ${result.stderr.trim()})`,
    });
  }
  return out;
}
