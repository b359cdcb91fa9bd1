import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandArgs } from '../../src/db-migrate/commands.js';
import { diffSchemas, formatSchemaDiff, fromObjects, without } from '../../src/db-migrate/fingerprint.js';
import { normaliseRow } from '../../src/db-migrate/migration-table.js';
import { migrationsInDirectory, normaliseStatus, pendingFromOutput } from '../../src/db-migrate/status.js';

describe('command inputs', () => {
  it('splits one line at whitespace and keeps one argument per line otherwise', () => {
    expect(commandArgs(['npm  run db:migrate:dry-run'])).toEqual(['npm', 'run', 'db:migrate:dry-run']);
    expect(commandArgs(['node', 'scripts/migrate.mjs', '--note', 'two words'])).toEqual([
      'node',
      'scripts/migrate.mjs',
      '--note',
      'two words',
    ]);
  });
});

describe('migration table rows of common tools', () => {
  it('normalises applied and failed rows', () => {
    expect(normaliseRow({ id: 1, name: '1700000000000_init', run_on: '2026-01-01' })).toEqual({
      name: '1700000000000_init',
      state: 'applied',
    });
    expect(normaliseRow({ id: 1, name: '20260101_init.js', batch: 1, migration_time: 'x' })).toEqual({
      name: '20260101_init.js',
      state: 'applied',
    });
    // Prisma: finished, failed (never finished), rolled back
    const prisma = { migration_name: '20260101_init', logs: null, applied_steps_count: 1 };
    expect(normaliseRow({ ...prisma, finished_at: 'x', rolled_back_at: null })?.state).toBe('applied');
    expect(normaliseRow({ ...prisma, finished_at: null, rolled_back_at: null })?.state).toBe('failed');
    expect(normaliseRow({ ...prisma, finished_at: null, rolled_back_at: 'x' })).toBeUndefined();
    // Flyway and golang-migrate
    expect(normaliseRow({ installed_rank: 2, version: '2', script: 'V2__add.sql', success: false })).toEqual({
      name: 'V2__add.sql',
      state: 'failed',
    });
    expect(normaliseRow({ version: '20260101120000', dirty: true })?.state).toBe('failed');
    // goose: version 0 is the table's creation; is_applied false is a rolled-back migration
    expect(normaliseRow({ id: 1, version_id: 0, is_applied: true })).toBeUndefined();
    expect(normaliseRow({ id: 3, version_id: 5, is_applied: false })).toBeUndefined();
    expect(normaliseRow({ id: 2, version_id: 5, is_applied: true })).toEqual({ name: '5', state: 'applied' });
  });
});

describe('status', () => {
  const dir = mkdtempSync(join(tmpdir(), 'db-migrate-status-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists migrations in a directory by name without extension, Prisma directories included', async () => {
    mkdirSync(join(dir, '20260102_add_index'));
    writeFileSync(join(dir, '001_init.sql'), '');
    writeFileSync(join(dir, '002_users.up.sql'), '');
    writeFileSync(join(dir, '002_users.down.sql'), '');
    writeFileSync(join(dir, 'migration_lock.toml'), '');
    writeFileSync(join(dir, '.keep'), '');
    expect(await migrationsInDirectory(dir)).toEqual(['001_init', '002_users', '20260102_add_index']);
    expect(await migrationsInDirectory(join(dir, 'absent'))).toBeUndefined();
  });

  it('reads pending migrations from the output of common status commands', () => {
    const knex =
      'Using environment: development\nFound 1 Completed Migration file/s.\n001_init.js\nFound 2 Pending Migration file/s.\n002_a.js\n003_b.js\n';
    expect(pendingFromOutput(knex)).toEqual(['002_a', '003_b']);
    const prisma =
      '2 migrations found in prisma/migrations\nFollowing migration have not yet been applied:\n20260102_add_index\n\nTo apply migrations in development run prisma migrate dev.';
    expect(pendingFromOutput(prisma)).toEqual(['20260102_add_index']);
    const npm =
      '> Migrating files:\n> - 1700000000001_add_email\n> - 1700000000002_index\n### MIGRATION 1700000000001_add_email (UP) ###';
    expect(pendingFromOutput(npm)).toEqual(['1700000000001_add_email', '1700000000002_index']);
    expect(pendingFromOutput('applied: 001_init\npending: 002_users.sql\n')).toEqual(['002_users']);
    expect(pendingFromOutput('No migrations to run!\nMigrations complete!')).toEqual([]);
  });

  it('combines the table, the directory and the command output', () => {
    const status = normaliseStatus(
      [
        { name: '001_init', state: 'applied' },
        { name: '002_users.sql', state: 'failed' },
      ],
      ['001_init', '002_users', '003_orders'],
      'pending: 004_from_output',
    );
    expect(status).toEqual({
      pending: ['003_orders', '004_from_output'],
      applied: ['001_init'],
      failed: ['002_users.sql'],
    });
  });
});

describe('schema difference', () => {
  const table = (name: string, definition = '') => ({ kind: 'table', name, owner: name, definition });
  const column = (table: string, name: string, definition: string) => ({
    kind: 'column',
    name: `${table}.${name}`,
    owner: table,
    definition,
  });

  it('shows added, removed and changed objects, and multi-line changes by line', () => {
    const before = fromObjects([
      table('public.users'),
      column('public.users', 'name', 'text NOT NULL'),
      table('public.old'),
      { kind: 'view', name: 'public.v', owner: 'public.v', definition: ' SELECT id\n   FROM users;' },
    ]);
    const after = fromObjects([
      table('public.users'),
      column('public.users', 'name', 'character varying(20) NOT NULL'),
      column('public.users', 'email', 'text'),
      { kind: 'view', name: 'public.v', owner: 'public.v', definition: ' SELECT id, name\n   FROM users;' },
    ]);
    expect(before.hash).not.toBe(after.hash);
    expect(formatSchemaDiff(diffSchemas(before, after))).toBe(
      [
        '+ column public.users.email: text',
        '~ column public.users.name: text NOT NULL → character varying(20) NOT NULL',
        '- table public.old',
        '~ view public.v',
        '    - SELECT id',
        '    + SELECT id, name',
      ].join('\n'),
    );
  });

  it('hashes independently of the order objects arrive in, and can leave tables out', () => {
    const objects = [table('public.a'), table('public.pgmigrations'), column('public.pgmigrations', 'id', 'integer')];
    const one = fromObjects(objects);
    const other = fromObjects([...objects].reverse());
    expect(one.hash).toBe(other.hash);
    expect(diffSchemas(one, other)).toEqual([]);
    const bare = without(one, ['public.pgmigrations']);
    expect([...bare.objects.keys()]).toEqual(['table public.a']);
    expect(bare.hash).toBe(fromObjects([table('public.a')]).hash);
  });
});
