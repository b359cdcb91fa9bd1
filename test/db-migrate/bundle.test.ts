import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runActionBundle } from '../../src/local/runner.js';
import { repoRoot, runBundle } from '../support/bundle.js';
import { type PostgresServer, postgresUnavailable, startPostgres } from '../support/postgres.js';
import { RUNNER_MIGRATIONS, runnerProject } from './projects.js';

const actionDir = join(repoRoot, 'actions', 'db-migrate');
const built = existsSync(join(actionDir, 'dist', 'index.js'));
if (!built) console.warn('skipping db-migrate bundle tests: run npm run build first');
const unavailable = postgresUnavailable();
if (unavailable) console.warn(`skipping db-migrate bundle tests: ${unavailable}`);

describe.skipIf(!built || unavailable)('db-migrate bundle', () => {
  let pg: PostgresServer;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => pg?.stop());

  it('proves a dry run clean, and catches one that writes, against real PostgreSQL', async () => {
    const db = await pg.createDatabase('bundle_dry');
    const url = pg.url(db);
    // 001 already applied, as the plain-SQL runner records it
    await pg.query(
      `${RUNNER_MIGRATIONS['001_accounts'].up}
       CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
       INSERT INTO schema_migrations (version) VALUES ('001_accounts');`,
      db,
    );

    const project = runnerProject();
    const clean = await runBundle('db-migrate', {
      workspace: project.dir,
      inputs: { ...project.inputs, 'database-url': url },
    });
    expect(clean.exitCode).toBe(0);
    expect(clean.outputs).toMatchObject({ pending: '1', applied: '1', 'schema-changed': 'false' });
    expect(JSON.parse(clean.outputs.status ?? '')).toEqual({
      pending: ['002_orders'],
      applied: ['001_accounts'],
      failed: [],
    });
    expect(clean.summary).toContain('## ✅ Database migrations: dry run (proved to change nothing)');
    expect(clean.masked).toContain(url);

    const sneaky = runnerProject({ dryRunRecords: true });
    const caught = await runBundle('db-migrate', {
      workspace: sneaky.dir,
      inputs: { ...sneaky.inputs, 'database-url': url, mode: 'dry-run' },
    });
    expect(caught.exitCode).toBe(1);
    expect(caught.annotations).toContainEqual({
      level: 'error',
      message: expect.stringMatching(/^db-migrate: the dry run changed the migration table schema_migrations/),
    });
  });

  it('annotates lint findings at file:line from a copy of the action with no node_modules around it', async () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'db-migrate-action-')), 'db-migrate');
    for (const entry of ['action.yml', 'dist', 'libpg-query.wasm'])
      cpSync(join(actionDir, entry), join(copy, entry), { recursive: true });
    const db = await pg.createDatabase('bundle_lint');
    const project = runnerProject({
      migrations: {
        '001_accounts': RUNNER_MIGRATIONS['001_accounts'],
        '002_index': {
          up: "-- speeds up lookups\nSET lock_timeout = '5s';\nCREATE INDEX accounts_name ON accounts (name);\n",
          down: '',
        },
      },
    });
    const run = await runActionBundle(copy, {
      workspace: project.dir,
      inputs: { ...project.inputs, 'database-url': pg.url(db), mode: 'status' },
    });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.annotations).toEqual([
      {
        level: 'warning',
        title: 'db-migrate index-not-concurrent',
        file: 'migrations/002_index.up.sql',
        line: 3,
        message: expect.stringMatching(
          /^index-not-concurrent: CREATE INDEX on existing table accounts without CONCURRENTLY/,
        ),
      },
    ]);
    expect(JSON.parse(run.outputs.findings ?? '')).toEqual([
      expect.objectContaining({ rule: 'index-not-concurrent', file: 'migrations/002_index.up.sql', line: 3 }),
    ]);
  });
});

describe('the parser WebAssembly shipped with the action', () => {
  it('is the installed libpg-query build', () => {
    const shipped = readFileSync(join(actionDir, 'libpg-query.wasm'));
    const installed = readFileSync(join(repoRoot, 'node_modules', 'libpg-query', 'wasm', 'libpg-query.wasm'));
    expect(
      shipped.equals(installed),
      'copy node_modules/libpg-query/wasm/libpg-query.wasm to actions/db-migrate/',
    ).toBe(true);
  });
});
