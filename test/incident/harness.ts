import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../src/core/clock.js';
import { memoryLogger } from '../../src/core/logger.js';
import { run } from '../../src/incident/main.js';
import type { GitHubDouble } from '../doubles/github/index.js';
import { actionEnv } from '../health-check/action-env.js';

export const TOKEN = 'ghs_incidentTestToken123';
export const SHA = '3f786850e387550fdab836ed7e6dc881de23001b';

/** A clock the test moves; sleeps return at once and advance it. */
export function testClock(
  start: string,
): Clock & { set(iso: string): void; advance(ms: number): void; sleeps: number[] } {
  let now = new Date(start).getTime();
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(now),
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    set: (iso) => {
      now = new Date(iso).getTime();
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

export interface StepOptions {
  clock: Clock;
  policy?: string;
  env?: Record<string, string>;
  /** Real Octokit write pacing (1–3 s between creates); off by default to keep tests fast. */
  paced?: boolean;
}

/** Runs the incident action in-process as the runner would, against the double. */
export async function incidentStep(gh: GitHubDouble, inputs: Record<string, string>, options: StepOptions) {
  const step = actionEnv(
    'incident',
    { 'github-token': TOKEN, ...inputs },
    { ...gh.env(), GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '1', GITHUB_SHA: SHA, ...options.env },
  );
  if (options.policy !== undefined) {
    mkdirSync(join(step.workspace, '.github'), { recursive: true });
    writeFileSync(join(step.workspace, '.github', 'runbook.yml'), options.policy);
  }
  const log = memoryLogger();
  const result = await run({
    env: step.env,
    clock: options.clock,
    log,
    github: { paceWrites: options.paced ?? false },
  });
  return { ...result, outputs: step.outputs(), summary: step.summary(), log: log.lines };
}
