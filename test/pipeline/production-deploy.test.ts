import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowRun } from '../../src/local/workflow.js';
import { type LocalProduction, pipelineUnavailable, startLocalProduction } from '../support/pipeline.js';

// The reusable workflow .github/workflows/production-deploy.yml itself, run by the local workflow runner:
// the real bundles, the real kubectl against the simulator, real PostgreSQL, the GitHub double.
const unavailable = pipelineUnavailable();
if (unavailable) console.warn(`skipping the production-deploy pipeline test: ${unavailable}`);

const images = (tag: string, gatewayTag = tag) =>
  `api-gateway=eventchain/api-gateway:${gatewayTag}\nevent-service=eventchain/event-service:${tag}`;

function stepOutcomes(run: WorkflowRun, job: string): Record<string, string> {
  return Object.fromEntries((run.jobs[job]?.steps ?? []).map((s) => [s.id, s.outcome]));
}

describe.skipIf(unavailable)('production-deploy.yml, end to end', () => {
  describe('a good deploy, then a crash-looping one', () => {
    let prod: LocalProduction;
    beforeAll(async () => {
      prod = await startLocalProduction();
    }, 120_000);
    afterAll(() => prod?.stop());

    it('deploys v2: gate and window pass, migrations dry-run and apply, rollout and health check succeed', async () => {
      const run = await prod.deploy({
        images: images('v2'),
        services: 'api-gateway, event-service',
        'health-urls': prod.healthUrl,
      });
      const failures = Object.values(run.jobs).flatMap((j) =>
        j.steps.filter((s) => s.outcome === 'failure').map((s) => `${s.name}:\n${s.summary}\n${s.log.slice(-2000)}`),
      );
      expect(failures).toEqual([]);
      expect(run.jobs.gate?.result).toBe('success');
      expect(run.jobs.deploy?.result).toBe('success');
      expect(run.jobs.incident?.result).toBe('skipped');
      expect(run.outputs.result).toBe('success');
      const image = await prod.kubectl(
        'get',
        'deployment/api-gateway',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      );
      expect(image).toBe('eventchain/api-gateway:v2');
      if (prod.postgres) {
        expect(stepOutcomes(run, 'deploy')).toMatchObject({ 'dry-run': 'success', migrate: 'success' });
        const columns = await prod.postgres.query<{ column_name: string }>(
          "select column_name from information_schema.columns where table_name = 'events' order by 1",
          prod.database,
        );
        expect(columns.map((c) => c.column_name)).toEqual(['id', 'name', 'venue']);
      }
      expect(
        prod.scenario.gh.state.listIssues({ state: 'open' }).filter((i) => i.title.includes('deploy failed')),
      ).toEqual([]);
      prod.scenario.gh.assertNoViolations();
    }, 240_000);

    it('rolls a crash-looping v3 back to v2 by itself and opens a P1 incident linking the run', async () => {
      const run = await prod.deploy({ images: images('v3', 'crashloop'), services: 'api-gateway' });
      expect(run.jobs.gate?.result).toBe('success');
      expect(run.jobs.deploy?.result).toBe('failure');
      expect(run.jobs.deploy?.outputs.result).toBe('rolled-back');
      expect(run.jobs.deploy?.outputs.reason).toMatch(/CrashLoopBackOff/);
      const image = await prod.kubectl(
        'get',
        'deployment/api-gateway',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].image}',
      );
      expect(image).toBe('eventchain/api-gateway:v2');
      expect(run.jobs.incident?.result).toBe('success');
      const incidents = prod.scenario.gh.state
        .listIssues({ state: 'open' })
        .filter((i) => i.title.includes('Production deploy failed'));
      expect(incidents).toHaveLength(1);
      expect(incidents[0]?.title).toContain('rolled-back');
      expect(incidents[0]?.labels).toContain('severity:P1');
      expect(incidents[0]?.body).toContain(`/actions/runs/`);
      prod.scenario.gh.assertNoViolations();
    }, 240_000);
  });

  describe('a deploy during a freeze', () => {
    let prod: LocalProduction;
    beforeAll(async () => {
      prod = await startLocalProduction({ freeze: true });
    }, 120_000);
    afterAll(() => prod?.stop());

    it('is blocked before anything is applied, and opens no incident', async () => {
      const before = await prod.kubectl('get', 'deployment/api-gateway', '-o', 'jsonpath={.metadata.generation}');
      const run = await prod.deploy({ images: images('v2') });
      expect(run.jobs.gate?.result).toBe('failure');
      expect(stepOutcomes(run, 'gate')).toMatchObject({ gate: 'success', window: 'failure' });
      const window = run.jobs.gate?.steps.find((s) => s.id === 'window');
      expect(window?.outputs.allowed).toBe('false');
      expect(window?.outputs.reason).toMatch(/launch-freeze/);
      expect(run.jobs.deploy?.result).toBe('skipped');
      expect(run.jobs.incident?.result).toBe('skipped');
      expect(run.outputs.result).toBe('blocked');
      expect(await prod.kubectl('get', 'deployment/api-gateway', '-o', 'jsonpath={.metadata.generation}')).toBe(before);
      prod.scenario.gh.assertNoViolations();
    }, 240_000);
  });
});
