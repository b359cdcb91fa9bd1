#!/usr/bin/env node
// incident benchmark: GitHub requests made by `actions/incident` (src/incident/main.ts run in-process), counted
// by the GitHub double (test/doubles/github), with the wall time of each step.
// Targets: open a new incident when the labels exist ≤ 3 requests; record a repeat ≤ 3 requests.
// Also shown, for comparison: the first incident of a repository (labels missing) and a create whose response is lost.
// Usage (Node 24, as the runner): npx node bench/incident-requests.mjs [--rounds 5]
// The sources are TypeScript: scripts/ts-hooks.mjs strips their types (Node's own stripTypeScriptTypes).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import '../scripts/ts-hooks.mjs'; // the TypeScript sources below load directly

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { startGitHubDouble } = await import('../test/doubles/github/index.ts');
const { run } = await import('../src/incident/main.ts');
const { memoryLogger } = await import('../src/core/logger.ts');
const { fixedClock } = await import('../src/core/clock.ts');

const TARGET = 3;
const clock = fixedClock(new Date('2026-11-26T10:00:00Z'));

function step(gh, inputs) {
  const env = {
    ...gh.env(),
    GITHUB_WORKSPACE: mkdtempSync(join(tmpdir(), 'incident-bench-')),
    GITHUB_RUN_ID: '1',
    'INPUT_GITHUB-TOKEN': 'ghs_bench_token',
    'INPUT_POLICY-FILE': '.github/runbook.yml',
    'INPUT_NEXT-UPDATE': '30m',
    'INPUT_POST-MORTEM': 'true',
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  // Write pacing is Octokit's own spacing of creates (1–3 s); it adds wall time, not requests.
  return run({ env, clock, log: memoryLogger(), github: { paceWrites: false } });
}

function seedLabels(gh) {
  gh.state.addLabel('incident', 'b60205', 'Incident (runbook)');
  for (const severity of ['P0', 'P1', 'P2', 'P3']) gh.state.addLabel(`severity:${severity}`, 'd93f0b', severity);
}

async function measure(name, prepare, act) {
  const counts = [];
  const times = [];
  let routes;
  for (let i = 0; i < rounds; i++) {
    const gh = await startGitHubDouble({ owner: 'acme', repo: 'shop' });
    await prepare(gh);
    const mark = gh.requests.mark();
    const started = performance.now();
    const result = await act(gh);
    times.push(performance.now() - started);
    if (!result.ok) throw new Error(`${name}: ${result.error}`);
    gh.assertNoViolations();
    counts.push(gh.requests.since(mark).length);
    routes = gh.requests.byRoute(mark);
    await gh.close();
  }
  return { name, requests: median(counts), ms: median(times), routes };
}

const open = { mode: 'open', title: 'Payment errors spike', service: 'checkout', severity: 'P1' };
const results = [
  await measure('open a new incident (labels exist)', seedLabels, (gh) => step(gh, open)),
  await measure(
    'record a repeat',
    async (gh) => {
      seedLabels(gh);
      await step(gh, open);
    },
    (gh) => step(gh, open),
  ),
  await measure(
    'open the first incident (labels missing)',
    () => {},
    (gh) => step(gh, open),
  ),
  await measure(
    'open, create response lost (502 after create)',
    (gh) => {
      seedLabels(gh);
      gh.faults.fail({ method: 'POST', path: /\/issues$/, status: 502, when: 'after' });
    },
    (gh) => step(gh, open),
  ),
];
process.exitCode = 0; // a failed step would have thrown above; core.setFailed is never reached

console.log(`incident requests (median of ${rounds} rounds, GitHub double over HTTP)`);
for (const r of results) {
  console.log(`  ${r.name.padEnd(48)} ${String(r.requests).padStart(2)} requests  ${r.ms.toFixed(0).padStart(5)} ms`);
  for (const [route, count] of Object.entries(r.routes)) console.log(`      ${count} × ${route}`);
}
const [newIncident, repeat] = results;
const ok = newIncident.requests <= TARGET && repeat.requests <= TARGET;
console.log(`target ≤ ${TARGET} for a new incident and for a repeat: ${ok ? 'met' : 'NOT met'}`);
if (!ok) process.exitCode = 1;
