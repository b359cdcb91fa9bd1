// biome-ignore-all lint/suspicious/noExplicitAny: Kubernetes objects are untyped JSON in the simulator.
import { randomUUID } from 'node:crypto';
import { clone } from './patch.js';

/** The kinds the simulator serves, with what discovery says about them. */
export interface ResourceType {
  group: '' | 'apps';
  resource: string;
  kind: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Spec changes bump metadata.generation (workload controllers compare it with status.observedGeneration). */
  hasGeneration: boolean;
}

export const RESOURCES: ResourceType[] = [
  {
    group: '',
    resource: 'namespaces',
    kind: 'Namespace',
    singular: 'namespace',
    namespaced: false,
    shortNames: ['ns'],
    categories: [],
    hasGeneration: false,
  },
  {
    group: '',
    resource: 'pods',
    kind: 'Pod',
    singular: 'pod',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    hasGeneration: false,
  },
  {
    group: '',
    resource: 'events',
    kind: 'Event',
    singular: 'event',
    namespaced: true,
    shortNames: ['ev'],
    categories: [],
    hasGeneration: false,
  },
  {
    group: '',
    resource: 'nodes',
    kind: 'Node',
    singular: 'node',
    namespaced: false,
    shortNames: ['no'],
    categories: [],
    hasGeneration: false,
  },
  {
    group: 'apps',
    resource: 'deployments',
    kind: 'Deployment',
    singular: 'deployment',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    hasGeneration: true,
  },
  {
    group: 'apps',
    resource: 'replicasets',
    kind: 'ReplicaSet',
    singular: 'replicaset',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    hasGeneration: true,
  },
  {
    group: 'apps',
    resource: 'statefulsets',
    kind: 'StatefulSet',
    singular: 'statefulset',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    hasGeneration: true,
  },
  {
    group: 'apps',
    resource: 'daemonsets',
    kind: 'DaemonSet',
    singular: 'daemonset',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    hasGeneration: true,
  },
  {
    group: 'apps',
    resource: 'controllerrevisions',
    kind: 'ControllerRevision',
    singular: 'controllerrevision',
    namespaced: true,
    shortNames: [],
    categories: [],
    hasGeneration: false,
  },
];

export function resourceType(resource: string): ResourceType {
  const type = RESOURCES.find((r) => r.resource === resource);
  if (!type) throw new Error(`unknown resource ${resource}`);
  return type;
}

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/v1` : 'v1';
}

export type KObject = Record<string, any> & { metadata: Record<string, any> };

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: string;
  rv: number;
  object: KObject;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export function notFound(type: ResourceType, name: string): ApiError {
  const qualified = type.group ? `${type.resource}.${type.group}` : type.resource;
  return new ApiError(404, 'NotFound', `${qualified} "${name}" not found`, {
    name,
    group: type.group,
    kind: type.resource,
  });
}

export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

const KEEP_EVENTS = 50_000;

/**
 * Objects by resource, namespace and name, a single resourceVersion counter like etcd's, and the
 * log of changes that watches replay from a resourceVersion.
 */
export class Store {
  private rv = 1;
  private readonly objects = new Map<string, KObject>();
  private readonly log: WatchEvent[] = [];
  private readonly listeners = new Set<(event: WatchEvent) => void>();
  /** Milliseconds of creation, since creationTimestamp has only seconds. */
  readonly createdAt = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  get resourceVersion(): number {
    return this.rv;
  }

  get oldestResourceVersion(): number {
    return this.log[0]?.rv ?? this.rv;
  }

  private key(resource: string, namespace: string | undefined, name: string): string {
    return `${resource}/${namespace ?? ''}/${name}`;
  }

  get(resource: string, namespace: string | undefined, name: string): KObject | undefined {
    return this.objects.get(this.key(resource, namespace, name));
  }

  list(resource: string, namespace?: string): KObject[] {
    const out: KObject[] = [];
    for (const [key, object] of this.objects) {
      if (!key.startsWith(`${resource}/`)) continue;
      if (namespace !== undefined && object.metadata.namespace !== namespace) continue;
      out.push(object);
    }
    return out.sort((a, b) => String(a.metadata.name).localeCompare(String(b.metadata.name)));
  }

  create(resource: string, input: KObject): KObject {
    const type = resourceType(resource);
    const object = clone(input);
    const meta = object.metadata;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
    if (!meta.name)
      throw new ApiError(
        422,
        'Invalid',
        `${type.kind} "": metadata.name: Required value: name or generateName is required`,
      );
    if (type.namespaced) {
      if (!meta.namespace) throw new ApiError(400, 'BadRequest', 'the namespace of the object is required');
      if (!this.get('namespaces', undefined, meta.namespace))
        throw new ApiError(404, 'NotFound', `namespaces "${meta.namespace}" not found`, {
          name: meta.namespace,
          kind: 'namespaces',
        });
    } else delete meta.namespace;
    if (this.get(resource, meta.namespace, meta.name)) {
      const qualified = type.group ? `${type.resource}.${type.group}` : type.resource;
      throw new ApiError(409, 'AlreadyExists', `${qualified} "${meta.name}" already exists`, {
        name: meta.name,
        kind: type.resource,
      });
    }
    object.apiVersion = apiVersionOf(type);
    object.kind = type.kind;
    meta.uid = randomUUID();
    meta.creationTimestamp = rfc3339(this.now());
    if (type.hasGeneration) meta.generation = 1;
    delete meta.deletionTimestamp;
    this.createdAt.set(meta.uid, this.now());
    return this.commit('ADDED', resource, object);
  }

  /** Replaces an object; a stale resourceVersion is a conflict, as with the API server. */
  update(resource: string, input: KObject, options: { checkVersion?: boolean } = {}): KObject {
    const type = resourceType(resource);
    const object = clone(input);
    const meta = object.metadata;
    const current = this.get(resource, type.namespaced ? meta.namespace : undefined, meta.name);
    if (!current) throw notFound(type, meta.name);
    if (options.checkVersion && meta.resourceVersion && meta.resourceVersion !== current.metadata.resourceVersion) {
      const qualified = type.group ? `${type.resource}.${type.group}` : type.resource;
      throw new ApiError(
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${qualified} "${meta.name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
    object.apiVersion = apiVersionOf(type);
    object.kind = type.kind;
    for (const field of ['uid', 'creationTimestamp', 'generation'] as const) meta[field] = current.metadata[field];
    if (!type.namespaced) delete meta.namespace;
    if (type.hasGeneration && JSON.stringify(object.spec) !== JSON.stringify(current.spec))
      meta.generation = (current.metadata.generation ?? 0) + 1;
    meta.resourceVersion = current.metadata.resourceVersion;
    if (JSON.stringify(object) === JSON.stringify(current)) return current;
    return this.commit('MODIFIED', resource, object);
  }

  delete(resource: string, namespace: string | undefined, name: string): KObject {
    const type = resourceType(resource);
    const current = this.get(resource, type.namespaced ? namespace : undefined, name);
    if (!current) throw notFound(type, name);
    const object = clone(current);
    object.metadata.deletionTimestamp = rfc3339(this.now());
    this.objects.delete(this.key(resource, type.namespaced ? namespace : undefined, name));
    this.createdAt.delete(object.metadata.uid);
    this.rv++;
    object.metadata.resourceVersion = String(this.rv);
    this.emit({ type: 'DELETED', resource, rv: this.rv, object });
    return object;
  }

  private commit(type: 'ADDED' | 'MODIFIED', resource: string, object: KObject): KObject {
    this.rv++;
    object.metadata.resourceVersion = String(this.rv);
    const t = resourceType(resource);
    this.objects.set(
      this.key(resource, t.namespaced ? object.metadata.namespace : undefined, object.metadata.name),
      object,
    );
    this.emit({ type, resource, rv: this.rv, object: clone(object) });
    return object;
  }

  private emit(event: WatchEvent): void {
    this.log.push(event);
    if (this.log.length > KEEP_EVENTS) this.log.splice(0, this.log.length - KEEP_EVENTS);
    for (const listener of this.listeners) listener(event);
  }

  /** Changes after `rv`, oldest first. */
  since(rv: number): WatchEvent[] {
    return this.log.filter((e) => e.rv > rv);
  }

  subscribe(listener: (event: WatchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export function randomSuffix(length = 5): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
}

// ---- selectors -------------------------------------------------------------------------------

type Requirement = { key: string; op: 'in' | 'notin'; values: string[] } | { key: string; op: 'exists' | '!exists' };

/** Label selectors as `kubectl -l` and the typed clients write them: `a=b,c!=d,e in (x,y),f,!g`. */
export function parseLabelSelector(text: string): Requirement[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  if (current.trim()) parts.push(current);
  return parts.map((raw) => {
    const part = raw.trim();
    let m = /^(\S+)\s+(in|notin)\s+\((.*)\)$/.exec(part);
    if (m)
      return {
        key: m[1] as string,
        op: m[2] as 'in' | 'notin',
        values: (m[3] as string).split(',').map((v) => v.trim()),
      };
    m = /^([^=!\s]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (m) return { key: m[1] as string, op: m[2] === '!=' ? 'notin' : 'in', values: [(m[3] as string).trim()] };
    if (part.startsWith('!')) return { key: part.slice(1).trim(), op: '!exists' };
    return { key: part, op: 'exists' };
  });
}

export function matchesLabels(requirements: Requirement[], labels: Record<string, string> | undefined): boolean {
  return requirements.every((r) => {
    const value = labels?.[r.key];
    switch (r.op) {
      case 'exists':
        return value !== undefined;
      case '!exists':
        return value === undefined;
      case 'in':
        return value !== undefined && r.values.includes(value);
      default:
        return value === undefined || !r.values.includes(value);
    }
  });
}

/** Field selectors: `metadata.name=x`, `involvedObject.uid=…`, `a!=b`, comma-separated. */
export function matchesFields(text: string, object: KObject): boolean {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .every((part) => {
      const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(part);
      if (!m) return true;
      const value = String(
        (m[1] as string).split('.').reduce<any>((node, key) => (node == null ? undefined : node[key]), object) ?? '',
      );
      return m[2] === '!=' ? value !== m[3] : value === m[3];
    });
}
