import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/core/errors.js';
import { parseInputs } from '../../src/core/inputs.js';
import { inputSchema, smokeArgv } from '../../src/kubectl-rollout/main.js';
import {
  listManifestFiles,
  loadManifests,
  parseImageOverride,
  renderManifests,
} from '../../src/kubectl-rollout/manifests.js';

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-manifests-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const deployment = (name: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}${extra}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: ${name}, image: "${name}:1"}, {name: sidecar, image: "proxy:1"}]
`;

describe('manifests', () => {
  it('reads folders one level deep and multi-document files, and renders overrides and the change-cause', async () => {
    const dir = workspace({
      'k8s/production/api.yaml': `${deployment('api-gateway')}---\napiVersion: v1\nkind: Service\nmetadata: {name: api-gateway}\n`,
      'k8s/production/events.yml': deployment('event-service'),
      'k8s/production/README.md': 'not a manifest',
      'k8s/production/nested/ignored.yaml': deployment('nested'),
    });
    const files = await listManifestFiles(['k8s/production/'], dir);
    expect(files.map((f) => f.slice(dir.length))).toEqual(['/k8s/production/api.yaml', '/k8s/production/events.yml']);
    const rendered = renderManifests(await loadManifests(files), {
      namespace: 'production',
      defaultNamespace: 'production',
      images: [{ container: 'sidecar', image: 'proxy:2' }],
      changeCause: 'deployed by https://github.com/acme/shop/actions/runs/1',
    });
    expect(rendered.workloads).toEqual([
      { kind: 'Deployment', namespace: 'production', name: 'api-gateway' },
      { kind: 'Deployment', namespace: 'production', name: 'event-service' },
    ]);
    const api = rendered.objects[0] as {
      metadata: { annotations: Record<string, string> };
      spec: { template: { spec: { containers: { image: string }[] } } };
    };
    expect(api.spec.template.spec.containers.map((c) => c.image)).toEqual(['api-gateway:1', 'proxy:2']);
    expect(api.metadata.annotations['kubernetes.io/change-cause']).toBe(
      'deployed by https://github.com/acme/shop/actions/runs/1',
    );
    expect(rendered.objects[1]).toMatchObject({ kind: 'Service', metadata: { name: 'api-gateway' } });
  });

  it('refuses bad names, a namespace that contradicts the input, and an override that matches no container', async () => {
    const dir = workspace({ 'a.yaml': deployment('Bad_Name', '\n  namespace: staging') });
    const loaded = await loadManifests(await listManifestFiles(['a.yaml'], dir));
    const error = (() => {
      try {
        renderManifests(loaded, {
          namespace: 'production',
          defaultNamespace: 'production',
          images: [{ container: 'nope', image: 'x:1' }],
        });
      } catch (e) {
        return e as ConfigurationError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error?.message).toContain('Deployment metadata.name (got "Bad_Name"): must be a DNS-1123 subdomain');
    expect(error?.message).toContain('differs from input "namespace" (production)');
    expect(error?.message).toContain('no container named "nope"');
  });

  it('refuses a manifest that pauses its Deployment', async () => {
    const dir = workspace({ 'a.yaml': deployment('web').replace('spec:\n', 'spec:\n  paused: true\n') });
    const loaded = await loadManifests(await listManifestFiles(['a.yaml'], dir));
    expect(() => renderManifests(loaded, { namespace: undefined, defaultNamespace: 'default', images: [] })).toThrow(
      /Deployment\/web spec.paused \(got "true"\): a deployed manifest must not pause its Deployment/,
    );
  });

  it('names a missing path and an empty folder', async () => {
    const dir = workspace({ 'empty/.keep': '' });
    await expect(listManifestFiles(['missing.yaml', 'empty'], dir)).rejects.toThrow(
      /input "manifests" \(got "missing.yaml"\): cannot be read[\s\S]*"empty"\): folder has no/,
    );
  });

  it('parses image overrides as container=image', () => {
    expect(parseImageOverride('api=ghcr.io/acme/api:1.4.2')).toEqual({
      container: 'api',
      image: 'ghcr.io/acme/api:1.4.2',
    });
    expect(parseImageOverride('api:1.4.2')).toBe('expected container=image:tag');
    expect(parseImageOverride('api=x y')).toMatch(/is not an image reference/);
  });
});

describe('inputs', () => {
  const base = {
    manifests: 'k8s/',
    'dry-run': 'none',
    'poll-interval': '2s',
    paused: 'fail',
    'health-retries': '3',
    'smoke-timeout': '10m',
    kubectl: 'kubectl',
    'log-lines': '50',
  };

  it('validates the namespace, context, images and choices, naming each input', () => {
    const error = (() => {
      try {
        parseInputs(inputSchema, {
          ...base,
          namespace: 'Prod;rm -rf',
          images: 'api',
          'first-deploy': 'maybe',
          context: '--kubeconfig=/x',
        });
      } catch (e) {
        return e as ConfigurationError;
      }
      return undefined;
    })();
    expect(error?.message).toContain('input "namespace" (got "Prod;rm -rf"): expected a Kubernetes namespace name');
    expect(error?.message).toContain('input "images" (got "api"): "api" expected container=image:tag');
    expect(error?.message).toContain('input "first-deploy" (got "maybe"): expected one of delete, keep, fail');
    expect(error?.message).toContain('input "context" (got "--kubeconfig=/x"): expected a kubeconfig context name');
  });

  it('turns the smoke command into an argument list without a shell', () => {
    expect(smokeArgv(['npm run test:smoke:production'])).toEqual(['npm', 'run', 'test:smoke:production']);
    expect(smokeArgv(['node', '-e', 'console.log("a b")'])).toEqual(['node', '-e', 'console.log("a b")']);
    expect(smokeArgv(['npm test && rm -rf /'])).toMatch(/no shell runs it/);
    expect(() => parseInputs(inputSchema, { ...base, 'smoke-command': 'curl "$URL"' })).toThrow(
      /input "smoke-command".*write one argument per line/,
    );
  });
});
