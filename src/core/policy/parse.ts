import { LineCounter, parseDocument } from 'yaml';
import { ConfigurationError, type ConfigurationIssue } from '../errors.js';
import type { Logger } from '../logger.js';
import { formatPath } from './load.js';
import { type Policy, policySchema } from './schema.js';

/**
 * Parsing a policy: the YAML parser and the zod schema. Loaded only when a policy file exists (see load.ts);
 * without one, the defaults come ready-made from defaults.ts.
 */

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
