import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, postgresUnavailable, startPostgres } from './postgres.js';

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`skipping PostgreSQL fixture tests: ${unavailable}`);

describe.skipIf(unavailable)('PostgreSQL test server', () => {
  let pg: PostgresServer;
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => pg?.stop());

  it('runs SQL in a fresh database of its own', async () => {
    const db = await pg.createDatabase('fixture');
    await pg.query('create table t (id int); insert into t values (1), (2);', db);
    const rows = await pg.query<{ n: string }>('select count(*) as n from t', db);
    expect(rows[0]?.n).toBe('2');
    const other = await pg.createDatabase('fixture');
    expect(other).not.toBe(db);
    await expect(pg.query('select count(*) from t', other)).rejects.toThrow(/does not exist/);
  });
});
