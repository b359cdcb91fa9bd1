import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { expectedFromManifest, expectedFromSidecar } from '../../src/backup-verify/checksum.js';
import { connectionFor, parseToc, restoreArchive } from '../../src/backup-verify/pgtools.js';
import { PlainDumpScanner, skippedForRestore, tailIsComplete } from '../../src/backup-verify/plain.js';
import { backupTime, missingDays, timeFromName } from '../../src/backup-verify/schedule.js';
import type { Exec, ExecOptions } from '../../src/core/exec.js';

describe('backup time from the name', () => {
  it.each([
    ['backup_20240101.sql', '2024-01-01T00:00:00.000Z', false],
    ['eventchain-2024-03-05T02:30:00Z.dump', '2024-03-05T02:30:00.000Z', true],
    ['db_2024-03-05_0230.sql.gz', '2024-03-05T02:30:00.000Z', true],
    ['db-20240305T023015Z.dump', '2024-03-05T02:30:15.000Z', true],
    ['db-2024-03-05T02:30:00+02:00.dump', '2024-03-05T00:30:00.000Z', true],
  ])('%s → %s', (name, iso, hasTime) => {
    expect(timeFromName(name)).toEqual({ time: new Date(iso), hasTime });
  });

  it('ignores digits that are not a real date', () => {
    expect(timeFromName('backup_20240231.sql')).toBeUndefined();
    expect(timeFromName('backup_123.sql')).toBeUndefined();
    expect(timeFromName('shard_202401011.sql')).toBeUndefined();
  });

  it('a date-only name takes the mtime of that day, else the start of the day; no date: the mtime', () => {
    const sameDay = new Date('2024-01-01T01:15:00Z');
    expect(backupTime('backup_20240101.sql', sameDay)).toEqual({ time: sameDay, source: 'name-date+modified' });
    expect(backupTime('backup_20240101.sql', new Date('2024-02-10T00:00:00Z'))).toEqual({
      time: new Date('2024-01-01T00:00:00Z'),
      source: 'name-date',
    });
    expect(backupTime('latest.dump', sameDay)).toEqual({ time: sameDay, source: 'modified' });
  });
});

describe('retention window', () => {
  it('lists the whole UTC days before today that have no backup', () => {
    const now = new Date('2024-01-10T03:00:00Z');
    const times = ['2024-01-09T01:00:00Z', '2024-01-08T23:59:00Z', '2024-01-06T00:00:00Z', '2024-01-10T01:00:00Z'].map(
      (t) => new Date(t),
    );
    expect(missingDays(times, now, 5)).toEqual(['2024-01-05', '2024-01-07']);
    expect(missingDays([], now, 2)).toEqual(['2024-01-08', '2024-01-09']);
  });
});

describe('checksum files', () => {
  const sha = 'a'.repeat(64);
  it('reads sha256sum sidecars and manifests, and refuses a sidecar for another file', () => {
    expect(expectedFromSidecar(`${sha}  backup.sql\n`, 'backup.sql')).toBe(sha);
    expect(expectedFromSidecar(sha.toUpperCase(), 'backup.sql')).toBe(sha);
    expect(() => expectedFromSidecar(`${sha}  other.sql`, 'backup.sql')).toThrow(/for "other.sql"/);
    expect(() => expectedFromSidecar('not a hash', 'backup.sql')).toThrow(/64 hex digits/);
    expect(expectedFromManifest(`${'b'.repeat(64)}  a.sql\n${sha} *./backup.sql\n`, 'backup.sql')).toBe(sha);
    expect(expectedFromManifest(`${sha}  a.sql\n`, 'backup.sql')).toBeUndefined();
  });
});

describe('pg_restore --list parsing and connections', () => {
  it('finds tables, table data and header fields', () => {
    const toc = parseToc(
      [
        '; Archive created at 2026-11-26 19:15:30 UTC',
        ';     Compression: -1',
        ';     Dumped from database version: 15.18 (Debian 15.18-0+deb12u1)',
        '214; 1259 16384 TABLE public orders app',
        '3344; 0 16384 TABLE DATA public orders app',
        '3201; 2606 16390 CONSTRAINT public orders orders_pkey app',
      ].join('\n'),
    );
    expect(toc.header['Archive created']).toBe('2026-11-26 19:15:30 UTC');
    expect(toc.header['Dumped from database version']).toMatch(/^15\.18/);
    expect(toc.entries.filter((e) => e.kind.startsWith('TABLE'))).toEqual([
      { id: 214, kind: 'TABLE', schema: 'public', name: 'orders' },
      { id: 3344, kind: 'TABLE DATA', schema: 'public', name: 'orders' },
    ]);
  });

  it('runs pg_restore with an argument array whose connection has no password; the password goes in PGPASSWORD', async () => {
    const calls: { argv: readonly string[]; options?: ExecOptions }[] = [];
    const exec: Exec = async (argv, options) => {
      calls.push({ argv, ...(options ? { options } : {}) });
      return {
        command: argv.join(' '),
        exitCode: 0,
        signal: null,
        stdout: '',
        stderr: '',
        timedOut: false,
        aborted: false,
        truncated: false,
        durationMs: 5,
      };
    };
    const target = connectionFor(new URL('postgresql://ops:Secret-Pw1@db.internal:6432/postgres'), 'backup_verify_x');
    await restoreArchive({ exec, binDir: '/opt/pg/bin', timeoutMs: 60_000 }, '/backups/a b.dump', target);
    expect(calls).toEqual([
      {
        argv: [
          '/opt/pg/bin/pg_restore',
          '--exit-on-error',
          '--no-owner',
          '--no-privileges',
          '-d',
          'postgresql://ops@db.internal:6432/backup_verify_x',
          '/backups/a b.dump',
        ],
        options: { timeoutMs: 60_000, env: { PGPASSWORD: 'Secret-Pw1' } },
      },
    ]);
  });

  it('moves the password out of the URL into PGPASSWORD', () => {
    const c = connectionFor(new URL('postgres://app:p%40ss@db:5432/postgres?sslmode=require'), 'scratch_1');
    expect(c).toEqual({ dsn: 'postgres://app@db:5432/scratch_1?sslmode=require', env: { PGPASSWORD: 'p@ss' } });
  });
});

/** Feeds `text` to the scanner in chunks of `size` bytes; returns what it let through. */
async function scan(text: string, forRestore = false, size = 7) {
  const scanner = new PlainDumpScanner(forRestore);
  const out: Buffer[] = [];
  const bytes = Buffer.from(text);
  const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
    bytes.subarray(i * size, (i + 1) * size),
  );
  await pipeline(
    Readable.from(chunks),
    scanner,
    new Writable({
      write(chunk: Buffer, _e, cb) {
        out.push(chunk);
        cb();
      },
    }),
  );
  return { result: scanner.result(), output: Buffer.concat(out).toString() };
}

const DUMP = [
  '--',
  '-- PostgreSQL database dump',
  '--',
  '',
  '\\restrict k3y',
  'CREATE TABLE public.orders (',
  '    id integer',
  ');',
  'ALTER TABLE public.orders OWNER TO app_owner;',
  'COPY public.orders (id, note) FROM stdin;',
  '1\t\\N',
  `2\t${'x'.repeat(10_000)}`,
  '\\.',
  'COPY public."Order Items" (id) FROM stdin;',
  '\\.',
  'GRANT SELECT ON TABLE public.orders TO reader;',
  '--',
  '-- PostgreSQL database dump complete',
  '--',
  '',
  '\\unrestrict k3y',
  '',
].join('\n');

describe('plain dump scanner', () => {
  it('counts COPY rows (long lines included) and passes the text through unchanged for read', async () => {
    const { result, output } = await scan(DUMP);
    expect(result.tables).toEqual(
      new Map([
        ['public.orders', 2],
        ['public.Order Items', 0],
      ]),
    );
    expect(result.created).toEqual(new Set(['public.orders']));
    expect(result.restrictKey).toBe('k3y');
    expect(output).toBe(DUMP);
  });

  it('leaves out owner and privilege statements for a restore, and nothing else', async () => {
    const { output } = await scan(DUMP, true, 5);
    expect(output).toBe(
      DUMP.replace('ALTER TABLE public.orders OWNER TO app_owner;\n', '').replace(
        'GRANT SELECT ON TABLE public.orders TO reader;\n',
        '',
      ),
    );
    expect(skippedForRestore('\\connect eventchain_prod')).toBe(true);
    expect(skippedForRestore("CREATE DATABASE x WITH TEMPLATE = template0 ENCODING = 'UTF8';")).toBe(true);
    expect(skippedForRestore('ALTER TABLE ONLY public.t ADD CONSTRAINT t_pkey PRIMARY KEY (id);')).toBe(false);
  });

  it.each([
    ['inside COPY data', DUMP.slice(0, DUMP.indexOf('\\.\nCOPY')), /table public\.orders .* has no end marker/],
    [
      'before the completion line',
      DUMP.slice(0, DUMP.indexOf('--\n-- PostgreSQL database dump complete')),
      /no "-- PostgreSQL database dump complete" line/,
    ],
    [
      'before \\unrestrict',
      DUMP.slice(0, DUMP.indexOf('\\unrestrict')),
      /\\restrict at the start has no matching \\unrestrict/,
    ],
    ['inside the last line', DUMP.slice(0, DUMP.length - 3), /does not match the \\restrict key/],
  ])('fails a dump cut %s', async (_where, text, message) => {
    await expect(scan(text)).rejects.toThrow(message);
  });

  it('fails content appended after the completion line', async () => {
    await expect(scan(`${DUMP}SELECT 1;\n`)).rejects.toThrow(/unexpected content after the completion line/);
  });

  it('recognises a complete tail for level list', () => {
    expect(tailIsComplete(DUMP, true)).toBe(true);
    expect(tailIsComplete(DUMP.slice(0, DUMP.indexOf('\\unrestrict')), true)).toBe(false);
    expect(tailIsComplete('...\n-- PostgreSQL database dump complete\n--\n\n', false)).toBe(true);
    expect(tailIsComplete('...\nCOPY public.t (id) FROM stdin;\n1\n', false)).toBe(false);
  });
});
