import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hostEntryProblem } from '../../src/cert-check/hosts.js';
import { splitList } from '../../src/core/inputs.js';
import { parsePolicyText } from '../../src/core/policy/load.js';
import { readActionMetadata } from '../../src/local/runner.js';
import { repoRoot } from '../support/bundle.js';
import { actionlint, workflowParserErrors } from '../support/repo-checks.js';

/** The README's examples are usage a reader copies: each must be valid and use only what action.yml declares. */
const dir = join(repoRoot, 'actions/cert-check');
const readme = readFileSync(join(dir, 'README.md'), 'utf8');
const metadata = readActionMetadata(dir);
const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const workflows = yamlBlocks.filter((b) => /^jobs:/m.test(b));

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

describe('cert-check README', () => {
  it('has the two workflow examples', () => expect(workflows).toHaveLength(2));

  it.each(workflows.map((w) => [parse(w).name as string, w]))(
    '%s parses and is clean under actionlint',
    async (_, text) => {
      expect(workflowParserErrors('README.md', text)).toEqual([]);
      expect(await actionlint('README.yml', text)).toEqual([]);
    },
  );

  it('uses only declared inputs and outputs of the action', () => {
    const problems: string[] = [];
    let uses = 0;
    for (const text of workflows) {
      const workflow = parse(text) as { jobs: Record<string, { steps: Step[] }> };
      for (const job of Object.values(workflow.jobs)) {
        const ours = job.steps.filter((s) => s.uses?.includes('/actions/cert-check@'));
        uses += ours.length;
        for (const s of ours)
          for (const key of Object.keys(s.with ?? {})) if (!(key in metadata.inputs)) problems.push(`input ${key}`);
        const ids = new Set(ours.map((s) => s.id).filter(Boolean));
        for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g))
          if (ids.has(id) && !(output! in metadata.outputs)) problems.push(`output ${output}`);
      }
    }
    expect(uses).toBe(2);
    expect(problems).toEqual([]);
  });

  it('shows a policy section the schema accepts, with the runbook numbers', () => {
    const policy = yamlBlocks.find((b) => b.startsWith('# .github/runbook.yml'));
    expect(policy).toBeDefined();
    expect(parsePolicyText(policy as string, 'README.md').certificates).toEqual({ warnDays: 30, failDays: 7 });
  });

  it('its host examples are valid entries', () => {
    const hosts = workflows.flatMap((w) =>
      Object.values((parse(w) as { jobs: Record<string, { steps: Step[] }> }).jobs).flatMap((j) =>
        j.steps.flatMap((s) => (s.uses?.includes('/actions/cert-check@') ? [String(s.with?.hosts)] : [])),
      ),
    );
    const entries = hosts.flatMap(splitList);
    expect(entries).toHaveLength(6);
    expect(entries.map(hostEntryProblem).filter(Boolean)).toEqual([]);
  });
});
