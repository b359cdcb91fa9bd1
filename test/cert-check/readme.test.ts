import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hostEntryProblem } from '../../src/cert-check/hosts.js';
import { splitList } from '../../src/core/inputs.js';
import { parsePolicyText } from '../../src/core/policy/parse.js';
import { itChecksReadmeWorkflows, readmeExamples, type Step } from '../support/readme-examples.js';

const examples = readmeExamples('cert-check');
const { metadata, yamlBlocks, workflows } = examples;

describe('cert-check README', () => {
  itChecksReadmeWorkflows('cert-check', examples, { workflows: 2, uses: 2 });

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
