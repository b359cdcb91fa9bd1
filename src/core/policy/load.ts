import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigurationError, type ConfigurationIssue } from '../errors.js';
import type { Logger } from '../logger.js';
import { type Policy, policySchema } from './schema.js';

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
 */
export async function loadPolicy(options: {
  path: string;
  workspace: string;
  log?: Logger;
}): Promise<Policy & LoadedPolicySource> {
  const file = isAbsolute(options.path) ? options.path : join(options.workspace, options.path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && options.path === DEFAULT_POLICY_PATH) {
      options.log?.debug(`no ${DEFAULT_POLICY_PATH}: using the runbook's defaults`);
      return { ...parsePolicy({}), file: undefined };
    }
    throw new ConfigurationError(
      [{ field: 'input "policy-file"', value: options.path, message: `cannot be read (${(error as Error).message})` }],
      'policy',
    );
  }
  const policy = parsePolicyText(text, options.path, options.log);
  return { ...policy, file: options.path };
}

/** Parses YAML text; errors carry `path (line N)` and are annotated on `fileLabel` when a logger is given. */
export function parsePolicyText(text: string, fileLabel: string, log?: Logger): Policy {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => ({
      field: `${fileLabel} (line ${lineCounter.linePos(e.pos[0]).line})`,
      message: `invalid YAML: ${e.message.split('\n')[0]}`,
    }));
    throw annotated(
      issues,
      fileLabel,
      log,
      issues.map((_, i) => lineCounter.linePos(doc.errors[i]?.pos[0] ?? 0).line),
    );
  }
  const data = doc.toJS() ?? {};
  const result = policySchema.safeParse(data);
  if (result.success) return result.data;
  const lines: (number | undefined)[] = [];
  const issues = result.error.issues.map((issue) => {
    const line = lineOf(doc, lineCounter, issue.path as (string | number)[]);
    lines.push(line);
    const at = formatPath(issue.path as (string | number)[]);
    return {
      field: `${fileLabel}: ${at || '(top level)'}${line ? ` (line ${line})` : ''}`,
      message: describeIssue(issue),
    };
  });
  throw annotated(issues, fileLabel, log, lines);
}

export function parsePolicy(data: unknown): Policy {
  const result = policySchema.safeParse(data);
  if (result.success) return result.data;
  throw new ConfigurationError(
    result.error.issues.map((i) => ({ field: formatPath(i.path as (string | number)[]), message: describeIssue(i) })),
    'policy',
  );
}

function annotated(issues: ConfigurationIssue[], file: string, log: Logger | undefined, lines: (number | undefined)[]) {
  for (const [i, issue] of issues.entries()) {
    log?.error(`${issue.field}: ${issue.message}`, { title: 'Runbook policy', file, startLine: lines[i] });
  }
  return new ConfigurationError(issues, 'policy');
}

function describeIssue(issue: { code: string; message: string; keys?: string[] }): string {
  if (issue.code === 'unrecognized_keys' && issue.keys)
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (see docs/policy.md for the allowed keys)`;
  return issue.message;
}

export function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>(
    (out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part),
    '',
  );
}

function lineOf(
  doc: ReturnType<typeof parseDocument>,
  counter: LineCounter,
  path: (string | number)[],
): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return counter.linePos(node.range[0]).line;
  }
  return undefined;
}
