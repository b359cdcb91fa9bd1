import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readIncidentMarker } from '../../src/incident/marker.js';
import { type GitHubDouble, startGitHubDouble } from '../doubles/github/index.js';
import { repoRoot, runBundle } from '../support/bundle.js';

/** The committed bundle, run as the runner runs it (INPUT_*, GITHUB_OUTPUT, …) against the double via GITHUB_API_URL. */
const bundle = join(repoRoot, 'actions/incident/dist/index.js');
const TOKEN = 'ghs_bundleIncidentToken42';

describe.skipIf(!existsSync(bundle))('incident bundle', () => {
  let gh: GitHubDouble;
  beforeEach(async () => {
    gh = await startGitHubDouble({ owner: 'acme', repo: 'shop' });
  });
  afterEach(async () => {
    gh.assertNoViolations();
    await gh.close();
  });
  const env = () => ({ ...gh.env(), GITHUB_TOKEN: TOKEN, GITHUB_RUN_ID: '77', GITHUB_SHA: 'a'.repeat(40) });

  it('opens an incident, then records the repeat; the token (github.token default) is masked', async () => {
    const inputs = { title: 'API 5xx above 1%', service: 'api', severity: 'P0', impact: 'All API clients' };
    const first = await runBundle('incident', { inputs, env: env() });
    expect(first.exitCode, first.stderr + first.stdout).toBe(0);
    expect(first.outputs).toMatchObject({ 'issue-number': '1', created: 'true', severity: 'P0', occurrences: '1' });
    expect(
      Date.parse(first.outputs['response-deadline'] ?? '') - Date.parse(gh.state.issue(1)!.createdAt),
    ).toBeLessThanOrEqual(15 * 60_000 + 1000);
    expect(first.summary).toContain('Incident opened: [#1](https://github.com/acme/shop/issues/1)');
    expect(first.masked).toContain(TOKEN);
    expect(first.stdout.replace(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN);
    expect(gh.state.issue(1)).toMatchObject({ title: '[P0] API 5xx above 1%', labels: ['incident', 'severity:P0'] });
    expect(gh.state.findLabel('severity:P0')?.color).toBe('b60205');

    const second = await runBundle('incident', { inputs: { ...inputs, severity: 'P2' }, env: env() });
    expect(second.exitCode, second.stderr + second.stdout).toBe(0);
    expect(second.outputs).toMatchObject({ 'issue-number': '1', created: 'false', severity: 'P0', occurrences: '2' });
    expect(readIncidentMarker(gh.state.issue(1)!.body)?.occurrences).toBe(2);
    expect(gh.state.listIssues()).toHaveLength(1);
  });

  it('refuses an unknown severity with an error annotation naming the input', async () => {
    const run = await runBundle('incident', { inputs: { title: 'x', severity: 'SEV1' }, env: env() });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.find((a) => a.level === 'error')?.message).toContain(
      'input "severity" (got "SEV1"): expected one of P0, P1, P2, P3',
    );
    expect(gh.requests.entries).toHaveLength(0);
  });
});
