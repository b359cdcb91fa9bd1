import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ActionMetadata, readActionMetadata } from '../../src/local/runner.js';
import { repoRoot } from './bundle.js';
import { actionlint, workflowParserErrors } from './repo-checks.js';

/** An action README's examples: usage a reader copies, so each must be valid and use only what action.yml declares. */
export interface ReadmeExamples {
  readme: string;
  metadata: ActionMetadata;
  /** Every ```yaml block. */
  yamlBlocks: string[];
  /** The blocks that are whole workflows (have `jobs:`). */
  workflows: string[];
}

export function readmeExamples(action: string): ReadmeExamples {
  const dir = join(repoRoot, 'actions', action);
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  return {
    readme,
    metadata: readActionMetadata(dir),
    yamlBlocks,
    workflows: yamlBlocks.filter((b) => /^jobs:/m.test(b)),
  };
}

/** What @actions/workflow-parser and actionlint find wrong in a README workflow. */
export async function workflowLintErrors(text: string): Promise<string[]> {
  return [...workflowParserErrors('README.md', text), ...(await actionlint('README.yml', text))];
}

export interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

/** The steps using `actions/<action>` in the workflows, and any input or output they use that action.yml does not declare. */
export function usesOfAction(
  action: string,
  workflows: string[],
  metadata: ActionMetadata,
): { uses: number; problems: string[] } {
  const problems: string[] = [];
  let uses = 0;
  for (const text of workflows) {
    const workflow = parse(text) as { jobs: Record<string, { steps: Step[] }> };
    for (const job of Object.values(workflow.jobs)) {
      const ours = job.steps.filter((s) => s.uses?.includes(`/actions/${action}@`));
      uses += ours.length;
      for (const s of ours)
        for (const key of Object.keys(s.with ?? {})) if (!(key in metadata.inputs)) problems.push(`input ${key}`);
      const ids = new Set(ours.map((s) => s.id).filter(Boolean));
      for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g))
        if (ids.has(id) && !((output as string) in metadata.outputs)) problems.push(`output ${output}`);
    }
  }
  return { uses, problems };
}

/**
 * The tests every action README's workflow examples get, registered in the calling `describe`: there are
 * `workflows` of them, each parses and is clean under actionlint, and together they use the action `uses`
 * times with only the inputs and outputs its action.yml declares.
 */
export function itChecksReadmeWorkflows(
  action: string,
  { workflows, metadata }: ReadmeExamples,
  expected: { workflows: number; uses: number },
): void {
  it(`has ${expected.workflows} workflow examples`, () => expect(workflows).toHaveLength(expected.workflows));

  it.each(workflows.map((w) => [parse(w).name as string, w]))(
    '%s parses and is clean under actionlint',
    async (_, text) => {
      expect(await workflowLintErrors(text)).toEqual([]);
    },
  );

  it('uses only declared inputs and outputs of the action', () => {
    const { uses, problems } = usesOfAction(action, workflows, metadata);
    expect(uses).toBe(expected.uses);
    expect(problems).toEqual([]);
  });
}
