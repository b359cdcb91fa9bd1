import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { exec } from '../core/exec.js';
import { inputEnvName } from '../core/inputs.js';
import { parseOutputFile } from '../core/outputs.js';

/**
 * Runs an action's committed bundle the way the GitHub runner does: inputs as INPUT_* (with the
 * action.yml defaults filled in), GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, GITHUB_WORKSPACE,
 * GITHUB_EVENT_PATH. Shared by the `runbook` CLI and the bundle tests, so both exercise exactly
 * what users run.
 */

export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string | number | boolean;
  deprecationMessage?: string;
}

export interface ActionMetadata {
  name: string;
  description: string;
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description?: string; value?: string }>;
  runs: { using: string; main?: string; steps?: unknown[] };
}

export function readActionMetadata(actionDir: string): ActionMetadata {
  const data = parse(readFileSync(join(actionDir, 'action.yml'), 'utf8')) as ActionMetadata;
  return { ...data, inputs: data.inputs ?? {}, outputs: data.outputs ?? {} };
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  file?: string;
  line?: number;
  title?: string;
}

export interface BundleRun {
  exitCode: number | null;
  outputs: Record<string, string>;
  summary: string;
  stdout: string;
  stderr: string;
  annotations: Annotation[];
  /** `::add-mask::` values the action registered. */
  masked: string[];
  durationMs: number;
}

export interface RunBundleOptions {
  /** Raw input values, by the names action.yml declares. */
  inputs?: Record<string, string>;
  /** The whole environment besides the runner variables this sets (nothing is inherited unless `inheritEnv`). */
  env?: Record<string, string | undefined>;
  inheritEnv?: boolean;
  workspace?: string;
  event?: unknown;
  eventName?: string;
  timeoutMs?: number;
  /** Node binary; the runner's is Node 24. */
  node?: string;
  onData?: (chunk: string, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
}

export class UnknownInputError extends Error {}

/** The value the runner gives an input that was not set: its default, with the few expressions we can evaluate. */
export function defaultValue(input: ActionInput, env: Record<string, string | undefined>): string {
  if (input.default === undefined) return '';
  return String(input.default).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    switch (expression) {
      case 'github.token':
        return env.GITHUB_TOKEN ?? '';
      case 'github.sha':
        return env.GITHUB_SHA ?? '';
      case 'github.ref':
        return env.GITHUB_REF ?? '';
      case 'github.repository':
        return env.GITHUB_REPOSITORY ?? '';
      case 'github.actor':
        return env.GITHUB_ACTOR ?? '';
      case 'github.workspace':
        return env.GITHUB_WORKSPACE ?? '';
      default:
        return '';
    }
  });
}

export async function runActionBundle(actionDir: string, options: RunBundleOptions = {}): Promise<BundleRun> {
  const metadata = readActionMetadata(actionDir);
  const main = metadata.runs.main;
  if (!main) throw new Error(`${actionDir}/action.yml has no runs.main`);
  const unknown = Object.keys(options.inputs ?? {}).filter((name) => !(name in metadata.inputs));
  if (unknown.length)
    throw new UnknownInputError(
      `${metadata.name}: unknown input${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (declared: ${Object.keys(metadata.inputs).join(', ')})`,
    );

  const temp = mkdtempSync(join(tmpdir(), 'runbook-run-'));
  try {
    const files = {
      output: join(temp, 'output'),
      summary: join(temp, 'summary.md'),
      event: join(temp, 'event.json'),
      state: join(temp, 'state'),
      env: join(temp, 'env'),
      path: join(temp, 'path'),
    };
    for (const f of [files.output, files.summary, files.state, files.env, files.path]) writeFileSync(f, '');
    writeFileSync(files.event, JSON.stringify(options.event ?? {}));
    const base = options.inheritEnv
      ? { ...process.env }
      : {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          LANG: process.env.LANG ?? 'C.UTF-8',
          TMPDIR: process.env.TMPDIR,
        };
    const env: Record<string, string | undefined> = {
      ...base,
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      RUNNER_TEMP: temp,
      RUNNER_OS: 'Linux',
      GITHUB_WORKSPACE: options.workspace ?? process.cwd(),
      GITHUB_EVENT_NAME: options.eventName ?? 'workflow_dispatch',
      GITHUB_EVENT_PATH: files.event,
      ...options.env,
      GITHUB_OUTPUT: files.output,
      GITHUB_STEP_SUMMARY: files.summary,
      GITHUB_STATE: files.state,
      GITHUB_ENV: files.env,
      GITHUB_PATH: files.path,
    };
    for (const [name, input] of Object.entries(metadata.inputs)) {
      const given = options.inputs?.[name];
      env[inputEnvName(name)] = given ?? defaultValue(input, env);
    }
    const result = await exec([options.node ?? process.execPath, join(actionDir, main)], {
      env,
      replaceEnv: true,
      cwd: env.GITHUB_WORKSPACE,
      timeoutMs: options.timeoutMs ?? 300_000,
      ...(options.onData ? { onData: options.onData } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (result.spawnError) throw new Error(result.spawnError);
    return {
      exitCode: result.exitCode,
      outputs: parseOutputFile(readFileSync(files.output, 'utf8')),
      summary: readFileSync(files.summary, 'utf8'),
      stdout: result.stdout,
      stderr: result.stderr,
      annotations: parseAnnotations(result.stdout),
      masked: [...result.stdout.matchAll(/^::add-mask::(.*)$/gm)].map((m) => m[1] as string),
      durationMs: result.durationMs,
    };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

/** `::error file=a.sql,line=3,title=x::message` lines, as the runner turns them into annotations. */
export function parseAnnotations(stdout: string): Annotation[] {
  const out: Annotation[] = [];
  for (const m of stdout.matchAll(/^::(error|warning|notice)(?: ([^:]*))?::(.*)$/gm)) {
    const props = Object.fromEntries(
      (m[2] ?? '')
        .split(',')
        .filter(Boolean)
        .map((kv) => {
          const at = kv.indexOf('=');
          return [kv.slice(0, at), unescapeProperty(kv.slice(at + 1))];
        }),
    );
    out.push({
      level: m[1] as Annotation['level'],
      message: unescapeData(m[3] ?? ''),
      ...(props.file ? { file: props.file } : {}),
      ...(props.line ? { line: Number(props.line) } : {}),
      ...(props.title ? { title: props.title } : {}),
    });
  }
  return out;
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}
function unescapeProperty(s: string): string {
  return unescapeData(s).replace(/%3A/g, ':').replace(/%2C/g, ',');
}
