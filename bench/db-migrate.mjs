#!/usr/bin/env node
// db-migrate benchmarks. Usage (Node 24, as the runner): npx node bench/db-migrate.mjs [--rounds 5]
// 1. Lint 1,000 migration statements (50 files of 20 statements) with the real PostgreSQL parser.
//    Target: ≤ 1 s. Printed: parser load (once per run of the action) and the lint itself, median of rounds.
// 2. Dry-run overhead on a 200-table schema: the schema fingerprint and migration-table read before and
//    after the dry-run command (a no-op command here, so only the overhead is timed), on a throwaway
//    PostgreSQL server from test/support/postgres.ts. Target: ≤ 2 s. Median of rounds.
// The sources are TypeScript: scripts/ts-hooks.mjs strips their types (Node's own stripTypeScriptTypes),
// so no build step is needed.
import { parseArgs } from 'node:util';
import '../scripts/ts-hooks.mjs'; // the TypeScript sources below load directly

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(0)} ms`;

const { lintSql, loadParser } = await import('../src/db-migrate/lint.ts');
const { parsePolicy } = await import('../src/core/policy/parse.ts');
const { runMode } = await import('../src/db-migrate/modes.ts');
const { connect } = await import('../src/db-migrate/database.ts');
const { startPostgres, postgresUnavailable } = await import('../test/support/postgres.ts');

// --- 1. lint ---------------------------------------------------------------------------------------
const statementsFor = (f) =>
  Array.from({ length: 20 }, (_, i) => {
    const t = `t${f}_${i % 5}`;
    switch (i % 10) {
      case 0:
        return `SET lock_timeout = '5s';`;
      case 1:
        return `CREATE TABLE ${t} (id bigserial PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now());`;
      case 2:
        return `ALTER TABLE accounts_${f} ADD COLUMN c${i} integer NOT NULL;`;
      case 3:
        return `CREATE INDEX ix_${f}_${i} ON accounts_${f} (name, created_at) WHERE deleted_at IS NULL;`;
      case 4:
        return `ALTER TABLE accounts_${f} ALTER COLUMN score TYPE bigint USING score::bigint;`;
      case 5:
        return `INSERT INTO settings (key, value) VALUES ('k${i}', '{"a": [1, 2, 3]}'::jsonb) ON CONFLICT (key) DO UPDATE SET value = excluded.value;`;
      case 6:
        return `ALTER TABLE accounts_${f} RENAME COLUMN c${i} TO d${i};`;
      case 7:
        return `CREATE OR REPLACE VIEW v_${f}_${i} AS SELECT a.id, count(o.id) AS n FROM accounts_${f} a LEFT JOIN orders o ON o.account_id = a.id GROUP BY a.id;`;
      case 8:
        return `UPDATE accounts_${f} SET name = lower(name) WHERE id IN (SELECT account_id FROM orders WHERE total > 100);`;
      default:
        return `DROP TABLE IF EXISTS old_${f}_${i};`;
    }
  }).join('\n');
const files = Array.from({ length: 50 }, (_, f) => ({
  name: `migrations/${String(f).padStart(3, '0')}_bench.sql`,
  text: statementsFor(f),
}));
const severities = parsePolicy({}).database.lint;

let started = performance.now();
const parser = await loadParser();
const parserLoad = performance.now() - started;
const statements = files.reduce((n, file) => n + (parser.parse(file.text).stmts?.length ?? 0), 0);
const lintTimes = [];
let findings = 0;
for (let r = 0; r < rounds; r++) {
  started = performance.now();
  findings = 0;
  for (const file of files) findings += lintSql(file.name, file.text, parser, severities).length;
  lintTimes.push(performance.now() - started);
}
const lintMedian = median(lintTimes);
console.log(
  `lint: ${statements} statements in ${files.length} files, ${findings} findings: ${ms(lintMedian)} median of ${rounds} ` +
    `(+ ${ms(parserLoad)} to load the parser once) — target ≤ 1000 ms: ${lintMedian + parserLoad <= 1000 ? 'met' : 'MISSED'}`,
);

// --- 2. dry-run overhead on a 200-table schema -----------------------------------------------------
const unavailable = postgresUnavailable();
if (unavailable) {
  console.log(`dry-run overhead: skipped (${unavailable})`);
  process.exit(0);
}
const pg = await startPostgres();
try {
  const db = await pg.createDatabase('bench');
  const ddl = [];
  for (let i = 0; i < 200; i++) {
    ddl.push(
      `CREATE TABLE t${i} (id bigserial PRIMARY KEY, name text NOT NULL, email varchar(200) UNIQUE, amount numeric(12,2) DEFAULT 0 CHECK (amount >= 0), ` +
        `created_at timestamptz NOT NULL DEFAULT now(), parent_id bigint${i ? ` REFERENCES t${i - 1} (id)` : ''});`,
      `CREATE INDEX t${i}_created ON t${i} (created_at);`,
    );
    if (i % 10 === 0) ddl.push(`CREATE VIEW v${i} AS SELECT id, name FROM t${i} WHERE amount > 0;`);
  }
  ddl.push(
    'CREATE TABLE pgmigrations (id serial PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL);',
    "INSERT INTO pgmigrations (name, run_on) SELECT 'm' || g, now() FROM generate_series(1, 200) g;",
  );
  await pg.query(ddl.join('\n'), db);
  const conn = await connect(new URL(pg.url(db)));
  const noOp = {
    run: async () => ({
      command: 'true',
      exitCode: 0,
      signal: null,
      stdout: '',
      stderr: '',
      timedOut: false,
      aborted: false,
      truncated: false,
      durationMs: 0,
    }),
  };
  const deps = {
    db: conn,
    runner: noOp,
    commands: { 'dry-run': ['true'], apply: [], rollback: [], status: [] },
    migrationsTable: 'auto',
    inDirectory: undefined,
  };
  const times = [];
  for (let r = 0; r < rounds; r++) {
    started = performance.now();
    const result = await runMode('dry-run', deps);
    times.push(performance.now() - started);
    if (result.problems.length) throw new Error(`unexpected difference: ${JSON.stringify(result.problems)}`);
  }
  const { fingerprint } = await import('../src/db-migrate/fingerprint.ts');
  const objects = (await fingerprint(conn)).objects.size;
  await conn.close();
  const overhead = median(times);
  console.log(
    `dry-run overhead: 200 tables (${objects} schema objects), fingerprint + migration table before and after: ` +
      `${ms(overhead)} median of ${rounds} — target ≤ 2000 ms: ${overhead <= 2000 ? 'met' : 'MISSED'}`,
  );
} finally {
  await pg.stop();
}
