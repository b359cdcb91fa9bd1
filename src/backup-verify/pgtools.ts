import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { describeFailure, type Exec, type ExecResult, lastLines } from '../core/exec.js';
import { BackupDamaged } from './format.js';

/** How pg_restore / psql are run: which binaries, under which deadline. */
export interface PgTools {
  exec: Exec;
  /** Folder of pg_restore and psql; empty: found on PATH. */
  binDir?: string | undefined;
  timeoutMs: number;
}

export interface TocEntry {
  id: number;
  kind: string;
  schema: string;
  name: string;
}

export interface ArchiveToc {
  entries: TocEntry[];
  /** From the archive header: `Archive created at …`, `Dumped from database version: …`, `Compression: …`. */
  header: Record<string, string>;
}

/** A libpq connection without its password on the command line: the password travels in PGPASSWORD. */
export interface Connection {
  /** For `-d`: the URL with the password taken out. */
  dsn: string;
  env: Record<string, string>;
}

export function connectionFor(url: URL, database?: string): Connection {
  const bare = new URL(url.toString());
  const env: Record<string, string> = {};
  if (bare.password) env.PGPASSWORD = decodeURIComponent(bare.password);
  bare.password = '';
  const password = bare.searchParams.get('password');
  if (password !== null) {
    env.PGPASSWORD = password;
    bare.searchParams.delete('password');
  }
  if (database !== undefined) bare.pathname = `/${encodeURIComponent(database)}`;
  return { dsn: bare.toString(), env };
}

function tool(tools: PgTools, name: 'pg_restore' | 'psql'): string {
  return tools.binDir ? join(tools.binDir, name) : name;
}

/** `pg_restore --list`: reads only the header and the table of contents (the weak check). */
export async function listArchive(tools: PgTools, path: string): Promise<ArchiveToc> {
  // The whole listing is needed (its header comes first): room for a schema of some 400k objects.
  const result = await tools.exec([tool(tools, 'pg_restore'), '--list', path], {
    timeoutMs: tools.timeoutMs,
    maxOutputBytes: 32 * 1024 * 1024,
  });
  if (result.truncated)
    throw new Error('pg_restore --list printed more than 32 MiB: the table of contents is too large to check');
  failOnError(result, 'reading the table of contents');
  return parseToc(result.stdout);
}

export function parseToc(text: string): ArchiveToc {
  const header: Record<string, string> = {};
  const entries: TocEntry[] = [];
  for (const line of text.split('\n')) {
    const meta = /^;\s+([A-Za-z][A-Za-z ]*?)(?::| at)\s+(.*)$/.exec(line);
    if (meta) {
      header[(meta[1] as string).trim()] = (meta[2] as string).trim();
      continue;
    }
    const entry = /^(\d+); \d+ \d+ (TABLE DATA|TABLE|[A-Z][A-Z ]*?) (\S+) (.+) (\S+)$/.exec(line);
    if (entry)
      entries.push({
        id: Number(entry[1]),
        kind: entry[2] as string,
        schema: entry[3] as string,
        name: entry[4] as string,
      });
  }
  return { entries, header };
}

/** `pg_restore -f /dev/null`: reads and decompresses every data block without a database. */
export async function readArchive(tools: PgTools, path: string): Promise<void> {
  const result = await tools.exec([tool(tools, 'pg_restore'), '-f', '/dev/null', path], { timeoutMs: tools.timeoutMs });
  failOnError(result, 'reading every data block');
}

/** Restores an archive with every error fatal; ownership and privileges left out (the scratch server has other roles). */
export async function restoreArchive(tools: PgTools, path: string, target: Connection): Promise<ExecResult> {
  const result = await tools.exec(
    [tool(tools, 'pg_restore'), '--exit-on-error', '--no-owner', '--no-privileges', '-d', target.dsn, path],
    { timeoutMs: tools.timeoutMs, env: target.env },
  );
  failOnError(result, 'restoring into the scratch database');
  return result;
}

/** Feeds SQL text (streamed, never held in memory) to psql, stopping at the first error. */
export async function restorePlain(tools: PgTools, sql: Readable, target: Connection): Promise<ExecResult> {
  const result = await tools.exec(
    [tool(tools, 'psql'), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', target.dsn, '-f', '-'],
    { timeoutMs: tools.timeoutMs, env: target.env, stdinStream: sql, maxOutputBytes: 64 * 1024 },
  );
  failOnError(result, 'restoring into the scratch database');
  if (result.stdinError) throw new Error(`feeding the dump to psql failed: ${result.stdinError}`);
  return result;
}

function failOnError(result: ExecResult, doing: string): void {
  if (result.spawnError) throw new Error(`${result.spawnError} (install the PostgreSQL client, or set pg-bin-dir)`);
  if (result.timedOut)
    throw new BackupDamaged(
      `${doing} did not finish within the deadline (${Math.round(result.durationMs / 1000)}s)`,
      'raise the timeout input if the backup is that large; a damaged tar dump can also make pg_restore spin',
    );
  if (result.exitCode !== 0) {
    const tail = lastLines(result.stderr || result.stdout, 8);
    throw new BackupDamaged(`${doing} failed: ${tail || describeFailure(result)}`, hintFor(tail));
  }
}

function hintFor(stderr: string): string {
  if (/unsupported version|too old|newer than/i.test(stderr))
    return 'the client is older than the pg_dump that made the dump: install a newer PostgreSQL client or set pg-bin-dir';
  if (/role .* does not exist|permission denied|must be owner/i.test(stderr))
    return 'the scratch server lacks a role or privilege the dump needs; use a superuser on a throwaway server (services: postgres)';
  if (/could not connect|connection to server|password authentication/i.test(stderr))
    return 'check scratch-database-url: the scratch server must be reachable from the runner';
  if (/extension|could not open extension control file/i.test(stderr))
    return 'the scratch server lacks an extension the dump uses: use an image that ships it';
  return 'the backup is damaged or incomplete: make a new one, and restore from an older verified backup if you need it now';
}
