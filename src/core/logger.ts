import * as core from '@actions/core';
import { redact } from './secrets.js';

export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
}

/** What the logic may say to the log; redacted on the way out. */
export interface Logger {
  info(message: string): void;
  debug(message: string): void;
  warning(message: string, annotation?: AnnotationProperties): void;
  error(message: string, annotation?: AnnotationProperties): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
}

export const actionsLogger: Logger = {
  info: (m) => core.info(redact(m)),
  debug: (m) => core.debug(redact(m)),
  warning: (m, a) => core.warning(redact(m), a),
  error: (m, a) => core.error(redact(m), a),
  group: (name, fn) => core.group(redact(name), fn),
};

/** A logger that keeps lines in memory (tests, quiet library use). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(redact(m)),
    debug: (m) => lines.push(`debug: ${redact(m)}`),
    warning: (m) => lines.push(`warning: ${redact(m)}`),
    error: (m) => lines.push(`error: ${redact(m)}`),
    group: async (name, fn) => {
      lines.push(`[${redact(name)}]`);
      return fn();
    },
  };
}
