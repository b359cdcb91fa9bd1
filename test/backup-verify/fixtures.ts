import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { PostgresServer } from '../support/postgres.js';

/** Rows the test database holds, per table, as count(*) reports them after a restore. */
export const SHOP_ROWS = {
  'public.customers': 100,
  'public.orders': 3000,
  'public.Order Items': 5,
  'public.empty_table': 0,
};
export const SHOP_TOTAL = 3105;

export type DumpSet = Record<'custom' | 'tar' | 'directory' | 'plain' | 'plain-gzip' | 'customUncompressed', string>;

/**
 * A small database with what production dumps have: a foreign key, a quoted table name, an empty table,
 * a table owned by a role that the scratch server will not have (dropped after dumping), and a grant.
 */
export async function makeShopDumps(pg: PostgresServer, dir: string): Promise<DumpSet> {
  const db = await pg.createDatabase('shop');
  await pg.query(
    `DO $$ BEGIN CREATE ROLE app_owner; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
     CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
     INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 100) g;
     CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers, note text);
     INSERT INTO orders SELECT g, 1 + g % 100, md5(g::text) || E'\\ttab and \\\\ backslash' FROM generate_series(1, 3000) g;
     CREATE TABLE "Order Items" (id int);
     INSERT INTO "Order Items" SELECT generate_series(1, 5);
     CREATE TABLE empty_table (id int);
     ALTER TABLE orders OWNER TO app_owner;
     GRANT SELECT ON customers TO app_owner;`,
    db,
  );
  const dump = (args: string[]) =>
    execFileSync(join(pg.binDir, 'pg_dump'), [...args, '-d', pg.url(db)], { stdio: 'pipe' });
  mkdirSync(dir, { recursive: true });
  const files: DumpSet = {
    custom: join(dir, 'shop.dump'),
    tar: join(dir, 'shop.tar'),
    directory: join(dir, 'shop.dir'),
    plain: join(dir, 'shop.sql'),
    'plain-gzip': join(dir, 'shop.sql.gz'),
    customUncompressed: join(dir, 'shop-z0.dump'),
  };
  dump(['-Fc', '-f', files.custom]);
  dump(['-Ft', '-f', files.tar]);
  dump(['-Fd', '-f', files.directory]);
  dump(['-Fp', '-f', files.plain]);
  dump(['-Fc', '-Z0', '-f', files.customUncompressed]);
  writeFileSync(files['plain-gzip'], gzipSync(readFileSync(files.plain)));
  // The scratch server (the same one here) must not have the owner role: restores have to cope without it.
  await pg.query('ALTER TABLE orders OWNER TO postgres; REVOKE ALL ON customers FROM app_owner;', db);
  await pg.query('DROP ROLE app_owner');
  return files;
}

/** A copy of `file` cut to `bytes` (negative: that many bytes from the end). */
export function cut(file: string, to: string, bytes: number): string {
  copyFileSync(file, to);
  const size = readFileSync(file).length;
  truncateSync(to, bytes < 0 ? size + bytes : bytes);
  return to;
}

/** A copy of `file` with 16 bytes overwritten at `fraction` of its length. */
export function corrupt(file: string, to: string, fraction: number): string {
  const bytes = readFileSync(file);
  const at = Math.floor(bytes.length * fraction);
  for (let i = 0; i < 16; i++) bytes[at + i] = (bytes[at + i] as number) ^ 0x5a;
  writeFileSync(to, bytes);
  return to;
}

export function copyDir(from: string, to: string): string {
  cpSync(from, to, { recursive: true });
  return to;
}
