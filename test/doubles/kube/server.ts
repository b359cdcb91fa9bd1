// biome-ignore-all lint/suspicious/noExplicitAny: Kubernetes objects are untyped JSON in the simulator.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controllers, type SimulatorTiming } from './controllers.js';
import { isObject, jsonMergePatch, jsonPatch, PatchError, strategicMergePatch } from './patch.js';
import {
  ApiError,
  apiVersionOf,
  type KObject,
  matchesFields,
  matchesLabels,
  notFound,
  parseLabelSelector,
  RESOURCES,
  type ResourceType,
  Store,
  type WatchEvent,
} from './store.js';

/**
 * A local Kubernetes API server for the real kubectl: discovery, OpenAPI, GET/LIST/WATCH/POST/PUT/
 * PATCH/DELETE for the kinds in store.ts, pod logs, server-side dry run; the controllers in
 * controllers.ts move rollouts forward. Plain HTTP on 127.0.0.1, reached through a generated kubeconfig.
 */
export interface KubeSimulator {
  url: string;
  /** Path of a kubeconfig whose current context points at the simulator (namespace `default`). */
  kubeconfig: string;
  /** A directory for KUBECACHEDIR, so parallel kubectl runs do not share a discovery cache. */
  cacheDir: string;
  /** Environment for kubectl: KUBECONFIG and KUBECACHEDIR. */
  env: Record<string, string>;
  store: Store;
  controllers: Controllers;
  /** Requests served, by `METHOD path` (no query), for tests that count round trips. */
  requests: string[];
  createNamespace(name: string): void;
  stop(): Promise<void>;
}

export interface SimulatorOptions {
  timing?: Partial<SimulatorTiming>;
  /** Simulated nodes (DaemonSets run one pod on each). */
  nodes?: number;
  /** Server version reported by /version (minor). */
  minorVersion?: number;
}

export async function startKubeSimulator(options: SimulatorOptions = {}): Promise<KubeSimulator> {
  const store = new Store(() => Date.now());
  const controllers = new Controllers(store, { nodes: options.nodes ?? 3, timing: options.timing ?? {} });
  const requests: string[] = [];
  const openWatches = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent)
        sendError(res, error instanceof ApiError ? error : new ApiError(500, 'InternalError', String(error)));
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    requests.push(`${method} ${url.pathname}`);
    const body = method === 'GET' || method === 'DELETE' ? await readBody(req) : await readBody(req);
    const path = url.pathname.replace(/\/+$/, '') || '/';

    if (path === '/version') return sendJson(res, 200, versionInfo(options.minorVersion ?? 32));
    if (path === '/healthz' || path === '/readyz' || path === '/livez') return sendText(res, 200, 'ok');
    if (path === '/api')
      return sendJson(res, 200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }],
      });
    if (path === '/apis') return sendJson(res, 200, apiGroupList());
    if (path === '/api/v1') return sendJson(res, 200, resourceList(''));
    if (path === '/apis/apps') return sendJson(res, 200, appsGroup());
    if (path === '/apis/apps/v1') return sendJson(res, 200, resourceList('apps'));
    // kubectl 1.27 downloads the OpenAPI v2 document as protobuf; an empty document (no definitions)
    // makes it skip client-side schema validation for kinds it does not know about.
    if (path === '/openapi/v2') {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': '0' });
      return void res.end();
    }
    if (path === '/openapi/v3') return sendJson(res, 200, openApiV3Index());
    if (path === '/openapi/v3/api/v1') return sendJson(res, 200, openApiV3Document(''));
    if (path === '/openapi/v3/apis/apps/v1') return sendJson(res, 200, openApiV3Document('apps'));

    const route = parseResourcePath(path);
    if (!route) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    const { type, namespace, name, subresource } = route;

    if (subresource === 'log' && type.resource === 'pods' && name && method === 'GET') {
      const pod = store.get('pods', namespace, name);
      if (!pod) throw notFound(type, name);
      const text = controllers.podLog(pod, {
        container: url.searchParams.get('container') ?? undefined,
        previous: url.searchParams.get('previous') === 'true',
        tailLines: url.searchParams.has('tailLines') ? Number(url.searchParams.get('tailLines')) : undefined,
      });
      return sendText(res, 200, text);
    }
    if (subresource && subresource !== 'status')
      throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${subresource})`);

    const dryRun = url.searchParams.getAll('dryRun').includes('All');
    switch (method) {
      case 'GET': {
        if (name) {
          const object = store.get(type.resource, namespace, name);
          if (!object) throw notFound(type, name);
          return sendJson(res, 200, object);
        }
        const labelSelector = parseLabelSelector(url.searchParams.get('labelSelector') ?? '');
        const fieldSelector = url.searchParams.get('fieldSelector') ?? '';
        const matches = (object: KObject) =>
          matchesLabels(labelSelector, object.metadata.labels) && matchesFields(fieldSelector, object);
        const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
        if (watch) return serveWatch(req, res, type, namespace, matches, url.searchParams);
        const items = store.list(type.resource, namespace).filter(matches);
        return sendJson(res, 200, {
          kind: `${type.kind}List`,
          apiVersion: apiVersionOf(type),
          metadata: { resourceVersion: String(store.resourceVersion) },
          items,
        });
      }
      case 'POST': {
        if (name)
          throw new ApiError(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          );
        const object = decode(req, body);
        object.metadata ??= {};
        if (type.namespaced) {
          if (object.metadata.namespace && object.metadata.namespace !== namespace)
            throw new ApiError(
              400,
              'BadRequest',
              'the namespace of the provided object does not match the namespace sent on the request',
            );
          object.metadata.namespace = namespace;
        }
        controllers.applyDefaults(type.resource, object);
        if (dryRun)
          return sendJson(res, 201, {
            ...object,
            metadata: { ...object.metadata, uid: 'dry-run', creationTimestamp: new Date().toISOString() },
          });
        return sendJson(res, 201, store.create(type.resource, object));
      }
      case 'PUT': {
        if (!name)
          throw new ApiError(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          );
        const object = decode(req, body);
        object.metadata = { ...object.metadata, name, ...(type.namespaced ? { namespace } : {}) };
        controllers.applyDefaults(type.resource, object);
        if (dryRun) return sendJson(res, 200, object);
        return sendJson(res, 200, store.update(type.resource, object, { checkVersion: true }));
      }
      case 'PATCH': {
        if (!name)
          throw new ApiError(
            405,
            'MethodNotAllowed',
            'the server does not allow this method on the requested resource',
          );
        const current = store.get(type.resource, namespace, name);
        if (!current) throw notFound(type, name);
        const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim();
        const patch = parseJson(body);
        let patched: any;
        try {
          if (contentType === 'application/json-patch+json') patched = jsonPatch(current, patch);
          else if (contentType === 'application/merge-patch+json') patched = jsonMergePatch(current, patch);
          else if (contentType === 'application/strategic-merge-patch+json')
            patched = strategicMergePatch(current, patch);
          else
            throw new ApiError(
              415,
              'UnsupportedMediaType',
              `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json`,
            );
        } catch (error) {
          if (error instanceof PatchError) throw new ApiError(422, 'Invalid', error.message);
          throw error;
        }
        if (!isObject(patched) || !isObject(patched.metadata))
          throw new ApiError(422, 'Invalid', 'the patch removed the object metadata');
        patched.metadata.name = name;
        if (type.namespaced) patched.metadata.namespace = namespace;
        if (patch?.metadata?.resourceVersion === undefined)
          patched.metadata.resourceVersion = current.metadata.resourceVersion;
        controllers.applyDefaults(type.resource, patched);
        if (dryRun) return sendJson(res, 200, patched);
        return sendJson(res, 200, store.update(type.resource, patched as KObject, { checkVersion: true }));
      }
      case 'DELETE': {
        if (!name)
          throw new ApiError(405, 'MethodNotAllowed', 'deleting collections is not supported by the simulator');
        if (dryRun) {
          const object = store.get(type.resource, namespace, name);
          if (!object) throw notFound(type, name);
          return sendJson(res, 200, object);
        }
        const deleted = store.delete(type.resource, namespace, name);
        controllers.onDeleted(type.resource, deleted);
        return sendJson(res, 200, deleted);
      }
      default:
        throw new ApiError(405, 'MethodNotAllowed', `method ${method} is not allowed`);
    }
  }

  function serveWatch(
    req: IncomingMessage,
    res: ServerResponse,
    type: ResourceType,
    namespace: string | undefined,
    matches: (object: KObject) => boolean,
    query: URLSearchParams,
  ): void {
    const fromText = query.get('resourceVersion') ?? '';
    const from = Number(fromText || '0');
    if (from > 0 && from < store.oldestResourceVersion - 1) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      res.end(
        `${JSON.stringify({ type: 'ERROR', object: status(new ApiError(410, 'Expired', `too old resource version: ${from} (${store.oldestResourceVersion})`)) })}\n`,
      );
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Transfer-Encoding': 'chunked',
      'Cache-Control': 'no-cache',
    });
    res.flushHeaders();
    openWatches.add(res);
    const relevant = (event: WatchEvent) =>
      event.resource === type.resource &&
      (namespace === undefined || event.object.metadata.namespace === namespace) &&
      matches(event.object);
    const write = (event: { type: string; object: unknown }) => res.write(`${JSON.stringify(event)}\n`);
    let sent = store.resourceVersion;
    if (query.get('sendInitialEvents') === 'true' || from === 0) {
      for (const object of store.list(type.resource, namespace).filter(matches)) write({ type: 'ADDED', object });
      if (query.get('sendInitialEvents') === 'true')
        write({
          type: 'BOOKMARK',
          object: {
            kind: type.kind,
            apiVersion: apiVersionOf(type),
            metadata: {
              resourceVersion: String(store.resourceVersion),
              annotations: { 'k8s.io/initial-events-end': 'true' },
            },
          },
        });
    } else {
      for (const event of store.since(from)) if (relevant(event)) write({ type: event.type, object: event.object });
    }
    const unsubscribe = store.subscribe((event) => {
      if (event.rv <= sent) return;
      sent = event.rv;
      if (relevant(event)) write({ type: event.type, object: event.object });
    });
    const finish = () => {
      unsubscribe();
      clearTimeout(timer);
      openWatches.delete(res);
      if (!res.writableEnded) res.end();
    };
    const timeoutSeconds = Number(query.get('timeoutSeconds') ?? '1800');
    const timer = setTimeout(finish, Math.max(1, timeoutSeconds) * 1000);
    req.on('close', finish);
    res.on('close', finish);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const dir = await mkdtemp(join(tmpdir(), 'kube-sim-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, kubeconfigText(url), 'utf8');
  const cacheDir = join(dir, 'cache');
  store.create('namespaces', { metadata: { name: 'default' } });
  store.create('namespaces', { metadata: { name: 'kube-system' } });
  controllers.start();

  return {
    url,
    kubeconfig,
    cacheDir,
    env: { KUBECONFIG: kubeconfig, KUBECACHEDIR: cacheDir },
    store,
    controllers,
    requests,
    createNamespace(name: string) {
      if (!store.get('namespaces', undefined, name)) store.create('namespaces', { metadata: { name } });
    },
    async stop() {
      controllers.stop();
      for (const res of openWatches) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function kubeconfigText(server: string, namespace = 'default'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: simulator',
    '  cluster:',
    `    server: ${server}`,
    'users:',
    '- name: simulator',
    '  user: {}',
    'contexts:',
    '- name: simulator',
    '  context:',
    '    cluster: simulator',
    '    user: simulator',
    `    namespace: ${namespace}`,
    'current-context: simulator',
    '',
  ].join('\n');
}

function parseResourcePath(
  path: string,
):
  | { type: ResourceType; namespace: string | undefined; name: string | undefined; subresource: string | undefined }
  | undefined {
  const m = /^\/(?:api\/v1|apis\/apps\/v1)\/(.+)$/.exec(path);
  if (!m) return undefined;
  const group = path.startsWith('/apis/apps/') ? 'apps' : '';
  const parts = (m[1] as string).split('/').map(decodeURIComponent);
  let namespace: string | undefined;
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    namespace = parts[1];
    parts.splice(0, 2);
  }
  const [resource, name, subresource] = parts;
  const type = RESOURCES.find((r) => r.resource === resource && r.group === group);
  if (!type) return undefined;
  if (type.namespaced === false && namespace !== undefined) return undefined;
  return { type, namespace, name, subresource };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(body: string): any {
  try {
    return JSON.parse(body);
  } catch {
    throw new ApiError(400, 'BadRequest', 'the request body is not valid JSON');
  }
}

function decode(req: IncomingMessage, body: string): any {
  const contentType = req.headers['content-type'] ?? '';
  if (contentType.includes('protobuf'))
    throw new ApiError(415, 'UnsupportedMediaType', 'the simulator accepts JSON request bodies only');
  const object = parseJson(body);
  if (!isObject(object)) throw new ApiError(400, 'BadRequest', 'expected a JSON object');
  return object;
}

function status(error: ApiError): object {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: error.message,
    reason: error.reason,
    ...(error.details ? { details: error.details } : {}),
    code: error.code,
  };
}

function sendError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.code, status(error));
}

function sendJson(res: ServerResponse, code: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function versionInfo(minor: number): object {
  return {
    major: '1',
    minor: String(minor),
    gitVersion: `v1.${minor}.0-runbook-simulator`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.24',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

function appsGroup(): object {
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: 'apps',
    versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
    preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
  };
}

function apiGroupList(): object {
  const { kind: _kind, apiVersion: _apiVersion, ...group } = appsGroup() as Record<string, unknown>;
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [group] };
}

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

function resourceList(group: '' | 'apps'): object {
  const resources: object[] = [];
  for (const type of RESOURCES.filter((r) => r.group === group)) {
    resources.push({
      name: type.resource,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: VERBS,
      ...(type.shortNames.length ? { shortNames: type.shortNames } : {}),
      ...(type.categories.length ? { categories: type.categories } : {}),
    });
    if (type.hasGeneration)
      resources.push({
        name: `${type.resource}/status`,
        singularName: '',
        namespaced: true,
        kind: type.kind,
        verbs: ['get', 'patch', 'update'],
      });
  }
  if (group === '')
    resources.push({ name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/v1` : 'v1', resources };
}

function openApiV3Index(): object {
  return {
    paths: {
      'api/v1': { serverRelativeURL: '/openapi/v3/api/v1?hash=simulator1' },
      'apis/apps/v1': { serverRelativeURL: '/openapi/v3/apis/apps/v1?hash=simulator1' },
    },
  };
}

/**
 * Just enough of an OpenAPI v3 document for kubectl's field-validation check: each kind's PATCH
 * operation, tagged with its group-version-kind, lists the `fieldValidation` query parameter, so
 * kubectl leaves validation to the server instead of validating against schemas it cannot find.
 */
function openApiV3Document(group: '' | 'apps'): object {
  const paths: Record<string, object> = {};
  for (const type of RESOURCES.filter((r) => r.group === group)) {
    const prefix = group ? `/apis/${group}/v1` : '/api/v1';
    const path = type.namespaced
      ? `${prefix}/namespaces/{namespace}/${type.resource}/{name}`
      : `${prefix}/${type.resource}/{name}`;
    paths[path] = {
      patch: {
        operationId: `patch${type.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group, version: 'v1', kind: type.kind },
        parameters: [
          { name: 'dryRun', in: 'query', schema: { type: 'string' } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string' } },
          { name: 'fieldValidation', in: 'query', schema: { type: 'string' } },
        ],
        requestBody: { content: { 'application/merge-patch+json': { schema: { type: 'object' } } } },
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (runbook simulator)', version: 'v1' },
    paths,
    components: { schemas: {} },
  };
}
