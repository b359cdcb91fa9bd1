import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BundleRun, type RunBundleOptions, runActionBundle } from '../../src/local/runner.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Runs the committed bundle `actions/<action>/dist/index.js` as the runner does (see src/local/runner.ts).
 * Build first (`npm run build`); the check-dist test fails when a bundle is older than its source.
 * The workspace defaults to a fresh temp dir, so no policy file of this repository leaks in.
 */
export function runBundle(action: string, options: RunBundleOptions = {}): Promise<BundleRun> {
  return runActionBundle(join(repoRoot, 'actions', action), {
    workspace: options.workspace ?? mkdtempSync(join(tmpdir(), `${action}-ws-`)),
    ...options,
  });
}

export type { BundleRun } from '../../src/local/runner.js';
