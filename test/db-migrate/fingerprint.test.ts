import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Database } from '../../src/db-migrate/database.js';
import { diffSchemas, type Fingerprint, fingerprint, formatSchemaDiff } from '../../src/db-migrate/fingerprint.js';
import { findMigrationTable, readMigrationTable } from '../../src/db-migrate/migration-table.js';
import { type PostgresServer, postgresUnavailable, startPostgres } from '../support/postgres.js';

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`skipping schema fingerprint tests: ${unavailable}`);

const SCHEMA = `
CREATE EXTENSION citext;
CREATE SCHEMA billing;
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE DOMAIN positive AS int NOT NULL CHECK (VALUE > 0);
CREATE TYPE pair AS (a int, b text);
CREATE TABLE customers (id serial PRIMARY KEY, email citext UNIQUE, mood mood DEFAULT 'ok', score positive);
CREATE TABLE billing.invoices (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id int NOT NULL REFERENCES customers (id),
  amount numeric(12,2) NOT NULL CHECK (amount >= 0),
  total numeric GENERATED ALWAYS AS (amount * 2) STORED
);
CREATE INDEX invoices_customer ON billing.invoices (customer_id) WHERE amount > 0;
CREATE VIEW big_invoices AS SELECT * FROM billing.invoices WHERE amount > 100;
CREATE SEQUENCE ticket_seq START 100 INCREMENT 5;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER customers_touch BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE customers ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON customers USING (id > 0);
`;

describe.skipIf(unavailable)('schema fingerprint against PostgreSQL', () => {
  let pg: PostgresServer;
  let db: Database;
  let base: Fingerprint;
  beforeAll(async () => {
    pg = await startPostgres();
    const name = await pg.createDatabase('fingerprint');
    await pg.query(SCHEMA, name);
    db = await connect(new URL(pg.url(name)));
    base = await fingerprint(db);
  });
  afterAll(async () => {
    await db?.close();
    await pg?.stop();
  });

  /** Runs `change` in a transaction that is rolled back, and returns the diff it made. */
  async function diffOf(change: string): Promise<string> {
    await db.query('BEGIN');
    try {
      await db.query(change);
      return formatSchemaDiff(diffSchemas(base, await fingerprint(db)));
    } finally {
      await db.query('ROLLBACK');
    }
  }

  it('describes every kind of object in user schemas, and no extension members', () => {
    const keys = [...base.objects.keys()];
    for (const key of [
      'schema billing',
      'extension citext',
      'enum public.mood',
      'domain public.positive',
      'composite type public.pair',
      'table public.customers',
      'column public.customers.email',
      'constraint public.customers.customers_email_key',
      'table billing.invoices',
      'column billing.invoices.total',
      'constraint billing.invoices.invoices_amount_check',
      'constraint billing.invoices.invoices_customer_id_fkey',
      'index billing.invoices_customer',
      'view public.big_invoices',
      'sequence public.ticket_seq',
      'sequence public.customers_id_seq',
      'function public.touch()',
      'trigger public.customers.customers_touch',
      'policy public.customers.own',
    ])
      expect(keys).toContain(key);
    // citext's own functions and types are the extension's, not the schema's
    expect(keys.filter((k) => /citext/.test(k))).toEqual(['extension citext']);
    expect(base.objects.get('column billing.invoices.id')?.definition).toBe(
      'bigint NOT NULL GENERATED ALWAYS AS IDENTITY',
    );
    expect(base.objects.get('column billing.invoices.total')?.definition).toBe(
      'numeric GENERATED ALWAYS AS ((amount * (2)::numeric)) STORED',
    );
    expect(base.objects.get('domain public.positive')?.definition).toBe('integer NOT NULL CHECK (VALUE > 0)');
    expect(base.objects.get('sequence public.customers_id_seq')?.owner).toBe('public.customers');
    expect(base.objects.get('index billing.invoices_customer')?.definition).toBe(
      'CREATE INDEX invoices_customer ON billing.invoices USING btree (customer_id) WHERE (amount > (0)::numeric)',
    );
  });

  it('is stable: the same schema gives the same hash, and data does not count', async () => {
    expect((await fingerprint(db)).hash).toBe(base.hash);
    expect(await diffOf("INSERT INTO customers (email, score) VALUES ('a@b', 3); SELECT nextval('ticket_seq');")).toBe(
      '',
    );
  });

  it('shows each kind of change as a readable line', async () => {
    expect(await diffOf('ALTER TABLE customers ALTER COLUMN email SET NOT NULL')).toBe(
      '~ column public.customers.email: citext → citext NOT NULL',
    );
    expect(await diffOf("ALTER TABLE customers ALTER COLUMN mood SET DEFAULT 'sad'")).toBe(
      "~ column public.customers.mood: mood DEFAULT 'ok'::mood → mood DEFAULT 'sad'::mood",
    );
    expect(await diffOf("ALTER TYPE mood ADD VALUE 'happy'")).toBe(
      "~ enum public.mood: 'sad', 'ok' → 'sad', 'ok', 'happy'",
    );
    expect(await diffOf('ALTER TABLE customers ALTER COLUMN score TYPE bigint')).toBe(
      '~ column public.customers.score: positive → bigint',
    );
    expect(await diffOf('DROP TRIGGER customers_touch ON customers')).toBe(
      '- trigger public.customers.customers_touch: CREATE TRIGGER customers_touch BEFORE UPDATE ON customers FOR EACH ROW EXECUTE FUNCTION touch()',
    );
    expect(
      await diffOf(
        'CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$',
      ),
    ).toBe(
      '~ function public.touch()\n    - AS $function$ BEGIN RETURN NEW; END $function$\n    + AS $function$ BEGIN RETURN OLD; END $function$',
    );
    expect(await diffOf('ALTER SEQUENCE ticket_seq INCREMENT 10')).toBe(
      '~ sequence public.ticket_seq: bigint start 100 increment 5 min 1 max 9223372036854775807 cache 1 → bigint start 100 increment 10 min 1 max 9223372036854775807 cache 1',
    );
    expect(await diffOf('DROP POLICY own ON customers')).toBe('- policy public.customers.own: * USING (id > 0)');
    expect(await diffOf('CREATE UNIQUE INDEX customers_score ON customers (score)')).toBe(
      '+ index public.customers_score: CREATE UNIQUE INDEX customers_score ON public.customers USING btree (score)',
    );
  });

  it('finds and reads a migration table by its default or configured name', async () => {
    await db.query('BEGIN');
    try {
      await db.query(
        "CREATE TABLE billing.knex_migrations (id serial, name text, batch int, migration_time timestamptz); INSERT INTO billing.knex_migrations (name, batch, migration_time) VALUES ('001_init.js', 1, '2026-01-01T00:00:00Z')",
      );
      expect(await findMigrationTable(db, 'auto')).toEqual({ schema: 'billing', name: 'knex_migrations' });
      expect(await findMigrationTable(db, 'public.knex_migrations')).toBeUndefined();
      const ref = await findMigrationTable(db, 'billing.knex_migrations');
      expect(ref).toBeDefined();
      const table = await readMigrationTable(db, ref!);
      expect(table.rows).toEqual([
        { batch: 1, id: 1, migration_time: '2026-01-01T00:00:00.000Z', name: '001_init.js' },
      ]);
    } finally {
      await db.query('ROLLBACK');
    }
  });
});
