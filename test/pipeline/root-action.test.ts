import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalProduction, pipelineUnavailable, startLocalProduction } from '../support/pipeline.js';

// The root action.yml (composite) run as the runner runs it: its bash steps start the committed bundles
// through $GITHUB_ACTION_PATH, against the kube simulator, PostgreSQL and the GitHub double.
const unavailable = pipelineUnavailable();
if (unavailable) console.warn(`skipping the root action test: ${unavailable}`);

describe.skipIf(unavailable)('root action.yml, end to end', () => {
  let prod: LocalProduction;
  beforeAll(async () => {
    prod = await startLocalProduction();
  }, 120_000);
  afterAll(() => prod?.stop());

  it('deploys a good version in one step', async () => {
    const run = await prod.deployWithRootAction({
      images: 'api-gateway=eventchain/api-gateway:v2\nevent-service=eventchain/event-service:v2',
      services: 'api-gateway, event-service',
      'health-urls': prod.healthUrl,
    });
    const failed = run.steps.filter((s) => s.outcome === 'failure').map((s) => `${s.id}: ${s.log.slice(-1500)}`);
    expect(failed).toEqual([]);
    expect(run.outcome).toBe('success');
    expect(run.outputs.result).toBe('success');
    expect(run.outputs['failed-items']).toBe('');
    expect(Object.fromEntries(run.steps.map((s) => [s.id, s.outcome]))).toEqual({
      gate: 'success',
      window: 'success',
      'dry-run': prod.postgres ? 'success' : 'skipped',
      migrate: prod.postgres ? 'success' : 'skipped',
      rollout: 'success',
      incident: 'skipped',
    });
    expect(run.steps.find((s) => s.id === 'rollout')?.summary).toContain('api-gateway');
  }, 240_000);

  it('rolls a crash loop back and opens the incident, all inside the one step', async () => {
    const run = await prod.deployWithRootAction({
      images: 'api-gateway=eventchain/api-gateway:crashloop',
      services: 'api-gateway',
    });
    expect(run.outcome).toBe('failure');
    expect(
      run.steps.map((s) => `${s.id}:${s.outcome}`),
      run.steps.map((s) => (s.outcome === 'failure' ? s.log.slice(-800) : '')).join(''),
    ).toEqual([
      'gate:success',
      'window:success',
      `dry-run:${prod.postgres ? 'success' : 'skipped'}`,
      `migrate:${prod.postgres ? 'success' : 'skipped'}`,
      'rollout:failure',
      'incident:success',
    ]);
    expect(run.outputs.result).toBe('rolled-back');
    expect(run.outputs['incident-url']).toMatch(/\/issues\/\d+$/);
    // event-service changed too (its manifest says v1, v2 was running), so it is rolled back with api-gateway.
    expect(Object.keys(JSON.parse(run.outputs['rolled-back-to'] || '{}')).sort()).toEqual([
      'default/deployment/api-gateway',
      'default/deployment/event-service',
    ]);
    const incident = prod.scenario.gh.state
      .listIssues({ state: 'open' })
      .find((i) => i.title.includes('Production deploy failed'));
    expect(incident?.labels).toContain('severity:P1');
    prod.scenario.gh.assertNoViolations();
  }, 240_000);
});
