import { z } from 'zod/mini';
import { formatDuration } from '../duration.js';
import { parsePolicy } from './parse.js';
import { policySchema } from './schema.js';

/** The JSON Schema editors use to complete `.github/runbook.yml` (committed as schema/runbook.schema.json). */
export function policyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(policySchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
  return {
    ...schema,
    $id: 'https://github.com/runbook-actions/runbook-actions/schema/runbook.schema.json',
    title: 'Runbook Actions policy (.github/runbook.yml)',
  };
}

export function policyJsonSchemaText(): string {
  return `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;
}

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

/** docs/policy.md: every key, its type, default and meaning, generated from the same schema. */
export function policyMarkdown(): string {
  const rows: string[] = [];
  const walk = (node: JsonSchema, path: string) => {
    if (path && path !== '$schema')
      rows.push(
        `| \`${path}\` | ${typeOf(node)} | ${defaultOf(node)} | ${(node.description ?? '').replace(/\|/g, '\\|')} |`,
      );
    if (node.properties)
      for (const [key, child] of Object.entries(node.properties)) walk(child, path ? `${path}.${key}` : key);
    if (node.items?.properties)
      walk({ ...node.items, description: undefined, default: undefined, type: 'object' }, `${path}[]`);
    if (typeof node.additionalProperties === 'object' && node.additionalProperties.properties)
      walk({ ...node.additionalProperties, description: undefined, default: undefined }, `${path}.<name>`);
  };
  walk(policyJsonSchema() as JsonSchema, '');
  return [
    '# The runbook policy file',
    '',
    '<!-- Generated from src/core/policy/schema.ts by `npm run schema`; a test fails when it is stale. -->',
    '',
    'Every action reads one policy file, `.github/runbook.yml` by default (input `policy-file`). When the',
    "file is absent the runbook's defaults below apply. Unknown keys and wrong types are errors that name",
    'the key and its line — a typo never falls back to a default silently. Durations are written as',
    '`500ms`, `90s`, `15m`, `1h30m`, `2d`. Editors complete the file with `schema/runbook.schema.json`:',
    '',
    '```yaml',
    '# yaml-language-server: $schema=https://raw.githubusercontent.com/<owner>/<repo>/main/schema/runbook.schema.json',
    'version: 1',
    'maintenance:',
    '  notice: 48h',
    '```',
    '',
    'Check a file and print the effective policy with `npx runbook policy check .github/runbook.yml`.',
    '',
    '| key | type | default | meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

function typeOf(node: JsonSchema): string {
  if (node.enum) return node.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (node.const !== undefined) return `\`${String(node.const)}\``;
  if (node.anyOf) return node.anyOf.map(typeOf).join(' \\| ');
  if (node.type === 'array') return `list of ${node.items ? typeOf(node.items) : 'values'}`;
  if (isDuration(node)) return 'duration';
  if (node.type === 'object' && typeof node.additionalProperties === 'object' && !node.properties)
    return `map of ${typeOf(node.additionalProperties)}`;
  return String(node.type ?? 'any');
}

function defaultOf(node: JsonSchema): string {
  if (node.default === undefined) return '';
  if (
    typeof node.default === 'object' &&
    node.default !== null &&
    Object.keys(node.default).length === 0 &&
    !Array.isArray(node.default)
  )
    return '';
  const text = JSON.stringify(node.default);
  return `\`${text.length > 80 ? `${text.slice(0, 77)}…` : text}\``;
}

/**
 * The effective policy in the form the file is written in (durations as `48h`, not milliseconds),
 * so `runbook policy check` prints something that can be pasted back, and parsing it again gives
 * the same policy.
 */
export function toPolicyFile(policy: object): unknown {
  const convert = (value: unknown, node: JsonSchema | undefined): unknown => {
    if (typeof value === 'number' && node && isDuration(node)) return formatDuration(value);
    if (Array.isArray(value)) return value.map((v) => convert(v, node?.items));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(value)) {
        if (child === undefined) continue;
        const childNode =
          node?.properties?.[key] ??
          (typeof node?.additionalProperties === 'object' ? node.additionalProperties : undefined);
        out[key] = convert(child, childNode);
      }
      return out;
    }
    return value;
  };
  return convert(policy, policyJsonSchema() as JsonSchema);
}

function isDuration(node: JsonSchema): boolean {
  return node.type === 'string' && (node.pattern?.includes('ms|s|m|h|d|w') ?? false);
}

/** src/core/policy/defaults.ts: the policy when there is no file, so loading it needs neither YAML nor zod. */
export function defaultsModuleText(): string {
  return `// Generated by \`npm run schema\` from schema.ts: the effective policy when no policy file exists.
// Loading it needs neither the YAML parser nor the schema (start-up time); test/core/policy.test.ts
// fails when it differs from what the schema gives for an empty file.
import type { Policy } from './schema.js';

export const DEFAULT_POLICY: Policy = ${JSON.stringify(parsePolicy({}), null, 2)};
`;
}
