import type { Database } from './database.js';

/**
 * The migration tool's bookkeeping table: found by name (the `migrations-table` input) or, with `auto`,
 * by the names the common tools use. Its rows are read as they are (for the dry-run proof) and
 * normalised into applied / failed migration names (for status).
 */

/** Tried in this order when `migrations-table` is `auto`. */
export const KNOWN_MIGRATION_TABLES = [
  'pgmigrations', // node-pg-migrate
  'knex_migrations', // knex
  '_prisma_migrations', // Prisma
  'flyway_schema_history', // Flyway
  'schema_migrations', // golang-migrate, dbmate, Rails, sqlx-cli (_sqlx_migrations below)
  '_sqlx_migrations', // sqlx
  'SequelizeMeta', // Sequelize
  'kysely_migration', // Kysely
  'goose_db_version', // goose
  '__drizzle_migrations', // drizzle (schema "drizzle")
  'typeorm_migrations', // TypeORM with migrationsTableName
  'migrations', // TypeORM default, Laravel
] as const;

export interface TableRef {
  schema: string;
  name: string;
}

export interface MigrationTable extends TableRef {
  /** `schema.name`, quoted as the fingerprint names tables. */
  qualified: string;
  rows: Record<string, unknown>[];
}

/** `schema.table` or `table`; `auto` detects. Returns the candidates to look for. */
export function candidates(setting: string): TableRef[] | 'auto' {
  if (setting === 'auto') return 'auto';
  const dot = setting.indexOf('.');
  return [dot > 0 ? { schema: setting.slice(0, dot), name: setting.slice(dot + 1) } : { schema: '', name: setting }];
}

/** Finds the table (in any user schema unless one is named); undefined when it does not exist (yet). */
export async function findMigrationTable(db: Database, setting: string): Promise<TableRef | undefined> {
  const wanted = candidates(setting);
  const names = wanted === 'auto' ? [...KNOWN_MIGRATION_TABLES] : wanted.map((w) => w.name);
  const rows = await db.query<{ schema: string; name: string }>(
    `SELECT n.nspname AS schema, c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND c.relname = ANY($1::text[])
       AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
     ORDER BY array_position($1::text[], c.relname::text), n.nspname = ANY(current_schemas(false)) DESC, n.nspname`,
    [names],
  );
  if (wanted === 'auto') return rows[0];
  const [only] = wanted as TableRef[];
  return rows.find((r) => !only?.schema || r.schema === only.schema);
}

export function quoteIdent(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

export async function readMigrationTable(db: Database, table: TableRef): Promise<MigrationTable> {
  const qualified = `${quoteIdent(table.schema)}.${quoteIdent(table.name)}`;
  const rows = await db.query(`SELECT * FROM ${qualified}`);
  const normalised = rows.map(plainRow).sort((a, b) => compare(JSON.stringify(a), JSON.stringify(b)));
  return { ...table, qualified, rows: normalised };
}

/** Rows as JSON-comparable values (dates as ISO text, buffers as hex). */
function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(row).sort()) {
    const value = row[key];
    out[key] = value instanceof Date ? value.toISOString() : Buffer.isBuffer(value) ? value.toString('hex') : value;
  }
  return out;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface TableDiff {
  added: Record<string, unknown>[];
  removed: Record<string, unknown>[];
}

/** Rows added or removed between two reads; `undefined` stands for "the table did not exist". */
export function diffRows(before: MigrationTable | undefined, after: MigrationTable | undefined): TableDiff {
  const key = (r: Record<string, unknown>) => JSON.stringify(r);
  const had = new Map((before?.rows ?? []).map((r) => [key(r), r]));
  const has = new Map((after?.rows ?? []).map((r) => [key(r), r]));
  return {
    added: [...has].filter(([k]) => !had.has(k)).map(([, r]) => r),
    removed: [...had].filter(([k]) => !has.has(k)).map(([, r]) => r),
  };
}

export interface MigrationRecord {
  name: string;
  state: 'applied' | 'failed';
}

const NAME_COLUMNS = ['migration_name', 'name', 'script', 'migration', 'description', 'version', 'version_id', 'hash'];

/**
 * One tool's row → a migration name and whether it is applied or failed:
 * Flyway `success = false`, golang-migrate `dirty = true`, sqlx `success = false` and Prisma rows with neither
 * `finished_at` nor `rolled_back_at` are failed; Prisma rows with `rolled_back_at` and goose rows with
 * `is_applied = false` are not (or no longer) applied and are left out.
 */
export function normaliseRow(row: Record<string, unknown>): MigrationRecord | undefined {
  const nameColumn = NAME_COLUMNS.find((c) => row[c] !== undefined && row[c] !== null && row[c] !== '');
  if (!nameColumn) return undefined;
  if (row.rolled_back_at != null || row.is_applied === false) return undefined;
  // goose's first row (version 0) marks the table's creation, not a migration.
  if ('is_applied' in row && String(row.version_id) === '0') return undefined;
  const failed =
    row.success === false ||
    row.dirty === true ||
    ('finished_at' in row && 'rolled_back_at' in row && row.finished_at == null);
  return { name: String(row[nameColumn]), state: failed ? 'failed' : 'applied' };
}

export function recordsOf(table: MigrationTable | undefined): MigrationRecord[] {
  return (table?.rows ?? []).flatMap((r) => normaliseRow(r) ?? []);
}
