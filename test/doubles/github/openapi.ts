import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv2019Module from 'ajv/dist/2019.js';
import addFormatsModule from 'ajv-formats';

/**
 * GitHub's published OpenAPI description (api.github.com only), parsed once per process, and the
 * checks the double runs on every request and response. Only `generated/api.github.com.json` is
 * read: the package index would pull in every GHES version (hundreds of MB).
 *
 * Responses are checked against a "closed" copy of the schemas (objects with `properties` get
 * `additionalProperties: false` unless they say otherwise), so a field the double invents that
 * GitHub does not document is a violation, not silently accepted.
 */

// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is untyped JSON
type Json = any;
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

// ajv and ajv-formats are CommonJS with a `default` export: unwrap it under ESM.
const Ajv = (Ajv2019Module as unknown as { default: typeof Ajv2019Module.default }).default ?? Ajv2019Module;
type AjvInstance = InstanceType<typeof Ajv>;
const addFormats = (addFormatsModule as unknown as { default: typeof addFormatsModule.default }).default;

/**
 * Components are registered with ajv one by one, when a schema being compiled first refers to them
 * (transforming all ~1,000 of them up front costs seconds per process). Each has an id per flavour:
 * as published (requests), closed (responses), and open (a branch of a multi-branch allOf).
 */
const FLAVOURS = {
  request: 'https://openapi.github.local/request/',
  closed: 'https://openapi.github.local/closed/',
  open: 'https://openapi.github.local/open/',
} as const;
type Flavour = keyof typeof FLAVOURS;

export interface Operation {
  method: Method;
  template: string;
  operationId: string;
  raw: Json;
}

export interface RouteMatch {
  operation: Operation;
  params: Record<string, string>;
}

interface CompiledRoute {
  operation: Operation;
  regex: RegExp;
  names: string[];
  /** Literal characters: the most specific template wins (`/issues/comments` over `/issues/{n}`). */
  specificity: number;
}

let cached: OpenApi | undefined;

/** The process-wide instance: the 13 MB document is parsed once. */
export function openApi(): OpenApi {
  cached ??= new OpenApi(loadSpec());
  return cached;
}

function loadSpec(): Json {
  const require = createRequire(import.meta.url);
  // Resolve the package folder through its package.json, never its index (which loads every version).
  const pkg = require.resolve('@octokit/openapi/package.json');
  return JSON.parse(readFileSync(join(dirname(pkg), 'generated', 'api.github.com.json'), 'utf8'));
}

export class OpenApi {
  private readonly routes: CompiledRoute[] = [];
  private readonly requestAjv: AjvInstance;
  private readonly responseAjv: AjvInstance;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly registered = new Set<string>();

  constructor(readonly spec: Json) {
    for (const [template, item] of Object.entries<Json>(spec.paths)) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
        const raw = item[method];
        if (!raw) continue;
        const names: string[] = [];
        const multi = new Set(
          (raw.parameters ?? [])
            .map((p: Json) => this.deref(p))
            .filter((p: Json) => p['x-multi-segment'])
            .map((p: Json) => p.name),
        );
        const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
          names.push(name);
          return multi.has(name) ? '(.+)' : '([^/]+)';
        });
        this.routes.push({
          operation: { method, template, operationId: raw.operationId, raw },
          regex: new RegExp(`^${source}$`),
          names,
          specificity: template.replace(/\{\w+\}/g, '').length,
        });
      }
    }
    this.routes.sort((a, b) => b.specificity - a.specificity);
    this.requestAjv = makeAjv({ coerceTypes: true });
    this.responseAjv = makeAjv({});
  }

  /** Method + concrete path → the operation and its decoded path parameters. */
  match(method: string, path: string): RouteMatch | undefined {
    const m = method.toLowerCase();
    for (const route of this.routes) {
      if (route.operation.method !== m) continue;
      const found = route.regex.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(found[i + 1] ?? '');
      });
      return { operation: route.operation, params };
    }
    return undefined;
  }

  /** The operation by method and template, for handlers registered by template. */
  operation(method: string, template: string): Operation | undefined {
    const raw = this.spec.paths[template]?.[method.toLowerCase()];
    return raw ? { method: method.toLowerCase() as Method, template, operationId: raw.operationId, raw } : undefined;
  }

  /** Problems with the path and query parameters (unknown query parameters included). */
  checkParameters(operation: Operation, path: Record<string, string>, query: URLSearchParams): string[] {
    const problems: string[] = [];
    const declared = (operation.raw.parameters ?? []).map((p: Json) => this.deref(p));
    const known = new Set<string>();
    for (const parameter of declared) {
      if (parameter.in !== 'path' && parameter.in !== 'query') continue;
      known.add(`${parameter.in}:${parameter.name}`);
      const value = parameter.in === 'path' ? path[parameter.name] : (query.get(parameter.name) ?? undefined);
      if (value === undefined) {
        if (parameter.required) problems.push(`${parameter.in} parameter "${parameter.name}" is required`);
        continue;
      }
      // Coercion ("30" → 30) needs a parent object to write the converted value into.
      const validate = this.compile(`${operation.operationId}:param:${parameter.in}:${parameter.name}`, 'request', {
        type: 'object',
        properties: { value: parameter.schema ?? {} },
      });
      if (!validate({ value }))
        problems.push(
          `${parameter.in} parameter "${parameter.name}"=${JSON.stringify(value)}: ${describe(validate.errors)}`,
        );
    }
    for (const name of new Set(query.keys())) {
      if (!known.has(`query:${name}`))
        problems.push(`query parameter "${name}" is not declared by ${operation.operationId}`);
    }
    return problems;
  }

  /** Problems with a JSON request body. */
  checkRequestBody(operation: Operation, body: unknown): string[] {
    const requestBody = operation.raw.requestBody ? this.deref(operation.raw.requestBody) : undefined;
    if (!requestBody) return body === undefined ? [] : [`${operation.operationId} takes no request body`];
    const schema = requestBody.content?.['application/json']?.schema;
    if (body === undefined) return requestBody.required ? ['a JSON request body is required'] : [];
    if (!schema) return [];
    const validate = this.compile(`${operation.operationId}:request`, 'request', schema);
    return validate(body) ? [] : [`request body: ${describe(validate.errors)}`];
  }

  /** Problems with a response: the status must be declared, and a JSON body must match its schema. */
  checkResponse(operation: Operation, status: number, body: unknown): string[] {
    const declared = operation.raw.responses?.[String(status)];
    if (!declared) return [`status ${status} is not a declared response of ${operation.operationId}`];
    const response = this.deref(declared);
    const schema = response.content?.['application/json']?.schema;
    if (!schema)
      return body === undefined || body === '' ? [] : [`status ${status} of ${operation.operationId} has no body`];
    const validate = this.compile(`${operation.operationId}:response:${status}`, 'closed', schema);
    return validate(body) ? [] : [`response ${status} body: ${describe(validate.errors)}`];
  }

  /** The JSON schema of a component, e.g. `issue`. */
  schema(name: string): Json {
    const schema = this.spec.components.schemas[name];
    if (!schema) throw new Error(`no schema #/components/schemas/${name} in the OpenAPI description`);
    return schema;
  }

  /** Follows a `$ref` to `#/components/...` (parameters, responses, request bodies, schemas). */
  deref(node: Json): Json {
    let current = node;
    while (current && typeof current.$ref === 'string') {
      const [, kind, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(current.$ref) ?? [];
      if (!kind || !name) throw new Error(`unsupported $ref ${current.$ref}`);
      current = this.spec.components[kind]?.[name];
    }
    return current;
  }

  /** Compiles an operation-level schema once, registering the components it reaches first. */
  private compile(key: string, flavour: 'request' | 'closed', schema: Json): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      const root =
        flavour === 'closed' ? closeObjects({ root: normalizeNullable(schema) }).root : normalizeNullable(schema);
      const rebased = rebase(root, flavour);
      this.registerReferences(rebased);
      validate = (flavour === 'request' ? this.requestAjv : this.responseAjv).compile(rebased);
      this.validators.set(key, validate);
    }
    return validate;
  }

  private registerReferences(node: Json): void {
    for (const ref of references(node)) {
      if (this.registered.has(ref)) continue;
      this.registered.add(ref);
      const flavour = (Object.keys(FLAVOURS) as Flavour[]).find((f) => ref.startsWith(FLAVOURS[f])) as Flavour;
      const name = ref.slice(FLAVOURS[flavour].length);
      const normalized = normalizeNullable(this.schema(name));
      const shaped = flavour === 'request' ? normalized : closeObjects(normalized, flavour === 'open');
      const component = { ...rebase(shaped, flavour === 'request' ? 'request' : 'closed'), $id: ref };
      (flavour === 'request' ? this.requestAjv : this.responseAjv).addSchema(component);
      this.registerReferences(component);
    }
  }
}

function makeAjv(options: { coerceTypes?: boolean }) {
  const ajv = new Ajv({ strict: false, allErrors: false, validateSchema: false, ...options });
  addFormats(ajv);
  // Formats GitHub uses that ajv-formats does not know are accepted as any string.
  for (const name of ['int32', 'int64', 'binary', 'repo.nwo', 'uint64']) ajv.addFormat(name, true);
  return ajv;
}

/**
 * Points `#/components/schemas/X` at the component's id in the given flavour (closed for responses),
 * and `#/components/open/X` (set by closeObjects for allOf branches) at its open variant.
 */
function rebase(node: Json, flavour: 'request' | 'closed'): Json {
  if (Array.isArray(node)) return node.map((n) => rebase(n, flavour));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries<Json>(node)) {
    if (key === '$ref' && typeof value === 'string')
      out[key] = value
        .replace('#/components/schemas/', FLAVOURS[flavour])
        .replace('#/components/open/', FLAVOURS[flavour === 'request' ? 'request' : 'open']);
    else out[key] = key === 'example' || key === 'examples' ? value : rebase(value, flavour);
  }
  return out;
}

function references(node: Json, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(node)) for (const n of node) references(n, found);
  else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries<Json>(node)) {
      if (key === '$ref' && typeof value === 'string' && value.startsWith('https://openapi.github.local/'))
        found.add(value);
      else if (key !== 'example' && key !== 'examples') references(value, found);
    }
  return found;
}

/**
 * OpenAPI 3.0's `nullable: true` next to `$ref`/`oneOf`/`allOf` without a `type` is not JSON Schema:
 * such a schema becomes `anyOf: [<schema>, {type: 'null'}]`.
 */
export function normalizeNullable(node: Json): Json {
  if (Array.isArray(node)) return node.map(normalizeNullable);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries<Json>(node))
    out[key] = key === 'example' || key === 'examples' ? value : normalizeNullable(value);
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if (out.nullable === true && out.type === undefined) {
    const { nullable: _, description, ...rest } = out;
    return { ...(description ? { description } : {}), anyOf: [rest, { type: 'null' }] };
  }
  return out;
}

/**
 * A deep copy in which every object schema that lists `properties` and says nothing about
 * additional ones is closed. A multi-branch `allOf` is closed as a whole with
 * `unevaluatedProperties` and its branches are left open (each describes only part of the object);
 * a `$ref` inside such a branch points at the open variant of the component.
 */
export function closeObjects(node: Json, open = false): Json {
  if (Array.isArray(node)) return node.map((n) => closeObjects(n));
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [key, value] of Object.entries<Json>(node)) {
    if (key === 'example' || key === 'examples') out[key] = value;
    else if (key === 'allOf' && Array.isArray(value) && value.length > 1)
      out[key] = value.map((branch) =>
        typeof branch?.$ref === 'string'
          ? { $ref: branch.$ref.replace('#/components/schemas/', '#/components/open/') }
          : closeObjects(branch, true),
      );
    else out[key] = closeObjects(value);
  }
  const composite = Array.isArray(out.allOf) && out.allOf.length > 1;
  if (!open && out.additionalProperties === undefined && out.unevaluatedProperties === undefined) {
    if (composite) out.unevaluatedProperties = false;
    else if (out.properties && typeof out.properties === 'object') out.additionalProperties = false;
  }
  return out;
}

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => {
      const where = e.instancePath || '(root)';
      if (e.keyword === 'additionalProperties')
        return `${where} has undeclared property "${(e.params as { additionalProperty: string }).additionalProperty}"`;
      if (e.keyword === 'unevaluatedProperties')
        return `${where} has undeclared property "${(e.params as { unevaluatedProperty: string }).unevaluatedProperty}"`;
      return `${where} ${e.message}`;
    })
    .join('; ');
}
