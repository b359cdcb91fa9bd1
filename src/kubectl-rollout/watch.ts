import type { Clock } from '../core/clock.js';
import { formatDuration } from '../core/duration.js';
import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import {
  type DetectionRules,
  type Evaluation,
  evaluateWorkload,
  type FailureReason,
  type PullTracker,
} from './detect.js';
import { type Kubectl, succeeded, takeSnapshot } from './kubectl.js';
import { kubectlName, type Snapshot, type WorkloadRef, workloadKey } from './types.js';

export interface WatchOptions {
  workloads: readonly WorkloadRef[];
  namespaces: readonly string[];
  rules: DetectionRules;
  /** Epoch milliseconds: one deadline for all workloads. */
  deadline: number;
  /** The timeout the deadline came from (for messages). */
  timeoutMs: number;
  pollMs: number;
  kubectl: Kubectl;
  clock: Clock;
  log: Logger;
  /**
   * A further condition on a complete rollout (scale: the replica count reached): a message while it
   * does not hold yet (the workload keeps waiting), undefined once it does.
   */
  settled?: (snapshot: Snapshot, ref: WorkloadRef) => string | undefined;
}

export interface WatchResult {
  ok: boolean;
  reason?: FailureReason | 'KubectlError';
  message: string;
  /** Latest evaluation of each workload, by workloadKey. */
  evaluations: Map<string, Evaluation>;
  failed: WorkloadRef[];
  snapshot: Snapshot | undefined;
  polls: number;
}

/** Consecutive failed polls tolerated (an API server hiccup) before the watch gives up. */
const MAX_POLL_FAILURES = 3;

/**
 * Watches every workload at once: one `kubectl get` per poll for all of them, one deadline, and the
 * first failure stops the watch (the caller rolls back). Pods that must be deleted for an OnDelete
 * rollout (or a stuck StatefulSet) are deleted between polls.
 */
export async function watchRollout(options: WatchOptions): Promise<WatchResult> {
  const pulls: PullTracker = new Map();
  const evaluations = new Map<string, Evaluation>();
  const lastMessage = new Map<string, string>();
  let snapshot: Snapshot | undefined;
  let polls = 0;
  let pollFailures = 0;
  for (;;) {
    const now = options.clock.now().getTime();
    try {
      snapshot = await takeSnapshot(options.kubectl, options.namespaces);
      pollFailures = 0;
    } catch (error) {
      pollFailures++;
      options.log.warning(`poll failed (${pollFailures}/${MAX_POLL_FAILURES}): ${errorMessage(error)}`);
      if (pollFailures >= MAX_POLL_FAILURES)
        return {
          ok: false,
          reason: 'KubectlError',
          message: errorMessage(error),
          evaluations,
          failed: [...options.workloads],
          snapshot,
          polls,
        };
    }
    polls++;
    if (snapshot && pollFailures === 0) {
      const failures: { ref: WorkloadRef; evaluation: Evaluation }[] = [];
      let complete = 0;
      for (const ref of options.workloads) {
        let evaluation = evaluateWorkload(snapshot, ref, options.rules, now, pulls);
        if (evaluation.verdict.state === 'complete' && options.settled) {
          const pending = options.settled(snapshot, ref);
          if (pending !== undefined) evaluation = { ...evaluation, verdict: { state: 'waiting', message: pending } };
        }
        const key = workloadKey(ref);
        evaluations.set(key, evaluation);
        const { verdict } = evaluation;
        if (lastMessage.get(key) !== verdict.message) {
          options.log.info(`${kubectlName(ref)} (${ref.namespace}): ${verdict.message}`);
          lastMessage.set(key, verdict.message);
        }
        if (verdict.state === 'failed') failures.push({ ref, evaluation });
        if (verdict.state === 'complete') complete++;
        for (const pod of evaluation.deletePods) {
          options.log.info(
            `deleting pod ${ref.namespace}/${pod} so that ${kubectlName(ref)} can move to its current revision`,
          );
          const deleted = await options.kubectl.run([
            'delete',
            'pod',
            pod,
            '--namespace',
            ref.namespace,
            '--wait=false',
            '--ignore-not-found',
          ]);
          if (!succeeded(deleted))
            options.log.warning(`could not delete pod ${ref.namespace}/${pod}: ${deleted.stderr.trim()}`);
        }
      }
      if (failures.length > 0) {
        const first = failures[0] as { ref: WorkloadRef; evaluation: Evaluation };
        const verdict = first.evaluation.verdict as Extract<Evaluation['verdict'], { state: 'failed' }>;
        return {
          ok: false,
          reason: verdict.reason,
          message: `${kubectlName(first.ref)}: ${verdict.message}`,
          evaluations,
          failed: failures.map((f) => f.ref),
          snapshot,
          polls,
        };
      }
      if (complete === options.workloads.length)
        return {
          ok: true,
          message: `${complete} workload${complete === 1 ? '' : 's'} rolled out`,
          evaluations,
          failed: [],
          snapshot,
          polls,
        };
    }
    const left = options.deadline - options.clock.now().getTime();
    if (left <= 0) {
      const pending = options.workloads.filter(
        (ref) => evaluations.get(workloadKey(ref))?.verdict.state !== 'complete',
      );
      return {
        ok: false,
        reason: 'Timeout',
        message: `timed out after ${formatDuration(options.timeoutMs)} waiting for ${pending
          .map((ref) => `${kubectlName(ref)} (${evaluations.get(workloadKey(ref))?.verdict.message ?? 'not seen'})`)
          .join(', ')}`,
        evaluations,
        failed: pending,
        snapshot,
        polls,
      };
    }
    await options.clock.sleep(Math.min(options.pollMs, left));
  }
}
