import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { ConfigurationError } from '../errors.js';
import type { Logger } from '../logger.js';
import { DEFAULT_POLICY } from './defaults.js';
import type { Policy } from './schema.js';

export type { Policy } from './schema.js';

export const DEFAULT_POLICY_PATH = '.github/runbook.yml';

export interface LoadedPolicySource {
  /** Where it came from: the file path, or undefined when the defaults apply. */
  file: string | undefined;
}

/**
 * Loads the runbook policy. The default path may be absent (the runbook's defaults apply);
 * any other path must exist, since naming a file that is not there is a mistake.
 * Problems name the key's path and its line, and are reported as annotations on the file.
 * The YAML parser and the schema (parse.ts) load only when there is a file to parse: the defaults are
 * generated from the schema by `npm run schema` (defaults.ts; a test keeps them equal).
 */
export async function loadPolicy(options: {
  path: string;
  workspace: string;
  log?: Logger;
}): Promise<Policy & LoadedPolicySource> {
  const file = isAbsolute(options.path) ? options.path : join(options.workspace, options.path);
  let text: string;
  try {
    // Synchronous: a small file read once at start, and the first asynchronous file operation would start
    // libuv's thread pool, which a run that finds no file and fails fast never needs.
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && options.path === DEFAULT_POLICY_PATH) {
      options.log?.debug(`no ${DEFAULT_POLICY_PATH}: using the runbook's defaults`);
      return { ...structuredClone(DEFAULT_POLICY), file: undefined };
    }
    throw new ConfigurationError(
      [{ field: 'input "policy-file"', value: options.path, message: `cannot be read (${(error as Error).message})` }],
      'policy',
    );
  }
  const { parsePolicyText } = await import('./parse.js');
  const policy = parsePolicyText(text, options.path, options.log);
  return { ...policy, file: options.path };
}

export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}
