import { describe, expect, it } from 'vitest';
import { parsePolicyText } from '../../src/core/policy/parse.js';
import { hasTickedCheckbox, isPlaceholder, sectionUnder } from '../../src/deploy-gate/markdown.js';
import { itChecksReadmeWorkflows, readmeExamples } from '../support/readme-examples.js';

const examples = readmeExamples('deploy-gate');
const { readme, metadata, yamlBlocks, workflows } = examples;

describe('deploy-gate README', () => {
  itChecksReadmeWorkflows('deploy-gate', examples, { workflows: 2, uses: 2 });

  it('shows a deploy policy the schema accepts', () => {
    const policy = yamlBlocks.find((b) => b.startsWith('# .github/runbook.yml'));
    expect(policy).toBeDefined();
    const deploy = parsePolicyText(policy as string, 'README.md').deploy;
    expect(deploy.checklist.tests).toMatchObject({ requiredChecks: ['unit', 'e2e'], wait: 600_000, interval: 15_000 });
    expect(deploy.checklist.rollbackPlan).toMatchObject({ heading: 'Rollback plan', allowCheckbox: true });
    expect(deploy.checklist.stakeholdersNotified.trackingIssue).toBe(12);
  });

  it('shows a pull request template the gate reads as documented', () => {
    const template = /```markdown\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const section = sectionUnder(template, 'Rollback plan') ?? '';
    expect(section).toBe('kubectl rollout undo deployment/api-gateway');
    expect(isPlaceholder(section)).toBe(false);
    expect(hasTickedCheckbox(template, 'Rollback plan prepared')).toBe(true);
    expect(hasTickedCheckbox(template, 'Stakeholders notified')).toBe(false);
  });
});
