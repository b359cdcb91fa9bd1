import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePolicyText } from '../../src/core/policy/parse.js';
import { readActionMetadata } from '../../src/local/runner.js';
import { noticeMarker } from '../../src/maintenance-window/notice.js';
import { repoRoot } from '../support/bundle.js';
import { actionlint, workflowParserErrors } from '../support/repo-checks.js';

/** The README's examples are usage a reader copies: each must be valid and use only what action.yml declares. */
const dir = join(repoRoot, 'actions/maintenance-window');
const readme = readFileSync(join(dir, 'README.md'), 'utf8');
const metadata = readActionMetadata(dir);
const blocks = (language: string) =>
  [...readme.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1] as string);
const workflows = blocks('yaml').filter((b) => /^jobs:/m.test(b));

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

describe('README examples', () => {
  it('has the four workflow examples', () => expect(workflows).toHaveLength(4));

  it.each(workflows.map((w, i) => [parse(w).name as string, i]))(
    '%s parses and is clean under actionlint',
    async (_, i) => {
      const text = workflows[i as number] as string;
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
        const ours = job.steps.filter((s) => s.uses?.includes('/actions/maintenance-window@'));
        uses += ours.length;
        for (const s of ours)
          for (const key of Object.keys(s.with ?? {})) if (!(key in metadata.inputs)) problems.push(`input ${key}`);
        const ids = new Set(ours.map((s) => s.id).filter(Boolean));
        for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g))
          if (ids.has(id) && !(output! in metadata.outputs)) problems.push(`output ${output}`);
      }
    }
    expect(uses).toBe(5);
    expect(problems).toEqual([]);
  });

  it('shows a policy the schema accepts, and the marker the action writes', () => {
    const policy = blocks('yaml').find((b) => b.startsWith('# .github/runbook.yml'));
    expect(policy).toBeDefined();
    const parsed = parsePolicyText(policy as string, 'README.md');
    expect(parsed.maintenance.windows.map((w) => w.name)).toEqual(['weekly-maintenance', 'friday-freeze', 'launch']);
    expect(blocks('html')[0]?.trim()).toBe(noticeMarker('weekly-maintenance', Date.parse('2026-11-29T02:00:00Z')));
  });
});
