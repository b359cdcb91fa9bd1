import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { ConfigurationError, errorMessage } from './core/errors.js';
import { toPolicyFile } from './core/policy/docs.js';
import { DEFAULT_POLICY_PATH } from './core/policy/load.js';
import { parsePolicyText } from './core/policy/parse.js';
import { type ActionMetadata, readActionMetadata, runActionBundle, UnknownInputError } from './local/runner.js';

/**
 * `runbook`: the same actions from a terminal. `runbook <action> --<input> value …` runs the action's
 * committed bundle exactly as the runner would (inputs as INPUT_*, defaults from its action.yml),
 * then prints its outputs and job summary as text.
 */
export interface CliOptions {
  /** The package root (holds actions/). */
  root: string;
  argv: string[];
  env?: NodeJS.ProcessEnv;
  write?: (text: string) => void;
}

export async function main(options: CliOptions): Promise<number> {
  const write = options.write ?? ((t: string) => process.stdout.write(t));
  const env = options.env ?? process.env;
  const [command, ...rest] = options.argv;
  const actions = listActions(options.root);
  try {
    if (!command || command === '--help' || command === '-h' || command === 'help') {
      write(usage(options.root, actions));
      return command ? 0 : 2;
    }
    if (command === 'policy') return policyCommand(rest, env, write);
    if (!actions.includes(command)) {
      write(`runbook: unknown command "${command}"; expected one of: ${[...actions, 'policy'].join(', ')}\n`);
      return 2;
    }
    const actionDir = join(options.root, 'actions', command);
    const metadata = readActionMetadata(actionDir);
    if (rest.includes('--help') || rest.includes('-h')) {
      write(actionHelp(command, metadata));
      return 0;
    }
    const inputs = parseFlags(command, metadata, rest);
    const missing = Object.entries(metadata.inputs)
      .filter(([name, input]) => input.required && input.default === undefined && inputs[name] === undefined)
      .map(([name]) => `--${name}`);
    if (missing.length) {
      write(
        `runbook ${command}: missing required input${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (see runbook ${command} --help)\n`,
      );
      return 2;
    }
    const lines = lineBuffer((line, stream) => {
      const text = humanize(line, env.RUNNER_DEBUG === '1');
      if (text) (stream === 'stderr' ? (t: string) => process.stderr.write(t) : write)(`${text}\n`);
    });
    const run = await runActionBundle(actionDir, {
      inputs,
      inheritEnv: true,
      env: {
        GITHUB_WORKSPACE: env.GITHUB_WORKSPACE ?? process.cwd(),
        GITHUB_REPOSITORY: env.GITHUB_REPOSITORY ?? 'local/local',
      },
      workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
      onData: lines.push,
    });
    lines.flush();
    write('\nOutputs\n');
    for (const [name, value] of Object.entries(run.outputs))
      write(`  ${name}: ${value.includes('\n') ? `\n${indent(value, 4)}` : value}\n`);
    if (run.summary.trim()) write(`\nSummary\n${indent(run.summary.trim(), 2)}\n`);
    return run.exitCode ?? 1;
  } catch (error) {
    if (error instanceof UnknownInputError || error instanceof CliError || error instanceof ConfigurationError) {
      write(`${errorMessage(error)}\n`);
      return 2;
    }
    throw error;
  }
}

class CliError extends Error {}

function listActions(root: string): string[] {
  const dir = join(root, 'actions');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'action.yml')))
    .sort();
}

/** `--name value`, `--name=value`; a repeated flag adds a line (list inputs); a bare flag means true. */
export function parseFlags(action: string, metadata: ActionMetadata, args: string[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--'))
      throw new CliError(`runbook ${action}: unexpected argument "${arg}"; inputs are given as --name value`);
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!(name in metadata.inputs))
      throw new CliError(
        `runbook ${action}: unknown input --${name}; allowed: ${Object.keys(metadata.inputs)
          .map((n) => `--${n}`)
          .join(', ')}`,
      );
    let value: string;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (i + 1 < args.length && !(args[i + 1] as string).startsWith('--')) value = args[++i] as string;
    else value = 'true';
    inputs[name] = inputs[name] === undefined ? value : `${inputs[name]}\n${value}`;
  }
  return inputs;
}

function policyCommand(args: string[], env: NodeJS.ProcessEnv, write: (t: string) => void): number {
  const [sub, file] = args;
  if (sub !== 'check') {
    write('usage: runbook policy check [file]   validate a policy file and print the effective policy\n');
    return 2;
  }
  const path = resolve(env.GITHUB_WORKSPACE ?? process.cwd(), file ?? DEFAULT_POLICY_PATH);
  let text = '{}';
  if (existsSync(path)) text = readFileSync(path, 'utf8');
  else if (file) {
    write(`runbook policy check: ${file} does not exist\n`);
    return 2;
  }
  try {
    const policy = parsePolicyText(text, file ?? DEFAULT_POLICY_PATH);
    write(
      `${existsSync(path) ? `${file ?? DEFAULT_POLICY_PATH} is valid` : `no ${DEFAULT_POLICY_PATH}: the runbook's defaults apply`}. Effective policy:\n\n`,
    );
    write(stringify(toPolicyFile(policy)));
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    write(
      `${file ?? DEFAULT_POLICY_PATH} is invalid:\n${error.issues.map((i) => `  - ${i.field}: ${i.message}`).join('\n')}\n`,
    );
    return 1;
  }
}

function usage(root: string, actions: string[]): string {
  const lines = actions.map((name) => {
    const { description } = readActionMetadata(join(root, 'actions', name));
    return `  ${name.padEnd(20)} ${firstSentence(description)}`;
  });
  return [
    'usage: runbook <action> [--<input> value ...]',
    '       runbook <action> --help',
    '       runbook policy check [file]',
    '',
    'Runs an action of Runbook Actions locally, exactly as the GitHub runner runs it, and prints its',
    'outputs and job summary. GitHub calls use GITHUB_TOKEN / GITHUB_REPOSITORY / GITHUB_API_URL.',
    '',
    'actions:',
    ...lines,
    `  ${'policy check'.padEnd(20)} Validate .github/runbook.yml (or the given file) and print the effective policy.`,
    '',
  ].join('\n');
}

function actionHelp(name: string, metadata: ActionMetadata): string {
  const inputs = Object.entries(metadata.inputs).map(([input, spec]) => {
    const flags = [
      spec.required ? 'required' : undefined,
      spec.default !== undefined && spec.default !== '' ? `default: ${spec.default}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    return `  --${input}${flags ? `  (${flags})` : ''}\n${indent(wrap(spec.description ?? ''), 6)}`;
  });
  const outputs = Object.entries(metadata.outputs).map(
    ([output, spec]) => `  ${output}\n${indent(wrap(spec.description ?? ''), 6)}`,
  );
  return [
    `runbook ${name}: ${metadata.description.trim()}`,
    '',
    'inputs:',
    ...inputs,
    '',
    'outputs:',
    ...outputs,
    '',
  ].join('\n');
}

/** Workflow commands, made readable for a terminal. */
export function humanize(chunk: string, debug: boolean): string {
  return chunk
    .split('\n')
    .flatMap((line): string[] => {
      const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
      if (!m) return [line];
      const [, command, props, message] = m as unknown as [string, string, string | undefined, string];
      const text = message.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
      switch (command) {
        case 'error':
        case 'warning':
        case 'notice': {
          const file = /file=([^,]+)/.exec(props ?? '')?.[1];
          const lineNo = /line=(\d+)/.exec(props ?? '')?.[1];
          return [`${command}: ${file ? `${file}${lineNo ? `:${lineNo}` : ''}: ` : ''}${text}`];
        }
        case 'group':
          return [`▸ ${text}`];
        case 'debug':
          return debug ? [`debug: ${text}`] : [];
        default:
          return []; // add-mask, endgroup, set-output …
      }
    })
    .join('\n');
}

/** Splits streamed chunks into whole lines, per stream. */
function lineBuffer(emit: (line: string, stream: 'stdout' | 'stderr') => void) {
  const pending = { stdout: '', stderr: '' };
  return {
    push: (chunk: string, stream: 'stdout' | 'stderr') => {
      const parts = (pending[stream] + chunk).split('\n');
      pending[stream] = parts.pop() ?? '';
      for (const line of parts) emit(line, stream);
    },
    flush: () => {
      for (const stream of ['stdout', 'stderr'] as const) if (pending[stream]) emit(pending[stream], stream);
    },
  };
}

function firstSentence(text: string): string {
  return (text.trim().split(/(?<=\.)\s/)[0] ?? '').replace(/\s+/g, ' ');
}
function indent(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => (l ? ' '.repeat(n) + l : l))
    .join('\n');
}
function wrap(text: string, width = 96): string {
  const words = text.trim().split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + w.length + 1 > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
