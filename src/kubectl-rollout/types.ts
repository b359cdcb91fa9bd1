/** The parts of Kubernetes objects (as `kubectl get -o json` prints them) that the rollout reads. */

export interface OwnerReference {
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  creationTimestamp?: string;
  deletionTimestamp?: string;
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; message?: string; exitCode?: number };
}

export interface ContainerStatus {
  name: string;
  image?: string;
  ready?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface Pod {
  kind?: 'Pod';
  metadata: ObjectMeta;
  spec?: { nodeName?: string; containers?: { name: string; image?: string }[] };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

export interface WorkloadObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: {
    replicas?: number;
    paused?: boolean;
    template?: unknown;
    progressDeadlineSeconds?: number;
    strategy?: { type?: string };
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    conditions?: Condition[];
    currentRevision?: string;
    updateRevision?: string;
    desiredNumberScheduled?: number;
    updatedNumberScheduled?: number;
    numberAvailable?: number;
  };
}

export interface ControllerRevision {
  kind?: 'ControllerRevision';
  metadata: ObjectMeta;
  revision?: number;
  data?: unknown;
}

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';
export const WORKLOAD_KINDS: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet'];

/** A workload the manifests touch. */
export interface WorkloadRef {
  kind: WorkloadKind;
  namespace: string;
  name: string;
}

/** `namespace/kind/name`, lower-case kind: the key used in outputs. */
export function workloadKey(ref: WorkloadRef): string {
  return `${ref.namespace}/${ref.kind.toLowerCase()}/${ref.name}`;
}

/** `deployment/name`, as kubectl takes it. */
export function kubectlName(ref: WorkloadRef): string {
  return `${ref.kind.toLowerCase()}/${ref.name}`;
}

/** Everything one poll returns: one `kubectl get` of every kind in the namespace(s). */
export interface Snapshot {
  workloads: WorkloadObject[];
  replicaSets: WorkloadObject[];
  revisions: ControllerRevision[];
  pods: Pod[];
}
