import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePolicyText } from '../../src/core/policy/load.js';
import { readActionMetadata } from '../../src/local/runner.js';
import { repoRoot } from '../support/bundle.js';
import { actionlint, workflowParserErrors } from '../support/repo-checks.js';

/** The README's examples are usage a reader copies: each must be valid and use only what action.yml declares. */
const dir = join(repoRoot, 'actions/backup-verify');
const readme = readFileSync(join(dir, 'README.md'), 'utf8');
const metadata = readActionMetadata(dir);
const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const workflows = yamlBlocks.filter((b) => /^jobs:/m.test(b));

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

describe('backup-verify README', () => {
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
        const ours = job.steps.filter((s) => s.uses?.includes('/actions/backup-verify@'));
        uses += ours.length;
        for (const s of ours)
          for (const key of Object.keys(s.with ?? {})) if (!(key in metadata.inputs)) problems.push(`input ${key}`);
        const ids = new Set(ours.map((s) => s.id).filter(Boolean));
        for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g))
          if (ids.has(id) && !((output as string) in metadata.outputs)) problems.push(`output ${output}`);
      }
    }
    expect(uses).toBe(2);
    expect(problems).toEqual([]);
  });

  it('documents every input and output in its tables', () => {
    for (const name of Object.keys(metadata.inputs)) expect(readme).toContain(`| \`${name}\` |`);
    for (const name of Object.keys(metadata.outputs)) expect(readme).toContain(`| \`${name}\` |`);
  });

  it('shows a policy section the schema accepts', () => {
    const policy = yamlBlocks.find((b) => b.startsWith('# .github/runbook.yml'));
    expect(parsePolicyText(policy as string, 'README.md').backups).toEqual({
      rpo: 3_600_000,
      rto: 14_400_000,
      maxAge: 93_600_000,
      retentionDays: 30,
      expectations: { tables: ['events', 'orders'], minRows: { events: 1000 } },
    });
  });
});
