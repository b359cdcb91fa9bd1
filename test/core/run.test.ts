import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import { ActionFailure } from '../../src/core/errors.js';
import { input, required } from '../../src/core/inputs.js';
import { memoryLogger } from '../../src/core/logger.js';
import { parseOutputFile } from '../../src/core/outputs.js';
import { runAction } from '../../src/core/run.js';

function runnerFiles() {
  const dir = mkdtempSync(join(tmpdir(), 'run-'));
  const output = join(dir, 'output');
  const summary = join(dir, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  return { dir, env: { GITHUB_OUTPUT: output, GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: dir }, output, summary };
}

afterEach(() => {
  process.exitCode = 0; // core.setFailed sets it
});

describe('runAction', () => {
  it('writes outputs (multi-line safe) and the summary', async () => {
    const files = runnerFiles();
    const result = await runAction(
      'demo',
      async (ctx) => {
        ctx.setOutput('text', 'a\nb');
        ctx.setOutput('flag', true);
        ctx.setOutput('report', { items: [1, 2] });
        ctx.summary.heading('Demo').table(['a', 'b'], [['x|y', undefined]]);
      },
      { env: files.env, log: memoryLogger() },
    );
    expect(result.ok).toBe(true);
    expect(parseOutputFile(readFileSync(files.output, 'utf8'))).toEqual({
      text: 'a\nb',
      flag: 'true',
      report: '{"items":[1,2]}',
    });
    expect(readFileSync(files.summary, 'utf8')).toContain('| x\\|y | — |');
  });

  it('reports a configuration mistake as such, naming the input, and still writes the summary', async () => {
    const files = runnerFiles();
    const schema = z.object({ timeout: required(input.duration()) });
    const result = await runAction(
      'demo',
      async (ctx) => {
        ctx.summary.heading('Started');
        ctx.inputs(schema);
      },
      { env: { ...files.env, INPUT_TIMEOUT: 'soon' }, log: memoryLogger() },
    );
    expect(result.ok).toBe(false);
    expect(result.error).toMatch(/^demo: invalid configuration — input "timeout" \(got "soon"\): expected a duration/);
    expect(result.error).toContain('see actions/demo/README.md');
    expect(process.exitCode).toBe(1);
    const summary = readFileSync(files.summary, 'utf8');
    expect(summary).toContain('## Started');
    expect(summary).toContain('demo failed');
  });

  it('reports a blocked operation with its hint, and a bug as an internal error', async () => {
    const blocked = await runAction(
      'demo',
      async () => {
        throw new ActionFailure('2 of 7 checklist items failed', 'see the job summary');
      },
      { env: {}, log: memoryLogger() },
    );
    expect(blocked.error).toBe('demo: 2 of 7 checklist items failed — see the job summary');
    const log = memoryLogger();
    const bug = await runAction(
      'demo',
      async () => {
        (undefined as unknown as { x: number }).x;
      },
      { env: {}, log },
    );
    expect(bug.error).toMatch(/^demo: internal error — .*This is a bug in Runbook Actions/);
    expect(log.lines.some((l) => l.startsWith('debug:') && l.includes('run.test.ts'))).toBe(true); // stack kept for debugging
  });

  it('loads the policy file named by the policy-file input, and fails on a missing non-default one', async () => {
    const files = runnerFiles();
    mkdirSync(join(files.dir, '.github'));
    writeFileSync(join(files.dir, '.github', 'runbook.yml'), 'maintenance:\n  notice: 72h\n');
    let notice = 0;
    await runAction(
      'demo',
      async (ctx) => {
        notice = (await ctx.policy()).maintenance.notice;
      },
      { env: { ...files.env, 'INPUT_POLICY-FILE': '.github/runbook.yml' }, log: memoryLogger() },
    );
    expect(notice).toBe(72 * 3_600_000);
    const missing = await runAction('demo', async (ctx) => void (await ctx.policy()), {
      env: { ...files.env, 'INPUT_POLICY-FILE': 'ops/runbook.yml' },
      log: memoryLogger(),
    });
    expect(missing.error).toMatch(
      /demo: invalid configuration — input "policy-file" \(got "ops\/runbook.yml"\): cannot be read/,
    );
  });
});
