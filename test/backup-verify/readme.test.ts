import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../src/core/policy/parse.js';
import { itChecksReadmeWorkflows, readmeExamples } from '../support/readme-examples.js';

const examples = readmeExamples('backup-verify');
const { readme, metadata, yamlBlocks, workflows } = examples;

describe('backup-verify README', () => {
  itChecksReadmeWorkflows('backup-verify', examples, { workflows: 2, uses: 2 });

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
