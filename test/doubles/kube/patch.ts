// biome-ignore-all lint/suspicious/noExplicitAny: Kubernetes objects are untyped JSON in the simulator.
/**
 * The three patch formats kubectl sends: JSON patch (RFC 6902, `rollout undo` of a Deployment),
 * JSON merge patch (RFC 7386) and strategic merge patch (client-side `apply`, `rollout pause/resume`,
 * `rollout undo` of StatefulSets/DaemonSets with `$patch: replace`). The strategic merge patch covers
 * the directives kubectl generates: `$patch` (replace/delete/merge), `$retainKeys`,
 * `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>` and lists merged by their key.
 */

export class PatchError extends Error {}

export function clone<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function jsonMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const result: Record<string, any> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = jsonMergePatch(result[key], value);
  }
  return result;
}

/** Lists merged element by element, with the field that identifies an element (the Go struct tags' patchMergeKey). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  ports: 'containerPort',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  conditions: 'type',
  ownerReferences: 'uid',
  resourceClaims: 'name',
};

export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch);
  const directive = patch.$patch;
  if (directive === 'replace') return stripDirectives(patch);
  if (directive === 'delete') return undefined;
  let result: Record<string, any> = isObject(target) ? { ...target } : {};
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set<string>(patch.$retainKeys);
    result = Object.fromEntries(Object.entries(result).filter(([k]) => keep.has(k)));
  }
  const orders: [string, unknown[]][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith('$setElementOrder/')) {
      if (Array.isArray(value)) orders.push([key.slice('$setElementOrder/'.length), value]);
      continue;
    }
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      const drop = new Set(Array.isArray(value) ? value.map((v) => JSON.stringify(v)) : []);
      if (Array.isArray(result[field]))
        result[field] = result[field].filter((v: unknown) => !drop.has(JSON.stringify(v)));
      continue;
    }
    if (value === null) {
      delete result[key];
    } else if (Array.isArray(value)) {
      result[key] = mergeList(result[key], value, MERGE_KEYS[key]);
    } else if (isObject(value)) {
      const merged = strategicMergePatch(result[key], value);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else {
      result[key] = value;
    }
  }
  for (const [field, order] of orders) {
    const mergeKey = MERGE_KEYS[field];
    if (!Array.isArray(result[field])) continue;
    const list: any[] = result[field];
    const id = (item: any) => JSON.stringify(mergeKey && isObject(item) ? item[mergeKey] : item);
    const rank = new Map(order.map((item, i) => [id(item), i]));
    result[field] = [...list].sort((a, b) => (rank.get(id(a)) ?? order.length) - (rank.get(id(b)) ?? order.length));
  }
  return result;
}

function mergeList(target: unknown, patch: unknown[], mergeKey: string | undefined): unknown[] {
  const replace = patch.some((item) => isObject(item) && item.$patch === 'replace');
  const items = patch.filter(
    (item) => !(isObject(item) && item.$patch === 'replace' && Object.keys(item).length === 1),
  );
  if (!mergeKey || replace || !Array.isArray(target)) {
    return items.filter((item) => !(isObject(item) && item.$patch === 'delete')).map(stripDirectives);
  }
  const result: any[] = target.map(clone);
  for (const item of items) {
    if (!isObject(item)) continue;
    const at = result.findIndex((existing) => isObject(existing) && existing[mergeKey] === item[mergeKey]);
    if (item.$patch === 'delete') {
      if (at >= 0) result.splice(at, 1);
    } else if (at >= 0) {
      result[at] = strategicMergePatch(result[at], item);
    } else {
      result.push(stripDirectives(item));
    }
  }
  return result;
}

function stripDirectives(value: unknown): any {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isObject(value)) return value;
  const out: Record<string, any> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key.startsWith('$')) continue;
    out[key] = stripDirectives(item);
  }
  return out;
}

interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw new PatchError('a JSON patch must be an array of operations');
  let doc = clone(target);
  for (const operation of operations as JsonPatchOperation[]) {
    switch (operation.op) {
      case 'add':
        doc = setPointer(doc, operation.path, clone(operation.value), 'add');
        break;
      case 'replace':
        getPointer(doc, operation.path);
        doc = setPointer(doc, operation.path, clone(operation.value), 'replace');
        break;
      case 'remove':
        doc = removePointer(doc, operation.path);
        break;
      case 'move': {
        const value = getPointer(doc, operation.from ?? '');
        doc = removePointer(doc, operation.from ?? '');
        doc = setPointer(doc, operation.path, value, 'add');
        break;
      }
      case 'copy':
        doc = setPointer(doc, operation.path, clone(getPointer(doc, operation.from ?? '')), 'add');
        break;
      case 'test':
        if (JSON.stringify(getPointer(doc, operation.path)) !== JSON.stringify(operation.value))
          throw new PatchError(`test operation failed at ${operation.path}`);
        break;
      default:
        throw new PatchError(`unknown JSON patch operation ${JSON.stringify((operation as { op: unknown }).op)}`);
    }
  }
  return doc;
}

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`invalid JSON pointer ${JSON.stringify(pointer)}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function getPointer(doc: unknown, pointer: string): unknown {
  let node: any = doc;
  for (const token of tokens(pointer)) {
    if (node === null || typeof node !== 'object' || !(token in node))
      throw new PatchError(`path ${pointer} does not exist`);
    node = node[token];
  }
  return node;
}

function setPointer(doc: unknown, pointer: string, value: unknown, mode: 'add' | 'replace'): unknown {
  const parts = tokens(pointer);
  if (parts.length === 0) return value;
  const last = parts.pop() as string;
  const parent: any = getPointer(doc, parts.length ? `/${parts.map(escapeToken).join('/')}` : '');
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length)
      throw new PatchError(`invalid index in ${pointer}`);
    if (mode === 'add') parent.splice(index, 0, value);
    else parent[index] = value;
  } else if (isObject(parent)) {
    parent[last] = value;
  } else {
    throw new PatchError(`path ${pointer} does not exist`);
  }
  return doc;
}

function removePointer(doc: unknown, pointer: string): unknown {
  const parts = tokens(pointer);
  const last = parts.pop() as string;
  const parent: any = getPointer(doc, parts.length ? `/${parts.map(escapeToken).join('/')}` : '');
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isObject(parent) && last in parent) delete parent[last];
  else throw new PatchError(`path ${pointer} does not exist`);
  return doc;
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}
