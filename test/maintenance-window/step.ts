import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Clock } from '../../src/core/clock.js';
import { inputEnvName } from '../../src/core/inputs.js';
import { parseOutputFile } from '../../src/core/outputs.js';

export const TOKEN = 'ghs_maintenance_window_test_token';

/**
 * What the runner gives `run()` in-process: INPUT_* with action.yml's defaults (github.token → TOKEN),
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files to read back, a workspace for the policy file.
 * An input that action.yml does not declare is a test mistake and throws.
 */
export function step(inputs: Record<string, string>, extra: Record<string, string> = {}, policy?: string) {
  const metadata = parse(
    readFileSync(join(import.meta.dirname, '../../actions/maintenance-window/action.yml'), 'utf8'),
  ) as { inputs: Record<string, { default?: string }> };
  const unknown = Object.keys(inputs).filter((name) => !(name in metadata.inputs));
  if (unknown.length) throw new Error(`undeclared inputs ${unknown.join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'maintenance-window-'));
  const files = { output: join(dir, 'output'), summary: join(dir, 'summary.md') };
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  if (policy !== undefined) {
    mkdirSync(join(dir, '.github'));
    writeFileSync(join(dir, '.github/runbook.yml'), policy);
  }
  const env: Record<string, string> = {
    GITHUB_WORKSPACE: dir,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    ...extra,
  };
  for (const [name, declared] of Object.entries(metadata.inputs)) {
    const value = inputs[name] ?? String(declared.default ?? '');
    env[inputEnvName(name)] = value.replace('${{ github.token }}', TOKEN);
  }
  return {
    env,
    workspace: dir,
    outputs: () => parseOutputFile(readFileSync(files.output, 'utf8')),
    summary: () => readFileSync(files.summary, 'utf8'),
  };
}

/** A clock that only moves when slept on, recording each sleep. */
export function manualClock(start: string): Clock & { sleeps: number[]; set(iso: string): void } {
  let now = Date.parse(start);
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(now),
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    set: (iso: string) => {
      now = Date.parse(iso);
    },
  };
}
