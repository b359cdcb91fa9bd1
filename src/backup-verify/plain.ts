import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { type Readable, Transform, type TransformCallback, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { BackupDamaged } from './format.js';

const TRAILER = '-- PostgreSQL database dump complete';
const IDENTIFIER = '(?:"(?:[^"]|"")*"|[^\\s."]+)';
const CREATE_TABLE = new RegExp(`^CREATE (?:UNLOGGED )?TABLE (${IDENTIFIER}(?:\\.${IDENTIFIER})?) \\($`);
/** Lines longer than this are never classified beyond their start (COPY rows may be huge). */
const PREFIX_MAX = 4096;

export interface PlainScan {
  /** Rows per table, from the COPY blocks (tables dumped with --inserts are not counted). */
  tables: Map<string, number>;
  /** Every table the dump creates (CREATE TABLE), with data or not. */
  created: Set<string>;
  lines: number;
  /** Bytes of SQL text (after gunzip). */
  bytes: number;
  restrictKey?: string;
}

/**
 * Follows a plain pg_dump line by line, in bounded memory: COPY blocks (each must end with `\.`),
 * the `\restrict` / `\unrestrict` pair of recent pg_dump, and the completion trailer. With
 * `forRestore`, the statements that pg_restore would skip with --no-owner --no-privileges (and
 * without --create) are dropped from the output, so a dump of production restores into a scratch
 * server whose roles differ; everything else passes through unchanged.
 */
export class PlainDumpScanner extends Transform {
  readonly tables = new Map<string, number>();
  readonly created = new Set<string>();
  lines = 0;
  bytes = 0;
  restrictKey: string | undefined;
  private unrestricted = false;
  private trailerLine = 0;
  private afterTrailer: string | undefined;
  private copyTable: string | undefined;
  private copyRows = 0;
  private copyStartLine = 0;
  /** Start of the current line when it spans chunks (held back while it may still be dropped). */
  private pending: Buffer[] = [];
  private pendingSize = 0;
  /** The current line is longer than PREFIX_MAX: already passed through, classified by `longPrefix`. */
  private longPrefix: Buffer | undefined;

  constructor(private readonly forRestore = false) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) break;
      this.endLine(chunk, start, nl + 1);
      start = nl + 1;
    }
    if (start < chunk.length) this.continueLine(chunk.subarray(start));
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.pendingSize > 0 || this.longPrefix) this.endLine(Buffer.alloc(0), 0, 0);
    try {
      this.finish();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  /** Part of a line with no newline yet. */
  private continueLine(part: Buffer): void {
    if (this.longPrefix) {
      this.push(part);
      return;
    }
    this.pending.push(Buffer.from(part));
    this.pendingSize += part.length;
    if (this.pendingSize > PREFIX_MAX) {
      const whole = Buffer.concat(this.pending);
      this.longPrefix = whole.subarray(0, PREFIX_MAX);
      this.push(whole);
      this.pending = [];
      this.pendingSize = 0;
    }
  }

  /** Completes the current line with chunk[start, end) (end includes the newline). */
  private endLine(chunk: Buffer, start: number, end: number): void {
    this.lines++;
    if (this.longPrefix) {
      this.classify(this.longPrefix.toString('utf8'), false);
      this.longPrefix = undefined;
      this.push(chunk.subarray(start, end));
      return;
    }
    let line: Buffer;
    if (this.pendingSize > 0) {
      line = Buffer.concat([...this.pending, chunk.subarray(start, end)]);
      this.pending = [];
      this.pendingSize = 0;
    } else line = chunk.subarray(start, end);
    const keep = this.classify(
      line
        .subarray(0, PREFIX_MAX)
        .toString('utf8')
        .replace(/\r?\n$/, ''),
      true,
    );
    if (keep || !this.forRestore) this.push(line);
  }

  /** Returns false for a statement a --no-owner --no-privileges restore leaves out. */
  private classify(text: string, complete: boolean): boolean {
    if (this.copyTable !== undefined) {
      if (complete && text === '\\.') {
        this.tables.set(this.copyTable, (this.tables.get(this.copyTable) ?? 0) + this.copyRows);
        this.copyTable = undefined;
      } else this.copyRows++;
      return true;
    }
    if (
      this.trailerLine > 0 &&
      this.afterTrailer === undefined &&
      text !== '' &&
      text !== '--' &&
      !text.startsWith('\\unrestrict ')
    )
      this.afterTrailer = text.slice(0, 80);
    if (text.startsWith('COPY ') && text.endsWith(' FROM stdin;')) {
      this.copyTable = copyTableName(text);
      this.copyRows = 0;
      this.copyStartLine = this.lines;
      return true;
    }
    const create = CREATE_TABLE.exec(text);
    if (create) this.created.add(unquote(create[1] as string));
    if (text.startsWith('\\restrict ')) {
      // A dump made with --create restricts again after each \connect, with a new key.
      this.restrictKey = text.slice('\\restrict '.length).trim();
      this.unrestricted = false;
      return true;
    }
    if (text.startsWith('\\unrestrict ')) {
      const key = text.slice('\\unrestrict '.length).trim();
      if (key !== this.restrictKey)
        throw new BackupDamaged(
          `line ${this.lines}: \\unrestrict key does not match the \\restrict key of this dump`,
          'two dumps were spliced together or the file was edited: use an unmodified backup',
        );
      this.unrestricted = true;
      return true;
    }
    if (text === TRAILER) {
      this.trailerLine = this.lines;
      return true;
    }
    return !this.forRestore || !skippedForRestore(text);
  }

  private finish(): void {
    const at = `after ${this.lines} lines (${this.bytes} bytes)`;
    if (this.copyTable !== undefined)
      throw new BackupDamaged(
        `cut short ${at}: the data of table ${this.copyTable} (COPY at line ${this.copyStartLine}) has no end marker \\.`,
        'the dump was interrupted while writing (disk full, killed, connection lost): make a new backup',
      );
    if (this.trailerLine === 0)
      throw new BackupDamaged(
        `cut short ${at}: no "${TRAILER}" line`,
        'pg_dump writes that line last; without it the dump ended early (disk full, killed, connection lost): make a new backup',
      );
    if (this.restrictKey !== undefined && !this.unrestricted)
      throw new BackupDamaged(
        `cut short ${at}: \\restrict at the start has no matching \\unrestrict at the end`,
        'pg_dump writes \\unrestrict last; the dump ended early: make a new backup',
      );
    if (this.afterTrailer !== undefined)
      throw new BackupDamaged(
        `unexpected content after the completion line (line ${this.trailerLine}): ${JSON.stringify(this.afterTrailer)}`,
        'several dumps were appended to one file, or it was edited: back up each database to its own file',
      );
  }

  result(): PlainScan {
    return {
      tables: this.tables,
      created: this.created,
      lines: this.lines,
      bytes: this.bytes,
      ...(this.restrictKey !== undefined ? { restrictKey: this.restrictKey } : {}),
    };
  }
}

/** `COPY public.t (a, b) FROM stdin;` → `public.t` (quotes kept off for plain names). */
export function copyTableName(line: string): string {
  const body = line.slice('COPY '.length, -' FROM stdin;'.length);
  const paren = body.search(/ \(/);
  return unquote(paren >= 0 ? body.slice(0, paren) : body);
}

function unquote(name: string): string {
  return name.replace(/"((?:[^"]|"")*)"/g, (_, inner: string) => inner.replace(/""/g, '"'));
}

/** Statements pg_restore --no-owner --no-privileges (without --create) would not run. */
export function skippedForRestore(line: string): boolean {
  if (line.startsWith('ALTER ') && / OWNER TO .+;$/.test(line)) return true;
  if ((line.startsWith('GRANT ') || line.startsWith('REVOKE ')) && line.endsWith(';')) return true;
  if (line.startsWith('ALTER DEFAULT PRIVILEGES ')) return true;
  if (line.startsWith('SET SESSION AUTHORIZATION ')) return true;
  if (/^(CREATE|ALTER|DROP) DATABASE /.test(line)) return true;
  if (line.startsWith('\\connect ')) return true;
  return false;
}

/** The SQL text of a plain dump, gunzipped on the way when needed. */
export function openPlainText(path: string, gzip: boolean): Readable {
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  if (!gzip) return raw;
  const gunzip = createGunzip({ chunkSize: 1 << 18 });
  raw.on('error', (error) => gunzip.destroy(error));
  return raw.pipe(gunzip);
}

/** `read` of a plain dump: every byte through the scanner (and gunzip, which checks its CRC and length). */
export async function scanPlainDump(path: string, gzip: boolean): Promise<PlainScan> {
  const scanner = new PlainDumpScanner(false);
  const discard = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  try {
    await pipeline(openPlainText(path, gzip), scanner, discard);
  } catch (error) {
    if (error instanceof BackupDamaged) throw error;
    throw gzipProblem(error, scanner);
  }
  return scanner.result();
}

export function gzipProblem(error: unknown, scanner?: PlainDumpScanner): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const where = scanner ? ` after ${scanner.bytes} bytes of SQL` : '';
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(String((error as Error).message)))
    return new BackupDamaged(
      `cut short: the gzip stream ends early${where}`,
      'the dump or its upload was interrupted: make a new backup',
    );
  if (code === 'Z_DATA_ERROR')
    return new BackupDamaged(
      `corrupt gzip data${where}: ${(error as Error).message}`,
      'the file was damaged in storage or transfer: restore from another backup and check the storage',
    );
  return error as Error;
}

/** `list` of a plain dump: the head and the last 4 KiB, without reading the data in between (weak). */
export async function plainEndsComplete(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, 2048));
    await handle.read(head, 0, head.length, 0);
    const tail = Buffer.alloc(Math.min(size, 4096));
    await handle.read(tail, 0, tail.length, size - tail.length);
    return tailIsComplete(tail.toString('utf8'), /^\\restrict /m.test(head.toString('utf8')));
  } finally {
    await handle.close();
  }
}

/** Whether a plain dump ends as pg_dump ends one: the completion line, then `\unrestrict` when it began with `\restrict`. */
export function tailIsComplete(tail: string, restricted: boolean): boolean {
  const lines = tail.split(/\r?\n/).filter((l) => l !== '' && l !== '--');
  if (!restricted) return lines.at(-1) === TRAILER;
  return lines.at(-1)?.startsWith('\\unrestrict ') === true && lines.at(-2) === TRAILER;
}
