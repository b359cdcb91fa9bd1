#!/usr/bin/env node
// kubectl-rollout benchmark, against the kube simulator (test/doubles/kube) with the real kubectl:
// a Deployment (progressDeadlineSeconds: 60) gets a crash-looping new version.
//  - the action: seconds from the first pod reporting the failure (CrashLoopBackOff, as the API server saw it)
//    to the rollback starting (the rollout undo reaching the API server) and to it completing (the Deployment
//    back at the old template and available); targets: detection ≤ 10 s, rollback complete ≤ 20 s.
//  - the runbook's way on the same scenario: kubectl rollout status (returns at the progress deadline), then
//    kubectl rollout undo, then kubectl rollout status.
//  - kubectl processes the watch spawns per minute (a rollout that stays unready for --watch-seconds).
// Usage (Node 24, as the runner): npx node bench/kubectl-rollout.mjs [--kubectl kubectl] [--poll 2s] [--watch-seconds 60]
//   [--strategy RollingUpdate|Recreate]
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import '../scripts/ts-hooks.mjs'; // the TypeScript sources below load directly

const { values } = parseArgs({
  options: {
    kubectl: { type: 'string', default: 'kubectl' },
    poll: { type: 'string', default: '2s' },
    'watch-seconds': { type: 'string', default: '60' },
    // Recreate: the broken version has replaced every pod, so the rollback must start new ones.
    strategy: { type: 'string', default: 'RollingUpdate' },
  },
});

const { startKubeSimulator } = await import('../test/doubles/kube/server.ts');
const { exec } = await import('../src/core/exec.ts');
const { parseDuration } = await import('../src/core/duration.ts');
const { memoryLogger } = await import('../src/core/logger.ts');
const { systemClock } = await import('../src/core/clock.ts');
const { createKubectl } = await import('../src/kubectl-rollout/kubectl.ts');
const { deploy } = await import('../src/kubectl-rollout/rollout.ts');

const sim = await startKubeSimulator();
const seconds = (ms) => (ms / 1000).toFixed(1);
const pollMs = parseDuration(values.poll);

function manifest(name, image, extra = {}) {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 3,
      progressDeadlineSeconds: 60,
      strategy: { type: values.strategy },
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name }, annotations: extra },
        spec: { containers: [{ name: 'app', image }] },
      },
    },
  });
}

/** Instants, as the API server saw them: first CrashLoopBackOff, the undo's template change, the Deployment complete again. */
function observe(ns, name, goodImage) {
  const marks = {};
  const unsubscribe = sim.store.subscribe((event) => {
    const o = event.object;
    if (o.metadata.namespace !== ns) return;
    const now = performance.now();
    if (event.resource === 'pods' && marks.failure === undefined) {
      const crashing = (o.status?.containerStatuses ?? []).some((c) => c.state?.waiting?.reason === 'CrashLoopBackOff');
      if (crashing) marks.failure = now;
    }
    if (event.resource === 'deployments' && o.metadata.name === name && marks.failure !== undefined) {
      const image = o.spec.template.spec.containers[0].image;
      if (image === goodImage && marks.rollbackStarted === undefined) marks.rollbackStarted = now;
      const s = o.status ?? {};
      const complete =
        s.observedGeneration === o.metadata.generation &&
        s.updatedReplicas === 3 &&
        s.replicas === 3 &&
        s.availableReplicas === 3;
      if (
        image === goodImage &&
        marks.rollbackStarted !== undefined &&
        complete &&
        marks.rollbackCompleted === undefined
      )
        marks.rollbackCompleted = now;
    }
  });
  return { marks, unsubscribe };
}

async function kubectl(ns, ...args) {
  return exec([values.kubectl, '--namespace', ns, ...args], { env: sim.env, timeoutMs: 600_000 });
}

async function applyFile(ns, text) {
  const file = join(mkdtempSync(join(tmpdir(), 'bench-rollout-')), 'm.json');
  writeFileSync(file, text);
  const result = await kubectl(ns, 'apply', '-f', file);
  if (result.exitCode !== 0) throw new Error(result.stderr);
  return file;
}

function runAction(ns, workspace, timeoutMs, log) {
  const k = createKubectl({ binary: values.kubectl, exec, log, env: sim.env });
  return deploy(
    {
      manifests: ['k8s/'],
      namespace: ns,
      images: [],
      dryRun: 'none',
      timeoutMs,
      pollMs,
      rules: { restartLimit: 3, imagePullGraceMs: 120_000 },
      firstDeploy: 'delete',
      paused: 'fail',
      logLines: 20,
      workspace,
    },
    { kubectl: k, exec, clock: systemClock, log },
  );
}

function workspaceWith(...texts) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-rollout-ws-'));
  mkdirSync(join(dir, 'k8s'));
  for (const [i, text] of texts.entries()) writeFileSync(join(dir, 'k8s', `workload-${i}.json`), text);
  return dir;
}

try {
  // 1. The action.
  sim.createNamespace('action');
  await applyFile('action', manifest('web', 'web:1'));
  await kubectl('action', 'rollout', 'status', 'deployment/web', '--timeout=60s');
  const seen = observe('action', 'web', 'web:1');
  const log = memoryLogger();
  const started = performance.now();
  const report = await runAction('action', workspaceWith(manifest('web', 'web:crashloop')), 120_000, log);
  const total = performance.now() - started;
  seen.unsubscribe();
  const a = seen.marks;
  console.log(
    `kubectl-rollout benchmark (${values.kubectl}, poll ${values.poll}; ${values.strategy}; crash-looping new version, progressDeadlineSeconds: 60)`,
  );
  console.log(
    `\nthe action: result ${report.result} (${report.reason}), ${report.kubectlCalls} kubectl processes in ${seconds(total)} s`,
  );
  console.log(
    `  failure reported by the first pod → rollback started:   ${seconds(a.rollbackStarted - a.failure)} s   (target ≤ 10 s)`,
  );
  console.log(
    `  failure reported by the first pod → rollback complete:  ${seconds(a.rollbackCompleted - a.failure)} s   (target ≤ 20 s)`,
  );
  console.log(`  … → rollback verified, action done:                     ${seconds(started + total - a.failure)} s`);

  // 2. The runbook's way: rollout status until the progress deadline, then undo, then status.
  sim.createNamespace('runbook');
  await applyFile('runbook', manifest('web', 'web:1'));
  await kubectl('runbook', 'rollout', 'status', 'deployment/web', '--timeout=60s');
  const base = observe('runbook', 'web', 'web:1');
  await applyFile('runbook', manifest('web', 'web:crashloop'));
  const status = await kubectl('runbook', 'rollout', 'status', 'deployment/web');
  const statusEnded = performance.now();
  await kubectl('runbook', 'rollout', 'undo', 'deployment/web', '--to-revision=1');
  await kubectl('runbook', 'rollout', 'status', 'deployment/web');
  base.unsubscribe();
  const b = base.marks;
  console.log(`\nplain kubectl rollout status (${status.stderr.trim()})`);
  console.log(`  failure reported by the first pod → rollout status returns: ${seconds(statusEnded - b.failure)} s`);
  console.log(
    `  failure reported by the first pod → rollback started:       ${seconds(b.rollbackStarted - b.failure)} s`,
  );
  console.log(
    `  failure reported by the first pod → rollback complete:      ${seconds(b.rollbackCompleted - b.failure)} s`,
  );

  // 3. Processes per minute while watching a rollout that does not finish.
  sim.createNamespace('watch');
  const watchMs = Number(values['watch-seconds']) * 1000;
  const watchLog = memoryLogger();
  const watchStarted = performance.now();
  const watched = await runAction(
    'watch',
    workspaceWith(
      manifest('one', 'one:never-ready'),
      manifest('two', 'two:never-ready'),
      manifest('three', 'three:never-ready'),
    ),
    watchMs,
    watchLog,
  );
  const watchElapsed = performance.now() - watchStarted;
  const minutes = watchElapsed / 60_000;
  console.log(
    `\nwatch of 3 Deployments that never become ready for ${values['watch-seconds']} s (${watched.result}, ${watched.reason}): ${watched.polls} polls, ${watched.kubectlCalls} kubectl processes in total (incl. record, apply, diagnostics, rollback) = ${(watched.kubectlCalls / minutes).toFixed(1)} per minute; the watch itself: ${(watched.polls / minutes).toFixed(1)} per minute, one per poll whatever the number of workloads`,
  );
} finally {
  await sim.stop();
}
