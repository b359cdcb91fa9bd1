import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultValue, parseAnnotations, runActionBundle, UnknownInputError } from '../../src/local/runner.js';
import { repoRoot } from '../support/bundle.js';

const fixture = join(repoRoot, 'test', 'fixtures', 'echo-action');

describe('runner emulation', () => {
  it('passes inputs as INPUT_*, fills defaults, and reads outputs and the summary back', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'ws-'));
    const run = await runActionBundle(fixture, {
      inputs: { message: 'hello\nworld' },
      env: { GITHUB_TOKEN: 'ghs_secretvalue' },
      workspace,
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({ echo: 'hello\nworld', multiline: 'line one\nline two' });
    expect(run.summary).toContain(`hello\nworld from ${workspace}`);
    expect(run.masked).toEqual(['ghs_secretvalue']); // default `${{ github.token }}` was evaluated
  });

  it('reports the exit code and annotations of a failing action', async () => {
    const run = await runActionBundle(fixture, { inputs: { message: 'x', fail: 'true' } });
    expect(run.exitCode).toBe(1);
    expect(run.annotations).toEqual([
      { level: 'error', message: 'it failed\non purpose', file: 'config.yml', line: 3, title: 'Bad' },
    ]);
  });

  it('refuses inputs the action does not declare, as a typo would otherwise go unnoticed', async () => {
    await expect(runActionBundle(fixture, { inputs: { mesage: 'x' } })).rejects.toThrow(UnknownInputError);
  });

  it('evaluates only the expressions it knows in defaults', () => {
    expect(defaultValue({ default: '${{ github.sha }}' }, { GITHUB_SHA: 'abc' })).toBe('abc');
    expect(defaultValue({ default: '${{ secrets.X }}' }, {})).toBe('');
    expect(defaultValue({}, {})).toBe('');
    expect(defaultValue({ default: 30 }, {})).toBe('30');
  });

  it('parses annotations with escaped properties', () => {
    expect(parseAnnotations('::warning file=a%2Cb.sql,line=7::x%25y\nplain\n')).toEqual([
      { level: 'warning', message: 'x%y', file: 'a,b.sql', line: 7 },
    ]);
  });
});
