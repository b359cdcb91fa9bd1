import { beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/core/policy/parse.js';
import {
  LINT_RULES,
  type LintRule,
  type LintSeverity,
  lintSql,
  loadParser,
  type Parser,
} from '../../src/db-migrate/lint.js';

let parser: Parser;
beforeAll(async () => {
  parser = await loadParser();
});

const defaults = parsePolicy({}).database.lint as Record<LintRule, LintSeverity>;
const lint = (sql: string, file = 'migrations/001.sql', severities = defaults) =>
  lintSql(file, sql, parser, severities);
const rules = (sql: string) => lint(sql).map((f) => `${f.rule}@${f.line}`);

const SAFE_PREAMBLE = "SET lock_timeout = '5s';\n";

describe('migration lint rules', () => {
  it('flags DROP TABLE on an existing table, not on one created in the same file', () => {
    expect(rules(`${SAFE_PREAMBLE}DROP TABLE accounts;`)).toEqual(['drop-table@2']);
    expect(rules(`${SAFE_PREAMBLE}CREATE TABLE tmp (id int);\nDROP TABLE tmp;`)).toEqual([]);
    const [finding] = lint(`${SAFE_PREAMBLE}DROP TABLE public.a, b;`);
    expect(finding?.message).toContain('public.a, b');
    expect(finding?.severity).toBe('error');
    expect(finding?.hint).toBe(LINT_RULES['drop-table']);
  });

  it('flags DROP COLUMN', () => {
    expect(rules(`${SAFE_PREAMBLE}ALTER TABLE users DROP COLUMN legacy;`)).toEqual(['drop-column@2']);
  });

  it('flags ADD COLUMN NOT NULL without DEFAULT on an existing table only', () => {
    expect(rules(`${SAFE_PREAMBLE}ALTER TABLE users\n  ADD COLUMN tenant int NOT NULL;`)).toEqual([
      'not-null-without-default@3',
    ]);
    expect(rules(`${SAFE_PREAMBLE}ALTER TABLE users ADD COLUMN tenant int NOT NULL DEFAULT 0;`)).toEqual([]);
    expect(rules(`${SAFE_PREAMBLE}ALTER TABLE users ADD COLUMN id2 bigserial NOT NULL;`)).toEqual([]);
    expect(rules(`${SAFE_PREAMBLE}ALTER TABLE users ADD COLUMN n int GENERATED ALWAYS AS IDENTITY NOT NULL;`)).toEqual(
      [],
    );
    expect(rules('CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN x int NOT NULL;')).toEqual([]);
  });

  it('flags CREATE INDEX without CONCURRENTLY on an existing table', () => {
    expect(rules(`${SAFE_PREAMBLE}CREATE INDEX users_email ON users (email);`)).toEqual(['index-not-concurrent@2']);
    expect(rules(`${SAFE_PREAMBLE}CREATE INDEX CONCURRENTLY users_email ON users (email);`)).toEqual([]);
    expect(rules('CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);')).toEqual([]);
  });

  it('flags CONCURRENTLY inside BEGIN … COMMIT, and not after COMMIT', () => {
    const sql = [
      SAFE_PREAMBLE.trim(),
      'BEGIN;',
      'CREATE INDEX CONCURRENTLY a ON users (a);',
      'DROP INDEX CONCURRENTLY b;',
      'REINDEX INDEX CONCURRENTLY c;',
      'COMMIT;',
      'CREATE INDEX CONCURRENTLY d ON users (d);',
      'START TRANSACTION;',
      'CREATE UNIQUE INDEX CONCURRENTLY e ON users (e);',
      'END;',
    ].join('\n');
    expect(rules(sql)).toEqual([
      'concurrently-in-transaction@3',
      'concurrently-in-transaction@4',
      'concurrently-in-transaction@5',
      'concurrently-in-transaction@9',
    ]);
  });

  it('flags type changes that rewrite the table and volatile defaults', () => {
    expect(rules(`${SAFE_PREAMBLE}ALTER TABLE users ALTER COLUMN id TYPE bigint;`)).toEqual(['table-rewrite@2']);
    expect(rules(`${SAFE_PREAMBLE}ALTER TABLE users ALTER COLUMN name TYPE varchar(50);`)).toEqual(['table-rewrite@2']);
    expect(rules(`${SAFE_PREAMBLE}ALTER TABLE users ALTER COLUMN name TYPE text;`)).toEqual([]);
    expect(rules(`${SAFE_PREAMBLE}ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();`)).toEqual([
      'table-rewrite@2',
    ]);
    expect(rules(`${SAFE_PREAMBLE}ALTER TABLE users ADD COLUMN created timestamptz DEFAULT now();`)).toEqual([]);
    expect(lint(`${SAFE_PREAMBLE}ALTER TABLE users ALTER COLUMN id TYPE bigint;`)[0]?.message).toContain('to int8');
  });

  it('flags renames of tables and columns', () => {
    expect(rules(`${SAFE_PREAMBLE}ALTER TABLE users RENAME COLUMN name TO full_name;`)).toEqual(['rename@2']);
    expect(rules(`${SAFE_PREAMBLE}ALTER TABLE users RENAME TO people;`)).toEqual(['rename@2']);
    expect(rules(`${SAFE_PREAMBLE}ALTER INDEX users_pkey RENAME TO people_pkey;`)).toEqual([]);
  });

  it('flags a locking statement with no lock_timeout before it, once per file', () => {
    expect(rules('ALTER TABLE users ADD COLUMN a int;\nALTER TABLE users ADD COLUMN b int;')).toEqual([
      'missing-lock-timeout@1',
    ]);
    expect(rules("SET lock_timeout TO '2s';\nALTER TABLE users ADD COLUMN a int;")).toEqual([]);
    expect(rules("SELECT set_config('lock_timeout', '2s', false);\nALTER TABLE users ADD COLUMN a int;")).toEqual([]);
    // SET LOCAL ends with the transaction; 0 disables the timeout.
    expect(
      rules(
        "BEGIN;\nSET LOCAL lock_timeout = '2s';\nALTER TABLE users ADD COLUMN a int;\nCOMMIT;\nALTER TABLE users ADD COLUMN b int;",
      ),
    ).toEqual(['missing-lock-timeout@5']);
    expect(rules('SET lock_timeout = 0;\nALTER TABLE users ADD COLUMN a int;')).toEqual(['missing-lock-timeout@2']);
    expect(rules('CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN a int;')).toEqual([]);
  });

  it('reports a syntax error at its line', () => {
    const [finding] = lint(`${SAFE_PREAMBLE}CREATE TABLE ok (id int);\nALTER TABLE users ADD COLUMN;`);
    expect(finding?.rule).toBe('syntax-error');
    expect(finding?.line).toBe(3);
    expect(finding?.message).toMatch(/syntax error/);
  });
});

describe('migration lint mechanics', () => {
  it('gives lines after comments, blank lines and multi-byte text', () => {
    const sql = [
      '-- Migration: ünïcödé comment ✓',
      "SET lock_timeout = '5s';",
      '/* a block',
      '   comment */',
      '',
      "INSERT INTO notes VALUES ('é✓');   ALTER TABLE users",
      '  DROP COLUMN old;',
    ].join('\n');
    expect(rules(sql)).toEqual(['drop-column@6']);
    expect(rules(`${SAFE_PREAMBLE}\n\n\nDROP TABLE x;`)).toEqual(['drop-table@5']);
  });

  it('lints only the up part of a migration file', () => {
    const sql = `-- Up Migration\n${SAFE_PREAMBLE}CREATE TABLE t (id int);\n\n-- Down Migration\nDROP TABLE t;\nDROP TABLE users;\n`;
    expect(rules(sql)).toEqual([]);
    expect(lint('DROP TABLE users;', 'migrations/001_x.down.sql')).toEqual([]);
    expect(rules(`-- migrate:up\n${SAFE_PREAMBLE}SELECT 1;\n-- migrate:down\nDROP TABLE users;`)).toEqual([]);
  });

  it('takes each rule severity from the policy, including off', () => {
    const policy = parsePolicy({ database: { lint: { 'drop-table': 'warning', rename: 'off' } } }).database
      .lint as Record<LintRule, LintSeverity>;
    const findings = lint(`${SAFE_PREAMBLE}DROP TABLE a;\nALTER TABLE b RENAME TO c;`, 'm.sql', policy);
    expect(findings.map((f) => `${f.rule}:${f.severity}`)).toEqual(['drop-table:warning']);
  });

  it('refuses a misspelt rule in the policy, naming it', () => {
    expect(() => parsePolicy({ database: { lint: { 'drop-tables': 'error' } } })).toThrow(/drop-tables/);
    expect(() => parsePolicy({ database: { lint: { rename: 'fatal' } } })).toThrow(/database\.lint\.rename/);
  });
});
