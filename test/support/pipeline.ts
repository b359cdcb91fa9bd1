import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { exec } from '../../src/core/exec.js';
import {
  type CompositeRun,
  OWN_ACTION,
  runCompositeAction,
  runWorkflow,
  type WorkflowRun,
  type WorkflowRunOptions,
} from '../../src/local/workflow.js';
import { healthyRepository, RUN_ID, type Scenario } from '../deploy-gate/scenario.js';
import { findOnPath } from '../doubles/kube/kubectl.js';
import { type KubeSimulator, kubeconfigText, startKubeSimulator } from '../doubles/kube/server.js';
import { repoRoot } from './bundle.js';
import { type PostgresServer, postgresUnavailable, startPostgres } from './postgres.js';

/**
 * A local stand-in for production, for the end-to-end test and `npm run demo`: the Kubernetes simulator
 * (driven by the real kubectl) running v1 of two services, a real PostgreSQL with the first migration
 * applied (when the machine has PostgreSQL), the GitHub double holding a commit whose checklist evidence
 * is complete, a health endpoint, and a checkout of the application repository. `deploy()` runs the
 * reusable workflow .github/workflows/production-deploy.yml itself through the local workflow runner.
 */
export interface LocalProduction {
  workspace: string;
  kube: KubeSimulator;
  scenario: Scenario;
  postgres: PostgresServer | undefined;
  /** The application's database on `postgres`. */
  database: string;
  healthUrl: string;
  deploy(inputs: Record<string, string | boolean>, onStep?: WorkflowRunOptions['onStep']): Promise<WorkflowRun>;
  /** The same procedure through the root action.yml (composite), inside one job that has kubectl configured. */
  deployWithRootAction(inputs: Record<string, string>): Promise<CompositeRun>;
  kubectl(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);
const NODE_PG_MIGRATE = join(require.resolve('node-pg-migrate/package.json'), '..', 'bin', 'node-pg-migrate.js');

/** Why the pipeline cannot run here, or undefined. PostgreSQL is optional (the migration steps are then skipped). */
export function pipelineUnavailable(): string | undefined {
  return findOnPath('kubectl') ? undefined : 'kubectl is not on PATH';
}

export function deployment(name: string, image: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: { app: ${name} }
spec:
  replicas: 2
  progressDeadlineSeconds: 60
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: ${name}
          image: ${image}
`;
}

export async function startLocalProduction(options: { freeze?: boolean } = {}): Promise<LocalProduction> {
  const workspace = mkdtempSync(join(tmpdir(), 'eventchain-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), text);
  };
  const kube = await startKubeSimulator();
  const path = [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter);
  const kubectl = async (...args: string[]) => {
    const result = await exec(['kubectl', ...args], { env: { ...kube.env, PATH: path }, timeoutMs: 120_000 });
    if (result.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };

  // v1 is running in production.
  write('k8s/production/api-gateway.yml', deployment('api-gateway', 'eventchain/api-gateway:v1'));
  write('k8s/production/event-service.yml', deployment('event-service', 'eventchain/event-service:v1'));
  await kubectl('apply', '-f', join(workspace, 'k8s/production/'));
  await kubectl('rollout', 'status', 'deployment/api-gateway', 'deployment/event-service', '--timeout=60s');

  // The application repository: migrations run by node-pg-migrate through npm scripts, as the runbook does.
  const unavailable = postgresUnavailable();
  const postgres = unavailable ? undefined : await startPostgres();
  const database = postgres ? await postgres.createDatabase('eventchain') : '';
  const databaseUrl = postgres ? postgres.url(database) : '';
  const cli = `node ${JSON.stringify(NODE_PG_MIGRATE)} --migrations-dir migrations`;
  write(
    'package.json',
    JSON.stringify(
      {
        name: 'eventchain',
        private: true,
        scripts: {
          'db:migrate': `${cli} up`,
          'db:migrate:dry-run': `${cli} up --dry-run`,
          'db:migrate:rollback': `${cli} down`,
          'db:migrate:status': `${cli} up --dry-run`,
        },
      },
      null,
      2,
    ),
  );
  write(
    'package-lock.json',
    JSON.stringify({
      name: 'eventchain',
      lockfileVersion: 3,
      requires: true,
      packages: { '': { name: 'eventchain' } },
    }),
  );
  write(
    'migrations/1700000000000_create-events.sql',
    '-- Up Migration\nCREATE TABLE events (id bigserial PRIMARY KEY, name text NOT NULL);\n\n-- Down Migration\nDROP TABLE events;\n',
  );
  if (postgres) {
    const first = await exec([process.execPath, NODE_PG_MIGRATE, '--migrations-dir', 'migrations', 'up'], {
      cwd: workspace,
      env: { DATABASE_URL: databaseUrl },
    });
    if (first.exitCode !== 0) throw new Error(`initial migration failed: ${first.stderr}`);
  }
  // The change being deployed adds a migration.
  write(
    'migrations/1700000000001_add-venue.sql',
    "-- Up Migration\nSET lock_timeout = '5s';\nALTER TABLE events ADD COLUMN venue text;\n\n-- Down Migration\nALTER TABLE events DROP COLUMN venue;\n",
  );

  // The commit's checklist evidence on GitHub.
  const scenario = await healthyRepository();
  const running = scenario.gh.state.checkRuns.find((r) => r.status === 'in_progress');
  if (running) running.name = 'gate'; // the gate job itself, still running while it checks
  scenario.gh.state.addComment(
    scenario.trackingIssue,
    `Deploying ${scenario.sha.slice(0, 7)} to production on Thursday.`,
    {
      user: 'release-manager',
    },
  );
  const today = new Date().toISOString().slice(0, 10);
  write(
    '.github/runbook.yml',
    [
      'deploy:',
      '  checklist:',
      '    stakeholdersNotified:',
      `      trackingIssue: ${scenario.trackingIssue}`,
      'kubernetes:',
      '  timeout: 3m',
      '  imagePullGrace: 10s',
      ...(options.freeze
        ? ['maintenance:', '  freezes:', `    - { name: launch-freeze, from: "${today}", to: "${today}" }`]
        : []),
      '',
    ].join('\n'),
  );

  const health: Server = createServer((req, res) => {
    res.statusCode = req.url === '/health' ? 200 : 404;
    res.end(req.url === '/health' ? '{"status":"ok"}' : 'not found');
  });
  await new Promise<void>((r) => health.listen(0, '127.0.0.1', r));
  const address = health.address();
  const healthUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/health`;

  const github = {
    repository: `${scenario.gh.owner}/${scenario.gh.repo}`,
    sha: scenario.sha,
    ref: 'refs/heads/main',
    server_url: scenario.gh.serverUrl,
    run_id: String(RUN_ID),
    actor: 'release-manager',
    token: 'ghs_localdemotoken',
  };
  const env = {
    PATH: path,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    KUBECACHEDIR: kube.cacheDir,
    GITHUB_API_URL: scenario.gh.url,
    GITHUB_SERVER_URL: scenario.gh.serverUrl,
  };

  return {
    workspace,
    kube,
    scenario,
    postgres,
    database,
    healthUrl,
    kubectl,
    deploy: (inputs, onStep) =>
      runWorkflow({
        file: join(repoRoot, '.github', 'workflows', 'production-deploy.yml'),
        inputs: { migrate: postgres !== undefined, ...inputs },
        secrets: { kubeconfig: kubeconfigText(kube.url), 'database-url': databaseUrl },
        github,
        env,
        workspace,
        resolveAction: (uses) => {
          const name = OWN_ACTION.exec(uses)?.[1];
          return name ? join(repoRoot, 'actions', name) : undefined;
        },
        ...(onStep ? { onStep } : {}),
      }),
    deployWithRootAction: (inputs) =>
      runCompositeAction({
        actionDir: repoRoot,
        inputs: { 'database-url': databaseUrl, ...inputs },
        github: { ...github, job: 'gate' },
        env: { ...env, KUBECONFIG: kube.kubeconfig },
        workspace,
      }),
    async stop() {
      await new Promise<void>((r) => health.close(() => r()));
      await scenario.gh.close();
      await kube.stop();
      await postgres?.stop();
    },
  };
}
