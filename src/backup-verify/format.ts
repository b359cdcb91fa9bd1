import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';

/** The pg_dump output formats this action verifies. */
export const FORMATS = ['custom', 'directory', 'tar', 'plain', 'plain-gzip'] as const;
export type BackupFormat = (typeof FORMATS)[number];

/** The backup itself is bad (empty, cut short, corrupt, not a dump): the message names what was found. */
export class BackupDamaged extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'BackupDamaged';
  }
}

const EXPECTED = 'expected a pg_dump backup (custom, directory, tar, plain SQL or gzip-compressed plain SQL)';
const PLAIN_HEADER = /^(?:\uFEFF)?--\r?\n-- PostgreSQL database dump\r?\n/;
const CLUSTER_HEADER = /^(?:\uFEFF)?--\r?\n-- PostgreSQL database cluster dump\r?\n/;

/**
 * Detects the format from the content (magic bytes), never from the name: a `.sql` that is really a
 * custom archive, or a `.dump` that is gzip, is verified as what it is.
 */
export async function detectFormat(path: string): Promise<BackupFormat> {
  const info = await stat(path);
  if (info.isDirectory()) {
    const toc = await readHead(join(path, 'toc.dat'), 5).catch(() => undefined);
    if (!toc)
      throw notADump(
        'a folder without toc.dat',
        'a directory-format dump (pg_dump -Fd) holds toc.dat and one file per table',
      );
    if (toc.length === 0)
      throw new BackupDamaged('toc.dat is empty', 'the dump was cut short while writing: make a new one');
    if (toc.toString('latin1') !== 'PGDMP')
      throw notADump('a folder whose toc.dat does not start with PGDMP', 'toc.dat is damaged or not from pg_dump');
    return 'directory';
  }
  if (info.size === 0)
    throw new BackupDamaged(
      'empty file (0 bytes)',
      'the dump was never written: check the backup job (disk full, pg_dump failed, wrong path)',
    );
  const head = await readHead(path, 1024);
  return classify(head, path);
}

async function classify(head: Buffer, path: string): Promise<BackupFormat> {
  if (head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'custom';
  if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') {
    const first = head.subarray(0, 100).toString('latin1').replace(/\0.*$/s, '');
    if (first === 'toc.dat') return 'tar';
    throw notADump(
      `a tar archive whose first member is ${JSON.stringify(first)}, not toc.dat`,
      'pg_dump -Ft writes toc.dat first; a tar of a directory-format dump must be extracted and verified as a folder',
    );
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const inner = await gunzipHead(path, 1024);
    if (inner.subarray(0, 5).toString('latin1') === 'PGDMP')
      throw notADump(
        'a gzip-compressed custom-format dump',
        'the custom format is compressed already: store it without gzip (pg_dump -Fc -f file.dump), or gunzip it first',
      );
    const text = inner.toString('utf8');
    if (PLAIN_HEADER.test(text)) return 'plain-gzip';
    if (inner.length === 0)
      throw new BackupDamaged(
        'gzip file with nothing inside',
        'the dump was cut short or never written: make a new one',
      );
    throw notADump(
      `a gzip file whose content is not a pg_dump dump (starts with ${preview(inner)})`,
      describeText(inner),
    );
  }
  const text = head.toString('utf8');
  if (PLAIN_HEADER.test(text)) return 'plain';
  if (CLUSTER_HEADER.test(text))
    throw notADump(
      'a pg_dumpall cluster dump',
      'verify per-database dumps (pg_dump); pg_dumpall output is not supported',
    );
  const other = otherMagic(head);
  if (other) throw notADump(`a ${other.name} file`, other.fix);
  throw notADump(`content starting with ${preview(head)}`, describeText(head));
}

function describeText(head: Buffer): string {
  const printable = [...head.subarray(0, 256)].every(
    (b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128,
  );
  return printable
    ? 'it has no "-- PostgreSQL database dump" header: a dump whose header was cut off or a hand-written SQL file cannot be proven complete; back up with pg_dump'
    : 'not a format pg_dump writes: check that the backup job stores pg_dump output unchanged';
}

function otherMagic(head: Buffer): { name: string; fix: string } | undefined {
  const hex = head.subarray(0, 6).toString('hex');
  const decompress = (tool: string) =>
    `decompress it first (${tool}), or back up with pg_dump -Fc, which compresses by itself`;
  if (hex.startsWith('28b52ffd')) return { name: 'zstd-compressed', fix: decompress('zstd -d') };
  if (hex.startsWith('425a68')) return { name: 'bzip2-compressed', fix: decompress('bunzip2') };
  if (hex.startsWith('fd377a585a00')) return { name: 'xz-compressed', fix: decompress('unxz') };
  if (hex.startsWith('04224d18')) return { name: 'lz4-compressed', fix: decompress('lz4 -d') };
  if (hex.startsWith('504b0304')) return { name: 'zip', fix: decompress('unzip') };
  return undefined;
}

function notADump(found: string, fix: string): BackupDamaged {
  return new BackupDamaged(`found ${found}; ${EXPECTED}`, fix);
}

function preview(bytes: Buffer): string {
  const text = bytes.subarray(0, 24).toString('latin1');
  return /^[\x20-\x7e]*$/.test(text) ? JSON.stringify(text) : `bytes ${bytes.subarray(0, 8).toString('hex')}`;
}

export async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The first `bytes` of a gzip file's content, without decompressing the rest (errors after that are ignored). */
async function gunzipHead(path: string, bytes: number): Promise<Buffer> {
  const compressed = await readHead(path, 64 * 1024);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const gunzip = createGunzip();
    const done = () => resolve(Buffer.concat(chunks).subarray(0, bytes));
    gunzip.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= bytes) {
        gunzip.removeAllListeners('data');
        gunzip.destroy();
        done();
      }
    });
    gunzip.on('error', done); // only the head matters here; `read` checks the whole stream
    gunzip.on('end', done);
    gunzip.end(compressed);
  });
}
