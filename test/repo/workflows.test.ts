import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readActionMetadata } from '../../src/local/runner.js';
import { repoRoot } from '../support/bundle.js';
import { listFiles, type Resolver, workflowProblems } from '../support/repo-checks.js';

const resolver: Resolver = {
  action: (name) =>
    existsSync(join(repoRoot, 'actions', name, 'action.yml'))
      ? readActionMetadata(join(repoRoot, 'actions', name))
      : undefined,
  workflow: (file) => {
    const path = join(repoRoot, '.github', 'workflows', file);
    return existsSync(path) ? { text: readFileSync(path, 'utf8') } : undefined;
  },
};
const files = [...listFiles(repoRoot, '.github/workflows'), ...listFiles(repoRoot, 'workflows')];

describe('workflow security and cross-references', () => {
  it.each(files)('%s', (file) => {
    expect(workflowProblems(file, readFileSync(join(repoRoot, file), 'utf8'), resolver)).toEqual([]);
  });

  it('every reusable workflow has a ready-to-copy caller in workflows/', () => {
    const reusable = listFiles(repoRoot, '.github/workflows').filter((f) =>
      readFileSync(join(repoRoot, f), 'utf8').includes('workflow_call:'),
    );
    expect(reusable.length).toBeGreaterThan(0);
    for (const file of reusable) {
      const name = file.split('/').pop() as string;
      const caller = join(repoRoot, 'workflows', name);
      expect(existsSync(caller), `workflows/${name}`).toBe(true);
      expect(readFileSync(caller, 'utf8')).toContain(`.github/workflows/${name}@`);
    }
  });

  it('catches each kind of mistake', () => {
    const bad = `
on: push
jobs:
  a:
    needs: b
    outputs:
      x: \${{ steps.nope.outputs.y }}
    steps:
      - uses: actions/checkout@v5
      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020
      - id: gate
        uses: runbook-actions/runbook-actions/actions/deploy-gate@v1
        with:
          enviroment: production
      - run: echo "\${{ github.event.issue.title }}"
      - uses: runbook-actions/runbook-actions/actions/health-check@v1
        with:
          expected-status: \${{ steps.gate.outputs.nothing }} \${{ needs.c.outputs.z }} \${{ needs.b.outputs.w }}
  b:
    runs-on: ubuntu-latest
    steps: []
  call:
    uses: runbook-actions/runbook-actions/.github/workflows/production-deploy.yml@v1
    with:
      manifest: k8s/
`;
    const problems = workflowProblems('bad.yml', bad, resolver).join('\n');
    expect(problems).toContain('no top-level permissions');
    expect(problems).toContain('actions/checkout@v5 is not pinned to a full commit SHA');
    expect(problems).toContain('has no "# vX.Y.Z" comment');
    expect(problems).toContain('passes input enviroment, which deploy-gate does not declare');
    expect(problems).toContain('${{ }} inside run:');
    expect(problems).toContain('does not pass required input urls of health-check');
    expect(problems).toContain('reads output nothing that step gate (deploy-gate) does not set');
    expect(problems).toContain('refers to needs.c, but the job does not need it');
    expect(problems).toContain('reads needs.b.outputs.w, which job b does not declare');
    expect(problems).toContain('output x refers to step nope');
    expect(problems).toContain('passes input manifest, which production-deploy.yml does not declare');
    expect(problems).toContain('does not pass required secret kubeconfig');
  });
});
