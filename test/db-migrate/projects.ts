import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Small migration projects made at test time: one driven by the real node-pg-migrate CLI (JS and SQL
 * migrations), and plain-SQL projects driven by a runner script (`node migrate.mjs up|down|status|dry-run`)
 * whose variants misbehave the ways the action must catch. Commands are argument lists: the node binary
 * running the tests, then a script, never a shell.
 */

const require = createRequire(import.meta.url);
const PG_MODULE = require.resolve('pg');
const NODE_PG_MIGRATE = join(require.resolve('node-pg-migrate/package.json'), '..', 'bin', 'node-pg-migrate.js');
const node = process.execPath;

export interface Project {
  dir: string;
  /** Inputs naming the project's commands, as lines (one argument per line); the project is the workspace. */
  inputs: Record<string, string>;
}

const lines = (...args: string[]) => args.join('\n');

function project(prefix: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), `db-migrate-${prefix}-`));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** node-pg-migrate: a JS migration and an SQL one; its `--dry-run` still creates `pgmigrations` on a fresh database. */
export function nodePgMigrateProject(): Project {
  const dir = project('npm', {
    'migrations/1700000000000_create-users.js': `
exports.up = (pgm) => {
  pgm.createTable('users', {
    id: 'id',
    name: { type: 'varchar(100)', notNull: true },
    created_at: { type: 'timestamptz', notNull: true, default: pgm.func('now()') },
  });
  pgm.createType('user_role', ['admin', 'member']);
};
exports.down = (pgm) => {
  pgm.dropTable('users');
  pgm.dropType('user_role');
};
`,
    'migrations/1700000000001_add-email.sql': `-- Up Migration
SET lock_timeout = '5s';
ALTER TABLE users ADD COLUMN email text;
CREATE INDEX users_email ON users (email);
CREATE VIEW user_emails AS SELECT id, email FROM users;

-- Down Migration
DROP VIEW user_emails;
DROP INDEX users_email;
ALTER TABLE users DROP COLUMN email;
`,
  });
  const cli = (...args: string[]) => lines(node, NODE_PG_MIGRATE, ...args);
  return {
    dir,
    inputs: {
      'apply-command': cli('up'),
      'rollback-command': cli('down'),
      'dry-run-command': cli('up', '--dry-run'),
      'status-command': cli('up', '--dry-run'),
    },
  };
}

export interface RunnerOptions {
  /** The bug: the dry run rolls back the migrations but still records them as applied. */
  dryRunRecords?: boolean;
  migrations?: Record<string, { up: string; down: string }>;
}

export const RUNNER_MIGRATIONS = {
  '001_accounts': {
    up: "SET lock_timeout = '5s';\nCREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL);\n",
    down: 'DROP TABLE accounts;\n',
  },
  '002_orders': {
    up: [
      "SET lock_timeout = '5s';",
      "CREATE TYPE order_state AS ENUM ('new', 'paid');",
      "CREATE TABLE orders (id bigserial PRIMARY KEY, account_id int NOT NULL REFERENCES accounts (id), state order_state NOT NULL DEFAULT 'new');",
      'CREATE INDEX orders_account ON orders (account_id);',
      'CREATE FUNCTION order_count(a int) RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM orders WHERE account_id = a $$;',
      '',
    ].join('\n'),
    down: 'DROP FUNCTION order_count(int);\nDROP TABLE orders;\nDROP TYPE order_state;\n',
  },
};

/** A plain-SQL project: `migrations/<version>.up.sql` / `.down.sql`, bookkeeping in `schema_migrations`. */
export function runnerProject(options: RunnerOptions = {}): Project {
  const files: Record<string, string> = { 'migrate.mjs': runnerScript(options) };
  for (const [version, sql] of Object.entries(options.migrations ?? RUNNER_MIGRATIONS)) {
    files[`migrations/${version}.up.sql`] = sql.up;
    files[`migrations/${version}.down.sql`] = sql.down;
  }
  const dir = project('sql', files);
  const script = (cmd: string) => lines(node, 'migrate.mjs', cmd);
  return {
    dir,
    inputs: {
      'apply-command': script('up'),
      'rollback-command': script('down'),
      'dry-run-command': script('dry-run'),
      'status-command': script('status'),
    },
  };
}

function runnerScript(options: RunnerOptions): string {
  return `import pg from ${JSON.stringify(PG_MODULE)};
import { readdirSync, readFileSync } from 'node:fs';

const command = process.argv[2];
const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
const read = (name) => readFileSync(new URL('migrations/' + name, import.meta.url), 'utf8');
const versions = readdirSync(new URL('migrations/', import.meta.url)).filter((f) => f.endsWith('.up.sql')).map((f) => f.slice(0, -7)).sort();
const ensureTable = () => client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
async function applied() {
  const { rows } = await client.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS exists");
  if (!rows[0].exists) return [];
  return (await client.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version);
}
try {
  await client.connect();
  const done = await applied();
  const pending = versions.filter((v) => !done.includes(v));
  if (command === 'up') {
    await ensureTable();
    for (const v of pending) {
      await client.query('BEGIN');
      await client.query(read(v + '.up.sql'));
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v]);
      await client.query('COMMIT');
      console.log('applied ' + v);
    }
  } else if (command === 'down') {
    const last = done[done.length - 1];
    if (last) {
      await client.query('BEGIN');
      await client.query(read(last + '.down.sql'));
      await client.query('DELETE FROM schema_migrations WHERE version = $1', [last]);
      await client.query('COMMIT');
      console.log('rolled back ' + last);
    }
  } else if (command === 'status') {
    for (const v of versions) console.log((done.includes(v) ? 'applied: ' : 'pending: ') + v);
  } else if (command === 'dry-run') {
    for (const v of pending) {
      await client.query('BEGIN');
      await client.query(read(v + '.up.sql'));
      await client.query('ROLLBACK');
      console.log('would apply ' + v);
      ${options.dryRunRecords ? "await ensureTable();\n      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v]);" : ''}
    }
  } else {
    throw new Error('unknown command ' + command);
  }
} catch (error) {
  console.error('migrate: ' + error.message);
  process.exitCode = 1;
} finally {
  await client.end();
}
`;
}
