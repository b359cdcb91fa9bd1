#!/usr/bin/env node
// The `runbook` command: runs the actions' committed bundles locally (see src/cli.ts).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../dist/cli/index.js';

process.exitCode = await main({
  root: join(dirname(fileURLToPath(import.meta.url)), '..'),
  argv: process.argv.slice(2),
});
