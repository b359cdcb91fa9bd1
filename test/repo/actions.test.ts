import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readActionMetadata } from '../../src/local/runner.js';
import { repoRoot } from '../support/bundle.js';
import {
  actionlint,
  actionNames,
  actionParserErrors,
  listFiles,
  ourActionProblems,
  undocumented,
  workflowParserErrors,
} from '../support/repo-checks.js';

const actions = actionNames(repoRoot);
const workflows = [...listFiles(repoRoot, '.github/workflows'), ...listFiles(repoRoot, 'workflows')];

describe('action metadata', () => {
  it('there are actions to check', () => expect(actions.length).toBeGreaterThan(0));

  describe.each(actions)('actions/%s', (name) => {
    const dir = join(repoRoot, 'actions', name);
    const text = readFileSync(join(dir, 'action.yml'), 'utf8');
    const metadata = readActionMetadata(dir);

    it('is valid under the action schema (@actions/workflow-parser)', () => {
      expect(actionParserErrors(`actions/${name}/action.yml`, text)).toEqual([]);
    });

    it('runs its committed bundle on node24, documents every input and output, reads the policy file', () => {
      expect(ourActionProblems(dir, metadata)).toEqual([]);
      expect(metadata.name).toBeTruthy();
      expect(metadata.description.length).toBeGreaterThan(20);
    });

    it('declares exactly the inputs its code reads', async () => {
      const main = (await import(join(repoRoot, 'src', name, 'main.ts'))) as { inputSchema?: { shape: object } };
      expect(main.inputSchema, `src/${name}/main.ts must export inputSchema`).toBeDefined();
      expect(Object.keys(main.inputSchema?.shape ?? {}).sort()).toEqual(Object.keys(metadata.inputs).sort());
    });

    it('has a README naming every input and output', () => {
      const readme = readFileSync(join(dir, 'README.md'), 'utf8');
      expect(undocumented(readme, metadata)).toEqual([]);
    });
  });
});

describe('workflows', () => {
  it.each(workflows)('%s parses (@actions/workflow-parser) and is clean under actionlint', async (file) => {
    const text = readFileSync(join(repoRoot, file), 'utf8');
    expect(workflowParserErrors(file, text)).toEqual([]);
    expect(await actionlint(file, text)).toEqual([]);
  });
});

describe('the checks themselves catch mistakes', () => {
  it('a workflow with an unknown key or an injectable expression is refused', async () => {
    const bad = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n';
    expect(workflowParserErrors('bad.yml', bad).join()).toMatch(/Unexpected value 'stepz'/);
    const injectable =
      'on: issues\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.issue.title }}"\n';
    expect((await actionlint('inj.yml', injectable)).join()).toMatch(/potentially untrusted/);
  });

  it('an action on node20, without descriptions or a bundle, or with an undocumented input is refused', () => {
    const metadata = {
      name: 'x',
      description: 'x',
      inputs: { token: {} },
      outputs: { result: {} },
      runs: { using: 'node20', main: 'dist/index.js' },
    };
    const problems = ourActionProblems('/nonexistent', metadata);
    expect(problems).toEqual([
      'runs.using is node20, not node24',
      'dist/index.js does not exist: run npm run build',
      'input token has no description',
      'output result has no description',
      'has no policy-file input',
    ]);
    expect(undocumented('Use `token`.', metadata)).toEqual(['output result']);
    expect(actionParserErrors('a.yml', 'name: x\nruns:\n  using: node24\n').join()).toMatch(/description|main/);
  });
});
