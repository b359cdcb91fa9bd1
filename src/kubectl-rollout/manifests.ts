import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join } from 'node:path';
import { ConfigurationError, type ConfigurationIssue, errorMessage } from '../core/errors.js';
import { WORKLOAD_KINDS, type WorkloadKind, type WorkloadRef } from './types.js';

/**
 * Reads the manifests the runbook applies (`kubectl apply -f k8s/production/`): files and folders
 * (one level, like `kubectl apply -f dir/`; .yaml, .yml, .json), multi-document YAML and `kind: List`.
 * The action renders them into one JSON List — image overrides and the change-cause annotation applied —
 * and applies that, so it knows exactly which workloads it touches.
 */

export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';

/** Kubernetes naming rules (DNS-1123). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function namespaceProblem(name: string): string | undefined {
  if (name.length > 63) return 'must be at most 63 characters';
  if (!DNS_LABEL.test(name))
    return 'must be a DNS-1123 label: lower-case letters, digits and "-", starting and ending with a letter or digit';
  return undefined;
}

export function objectNameProblem(name: string): string | undefined {
  if (name.length > 253) return 'must be at most 253 characters';
  if (!DNS_SUBDOMAIN.test(name)) return 'must be a DNS-1123 subdomain: lower-case letters, digits, "-" and "."';
  return undefined;
}

export interface ImageOverride {
  container: string;
  image: string;
}

/** `name=image:tag`: the container name, then an image reference without spaces. */
export function parseImageOverride(entry: string): ImageOverride | string {
  const at = entry.indexOf('=');
  if (at <= 0) return 'expected container=image:tag';
  const container = entry.slice(0, at).trim();
  const image = entry.slice(at + 1).trim();
  if (!DNS_LABEL.test(container) || container.length > 63)
    return `container name "${container}" is not a valid DNS-1123 label`;
  if (!/^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/.test(image) || image.length > 512)
    return `"${image}" is not an image reference such as registry/app:1.2.3`;
  return { container, image };
}

export type Manifest = Record<string, unknown> & {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
};

export interface RenderedManifests {
  objects: Manifest[];
  workloads: WorkloadRef[];
}

export async function listManifestFiles(paths: readonly string[], workspace: string): Promise<string[]> {
  const files: string[] = [];
  const issues: ConfigurationIssue[] = [];
  for (const given of paths) {
    const path = isAbsolute(given) ? given : join(workspace, given);
    try {
      const info = await stat(path);
      if (info.isDirectory()) {
        const entries = (await readdir(path, { withFileTypes: true }))
          .filter((e) => e.isFile() && MANIFEST_EXTENSIONS.includes(extname(e.name).toLowerCase()))
          .map((e) => join(path, e.name))
          .sort();
        if (entries.length === 0)
          issues.push({
            field: 'input "manifests"',
            value: given,
            message: `folder has no ${MANIFEST_EXTENSIONS.join('/')} files`,
          });
        files.push(...entries);
      } else files.push(path);
    } catch (error) {
      issues.push({ field: 'input "manifests"', value: given, message: `cannot be read (${errorMessage(error)})` });
    }
  }
  if (issues.length) throw new ConfigurationError(issues);
  return files;
}

export async function loadManifests(files: readonly string[]): Promise<{ file: string; object: Manifest }[]> {
  const out: { file: string; object: Manifest }[] = [];
  const issues: ConfigurationIssue[] = [];
  // The YAML parser is loaded here, in apply mode only: rollback and scale never read a manifest.
  const { parseAllDocuments } = await import('yaml');
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const documents = parseAllDocuments(text);
    for (const doc of Array.isArray(documents) ? documents : [documents]) {
      if (doc.errors.length) {
        issues.push({ field: `manifest ${file}`, message: `invalid YAML: ${doc.errors[0]?.message.split('\n')[0]}` });
        continue;
      }
      const value = doc.toJS() as unknown;
      if (value === null || value === undefined) continue;
      if (typeof value !== 'object' || Array.isArray(value)) {
        issues.push({ field: `manifest ${file}`, message: 'every document must be a Kubernetes object' });
        continue;
      }
      const object = value as Manifest;
      if (object.kind === 'List' && Array.isArray(object.items)) {
        for (const item of object.items as Manifest[]) out.push({ file, object: item });
      } else out.push({ file, object });
    }
  }
  if (issues.length) throw new ConfigurationError(issues);
  if (out.length === 0)
    throw new ConfigurationError([{ field: 'input "manifests"', message: 'no Kubernetes objects found' }]);
  return out;
}

/**
 * Checks names, fills in the namespace of workloads, applies image overrides and the change-cause,
 * and lists the workloads. `defaultNamespace` is the `namespace` input or the kubeconfig context's.
 */
export function renderManifests(
  loaded: readonly { file: string; object: Manifest }[],
  options: {
    namespace: string | undefined;
    defaultNamespace: string;
    images: readonly ImageOverride[];
    changeCause?: string;
  },
): RenderedManifests {
  const issues: ConfigurationIssue[] = [];
  const objects: Manifest[] = [];
  const workloads: WorkloadRef[] = [];
  const usedOverrides = new Set<string>();
  for (const { file, object: original } of loaded) {
    const object = structuredClone(original);
    const where = `manifest ${file}`;
    const kind = typeof object.kind === 'string' ? object.kind : undefined;
    const name = typeof object.metadata?.name === 'string' ? object.metadata.name : undefined;
    if (!kind || typeof object.apiVersion !== 'string' || !name) {
      issues.push({ field: where, message: 'every object needs apiVersion, kind and metadata.name' });
      continue;
    }
    const nameProblem = kind === 'Namespace' ? namespaceProblem(name) : objectNameProblem(name);
    if (nameProblem) issues.push({ field: `${where}: ${kind} metadata.name`, value: name, message: nameProblem });
    const declared = typeof object.metadata?.namespace === 'string' ? object.metadata.namespace : undefined;
    if (declared !== undefined) {
      const problem = namespaceProblem(declared);
      if (problem)
        issues.push({ field: `${where}: ${kind}/${name} metadata.namespace`, value: declared, message: problem });
      if (options.namespace && declared !== options.namespace)
        issues.push({
          field: `${where}: ${kind}/${name} metadata.namespace`,
          value: declared,
          message: `differs from input "namespace" (${options.namespace}); kubectl would refuse it`,
        });
    }
    if ((WORKLOAD_KINDS as readonly string[]).includes(kind) && object.apiVersion === 'apps/v1') {
      const ref: WorkloadRef = { kind: kind as WorkloadKind, namespace: declared ?? options.defaultNamespace, name };
      object.metadata = { ...object.metadata, namespace: ref.namespace };
      if (options.changeCause)
        object.metadata.annotations = { ...(object.metadata.annotations ?? {}), [CHANGE_CAUSE]: options.changeCause };
      for (const override of options.images) {
        if (setImage(object, override)) usedOverrides.add(override.container);
      }
      // A paused Deployment never rolls out: deploying one would only ever time out.
      if (ref.kind === 'Deployment' && object.spec?.paused === true)
        issues.push({
          field: `${where}: Deployment/${name} spec.paused`,
          value: 'true',
          message: 'a deployed manifest must not pause its Deployment',
        });
      workloads.push(ref);
    }
    objects.push(object);
  }
  for (const override of options.images) {
    if (!usedOverrides.has(override.container))
      issues.push({
        field: 'input "images"',
        value: `${override.container}=${override.image}`,
        message: `no container named "${override.container}" in the Deployments, StatefulSets or DaemonSets of the manifests`,
      });
  }
  const seen = new Set<string>();
  for (const w of workloads) {
    const key = `${w.namespace}/${w.kind}/${w.name}`;
    if (seen.has(key))
      issues.push({ field: 'input "manifests"', message: `${w.kind} ${w.namespace}/${w.name} is defined twice` });
    seen.add(key);
  }
  if (issues.length) throw new ConfigurationError(issues);
  return { objects, workloads };
}

function setImage(object: Manifest, override: ImageOverride): boolean {
  const template = object.spec?.template as { spec?: { containers?: unknown; initContainers?: unknown } } | undefined;
  let changed = false;
  for (const list of [template?.spec?.containers, template?.spec?.initContainers]) {
    if (!Array.isArray(list)) continue;
    for (const container of list as { name?: string; image?: string }[]) {
      if (container?.name === override.container) {
        container.image = override.image;
        changed = true;
      }
    }
  }
  return changed;
}

/** The JSON List `kubectl apply -f` gets. */
export function manifestList(objects: readonly Manifest[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`;
}
