import { ActionFailure } from '../core/errors.js';
import { describeFailure, type Exec, type ExecResult } from '../core/exec.js';
import type { Logger } from '../core/logger.js';

/**
 * The project's own migration commands, run as argument lists (never through a shell) with the
 * database URL in one environment variable. A one-line input is split at whitespace; an input of
 * several lines is one argument per line, for arguments that contain spaces.
 */
export function commandArgs(lines: readonly string[]): string[] {
  if (lines.length === 1) return (lines[0] as string).split(/\s+/).filter(Boolean);
  return [...lines];
}

export interface CommandRunner {
  run(step: string, argv: readonly string[]): Promise<ExecResult>;
}

export function commandRunner(options: {
  exec: Exec;
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  log: Logger;
}): CommandRunner {
  return {
    async run(step, argv) {
      const result = await options.log.group(`${step}: ${argv.join(' ')}`, () =>
        options.exec(argv, {
          cwd: options.cwd,
          env: options.env,
          timeoutMs: options.timeoutMs,
          log: options.log,
          echo: true,
        }),
      );
      if (result.spawnError) {
        const notFound = result.spawnError.startsWith('command not found');
        throw new ActionFailure(
          `${step} command failed: ${result.spawnError}${notFound ? ` (working directory ${options.cwd})` : ''}`,
          notFound
            ? `install it in an earlier step (e.g. npm ci) or fix the ${step}-command input; commands run without a shell, so give a program and its arguments`
            : `check the ${step}-command input`,
        );
      }
      if (result.exitCode !== 0) {
        throw new ActionFailure(
          `${step} command failed: ${describeFailure(result)}`,
          'see the command output in the log above',
        );
      }
      return result;
    },
  };
}
