import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePolicyText } from '../../src/core/policy/parse.js';
import { LINT_RULES } from '../../src/db-migrate/lint.js';
import { readActionMetadata } from '../../src/local/runner.js';
import { repoRoot } from '../support/bundle.js';
import { actionlint, ourActionProblems, undocumented, workflowParserErrors } from '../support/repo-checks.js';

/** The README's examples are usage a reader copies: each must be valid and use only what action.yml declares. */
const dir = join(repoRoot, 'actions/db-migrate');
const readme = readFileSync(join(dir, 'README.md'), 'utf8');
const metadata = readActionMetadata(dir);
const yamlBlocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const workflows = yamlBlocks.filter((b) => /^jobs:/m.test(b));

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

describe('db-migrate action.yml and README', () => {
  it('declares node24, the bundle, descriptions and the policy file', () => {
    expect(ourActionProblems(dir, metadata)).toEqual([]);
    expect(undocumented(readme, metadata)).toEqual([]);
  });

  it('documents every lint rule id', () => {
    for (const rule of Object.keys(LINT_RULES)) expect(readme).toContain(`| \`${rule}\` |`);
  });

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
        const ours = job.steps.filter((s) => s.uses?.includes('/actions/db-migrate@'));
        uses += ours.length;
        for (const s of ours) {
          for (const key of Object.keys(s.with ?? {})) if (!(key in metadata.inputs)) problems.push(`input ${key}`);
          const mode = s.with?.mode;
          if (mode !== undefined && !['dry-run', 'apply', 'rollback', 'status', 'verify'].includes(String(mode)))
            problems.push(`mode ${String(mode)}`);
        }
        const ids = new Set(ours.map((s) => s.id).filter(Boolean));
        for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g))
          if (ids.has(id) && !(output! in metadata.outputs)) problems.push(`output ${output}`);
      }
    }
    expect(workflows).toHaveLength(2);
    expect(uses).toBe(4);
    expect(problems).toEqual([]);
  });

  it('shows a policy section the schema accepts', () => {
    const policy = yamlBlocks.find((b) => b.startsWith('# .github/runbook.yml'));
    expect(policy).toBeDefined();
    expect(parsePolicyText(policy as string, 'README.md').database.lint).toMatchObject({
      'drop-table': 'warning',
      'index-not-concurrent': 'error',
      rename: 'off',
      'not-null-without-default': 'error',
    });
  });
});
