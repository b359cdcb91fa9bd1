import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { inputEnvName } from '../../src/core/inputs.js';
import { parseOutputFile } from '../../src/core/outputs.js';

/**
 * The environment the runner gives an action's `run()` in-process: INPUT_* with the action.yml
 * defaults filled in, and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files to read back. Fails on an input
 * action.yml does not declare, as the runner warns about one.
 */
export function actionEnv(action: string, inputs: Record<string, string>, extra: Record<string, string> = {}) {
  const metadata = parse(readFileSync(join(import.meta.dirname, '../../actions', action, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const unknown = Object.keys(inputs).filter((name) => !(name in metadata.inputs));
  if (unknown.length) throw new Error(`${action}: undeclared inputs ${unknown.join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), `${action}-`));
  const files = { output: join(dir, 'output'), summary: join(dir, 'summary.md') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const env: Record<string, string> = {
    GITHUB_WORKSPACE: dir,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    ...extra,
  };
  for (const [name, declared] of Object.entries(metadata.inputs))
    env[inputEnvName(name)] = inputs[name] ?? String(declared.default ?? '');
  return {
    env,
    workspace: dir,
    outputs: () => parseOutputFile(readFileSync(files.output, 'utf8')),
    summary: () => readFileSync(files.summary, 'utf8'),
  };
}
