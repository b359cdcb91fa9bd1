import { ActionFailure, errorMessage } from '../core/errors.js';

/** The few things the action asks of a database connection; tests and the logic share this shape. */
export interface Database {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * Connects with `pg`, loaded on this code path only (cold start). A failure to connect is the user's
 * to fix: it names the host (credentials masked) and what the server or network said.
 */
export async function connect(url: URL, options: { timeoutMs?: number } = {}): Promise<Database> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    connectionString: url.href,
    connectionTimeoutMillis: options.timeoutMs ?? 10_000,
    application_name: 'runbook-db-migrate',
  });
  // An idle connection dropped by the server must not crash the process between queries.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw new ActionFailure(
      `database unreachable at ${describeDatabase(url)}: ${describeConnectError(error)}`,
      'check the database-url input (host, port, database name, credentials) and that the job can reach the server, e.g. a services: postgres container with its port mapped',
    );
  }
  return {
    async query<T>(sql: string, params?: unknown[]) {
      const result = await client.query(sql, params);
      return result.rows as T[];
    },
    close: () => client.end(),
  };
}

/**
 * Where the database is, without credentials: host, port, database and user. Not the URL itself, even
 * with its password masked (describeUrl): input.secretUrl masks the whole URL, so a URL without a
 * password would print as *** and hide the host the user needs to see.
 */
export function describeDatabase(url: URL): string {
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
  const user = url.username ? `, user ${decodeURIComponent(url.username)}` : '';
  return `host ${url.hostname}:${url.port || '5432'}, database ${database}${user}`;
}

function describeConnectError(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { errors?: Error[] };
  // Node's happy-eyeballs connect gives an AggregateError with an empty message.
  const message = errorMessage(error) || e.errors?.map((x) => x.message).join('; ') || e.code || 'connection failed';
  return e.code && !message.includes(e.code) ? `${e.code} ${message}` : message;
}
