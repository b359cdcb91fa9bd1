#!/usr/bin/env node
// Writes schema/runbook.schema.json, docs/policy.md and src/core/policy/defaults.ts from the zod schema
// (src/core/policy/schema.ts).
// Compiles the sources with tsc into .tmp/schema-build, then imports the generator from there.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.tmp', 'schema-build'); // not the bundler's directory: the two may run at once
execFileSync(
  process.execPath,
  [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', out],
  { stdio: 'inherit' },
);
const docs = await import(pathToFileURL(join(out, 'src', 'core', 'policy', 'docs.js')).href);
mkdirSync(join(root, 'schema'), { recursive: true });
writeFileSync(join(root, 'schema', 'runbook.schema.json'), docs.policyJsonSchemaText());
writeFileSync(join(root, 'docs', 'policy.md'), docs.policyMarkdown());
const defaults = join(root, 'src', 'core', 'policy', 'defaults.ts');
writeFileSync(defaults, docs.defaultsModuleText());
execFileSync(
  process.execPath,
  [join(root, 'node_modules', '@biomejs', 'biome', 'bin', 'biome'), 'format', '--write', defaults],
  {
    stdio: 'inherit',
  },
);
console.log('wrote schema/runbook.schema.json, docs/policy.md and src/core/policy/defaults.ts');
