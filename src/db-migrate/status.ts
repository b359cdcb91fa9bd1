import { readdir } from 'node:fs/promises';
import type { MigrationRecord } from './migration-table.js';

/**
 * Status in one normalised form, whatever the tool: applied and failed come from the migration table;
 * pending are the migrations in the migrations directory that the table does not list, plus any that
 * the status command's output names as pending (knex, Prisma, node-pg-migrate's dry run, or lines of
 * the form `pending: <name>`).
 */
export interface MigrationStatus {
  pending: string[];
  applied: string[];
  failed: string[];
}

const MIGRATION_FILE = /\.(sql|js|cjs|mjs|ts|cts|mts|go|py|rb)$/i;

/** Migration names in a directory: files (without extension) and, for Prisma-style layouts, sub-directories. */
export async function migrationsInDirectory(dir: string): Promise<string[] | undefined> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const names = new Set<string>();
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) names.add(entry.name);
    else if (MIGRATION_FILE.test(entry.name)) names.add(migrationKey(entry.name));
  }
  return [...names].sort();
}

/**
 * The comparable part of a migration name: without extension or `.up`/`.down`, so `001_init.sql`,
 * `001_init.up.sql` and a table's `001_init` match.
 */
export function migrationKey(name: string): string {
  return name.replace(/\.(up|down)(?=\.\w+$)/i, '').replace(MIGRATION_FILE, '');
}

/** Migration names the status command's output reports as pending, in the formats of common tools. */
export function pendingFromOutput(output: string): string[] {
  const pending: string[] = [];
  const lines = output.split(/\r?\n/);
  let section: 'pending' | 'other' = 'other';
  for (const raw of lines) {
    const line = raw.trim();
    // knex migrate:list: "Found 2 Pending Migration file/s." followed by the names
    // Prisma migrate status: "Following migrations have not yet been applied:" followed by the names
    // node-pg-migrate up --dry-run: "> Migrating files:" followed by "> - name"
    if (
      /^Found \d+ Pending Migration/i.test(line) ||
      /have not yet been applied:?$/i.test(line) ||
      /^>?\s*Migrating files:?$/i.test(line)
    ) {
      section = 'pending';
      continue;
    }
    if (/^Found \d+ Completed Migration/i.test(line) || line === '' || /^(No|All) migrations/i.test(line)) {
      section = 'other';
      continue;
    }
    const tagged = /^pending\s*[:\s]\s*(\S.*)$/i.exec(line);
    if (tagged) {
      pending.push(migrationKey((tagged[1] as string).trim()));
      continue;
    }
    if (section === 'pending') {
      const name = /^(?:>\s*)?(?:-\s+)?(\S+)$/.exec(line)?.[1];
      if (name) pending.push(migrationKey(name));
      else section = 'other';
    }
  }
  return [...new Set(pending)];
}

export function normaliseStatus(
  records: readonly MigrationRecord[],
  inDirectory: readonly string[] | undefined,
  statusOutput = '',
): MigrationStatus {
  const applied = records.filter((r) => r.state === 'applied').map((r) => r.name);
  const failed = records.filter((r) => r.state === 'failed').map((r) => r.name);
  const known = new Set([...applied, ...failed].map(migrationKey));
  const pending = new Set<string>();
  for (const name of inDirectory ?? []) if (!known.has(name)) pending.add(name);
  for (const name of pendingFromOutput(statusOutput)) if (!known.has(name)) pending.add(name);
  return { pending: [...pending].sort(), applied, failed };
}
