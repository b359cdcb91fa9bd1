import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AnnotationProperties, Logger } from '../../src/core/logger.js';
import { redact } from '../../src/core/secrets.js';
import { run } from '../../src/db-migrate/main.js';
import { actionEnv } from '../health-check/action-env.js';
import { type PostgresServer, postgresUnavailable, startPostgres } from '../support/postgres.js';
import { nodePgMigrateProject, type Project, RUNNER_MIGRATIONS, runnerProject } from './projects.js';

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`skipping db-migrate PostgreSQL tests: ${unavailable}`);

/** Keeps log lines and annotations, redacted as the runner's logger redacts them, so tests see what the log would show. */
function recordingLogger() {
  const lines: string[] = [];
  const annotations: { level: string; message: string; properties?: AnnotationProperties }[] = [];
  const log: Logger = {
    info: (m) => lines.push(redact(m)),
    debug: () => {},
    warning: (message, properties) => annotations.push({ level: 'warning', message: redact(message), properties }),
    error: (message, properties) => annotations.push({ level: 'error', message: redact(message), properties }),
    group: (name, fn) => {
      lines.push(`[${redact(name)}]`);
      return fn();
    },
  };
  return { log, lines, annotations };
}

async function step(project: Project, inputs: Record<string, string>) {
  const env = actionEnv('db-migrate', { ...project.inputs, ...inputs }, { GITHUB_WORKSPACE: project.dir });
  const logger = recordingLogger();
  const result = await run({ env: env.env, log: logger.log });
  return { result, outputs: env.outputs(), summary: env.summary(), ...logger };
}

afterEach(() => {
  process.exitCode = undefined; // core.setFailed sets it; the action's failure is what these tests assert
});

describe.skipIf(unavailable)('db-migrate against PostgreSQL', () => {
  let pg: PostgresServer;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => pg?.stop());

  describe('node-pg-migrate project', () => {
    it('catches node-pg-migrate --dry-run creating its table on a fresh database', async () => {
      const db = await pg.createDatabase('npm_dry');
      const run = await step(nodePgMigrateProject(), { 'database-url': pg.url(db), mode: 'dry-run' });
      expect(run.result.ok).toBe(false);
      expect(run.result.error).toMatch(/db-migrate: the dry run changed the schema/);
      expect(run.outputs['schema-changed']).toBe('true');
      expect(run.outputs.pending).toBe('2');
      expect(run.summary).toContain('+ table public.pgmigrations');
      expect(run.summary).toContain('+ column public.pgmigrations.name: character varying(255) NOT NULL');
    });

    it('applies, proves a later dry run clean, reports status and rolls back one migration', async () => {
      const db = await pg.createDatabase('npm_cycle');
      const project = nodePgMigrateProject();
      const url = pg.url(db);

      const apply = await step(project, { 'database-url': url, mode: 'apply' });
      expect(apply.result).toMatchObject({ ok: true });
      expect(apply.outputs).toMatchObject({ pending: '0', applied: '2', 'schema-changed': 'true' });
      expect(JSON.parse(apply.outputs.status ?? '')).toEqual({
        pending: [],
        applied: ['1700000000000_create-users', '1700000000001_add-email'],
        failed: [],
      });
      expect(apply.summary).toContain(`Database: host 127.0.0.1:${pg.port}, database ${db}, user postgres`);
      expect(apply.summary).toContain('+ table public.users');
      expect(apply.summary).toContain("+ enum public.user_role: 'admin', 'member'");
      // The SQL migration's index has no CONCURRENTLY: a warning by default, annotated at its line.
      expect(apply.annotations).toContainEqual({
        level: 'warning',
        message: expect.stringMatching(/^index-not-concurrent: CREATE INDEX on existing table users/),
        properties: {
          title: 'db-migrate index-not-concurrent',
          file: 'migrations/1700000000001_add-email.sql',
          startLine: 4,
        },
      });
      expect(JSON.parse(apply.outputs.findings ?? '')).toEqual([
        expect.objectContaining({ rule: 'index-not-concurrent', severity: 'warning', line: 4 }),
      ]);

      const dry = await step(project, { 'database-url': url, mode: 'dry-run' });
      expect(dry.result).toMatchObject({ ok: true });
      expect(dry.outputs['schema-changed']).toBe('false');
      expect(dry.summary).toMatch(/\| fingerprint before \| \d+ms \| schema [0-9a-f]{12} \|/);

      const status = await step(project, { 'database-url': url, mode: 'status' });
      expect(status.outputs).toMatchObject({ pending: '0', applied: '2' });

      const rollback = await step(project, { 'database-url': url, mode: 'rollback' });
      expect(rollback.result).toMatchObject({ ok: true });
      expect(rollback.outputs).toMatchObject({ pending: '1', applied: '1', 'schema-changed': 'true' });
      expect(rollback.summary).toContain('- column public.users.email: text');
      expect(rollback.summary).toContain('- view public.user_emails');
      expect(rollback.summary).toContain(
        '- index public.users_email: CREATE INDEX users_email ON public.users USING btree (email)',
      );
      expect(rollback.summary).toContain('`1700000000001_add-email`');
    });

    it('verifies apply → status → rollback → apply on a scratch database, timing each step', async () => {
      const db = await pg.createDatabase('npm_verify');
      const run = await step(nodePgMigrateProject(), { 'database-url': pg.url(db), mode: 'verify' });
      expect(run.result).toMatchObject({ ok: true });
      expect(run.outputs).toMatchObject({ pending: '0', applied: '2', 'schema-changed': 'false' });
      const steps = [
        ...run.summary.matchAll(/^\| (apply|status|rollback|apply again) \| ((?:\d+[a-z]+)+) \| (.*) \|$/gm),
      ];
      expect(steps.map((m) => m[1])).toEqual(['apply', 'status', 'rollback', 'apply again']);
      expect(steps[0]?.[3]).toMatch(/^2 migrations applied/);
      expect(steps[1]?.[3]).toBe('2 applied, 0 pending, 0 failed');
      expect(steps[2]?.[3]).toMatch(/^2 rollback runs/);
      const tables = await pg.query<{ n: string }>("SELECT count(*) AS n FROM pg_tables WHERE tablename = 'users'", db);
      expect(tables[0]?.n).toBe('1');
    });
  });

  describe('plain-SQL project', () => {
    it('passes a dry run that only reads, and catches one that records migrations it did not apply', async () => {
      const db = await pg.createDatabase('sql_dry');
      const url = pg.url(db);
      const honest = runnerProject({ migrations: { '001_accounts': RUNNER_MIGRATIONS['001_accounts'] } });
      expect((await step(honest, { 'database-url': url, mode: 'apply' })).result.ok).toBe(true);

      const clean = await step(runnerProject(), { 'database-url': url, mode: 'dry-run' });
      expect(clean.result).toMatchObject({ ok: true });
      expect(clean.outputs).toMatchObject({ pending: '1', applied: '1', 'schema-changed': 'false' });
      expect(clean.summary).toContain('`002_orders`');

      const sneaky = await step(runnerProject({ dryRunRecords: true }), { 'database-url': url, mode: 'dry-run' });
      expect(sneaky.result.ok).toBe(false);
      expect(sneaky.result.error).toContain('the dry run changed the migration table schema_migrations');
      expect(sneaky.outputs['schema-changed']).toBe('false');
      expect(sneaky.summary).toMatch(/\+ \{"applied_at":"[^"]+","version":"002_orders"\}/);
    });

    it('reports status from the table, the migrations directory and the status command', async () => {
      const db = await pg.createDatabase('sql_status');
      const project = runnerProject();
      await step(runnerProject({ migrations: { '001_accounts': RUNNER_MIGRATIONS['001_accounts'] } }), {
        'database-url': pg.url(db),
        mode: 'apply',
      });
      const status = await step(project, { 'database-url': pg.url(db), mode: 'status' });
      expect(status.result).toMatchObject({ ok: true });
      expect(JSON.parse(status.outputs.status ?? '')).toEqual({
        pending: ['002_orders'],
        applied: ['001_accounts'],
        failed: [],
      });
      expect(status.lines).toContain('pending: 002_orders');

      // The URL reaches the command in DATABASE_URL, or the variable named, and is masked in what it prints.
      const url = `postgres://postgres:not-a-real-pass@127.0.0.1:${pg.port}/${db}`;
      const printing = await step(project, {
        'database-url': url,
        'database-url-env': 'MIGRATION_DB',
        mode: 'status',
        'status-command': [process.execPath, '-e', 'console.log("url=" + process.env.MIGRATION_DB)'].join('\n'),
      });
      expect(printing.result.ok).toBe(true);
      expect(printing.lines).toContain('url=***');
      expect(JSON.stringify(printing)).not.toContain('not-a-real-pass');
    });

    it('fails a failing migration with the tail of its stderr, leaving the migration pending', async () => {
      const db = await pg.createDatabase('sql_fail');
      const project = runnerProject({
        migrations: {
          ...RUNNER_MIGRATIONS,
          '003_broken': { up: "SET lock_timeout = '5s';\nALTER TABLE no_such_table ADD COLUMN x int;\n", down: '' },
        },
      });
      const run = await step(project, { 'database-url': pg.url(db), mode: 'apply' });
      expect(run.result.ok).toBe(false);
      expect(run.result.error).toMatch(
        /apply command failed: `\S+ migrate\.mjs up` exited with code 1:\nmigrate: relation "no_such_table" does not exist/,
      );
      const applied = await pg.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY 1', db);
      expect(applied.map((r) => r.version)).toEqual(['001_accounts', '002_orders']);
    });

    it('catches a rollback that does not restore the schema', async () => {
      const db = await pg.createDatabase('sql_leaky');
      const project = runnerProject({
        migrations: {
          ...RUNNER_MIGRATIONS,
          '003_audit': {
            up: "SET lock_timeout = '5s';\nCREATE TABLE audit_log (id bigserial PRIMARY KEY, entry text NOT NULL);\nALTER TABLE accounts ADD COLUMN flags int NOT NULL DEFAULT 0;\n",
            // forgets the audit_log table
            down: "SET lock_timeout = '5s';\nALTER TABLE accounts DROP COLUMN flags;\n",
          },
        },
      });
      const run = await step(project, { 'database-url': pg.url(db), mode: 'verify' });
      expect(run.result.ok).toBe(false);
      expect(run.result.error).toContain(
        'the rollback did not restore the schema (6 differences from before the apply)',
      );
      expect(run.outputs['schema-changed']).toBe('true');
      expect(run.summary).toContain(
        [
          '+ column public.audit_log.entry: text NOT NULL',
          "+ column public.audit_log.id: bigint NOT NULL DEFAULT nextval('audit_log_id_seq'::regclass)",
          '+ constraint public.audit_log.audit_log_pkey: PRIMARY KEY (id)',
          '+ index public.audit_log_pkey: CREATE UNIQUE INDEX audit_log_pkey ON public.audit_log USING btree (id)',
          '+ sequence public.audit_log_id_seq: bigint start 1 increment 1 min 1 max 9223372036854775807 cache 1',
          '+ table public.audit_log',
        ].join('\n'),
      );
      // the leftover table then breaks the second apply: both are reported
      expect(run.result.error).toContain('applying again then failed: apply command failed:');
      expect(run.result.error).toContain('migrate: relation "audit_log" already exists');
      expect(run.summary).toMatch(/\| apply again \| [\dms]+ \| failed \|/);
    });

    it('catches a migration that gives a different schema each time it is applied', async () => {
      const db = await pg.createDatabase('sql_unstable');
      const project = runnerProject({
        migrations: {
          '001_accounts': RUNNER_MIGRATIONS['001_accounts'],
          '002_stamp': {
            up: "SET lock_timeout = '5s';\nDO $$ BEGIN EXECUTE format('ALTER TABLE accounts ADD COLUMN v_%s int', (extract(epoch FROM clock_timestamp()) * 1000000)::bigint); END $$;\n",
            down: "DO $$ DECLARE c text; BEGIN FOR c IN SELECT column_name FROM information_schema.columns WHERE table_name = 'accounts' AND column_name LIKE 'v\\_%' LOOP EXECUTE format('ALTER TABLE accounts DROP COLUMN %I', c); END LOOP; END $$;\n",
          },
        },
      });
      const run = await step(project, { 'database-url': pg.url(db), mode: 'verify' });
      expect(run.result.error).toMatch(
        /^db-migrate: applying again gave a different schema from the first apply \(2 differences\)/,
      );
      expect(run.outputs['schema-changed']).toBe('true');
      expect(run.summary).toMatch(/^\+ column public\.accounts\.v_\d+: integer$/m);
      expect(run.summary).toMatch(/^- column public\.accounts\.v_\d+: integer$/m);
    });

    it('fails verify when the apply leaves migrations pending and so has nothing to roll back', async () => {
      const db = await pg.createDatabase('sql_noop');
      const run = await step(runnerProject(), {
        'database-url': pg.url(db),
        mode: 'verify',
        'apply-command': [process.execPath, '-e', 'console.log("nothing to do")'].join('\n'),
      });
      expect(run.result.error).toBe(
        'db-migrate: after apply, 2 migration(s) are still pending and 0 failed; the apply command applied no migration, so there is nothing to roll back — see the job summary for the differences, and the annotations for lint findings',
      );
      expect(run.summary).toContain('pending 001_accounts\npending 002_orders');
      expect(run.summary).toContain('run it on a scratch database');
    });

    it('refuses to apply when a migration has lint errors, without touching the database', async () => {
      const db = await pg.createDatabase('sql_lint');
      const project = runnerProject({
        migrations: {
          '001_drop': { up: "SET lock_timeout = '5s';\n\nDROP TABLE legacy_accounts;\n", down: '' },
        },
      });
      const run = await step(project, { 'database-url': pg.url(db), mode: 'apply' });
      expect(run.result.error).toBe(
        'db-migrate: 1 migration lint error: nothing was applied — see the annotations for each rule and its fix, or lower the rule in the policy file (database.lint)',
      );
      expect(run.annotations).toEqual([
        {
          level: 'error',
          message: expect.stringMatching(/^drop-table: DROP TABLE legacy_accounts destroys the table/),
          properties: { title: 'db-migrate drop-table', file: 'migrations/001_drop.up.sql', startLine: 3 },
        },
      ]);
      expect(await pg.query("SELECT 1 FROM pg_tables WHERE tablename = 'schema_migrations'", db)).toEqual([]);

      writeFileSync(join(project.dir, 'runbook.yml'), 'database:\n  lint:\n    drop-table: warning\n');
      const allowed = await step(project, { 'database-url': pg.url(db), mode: 'status', 'policy-file': 'runbook.yml' });
      expect(allowed.result.ok).toBe(true);
      expect(allowed.annotations.map((a) => a.level)).toEqual(['warning']);
    });
  });

  describe('lint of changed files only', () => {
    it('lints only the migrations changed since a git ref, and says when the ref is unknown', async () => {
      const db = await pg.createDatabase('sql_changed');
      const project = runnerProject({
        migrations: {
          '000_legacy': { up: 'ALTER TABLE accounts ADD COLUMN legacy int;\n', down: '' },
          '001_accounts': RUNNER_MIGRATIONS['001_accounts'],
        },
      });
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
          cwd: project.dir,
          stdio: 'pipe',
        });
      git('init', '-q');
      git('add', '.');
      git('commit', '-q', '-m', 'base');
      writeFileSync(
        join(project.dir, 'migrations', '002_index.up.sql'),
        "SET lock_timeout = '5s';\nCREATE INDEX accounts_name ON accounts (name);\n",
      );
      writeFileSync(join(project.dir, 'migrations', '002_index.down.sql'), 'DROP INDEX accounts_name;\n');

      const all = await step(project, { 'database-url': pg.url(db), mode: 'status' });
      expect(JSON.parse(all.outputs.findings ?? '').map((f: { file: string }) => f.file)).toEqual([
        'migrations/000_legacy.up.sql',
        'migrations/002_index.up.sql',
      ]);
      const changed = await step(project, { 'database-url': pg.url(db), mode: 'status', 'changed-since': 'HEAD' });
      expect(changed.result.ok).toBe(true);
      expect(JSON.parse(changed.outputs.findings ?? '')).toEqual([
        expect.objectContaining({ rule: 'index-not-concurrent', file: 'migrations/002_index.up.sql', line: 2 }),
      ]);
      const unknown = await step(project, {
        'database-url': pg.url(db),
        mode: 'status',
        'changed-since': 'origin/main',
      });
      expect(unknown.result.error).toMatch(
        /^db-migrate: cannot list the files changed since origin\/main: `git diff .*` exited with code 128/,
      );
    });
  });

  describe('clear errors', () => {
    it('names the host of an unreachable database and masks its password', async () => {
      const run = await step(runnerProject(), {
        'database-url': 'postgres://app:s3cret-pass@127.0.0.1:1/appdb',
        mode: 'status',
      });
      expect(run.result.error).toMatch(
        /^db-migrate: database unreachable at host 127\.0\.0\.1:1, database appdb, user app: .*ECONNREFUSED/,
      );
      expect(`${run.result.error}${run.summary}`).not.toContain('s3cret-pass');
    });

    it('says which command was not found', async () => {
      const db = await pg.createDatabase('missing_cmd');
      const run = await step(runnerProject(), {
        'database-url': pg.url(db),
        mode: 'apply',
        'apply-command': 'definitely-not-a-migration-tool up',
      });
      expect(run.result.error).toMatch(
        /^db-migrate: apply command failed: command not found: definitely-not-a-migration-tool \(working directory /,
      );
    });

    it('stops a command at its deadline', async () => {
      const db = await pg.createDatabase('deadline');
      const run = await step(runnerProject(), {
        'database-url': pg.url(db),
        mode: 'apply',
        'apply-command': [process.execPath, '-e', 'setTimeout(() => {}, 60000)'].join('\n'),
        timeout: '1s',
      });
      expect(run.result.error).toMatch(
        /^db-migrate: apply command failed: `\S+ -e 'setTimeout\(\(\) => \{\}, 60000\)'` timed out after \ds/,
      );
    });

    it('names every bad input and what is allowed', async () => {
      const run = await step(runnerProject(), {
        'database-url': 'mysql://root:pw-123@db/app',
        mode: 'deploy',
        'migrations-table': 'drop table;',
      });
      expect(run.result.error).toContain(
        'input "database-url" (got "***"): expected a URL with scheme postgres: or postgresql:',
      );
      expect(run.result.error).toContain(
        'input "mode" (got "deploy"): expected one of dry-run, apply, rollback, status, verify',
      );
      expect(run.result.error).toContain(
        'input "migrations-table" (got "drop table;"): expected auto, a table name or schema.table',
      );
    });
  });
});
