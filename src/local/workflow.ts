import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { exec } from '../core/exec.js';
import { parseOutputFile } from '../core/outputs.js';
import { condition, type ExpressionContext, interpolate, stringify, type Value } from './expressions.js';
import { readActionMetadata, runActionBundle } from './runner.js';

/**
 * Runs one of this repository's reusable workflows on this machine, the way GitHub would: jobs in
 * `needs` order with their `if:` conditions, steps with `if:`/`env:`/`with:` evaluated, our actions'
 * committed bundles run by the runner emulation, `run:` steps by bash, GITHUB_ENV and step/job/workflow
 * outputs carried forward. It exists so that the end-to-end test and `npm run demo` execute the workflow
 * file itself rather than a copy of its sequence. Third-party actions (checkout, setup-node) are not
 * run: the local workspace and Node stand in for them.
 */

/** How workflows reference this repository's actions: `runbook-actions/runbook-actions/actions/<name>@<ref>`. */
export const OWN_ACTION = /^runbook-actions\/runbook-actions\/actions\/([a-z-]+)@\S+$/;

export interface WorkflowRunOptions {
  file: string;
  inputs?: Record<string, string | boolean | number>;
  secrets?: Record<string, string>;
  /** The `github` context (repository, sha, ref, server_url, run_id, actor, …). */
  github: Record<string, string>;
  /** Environment every step starts from (PATH, GITHUB_API_URL, KUBECONFIG, …). */
  env: Record<string, string | undefined>;
  workspace: string;
  /** Maps a `uses:` to the directory of one of our actions, or undefined for a third-party action. */
  resolveAction: (uses: string) => string | undefined;
  onStep?: (event: StepRecord & { job: string }) => void;
}

export interface StepRecord {
  id: string;
  name: string;
  outcome: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
  summary: string;
  log: string;
  note?: string;
}

export interface JobRecord {
  result: 'success' | 'failure' | 'skipped';
  outputs: Record<string, string>;
  steps: StepRecord[];
}

export interface WorkflowRun {
  jobs: Record<string, JobRecord>;
  outputs: Record<string, string>;
  /** success when every job that ran succeeded. */
  conclusion: 'success' | 'failure';
}

interface WorkflowFile {
  on: {
    workflow_call?: {
      inputs?: Record<string, { default?: unknown; type?: string; required?: boolean }>;
      outputs?: Record<string, { value: string }>;
    };
  };
  jobs: Record<string, JobFile>;
}
interface JobFile {
  name?: string;
  needs?: string | string[];
  if?: string | boolean;
  env?: Record<string, string>;
  outputs?: Record<string, string>;
  steps: StepFile[];
}
interface StepFile {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: string | boolean;
  'continue-on-error'?: boolean;
}

export async function runWorkflow(options: WorkflowRunOptions): Promise<WorkflowRun> {
  const workflow = parse(readFileSync(options.file, 'utf8')) as WorkflowFile;
  const declared = workflow.on.workflow_call?.inputs ?? {};
  const inputs: Record<string, Value> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const given = options.inputs?.[name];
    if (given === undefined && spec.required) throw new Error(`${options.file}: input ${name} is required`);
    inputs[name] = (given ?? (spec.default as Value) ?? (spec.type === 'boolean' ? false : '')) as Value;
  }
  const unknown = Object.keys(options.inputs ?? {}).filter((n) => !(n in declared));
  if (unknown.length) throw new Error(`${options.file}: unknown inputs ${unknown.join(', ')}`);

  const jobs: Record<string, JobRecord> = {};
  const order = topological(workflow.jobs);
  for (const name of order) {
    const job = workflow.jobs[name] as JobFile;
    const needs = ([] as string[]).concat(job.needs ?? []);
    const needsContext = Object.fromEntries(
      needs.map((n) => [n, { result: jobs[n]?.result ?? 'skipped', outputs: jobs[n]?.outputs ?? {} }]),
    );
    const upstreamFailed = needs.some((n) => jobs[n]?.result === 'failure');
    const upstreamSkipped = needs.some((n) => jobs[n]?.result === 'skipped');
    const ctx: ExpressionContext = {
      contexts: {
        inputs,
        secrets: options.secrets ?? {},
        github: options.github,
        needs: needsContext as Value,
        env: {},
        runner: {},
      },
      status: { failed: upstreamFailed, cancelled: false },
    };
    // A job whose needs were skipped is skipped too, unless its condition says always()/failure().
    const run = job.if === undefined ? !upstreamFailed && !upstreamSkipped : condition(job.if, ctx);
    if (!run) {
      jobs[name] = { result: 'skipped', outputs: {}, steps: [] };
      continue;
    }
    jobs[name] = await runJob(name, job, ctx, options);
  }

  const jobsContext = Object.fromEntries(
    Object.entries(jobs).map(([n, j]) => [n, { result: j.result, outputs: j.outputs }]),
  );
  const outputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(workflow.on.workflow_call?.outputs ?? {})) {
    outputs[name] = stringify(
      interpolate(spec.value, {
        contexts: { jobs: jobsContext as Value },
        status: { failed: false, cancelled: false },
      }),
    );
  }
  const conclusion = Object.values(jobs).some((j) => j.result === 'failure') ? 'failure' : 'success';
  return { jobs, outputs, conclusion };
}

async function runJob(
  name: string,
  job: JobFile,
  base: ExpressionContext,
  options: WorkflowRunOptions,
): Promise<JobRecord> {
  const temp = mkdtempSync(join(tmpdir(), `job-${name}-`));
  const github = { ...options.github, job: name };
  const jobEnv: Record<string, string | undefined> = { ...options.env, RUNNER_TEMP: temp };
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const records: StepRecord[] = [];
  let failed = false;
  try {
    for (const [index, step] of job.steps.entries()) {
      const id = step.id ?? `__step${index}`;
      const label = step.name ?? step.uses ?? (step.run ? step.run.split('\n')[0] : id) ?? id;
      const ctx: ExpressionContext = {
        contexts: {
          ...base.contexts,
          github,
          steps: steps as unknown as Value,
          env: stringsOf(jobEnv) as Value,
          runner: { temp },
        },
        status: { failed, cancelled: false },
      };
      let record: StepRecord;
      if (!condition(step.if, ctx)) {
        record = { id, name: label, outcome: 'skipped', outputs: {}, summary: '', log: '' };
      } else {
        const stepEnv = { ...jobEnv };
        for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = stringify(interpolate(String(v), ctx));
        record = await runStep(id, label, step, ctx, stepEnv, { ...options, github }, jobEnv, temp);
      }
      if (record.outcome === 'failure' && !step['continue-on-error']) failed = true;
      steps[id] = { outputs: record.outputs, outcome: record.outcome, conclusion: record.outcome };
      records.push(record);
      options.onStep?.({ ...record, job: name });
    }
    const ctx: ExpressionContext = {
      contexts: { ...base.contexts, github, steps: steps as unknown as Value, env: {}, runner: { temp } },
      status: { failed, cancelled: false },
    };
    const outputs = Object.fromEntries(
      Object.entries(job.outputs ?? {}).map(([k, v]) => [k, stringify(interpolate(v, ctx))]),
    );
    return { result: failed ? 'failure' : 'success', outputs, steps: records };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

async function runStep(
  id: string,
  name: string,
  step: StepFile,
  ctx: ExpressionContext,
  env: Record<string, string | undefined>,
  options: WorkflowRunOptions,
  jobEnv: Record<string, string | undefined>,
  temp: string,
): Promise<StepRecord> {
  if (step.uses) {
    const dir = options.resolveAction(step.uses);
    if (!dir)
      return { id, name, outcome: 'success', outputs: {}, summary: '', log: '', note: `not run locally: ${step.uses}` };
    const metadata = readActionMetadata(dir);
    const inputs: Record<string, string> = {};
    for (const [k, v] of Object.entries(step.with ?? {})) {
      if (!(k in metadata.inputs)) throw new Error(`step ${name}: ${step.uses} has no input ${k}`);
      inputs[k] = stringify(interpolate(String(v), ctx));
    }
    const run = await runActionBundle(dir, {
      inputs,
      env: { ...githubEnv(options.github), ...env },
      workspace: options.workspace,
    });
    return {
      id,
      name,
      outcome: run.exitCode === 0 ? 'success' : 'failure',
      outputs: run.outputs,
      summary: run.summary,
      log: run.stdout + run.stderr,
    };
  }
  if (step.run === undefined) throw new Error(`step ${name}: neither uses nor run`);
  return runScript(id, name, stringify(interpolate(step.run, ctx)), env, options.workspace, temp, jobEnv);
}

/** A `run:` step: bash as the runner starts it, with GITHUB_ENV, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files of its own. */
async function runScript(
  id: string,
  name: string,
  script: string,
  env: Record<string, string | undefined>,
  workspace: string,
  temp: string,
  jobEnv: Record<string, string | undefined>,
): Promise<StepRecord> {
  const files = {
    env: join(temp, `env-${id}`),
    output: join(temp, `output-${id}`),
    summary: join(temp, `summary-${id}`),
  };
  for (const file of Object.values(files)) writeFileSync(file, '');
  const result = await exec(['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    env: {
      ...env,
      GITHUB_ENV: files.env,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_WORKSPACE: workspace,
    },
    replaceEnv: true,
    cwd: workspace,
    timeoutMs: 600_000,
  });
  Object.assign(jobEnv, parseOutputFile(readFileSync(files.env, 'utf8')));
  return {
    id,
    name,
    outcome: result.exitCode === 0 ? 'success' : 'failure',
    outputs: parseOutputFile(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
    log: result.stdout + result.stderr,
  };
}

export interface CompositeRunOptions {
  /** The folder holding the composite action.yml (GITHUB_ACTION_PATH). */
  actionDir: string;
  inputs?: Record<string, string>;
  github: Record<string, string>;
  env: Record<string, string | undefined>;
  workspace: string;
  onStep?: (event: StepRecord) => void;
}

export interface CompositeRun {
  outcome: 'success' | 'failure';
  outputs: Record<string, string>;
  steps: StepRecord[];
}

interface CompositeFile {
  inputs?: Record<string, { default?: string }>;
  outputs?: Record<string, { value: string }>;
  runs: { using: string; steps: (StepFile & { shell?: string })[] };
}

/** Runs a composite action (the root action.yml) as the runner does: its `run:` steps in order, `if:` and outputs evaluated. */
export async function runCompositeAction(options: CompositeRunOptions): Promise<CompositeRun> {
  const action = parse(readFileSync(join(options.actionDir, 'action.yml'), 'utf8')) as CompositeFile;
  if (action.runs.using !== 'composite') throw new Error(`${options.actionDir}/action.yml is not a composite action`);
  const unknown = Object.keys(options.inputs ?? {}).filter((n) => !(n in (action.inputs ?? {})));
  if (unknown.length) throw new Error(`unknown inputs ${unknown.join(', ')}`);
  const github = options.github;
  const base: ExpressionContext = { contexts: { github }, status: { failed: false, cancelled: false } };
  const inputs: Record<string, Value> = {};
  for (const [name, spec] of Object.entries(action.inputs ?? {}))
    inputs[name] = options.inputs?.[name] ?? stringify(interpolate(String(spec.default ?? ''), base));
  const temp = mkdtempSync(join(tmpdir(), 'composite-'));
  const env: Record<string, string | undefined> = {
    ...githubEnv(github),
    ...options.env,
    GITHUB_ACTION_PATH: options.actionDir,
    RUNNER_TEMP: temp,
  };
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const records: StepRecord[] = [];
  let failed = false;
  try {
    for (const [index, step] of action.runs.steps.entries()) {
      const id = step.id ?? `__step${index}`;
      if (step.run === undefined || step.shell !== 'bash')
        throw new Error(`step ${id}: only run: steps with shell: bash are supported locally`);
      const ctx: ExpressionContext = {
        contexts: { github, inputs, steps: steps as unknown as Value, env: stringsOf(env) as Value, runner: { temp } },
        status: { failed, cancelled: false },
      };
      let record: StepRecord;
      if (!condition(step.if, ctx))
        record = { id, name: step.name ?? id, outcome: 'skipped', outputs: {}, summary: '', log: '' };
      else {
        const stepEnv = { ...env };
        for (const [k, v] of Object.entries(step.env ?? {})) stepEnv[k] = stringify(interpolate(String(v), ctx));
        record = await runScript(
          id,
          step.name ?? id,
          stringify(interpolate(step.run, ctx)),
          stepEnv,
          options.workspace,
          temp,
          env,
        );
      }
      if (record.outcome === 'failure') failed = true;
      steps[id] = { outputs: record.outputs, outcome: record.outcome, conclusion: record.outcome };
      records.push(record);
      options.onStep?.(record);
    }
    const ctx: ExpressionContext = {
      contexts: { github, inputs, steps: steps as unknown as Value },
      status: { failed, cancelled: false },
    };
    const outputs = Object.fromEntries(
      Object.entries(action.outputs ?? {}).map(([k, spec]) => [k, stringify(interpolate(spec.value, ctx))]),
    );
    return { outcome: failed ? 'failure' : 'success', outputs, steps: records };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** The runner's GITHUB_* variables for a `github` context. */
function githubEnv(github: Record<string, string>): Record<string, string | undefined> {
  return {
    GITHUB_REPOSITORY: github.repository,
    GITHUB_SHA: github.sha,
    GITHUB_REF: github.ref,
    GITHUB_SERVER_URL: github.server_url,
    GITHUB_RUN_ID: github.run_id,
    GITHUB_ACTOR: github.actor,
    GITHUB_JOB: github.job,
    GITHUB_TOKEN: github.token,
  };
}

function stringsOf(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

function topological(jobs: Record<string, JobFile>): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (name: string, path: string[]) => {
    if (seen.has(name)) return;
    if (path.includes(name)) throw new Error(`job cycle: ${[...path, name].join(' → ')}`);
    const job = jobs[name];
    if (!job) throw new Error(`unknown job ${name} in needs`);
    for (const n of ([] as string[]).concat(job.needs ?? [])) visit(n, [...path, name]);
    seen.add(name);
    order.push(name);
  };
  for (const name of Object.keys(jobs)) visit(name, []);
  return order;
}
