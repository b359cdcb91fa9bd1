import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hostEntryProblem } from '../../src/cert-check/hosts.js';
import { splitList } from '../../src/core/inputs.js';
import { parsePolicyText } from '../../src/core/policy/parse.js';
import { readmeExamples, type Step, usesOfAction, workflowLintErrors } from '../support/readme-examples.js';

const { metadata, yamlBlocks, workflows } = readmeExamples('cert-check');

describe('cert-check README', () => {
  it('has the two workflow examples', () => expect(workflows).toHaveLength(2));

  it.each(workflows.map((w) => [parse(w).name as string, w]))(
    '%s parses and is clean under actionlint',
    async (_, text) => {
      expect(await workflowLintErrors(text)).toEqual([]);
    },
  );

  it('uses only declared inputs and outputs of the action', () => {
    const { uses, problems } = usesOfAction('cert-check', workflows, metadata);
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
