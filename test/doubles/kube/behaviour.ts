// biome-ignore-all lint/suspicious/noExplicitAny: Kubernetes objects are untyped JSON in the simulator.
import { rfc3339 } from './store.js';

/**
 * What a simulated container does, chosen per pod template: by the image tag (`app:crashloop`) or by
 * the pod template annotation `sim.runbook.dev/behaviour` (all containers) or
 * `sim.runbook.dev/behaviour.<container>`. `slow-ready` waits `sim.runbook.dev/ready-after` (e.g. `3s`).
 */
export type Behaviour =
  | { kind: 'ok' }
  | { kind: 'crashloop' }
  | { kind: 'missing' }
  | { kind: 'never-ready' }
  | { kind: 'slow-ready'; readyAfterMs: number }
  | { kind: 'config-error' }
  | { kind: 'cannot-run' }
  | { kind: 'evicted' };

export const BEHAVIOUR_ANNOTATION = 'sim.runbook.dev/behaviour';
export const READY_AFTER_ANNOTATION = 'sim.runbook.dev/ready-after';

export interface SimulatorTiming {
  /** Controller loop period. */
  tickMs: number;
  /** Pod creation to container start. */
  startMs: number;
  /** Container start to ready, for healthy containers. */
  readyMs: number;
  /** How long a crash-looping container runs before it exits. */
  crashRunMs: number;
  /** First back-off after a crash or failed pull; doubles up to backoffMaxMs (kubelet: 10s → 5m). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long ErrImagePull shows before ImagePullBackOff. */
  pullErrorMs: number;
  /** Default delay of `slow-ready`. */
  slowReadyMs: number;
}

export const DEFAULT_TIMING: SimulatorTiming = {
  tickMs: 100,
  startMs: 300,
  readyMs: 200,
  crashRunMs: 400,
  backoffBaseMs: 1000,
  backoffMaxMs: 5000,
  pullErrorMs: 2000,
  slowReadyMs: 3000,
};

const KINDS = [
  'ok',
  'crashloop',
  'missing',
  'never-ready',
  'slow-ready',
  'config-error',
  'cannot-run',
  'evicted',
] as const;

export function behaviourOf(
  container: any,
  annotations: Record<string, string> | undefined,
  timing: SimulatorTiming,
): Behaviour {
  const chosen =
    annotations?.[`${BEHAVIOUR_ANNOTATION}.${container.name}`] ??
    annotations?.[BEHAVIOUR_ANNOTATION] ??
    imageTag(String(container.image ?? ''));
  const kind = (KINDS as readonly string[]).includes(chosen) ? (chosen as (typeof KINDS)[number]) : 'ok';
  if (kind === 'slow-ready') {
    const text = annotations?.[READY_AFTER_ANNOTATION];
    const m = text ? /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text) : null;
    const readyAfterMs = m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : timing.slowReadyMs;
    return { kind, readyAfterMs };
  }
  return { kind } as Behaviour;
}

function imageTag(image: string): string {
  const last = image.slice(image.lastIndexOf('/') + 1).split('@')[0] ?? '';
  const colon = last.lastIndexOf(':');
  return colon >= 0 ? last.slice(colon + 1) : 'latest';
}

export interface ContainerView {
  state: any;
  lastState: any;
  ready: boolean;
  started: boolean;
  restartCount: number;
  /** Changes whenever the kubelet would report something new; events are emitted on changes. */
  signature: string;
  /** Pod-level outcome. */
  podPhase: 'Pending' | 'Running' | 'Failed';
  /** Instances that have run (for logs). */
  instances: number;
}

/** The state of one container `ageMs` after its pod was created: a pure function of the behaviour and timing. */
export function containerView(
  behaviour: Behaviour,
  ageMs: number,
  createdMs: number,
  t: SimulatorTiming,
): ContainerView {
  const at = (offset: number) => rfc3339(createdMs + offset);
  const base = { lastState: {}, ready: false, started: false, restartCount: 0, instances: 0 };
  if (ageMs < t.startMs)
    return { ...base, state: { waiting: { reason: 'ContainerCreating' } }, signature: 'creating', podPhase: 'Pending' };
  const sinceStart = ageMs - t.startMs;
  const running = (ready: boolean) => ({
    ...base,
    state: { running: { startedAt: at(t.startMs) } },
    ready,
    started: true,
    instances: 1,
    signature: `running:${ready}`,
    podPhase: 'Running' as const,
  });
  switch (behaviour.kind) {
    case 'ok':
      return running(sinceStart >= t.readyMs);
    case 'slow-ready':
      return running(sinceStart >= behaviour.readyAfterMs);
    case 'never-ready':
      return running(false);
    case 'config-error':
      return {
        ...base,
        state: { waiting: { reason: 'CreateContainerConfigError', message: 'secret "app-secrets" not found' } },
        signature: 'config-error',
        podPhase: 'Pending',
      };
    case 'evicted': {
      if (sinceStart < 500) return running(false);
      return {
        ...base,
        state: {
          terminated: { exitCode: 137, reason: 'Error', startedAt: at(t.startMs), finishedAt: at(t.startMs + 500) },
        },
        instances: 1,
        signature: 'evicted',
        podPhase: 'Failed',
      };
    }
    case 'missing': {
      let rest = sinceStart;
      for (let k = 0; ; k++) {
        if (rest < t.pullErrorMs)
          return {
            ...base,
            state: { waiting: { reason: 'ErrImagePull', message: PULL_NOT_FOUND } },
            signature: `pull-error:${k}`,
            podPhase: 'Pending',
          };
        rest -= t.pullErrorMs;
        const backoff = Math.min(t.backoffBaseMs * 2 ** k, t.backoffMaxMs);
        if (rest < backoff)
          return {
            ...base,
            state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } },
            signature: `pull-backoff:${k}`,
            podPhase: 'Pending',
          };
        rest -= backoff;
      }
    }
    case 'crashloop':
    case 'cannot-run': {
      const cannotRun = behaviour.kind === 'cannot-run';
      const runMs = cannotRun ? 0 : t.crashRunMs;
      let rest = sinceStart;
      let started = t.startMs;
      for (let k = 0; ; k++) {
        const previous = (n: number) => ({
          terminated: {
            exitCode: cannotRun ? 128 : 1,
            reason: cannotRun ? 'ContainerCannotRun' : 'Error',
            ...(cannotRun ? { message: CANNOT_RUN } : {}),
            startedAt: at(started),
            finishedAt: at(started + runMs),
            containerID: `containerd://sim-${n}`,
          },
        });
        const last = k > 0 ? { lastState: previous(k - 1) } : {};
        if (rest < runMs)
          return {
            ...base,
            ...last,
            state: { running: { startedAt: at(started) } },
            started: true,
            restartCount: k,
            instances: k + 1,
            signature: `run:${k}`,
            podPhase: 'Running',
          };
        rest -= runMs;
        const backoff = Math.min(t.backoffBaseMs * 2 ** k, t.backoffMaxMs);
        if (rest < backoff) {
          const fresh = rest < Math.min(300, backoff / 2);
          return {
            ...base,
            state: fresh
              ? previous(k)
              : {
                  waiting: {
                    reason: 'CrashLoopBackOff',
                    message: `back-off ${Math.round(backoff / 1000)}s restarting failed container`,
                  },
                },
            lastState: fresh ? (k > 0 ? previous(k - 1) : {}) : previous(k),
            restartCount: fresh ? k : k + 1,
            instances: k + 1,
            signature: `${fresh ? 'exited' : 'backoff'}:${k}`,
            podPhase: 'Running',
          };
        }
        rest -= backoff;
        started += runMs + backoff;
      }
    }
  }
}

export const PULL_NOT_FOUND =
  'rpc error: code = NotFound desc = failed to pull and unpack image: failed to resolve reference: not found';
const CANNOT_RUN =
  'failed to create containerd task: OCI runtime create failed: exec: "/app/server": stat /app/server: no such file or directory';

export function logLines(
  behaviour: Behaviour,
  container: string,
  image: string,
  instance: number,
  startedMs: number,
): string[] {
  const ts = new Date(startedMs).toISOString();
  const lines = [`${ts} starting ${container} (${image}), instance ${instance}`];
  switch (behaviour.kind) {
    case 'crashloop':
      lines.push(
        `${ts} loading configuration from /etc/app/config.yaml`,
        `${ts} FATAL: DATABASE_URL is not set`,
        `${ts} exiting with status 1`,
      );
      break;
    case 'never-ready':
      lines.push(`${ts} listening on :8080`, `${ts} readiness: dependency "payments" unreachable`);
      break;
    default:
      lines.push(`${ts} listening on :8080`);
  }
  return lines;
}
