import type { Client } from 'pg';

/**
 * The scratch server a restore goes to. Each backup is restored into a database of its own,
 * created for it and dropped afterwards, so the database named in the URL (and anything else on
 * that server) is never written to, and a dump that happens to match existing tables cannot pass
 * or fail because of them. Needs CREATEDB (a `services: postgres` container's user has it).
 */
export interface TableCount {
  schema: string;
  name: string;
  rows: number;
}

async function connect(url: URL, database?: string): Promise<Client> {
  const { default: pg } = await import('pg');
  const target = new URL(url.toString());
  if (database !== undefined) target.pathname = `/${encodeURIComponent(database)}`;
  const client = new pg.Client({ connectionString: target.toString(), application_name: 'runbook-backup-verify' });
  await client.connect();
  return client;
}

export async function createScratchDatabase(url: URL, name: string): Promise<void> {
  const client = await connect(url);
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE template0`);
  } finally {
    await client.end();
  }
}

export async function dropScratchDatabase(url: URL, name: string): Promise<void> {
  const client = await connect(url);
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Every ordinary table outside the system schemas, with its exact row count (count(*), not statistics). */
export async function countTables(url: URL, database: string): Promise<TableCount[]> {
  const client = await connect(url, database);
  try {
    const { rows } = await client.query<{ schema: string; name: string }>(
      `SELECT n.nspname AS schema, c.relname AS name
         FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
        ORDER BY 1, 2`,
    );
    const counts: TableCount[] = [];
    for (const { schema, name } of rows) {
      const result = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`,
      );
      counts.push({ schema, name, rows: Number(result.rows[0]?.n ?? 0) });
    }
    return counts;
  } finally {
    await client.end();
  }
}
