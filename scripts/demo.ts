// `npm run demo`: the production-deploy workflow, run locally end to end, with nothing to set up:
// the Kubernetes simulator (driven by the real kubectl), a throwaway PostgreSQL when the machine has
// one, and the GitHub API double. It shows a good deploy, then a bad one rolled back automatically with
// its incident, printing each step and the job summaries the actions wrote.
import type { StepRecord } from '../src/local/workflow.js';
import { pipelineUnavailable, startLocalProduction } from '../test/support/pipeline.js';

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const mark = { success: '✔', failure: '✘', skipped: '–' } as const;

function printStep(step: StepRecord & { job: string }) {
  const note = step.note ? `  (${step.note})` : '';
  console.log(`  ${mark[step.outcome]} ${step.job} › ${step.name}${note}`);
  if (step.summary.trim()) console.log(`${indent(step.summary.trim())}\n`);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
}

const unavailable = pipelineUnavailable();
if (unavailable) {
  console.error(`demo: ${unavailable}; install kubectl to run the demo`);
  process.exit(1);
}
console.log(bold('Starting a local production: Kubernetes simulator, PostgreSQL, GitHub API double…'));
const prod = await startLocalProduction();
try {
  console.log(
    `  api-gateway and event-service v1 are running; ${prod.postgres ? 'PostgreSQL has migration 1 applied, the change adds migration 2' : 'no PostgreSQL on this machine: migrations are skipped'}.\n`,
  );

  console.log(bold('1. Deploy v2 through .github/workflows/production-deploy.yml'));
  const good = await prod.deploy(
    {
      images: 'api-gateway=eventchain/api-gateway:v2\nevent-service=eventchain/event-service:v2',
      services: 'api-gateway, event-service',
      'health-urls': prod.healthUrl,
    },
    printStep,
  );
  console.log(bold(`   → result: ${good.outputs.result}\n`));

  console.log(bold('2. Deploy v3, whose api-gateway crash-loops'));
  const bad = await prod.deploy(
    {
      images: 'api-gateway=eventchain/api-gateway:crashloop\nevent-service=eventchain/event-service:v3',
      services: 'api-gateway',
    },
    printStep,
  );
  const image = await prod.kubectl(
    'get',
    'deployment/api-gateway',
    '-o',
    'jsonpath={.spec.template.spec.containers[0].image}',
  );
  const incident = prod.scenario.gh.state
    .listIssues({ state: 'open' })
    .find((i) => i.title.includes('Production deploy failed'));
  console.log(bold(`   → result: ${bad.outputs.result}; api-gateway runs ${image} again`));
  console.log(
    bold(
      `   → incident #${incident?.number ?? '?'}: ${incident?.title ?? 'none'} [${incident?.labels.join(', ') ?? ''}]`,
    ),
  );
  prod.scenario.gh.assertNoViolations();
  process.exitCode = good.outputs.result === 'success' && bad.outputs.result === 'rolled-back' && incident ? 0 : 1;
} finally {
  await prod.stop();
}
