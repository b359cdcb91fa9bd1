import * as core from '@actions/core';
import type { z } from 'zod/mini';
import { type Clock, systemClock } from './clock.js';
import { ActionFailure, ConfigurationError, errorMessage } from './errors.js';
import { type Env, getInputs } from './inputs.js';
import { actionsLogger, type Logger } from './logger.js';
import { outputText, writeOutput } from './outputs.js';
import { DEFAULT_POLICY_PATH, loadPolicy, type Policy } from './policy/load.js';
import { redact } from './secrets.js';
import { Summary } from './summary.js';

export interface ActionContext {
  readonly name: string;
  readonly env: Env;
  readonly clock: Clock;
  readonly log: Logger;
  readonly summary: Summary;
  /** GITHUB_WORKSPACE, or the current directory outside a runner. */
  readonly workspace: string;
  readonly outputs: Readonly<Record<string, string>>;
  /** Reads and validates every input `schema` declares; throws one ConfigurationError for all problems. */
  inputs<S extends z.ZodMiniObject>(schema: S): z.output<S>;
  /** The runbook policy named by the `policy-file` input (loaded once). */
  policy(): Promise<Policy>;
  setOutput(name: string, value: unknown): void;
}

export interface RunOptions {
  env?: Env;
  clock?: Clock;
  log?: Logger;
}

export interface RunResult {
  ok: boolean;
  outputs: Record<string, string>;
  error?: string;
}

/**
 * Runs an action's body: every error is caught and turned into one `<action>: what failed — what to do`
 * message, a configuration mistake is told apart from an internal error, and the job summary is
 * written whatever happened.
 */
export async function runAction(
  name: string,
  body: (ctx: ActionContext) => Promise<void>,
  options: RunOptions = {},
): Promise<RunResult> {
  const env = options.env ?? process.env;
  const log = options.log ?? actionsLogger;
  const summary = new Summary();
  const outputs: Record<string, string> = {};
  let policy: Promise<Policy> | undefined;
  const workspace = env.GITHUB_WORKSPACE || process.cwd();

  const ctx: ActionContext = {
    name,
    env,
    clock: options.clock ?? systemClock,
    log,
    summary,
    workspace,
    outputs,
    inputs: (schema) => getInputs(schema, env),
    policy: (): Promise<Policy> => {
      // Loaded once, on first use. Without a file the defaults come ready-made; the YAML parser and the
      // schema load only to parse a file (src/core/policy/load.ts).
      policy ??= loadPolicy({ path: env['INPUT_POLICY-FILE']?.trim() || DEFAULT_POLICY_PATH, workspace, log });
      return policy;
    },
    setOutput: (outputName, value) => {
      const text = redact(outputText(value));
      outputs[outputName] = text;
      writeOutput(env.GITHUB_OUTPUT, outputName, text);
    },
  };

  let failure: string | undefined;
  try {
    await body(ctx);
  } catch (error) {
    failure = describeError(name, error);
    if (!(error instanceof ConfigurationError) && !(error instanceof ActionFailure) && error instanceof Error) {
      log.debug(redact(error.stack ?? error.message));
    }
    summary.heading(`❌ ${name} failed`, 3).paragraph(escapeForSummary(failure));
  }
  try {
    await summary.write(env.GITHUB_STEP_SUMMARY);
  } catch (error) {
    log.warning(`${name}: could not write the job summary — ${errorMessage(error)}`);
  }
  if (failure !== undefined) {
    core.setFailed(failure);
    return { ok: false, outputs, error: failure };
  }
  return { ok: true, outputs };
}

export function describeError(name: string, error: unknown): string {
  if (error instanceof ConfigurationError) {
    return redact(
      `${name}: invalid configuration — ${error.message}. Fix the step's inputs (see actions/${name}/README.md)${
        error.source === 'policy' ? ' or the policy file' : ''
      }.`,
    );
  }
  if (error instanceof ActionFailure) {
    return redact(`${name}: ${error.message}${error.hint ? ` — ${error.hint}` : ''}`);
  }
  return redact(
    `${name}: internal error — ${errorMessage(error)}. This is a bug in Runbook Actions, not your configuration: re-run with ACTIONS_STEP_DEBUG=true and report it with the log.`,
  );
}

function escapeForSummary(text: string): string {
  return text.replace(/</g, '&lt;');
}
