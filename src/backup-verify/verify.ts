import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream';
import { formatDuration } from '../core/duration.js';
import { ActionFailure } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import {
  type ChecksumMode,
  expectedFromManifest,
  expectedFromSidecar,
  MANIFEST_NAMES,
  SIDECAR_SUFFIXES,
  sha256File,
  sidecarText,
} from './checksum.js';
import { BackupDamaged, type BackupFormat, detectFormat } from './format.js';
import {
  type ArchiveToc,
  connectionFor,
  listArchive,
  type PgTools,
  readArchive,
  restoreArchive,
  restorePlain,
} from './pgtools.js';
import {
  gzipProblem,
  openPlainText,
  PlainDumpScanner,
  type PlainScan,
  plainEndsComplete,
  scanPlainDump,
} from './plain.js';
import { countTables, createScratchDatabase, dropScratchDatabase, type TableCount } from './scratch.js';
import type { Candidate, Materialized } from './source.js';
import { walkTar } from './tar.js';

export const LEVELS = ['list', 'read', 'restore'] as const;
export type Level = (typeof LEVELS)[number];

export interface Check {
  name: string;
  /** How it was checked: the command or method, so the evidence says what a pass is worth. */
  how: string;
  result: 'passed' | 'failed' | 'skipped';
  detail: string;
}

export interface Expectations {
  /** `schema.table`, or `table` for public.table. */
  tables: string[];
  minRows: Record<string, number>;
}

export interface BackupReport {
  name: string;
  location: string;
  kind: Candidate['kind'];
  sizeBytes: number;
  /** When the backup was made (see schedule.ts) and where that came from. */
  time: string;
  timeSource: string;
  ageSeconds: number;
  level: Level;
  format?: BackupFormat;
  ok: boolean;
  problem?: string;
  hint?: string;
  checks: Check[];
  sha256?: string;
  tables?: number;
  rows?: number;
  tableRows?: Record<string, number>;
  restoreSeconds?: number;
  /** From an archive's header: when pg_dump made it, from which server version. */
  archive?: Record<string, string>;
}

export interface VerifyOptions {
  level: Level;
  checksum: ChecksumMode;
  tools: PgTools;
  /** The scratch server for `restore`. */
  scratch?: URL | undefined;
  expectations: Expectations;
  rtoMs: number;
  tempDir: string;
  now: Date;
  log: Logger;
}

const WEAK = 'weak: reads only the header and table of contents, not the data';

/** Verifies one backup; the report says what was checked and how. Damage is reported, not thrown. */
export async function verifyBackup(candidate: Candidate, options: VerifyOptions): Promise<BackupReport> {
  const report: BackupReport = {
    name: candidate.name,
    location: candidate.location,
    kind: candidate.kind,
    sizeBytes: candidate.sizeBytes,
    time: candidate.when.time.toISOString(),
    timeSource: candidate.when.source,
    ageSeconds: Math.max(0, Math.round((options.now.getTime() - candidate.when.time.getTime()) / 1000)),
    level: options.level,
    ok: false,
    checks: [],
  };
  const step = async <T>(
    name: string,
    how: string,
    run: () => Promise<T>,
    detail: (value: T) => string,
  ): Promise<T> => {
    try {
      const value = await run();
      report.checks.push({ name, how, result: 'passed', detail: detail(value) });
      return value;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      report.checks.push({ name, how, result: 'failed', detail: message });
      throw error;
    }
  };
  const skip = (name: string, how: string, detail: string) =>
    report.checks.push({ name, how, result: 'skipped', detail });

  try {
    const local = await step(
      'fetch',
      candidate.location.startsWith('s3://') ? 'streamed download to a temp file' : 'local file',
      () => candidate.materialize(options.tempDir),
      (m) => m.note ?? m.path,
    );
    const format = await step(
      'format',
      'magic bytes',
      () => detectFormat(local.path),
      (f) => f,
    );
    report.format = format;
    await checksumStep(candidate, local, options.checksum, report, step, skip);
    const known = await levelSteps(format, local.path, options, report, step, skip);
    expectationSteps(known, options, report, skip);
    report.ok = true;
  } catch (error) {
    if (error instanceof BackupDamaged || error instanceof ActionFailure) {
      report.problem = error.message;
      if (error.hint) report.hint = error.hint;
    } else throw error;
  }
  return report;
}

type Step = <T>(name: string, how: string, run: () => Promise<T>, detail: (value: T) => string) => Promise<T>;
type Skip = (name: string, how: string, detail: string) => void;

async function checksumStep(
  candidate: Candidate,
  local: Materialized,
  mode: ChecksumMode,
  report: BackupReport,
  step: Step,
  skip: Skip,
): Promise<void> {
  if (local.sha256) report.sha256 = local.sha256;
  if (mode === 'off') return skip('checksum', 'SHA-256', 'checksum input is off');
  if (candidate.kind === 'directory')
    return skip('checksum', 'SHA-256', 'checksums are verified for single files; a directory-format dump has none');
  const expected = await findExpected(candidate);
  if (!expected) {
    if (mode === 'require')
      await step(
        'checksum',
        'SHA-256 against a sidecar or manifest',
        async () => {
          throw new BackupDamaged(
            `no checksum: neither ${candidate.name}.sha256 nor a SHA256SUMS entry for it`,
            'write one when the backup is made (sha256sum file > file.sha256), or set checksum: auto',
          );
        },
        () => '',
      );
    if (mode === 'write' && candidate.writeSibling) {
      const write = candidate.writeSibling;
      await step(
        'checksum',
        'SHA-256 written to a sidecar',
        async () => {
          const sha256 = local.sha256 ?? (await sha256File(local.path));
          report.sha256 = sha256;
          return write(`${candidate.name}.sha256`, sidecarText(sha256, candidate.name));
        },
        (file) => `no checksum was there: wrote ${file}`,
      );
      return;
    }
    return skip('checksum', 'SHA-256', `no ${candidate.name}.sha256 or SHA256SUMS entry`);
  }
  await step(
    'checksum',
    `SHA-256 against ${expected.from}`,
    async () => {
      const actual = local.sha256 ?? (await sha256File(local.path));
      report.sha256 = actual;
      if (actual !== expected.sha256)
        throw new BackupDamaged(
          `SHA-256 mismatch: ${expected.from} says ${expected.sha256}, the file has ${actual}`,
          'the file changed after its checksum was written (damaged in storage or transfer, or overwritten): use another backup',
        );
      return actual;
    },
    (sha) => `matches (${sha})`,
  );
}

async function findExpected(candidate: Candidate): Promise<{ sha256: string; from: string } | undefined> {
  for (const suffix of SIDECAR_SUFFIXES) {
    const text = await candidate.readSibling(`${candidate.name}${suffix}`);
    if (text === undefined) continue;
    try {
      return { sha256: expectedFromSidecar(text, candidate.name), from: `${candidate.name}${suffix}` };
    } catch (error) {
      throw new BackupDamaged(
        `${candidate.name}${suffix}: ${(error as Error).message}`,
        'write the sidecar with sha256sum',
      );
    }
  }
  for (const manifest of MANIFEST_NAMES) {
    const text = await candidate.readSibling(manifest);
    const sha256 = text === undefined ? undefined : expectedFromManifest(text, candidate.name);
    if (sha256) return { sha256, from: manifest };
  }
  return undefined;
}

/** What a level found out about the tables: names, and rows where they were counted. */
interface Known {
  tables: Set<string>;
  rows?: Map<string, number>;
}

async function levelSteps(
  format: BackupFormat,
  path: string,
  options: VerifyOptions,
  report: BackupReport,
  step: Step,
  skip: Skip,
): Promise<Known> {
  const { level, tools } = options;
  const plain = format === 'plain' || format === 'plain-gzip';
  const gzip = format === 'plain-gzip';

  if (plain && level === 'list') {
    if (gzip) {
      skip('completeness', `header only (${WEAK}); use level read to decompress it all`, 'header found');
      return { tables: new Set() };
    }
    await step(
      'completeness',
      `last 4 KiB: completion line and \\unrestrict (${WEAK})`,
      async () => {
        if (!(await plainEndsComplete(path)))
          throw new BackupDamaged(
            'cut short: the file does not end with "-- PostgreSQL database dump complete"',
            'the dump ended early (disk full, killed, connection lost): make a new backup',
          );
      },
      () => 'ends as pg_dump ends a dump',
    );
    return { tables: new Set() };
  }

  if (plain) {
    const scan = await step(
      'read',
      `every line${gzip ? ' through gunzip (CRC and length checked)' : ''}: COPY blocks closed, \\restrict paired, completion line present`,
      () => scanPlainDump(path, gzip),
      (s) => `${s.lines} lines, ${s.bytes} bytes of SQL, ${s.tables.size} tables with data, ${sum(s.tables)} rows`,
    );
    const known = plainKnown(scan);
    setTables(report, known);
    if (level === 'read') return known;
    const restored = await restoreStep(
      options,
      report,
      step,
      async (target) => {
        const scanner = new PlainDumpScanner(true);
        const sql = pipeline(openPlainText(path, gzip), scanner, () => {});
        const result = await restorePlain(tools, sql, target).catch((error: unknown) => {
          throw error instanceof BackupDamaged ? error : gzipProblem(error);
        });
        return result.durationMs;
      },
      'psql -v ON_ERROR_STOP=1 (owner, privilege and database statements left out, as pg_restore --no-owner --no-privileges does)',
    );
    await step(
      'rows',
      'restored count(*) per table against the COPY rows in the dump',
      async () => {
        const mismatches = [...scan.tables].flatMap(([table, rows]) => {
          const got = restored.get(table);
          return got === rows ? [] : [`${table}: dump has ${rows}, restored ${got ?? 'no table'}`];
        });
        if (mismatches.length)
          throw new BackupDamaged(
            `restored row counts differ from the dump: ${mismatches.join('; ')}`,
            'the dump is damaged',
          );
      },
      () => `${scan.tables.size} tables match`,
    );
    return { tables: new Set(restored.keys()), rows: restored };
  }

  if (format === 'tar' && level !== 'list')
    await step(
      'structure',
      'tar headers, checksums, member sizes and end-of-archive blocks',
      () => walkTar(path),
      (m) => `${m.length} members`,
    );
  const listing = step(
    'table of contents',
    level === 'list' ? `pg_restore --list (${WEAK})` : 'pg_restore --list',
    () => listArchive(tools, path),
    (t) => `${t.entries.length} entries, ${dataEntries(t).length} tables with data`,
  );
  // At read, both passes run at once: --list reads only the table of contents, so this costs no extra time.
  const reading =
    level === 'read'
      ? step(
          'read',
          'pg_restore -f /dev/null: every data block read and decompressed',
          () => readArchive(tools, path),
          () => 'all data blocks read',
        )
      : undefined;
  const [listed, read] = await Promise.allSettled([listing, reading]);
  if (listed.status === 'rejected') throw listed.reason;
  if (read.status === 'rejected') throw read.reason;
  const toc = listed.value;
  report.archive = pick(toc.header, [
    'Archive created',
    'Dumped from database version',
    'Dumped by pg_dump version',
    'Compression',
    'dbname',
  ]);
  const known: Known = {
    tables: new Set(toc.entries.filter((e) => e.kind === 'TABLE').map((e) => `${e.schema}.${e.name}`)),
  };
  setTables(report, known);
  if (level !== 'restore') return known;
  const restored = await restoreStep(
    options,
    report,
    step,
    async (target) => (await restoreArchive(tools, path, target)).durationMs,
    'pg_restore --exit-on-error --no-owner --no-privileges',
  );
  await step(
    'tables',
    'every table with data in the table of contents exists after the restore',
    async () => {
      const missing = dataEntries(toc)
        .map((e) => `${e.schema}.${e.name}`)
        .filter((t) => !restored.has(t));
      if (missing.length)
        throw new BackupDamaged(`tables in the dump but not restored: ${missing.join(', ')}`, 'the dump is damaged');
    },
    () => `${dataEntries(toc).length} tables present`,
  );
  return { tables: new Set(restored.keys()), rows: restored };
}

/** Creates a fresh database, restores into it (timed), counts every table, drops it. */
async function restoreStep(
  options: VerifyOptions,
  report: BackupReport,
  step: Step,
  restore: (target: ReturnType<typeof connectionFor>) => Promise<number>,
  how: string,
): Promise<Map<string, number>> {
  const scratch = options.scratch;
  if (!scratch) throw new Error('level restore needs a scratch database (checked with the inputs)');
  const database = `backup_verify_${options.now.toISOString().slice(0, 10).replace(/-/g, '')}_${randomBytes(4).toString('hex')}`;
  await step(
    'scratch database',
    'CREATE DATABASE on the scratch server',
    () => createScratchDatabase(scratch, database),
    () => database,
  );
  try {
    const ms = await step(
      'restore',
      how,
      () => restore(connectionFor(scratch, database)),
      (ms) => `took ${formatDuration(ms)}`,
    );
    report.restoreSeconds = Math.round(ms) / 1000;
    await step(
      'restore time',
      'measured restore time against the RTO (backups.rto)',
      async () => {
        if (ms > options.rtoMs)
          throw new BackupDamaged(
            `the restore took ${formatDuration(ms)}, longer than the RTO of ${formatDuration(options.rtoMs)}`,
            'a real recovery would miss its objective: restore in parallel (pg_restore -j with -Fd/-Fc), or revisit the RTO',
          );
      },
      () => `${formatDuration(ms)} ≤ RTO ${formatDuration(options.rtoMs)}`,
    );
    const counts = await step(
      'count',
      'count(*) of every table in the restored database',
      () => countTables(scratch, database),
      (c) => `${c.length} tables, ${c.reduce((n, t) => n + t.rows, 0)} rows`,
    );
    const rows = new Map(counts.map((t: TableCount) => [`${t.schema}.${t.name}`, t.rows]));
    report.tables = rows.size;
    report.rows = sum(rows);
    report.tableRows = Object.fromEntries(rows);
    return rows;
  } finally {
    await dropScratchDatabase(scratch, database).catch((error: Error) =>
      options.log.warning(`could not drop the scratch database ${database}: ${error.message}`),
    );
  }
}

function expectationSteps(known: Known, options: VerifyOptions, report: BackupReport, skip: Skip): void {
  const { tables, minRows } = options.expectations;
  const qualify = (t: string) => (t.includes('.') ? t : `public.${t}`);
  if (tables.length) {
    if (
      known.tables.size === 0 &&
      report.level === 'list' &&
      (report.format === 'plain' || report.format === 'plain-gzip')
    )
      skip(
        'expected tables',
        'policy backups.expectations.tables',
        'not checked at level list for a plain dump (use read or restore)',
      );
    else {
      const missing = tables.map(qualify).filter((t) => !known.tables.has(t));
      const how = `policy backups.expectations.tables, against ${known.rows ? 'the restored database' : 'the dump'}`;
      if (missing.length) {
        report.checks.push({
          name: 'expected tables',
          how,
          result: 'failed',
          detail: `missing: ${missing.join(', ')}`,
        });
        throw new BackupDamaged(
          `tables the policy expects are missing: ${missing.join(', ')}`,
          'the backup does not hold what production holds: check what pg_dump was told to dump (-t/-n/-T)',
        );
      }
      report.checks.push({ name: 'expected tables', how, result: 'passed', detail: `${tables.length} present` });
    }
  }
  const entries = Object.entries(minRows);
  if (!entries.length) return;
  if (!known.rows) {
    skip(
      'minimum rows',
      'policy backups.expectations.minRows',
      `rows are counted at level restore${report.format?.startsWith('plain') ? ' or read' : ''}`,
    );
    return;
  }
  const low = entries.flatMap(([table, min]) => {
    const got = known.rows?.get(qualify(table));
    return got !== undefined && got >= min ? [] : [`${qualify(table)}: ${got ?? 'no table'} < ${min}`];
  });
  const how = `policy backups.expectations.minRows, against ${report.level === 'restore' ? 'count(*) after the restore' : 'COPY rows in the dump'}`;
  if (low.length) {
    report.checks.push({ name: 'minimum rows', how, result: 'failed', detail: low.join('; ') });
    throw new BackupDamaged(
      `fewer rows than the policy expects: ${low.join('; ')}`,
      'the backup is of an empty or wrong database',
    );
  }
  report.checks.push({
    name: 'minimum rows',
    how,
    result: 'passed',
    detail: `${entries.length} tables at or above their minimum`,
  });
}

function plainKnown(scan: PlainScan): Known {
  return { tables: new Set([...scan.created, ...scan.tables.keys()]), rows: scan.tables };
}

function setTables(report: BackupReport, known: Known): void {
  report.tables = known.tables.size;
  if (known.rows) {
    report.rows = sum(known.rows);
    report.tableRows = Object.fromEntries(known.rows);
  }
}

function dataEntries(toc: ArchiveToc) {
  return toc.entries.filter((e) => e.kind === 'TABLE DATA');
}

function sum(map: Map<string, number>): number {
  let total = 0;
  for (const n of map.values()) total += n;
  return total;
}

function pick(record: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.flatMap((k) => (record[k] !== undefined ? [[k, record[k] as string]] : [])));
}
