#!/usr/bin/env node
// Writes schema/runbook.schema.json and docs/policy.md from the zod schema (src/core/policy/schema.ts).
// Uses the tsc output of `npm run build` (.tmp/build); run `npm run build` first, or `npm run schema` does it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(
  process.execPath,
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')],
  {
    stdio: 'inherit',
  },
);
const docs = await import(pathToFileURL(join(root, '.tmp', 'build', 'src', 'core', 'policy', 'docs.js')).href);
mkdirSync(join(root, 'schema'), { recursive: true });
writeFileSync(join(root, 'schema', 'runbook.schema.json'), docs.policyJsonSchemaText());
writeFileSync(join(root, 'docs', 'policy.md'), docs.policyMarkdown());
console.log('wrote schema/runbook.schema.json and docs/policy.md');
