import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../src/core/policy/parse.js';
import { itChecksReadmeWorkflows, readmeExamples } from '../support/readme-examples.js';

const examples = readmeExamples('health-check');
const { metadata, yamlBlocks, workflows } = examples;

describe('health-check README', () => {
  itChecksReadmeWorkflows('health-check', examples, { workflows: 2, uses: 4 });

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
