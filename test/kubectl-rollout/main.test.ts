import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/core/logger.js';
import { run } from '../../src/kubectl-rollout/main.js';
import { findOnPath } from '../doubles/kube/kubectl.js';
import { kubeconfigText } from '../doubles/kube/server.js';
import { actionEnv } from '../health-check/action-env.js';
import { writeManifests } from './fixtures.js';

afterEach(() => {
  process.exitCode = undefined;
});

describe('kubectl-rollout action', () => {
  it('names every bad input in one configuration error, before running kubectl', async () => {
    const step = actionEnv('kubectl-rollout', {
      manifests: 'k8s/',
      namespace: 'Production',
      images: 'web',
      'dry-run': 'maybe',
    });
    const result = await run({ env: step.env, log: memoryLogger() });
    expect(result.ok).toBe(false);
    expect(result.error).toContain('kubectl-rollout: invalid configuration — input "namespace" (got "Production")');
    expect(result.error).toContain('input "images" (got "web")');
    expect(result.error).toContain('input "dry-run" (got "maybe"): expected one of none, server, diff');
    expect(step.outputs()).toEqual({});
  });

  it.skipIf(!findOnPath('kubectl'))(
    'reports an unreachable cluster as failed (KubectlError) with nothing applied',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'rollout-unreachable-'));
      const kubeconfig = join(dir, 'kubeconfig');
      // Port 1 on localhost: connection refused at once.
      writeFileSync(kubeconfig, kubeconfigText('http://127.0.0.1:1'));
      const step = actionEnv(
        'kubectl-rollout',
        { manifests: 'k8s/production/', namespace: 'production' },
        { KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, 'cache') },
      );
      writeManifests(step.workspace, 'production', [{ name: 'web', image: 'web:1' }]);
      const result = await run({ env: step.env, log: memoryLogger() });
      expect(result.ok).toBe(false);
      expect(step.outputs()).toEqual({ result: 'failed', reason: 'KubectlError' });
      expect(result.error).toMatch(
        /^kubectl-rollout: could not read the workloads: `kubectl get [^`]*` exited with code 1:\n[^\n]*\n[^\n]*127\.0\.0\.1:1 was refused[^\n]* — check the kubeconfig/,
      );
    },
  );
});
