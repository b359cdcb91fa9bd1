import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { inputEnvName } from '../../src/core/inputs.js';
import { readActionMetadata } from '../../src/local/runner.js';
import { repoRoot } from '../support/bundle.js';
import { actionParserErrors } from '../support/repo-checks.js';

interface CompositeStep {
  id?: string;
  run?: string;
  env?: Record<string, string>;
}

/** The root action runs bundles directly, so the runner fills in no action.yml defaults: each step must set every input. */
function missingInputs(step: CompositeStep): string[] {
  const bundle = /actions\/([a-z-]+)\/dist\/index\.js/.exec(step.run ?? '')?.[1];
  if (!bundle) return [`step ${step.id} does not run one of our bundles`];
  const metadata = readActionMetadata(join(repoRoot, 'actions', bundle));
  const expected = Object.keys(metadata.inputs).map(inputEnvName);
  const given = Object.keys(step.env ?? {});
  return [
    ...expected.filter((e) => !given.includes(e)).map((e) => `step ${step.id}: ${e} is not set (${bundle})`),
    ...given.filter((g) => !expected.includes(g)).map((g) => `step ${step.id}: ${g} is not an input of ${bundle}`),
  ];
}

describe('root action.yml (composite)', () => {
  const text = readFileSync(join(repoRoot, 'action.yml'), 'utf8');
  const action = parse(text, { merge: true }) as { runs: { using: string; steps: CompositeStep[] } };

  it('is valid under the action schema', () => {
    expect(actionParserErrors('action.yml', text)).toEqual([]);
    expect(action.runs.using).toBe('composite');
  });

  it('runs each bundle through $GITHUB_ACTION_PATH, never uses: ./', () => {
    expect(text).not.toMatch(/uses:\s*\.\//);
    for (const step of action.runs.steps)
      expect(step.run).toMatch(/^node "\$GITHUB_ACTION_PATH\/actions\/[a-z-]+\/dist\/index\.js"$/);
  });

  it('sets every input of every bundle it runs, and nothing else', () => {
    expect(action.runs.steps.flatMap(missingInputs)).toEqual([]);
  });

  it('the check notices a missing input', () => {
    expect(
      missingInputs({
        id: 'x',
        run: 'node "$GITHUB_ACTION_PATH/actions/health-check/dist/index.js"',
        env: { INPUT_URL: 'x' },
      }),
    ).toContain('step x: INPUT_URLS is not set (health-check)');
  });
});
