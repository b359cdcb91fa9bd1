import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readActionMetadata } from '../../src/local/runner.js';
import { repoRoot } from '../support/bundle.js';
import { actionlint, actionNames, type Resolver, workflowProblems } from '../support/repo-checks.js';

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const resolver: Resolver = {
  action: (name) => readActionMetadata(join(repoRoot, 'actions', name)),
  workflow: (file) => ({ text: readFileSync(join(repoRoot, '.github', 'workflows', file), 'utf8') }),
};

/** The README's YAML snippets, completed into whole workflows the way a user pastes them. */
function snippets(): { name: string; workflow: string }[] {
  return [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m, i) => {
    const body = m[1] as string;
    const data = parse(body) as Record<string, unknown>;
    const workflow = data.jobs
      ? { name: `readme-${i}`, on: 'workflow_dispatch', permissions: {}, ...data }
      : {
          name: `readme-${i}`,
          on: 'workflow_dispatch',
          permissions: {},
          jobs: { example: { 'runs-on': 'ubuntu-latest', permissions: data.permissions ?? {}, steps: data.steps } },
        };
    return { name: `README.md snippet ${i + 1}`, workflow: JSON.stringify(workflow, null, 2) };
  });
}

describe('README', () => {
  it('links every action and documents the commands it promises', () => {
    for (const name of actionNames(repoRoot)) expect(readme).toContain(`(actions/${name}/README.md)`);
    const scripts = (
      JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    ).scripts;
    for (const command of readme.matchAll(/^npm (?:run )?([\w:-]+)/gm)) {
      const script = command[1] as string;
      if (script !== 'ci') expect(Object.keys(scripts), `npm ${script}`).toContain(script);
    }
  });

  it.each(snippets())('$name is a valid use of our actions and workflows', async ({ name, workflow }) => {
    expect(workflowProblems(name, workflow, resolver)).toEqual([]);
    expect(await actionlint(`${name}.yml`, workflow)).toEqual([]);
  });
});
