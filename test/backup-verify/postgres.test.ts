import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/backup-verify/main.js';
import { run } from '../../src/backup-verify/main.js';
import { fixedClock } from '../../src/core/clock.js';
import { memoryLogger } from '../../src/core/logger.js';
import { actionEnv } from '../health-check/action-env.js';
import { type PostgresServer, postgresUnavailable, startPostgres } from '../support/postgres.js';
import { copyDir, corrupt, cut, type DumpSet, makeShopDumps, SHOP_ROWS, SHOP_TOTAL } from './fixtures.js';

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`skipping backup-verify PostgreSQL tests: ${unavailable}`);

// core.setFailed sets the exit code of this worker; the action's failure is what these tests assert.
afterEach(() => {
  process.exitCode = undefined;
});

describe.skipIf(unavailable)('backup-verify against real PostgreSQL dumps', () => {
  let pg: PostgresServer;
  let dir: string;
  let dumps: DumpSet;
  let scratchUrl: string;
  const PASSWORD = 'scratch-pw-7f3a';

  beforeAll(async () => {
    pg = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'backup-verify-'));
    dumps = await makeShopDumps(pg, join(dir, 'dumps'));
    // Trust authentication ignores the password; it is there to prove it is masked and kept off argv.
    scratchUrl = `postgres://postgres:${PASSWORD}@127.0.0.1:${pg.port}/postgres`;
  });
  afterAll(async () => {
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function verify(inputs: Record<string, string>, options: { policy?: string; now?: Date } = {}) {
    const step = actionEnv('backup-verify', { 'pg-bin-dir': pg.binDir, 'max-age': '1000d', ...inputs });
    if (options.policy) {
      mkdirSync(join(step.workspace, '.github'));
      writeFileSync(join(step.workspace, '.github', 'runbook.yml'), options.policy);
    }
    const log = memoryLogger();
    const result = await run({ env: step.env, clock: fixedClock(options.now ?? new Date()), log });
    const outputs = step.outputs();
    const evidenceFile = outputs['evidence-file'];
    const evidence = (evidenceFile ? JSON.parse(readFileSync(evidenceFile, 'utf8')) : undefined) as Evidence;
    return { result, outputs, summary: step.summary(), evidence, log: log.lines.join('\n') };
  }
  const damaged = (name: string) => join(dir, name);
  const write = (name: string, content: string | Buffer) => {
    writeFileSync(damaged(name), content);
    return damaged(name);
  };

  it.each([
    ['custom', 4, ''],
    ['tar', 4, ''],
    ['directory', 4, ''],
    ['plain', 4, String(SHOP_TOTAL)],
    ['plain-gzip', 4, String(SHOP_TOTAL)],
  ] as const)('level read verifies a good %s dump', async (format, tables, rows) => {
    const { result, outputs, evidence } = await verify({ source: dumps[format] });
    expect(result.ok).toBe(true);
    expect(outputs).toMatchObject({ result: 'verified', format, tables: String(tables), rows, 'missing-days': '' });
    expect(Number(outputs['size-bytes'])).toBeGreaterThan(1000);
    const read = evidence.backups[0]?.checks.find((c) => c.name === 'read');
    expect(read?.result).toBe('passed');
    expect(read?.how).toMatch(format.startsWith('plain') ? /every line/ : /pg_restore -f \/dev\/null/);
  });

  it.each(['custom', 'tar', 'directory', 'plain', 'plain-gzip'] as const)(
    'level restore restores a %s dump into a fresh scratch database, counts every table and drops it',
    async (format) => {
      const { result, outputs, summary, evidence, log } = await verify({
        source: dumps[format],
        level: 'restore',
        'scratch-database-url': scratchUrl,
      });
      expect(result.error).toBeUndefined();
      expect(outputs).toMatchObject({ result: 'verified', format, tables: '4', rows: String(SHOP_TOTAL) });
      expect(Number(outputs['restore-seconds'])).toBeGreaterThan(0);
      expect(evidence.backups[0]?.tableRows).toEqual(SHOP_ROWS);
      const text = JSON.stringify({ outputs, summary, evidence, log });
      expect(text).not.toContain(PASSWORD);
      const left = await pg.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE datname LIKE 'backup_verify_%'",
      );
      expect(left).toEqual([]);
    },
  );

  it('level list is weak: a custom dump cut in its data passes list and fails read', async () => {
    const file = cut(dumps.custom, damaged('cut-60.dump'), Math.floor(readFileSync(dumps.custom).length * 0.6));
    const listed = await verify({ source: file, level: 'list' });
    expect(listed.outputs.result).toBe('verified');
    expect(listed.summary).toMatch(/weak: the table of contents only/);
    expect(listed.evidence.backups[0]?.checks.find((c) => c.name === 'table of contents')?.how).toMatch(/weak/);
    const read = await verify({ source: file });
    expect(read.outputs.result).toBe('failed');
    expect(read.result.error).toMatch(/cut-60\.dump: reading every data block failed: .*pg_restore: error/s);
  });

  const size = (file: string) => readFileSync(file).length;
  it.each<[string, () => string, RegExp]>([
    ['an empty file', () => write('empty.dump', ''), /empty\.dump: empty file \(0 bytes\)/],
    [
      'a custom dump cut in its header',
      () => cut(dumps.custom, damaged('c-10.dump'), 10),
      /c-10\.dump: reading the table of contents failed/,
    ],
    [
      'a custom dump cut at 30 %',
      () => cut(dumps.custom, damaged('c-30.dump'), Math.floor(size(dumps.custom) * 0.3)),
      /c-30\.dump: reading every data block failed/,
    ],
    [
      'a custom dump missing its last byte',
      () => cut(dumps.custom, damaged('c-1.dump'), -1),
      /c-1\.dump: reading every data block failed/,
    ],
    [
      'a custom dump with a corrupt data block',
      () => corrupt(dumps.custom, damaged('c-bad.dump'), 0.5),
      /c-bad\.dump: reading every data block failed: .*could not uncompress data/s,
    ],
    [
      'a tar dump cut in a data member',
      () => cut(dumps.tar, damaged('t-50.tar'), Math.floor(size(dumps.tar) * 0.5)),
      /t-50\.tar: cut short: tar member \d+\.dat should hold/,
    ],
    [
      'a tar dump with a corrupt member header',
      () => {
        const bytes = readFileSync(dumps.tar);
        const tocSize = Number.parseInt(bytes.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim(), 8);
        const at = 512 + Math.ceil(tocSize / 512) * 512 + 3; // a letter of the second member's name
        bytes[at] = (bytes[at] as number) ^ 0x20;
        return write('t-header.tar', bytes);
      },
      /t-header\.tar: tar header at byte \d+ \(after member toc\.dat\) is corrupt \(checksum mismatch\)/,
    ],
    [
      'a tar dump missing its end blocks',
      () => cut(dumps.tar, damaged('t-end.tar'), -700),
      /t-end\.tar: cut short: the tar archive ends/,
    ],
    [
      'a directory dump missing a data file',
      () => {
        const d = copyDir(dumps.directory, damaged('d-missing.dir'));
        const data = readdirSync(d)
          .filter((f) => f.endsWith('.dat.gz'))
          .sort();
        unlinkSync(join(d, data[data.length - 1] as string));
        return d;
      },
      /d-missing\.dir: reading every data block failed: .*could not open input file/s,
    ],
    [
      'a directory dump with a data file cut short',
      () => {
        const d = copyDir(dumps.directory, damaged('d-cut.dir'));
        const biggest = readdirSync(d)
          .filter((f) => f.endsWith('.dat.gz'))
          .sort((a, b) => size(join(d, b)) - size(join(d, a)))[0] as string;
        cut(join(d, biggest), join(d, biggest), Math.floor(size(join(d, biggest)) / 2));
        return d;
      },
      /d-cut\.dir: reading every data block failed/,
    ],
    [
      'a plain dump cut in its data',
      () => cut(dumps.plain, damaged('p-50.sql'), Math.floor(size(dumps.plain) * 0.5)),
      /p-50\.sql: cut short after \d+ lines .*has no end marker/,
    ],
    [
      'a plain dump cut before its last line',
      () => cut(dumps.plain, damaged('p-end.sql'), readFileSync(dumps.plain, 'latin1').lastIndexOf('\\unrestrict')),
      /p-end\.sql: cut short .*\\restrict at the start has no matching \\unrestrict/,
    ],
    [
      'a gzip plain dump cut short',
      () => cut(dumps['plain-gzip'], damaged('g-50.sql.gz'), Math.floor(size(dumps['plain-gzip']) * 0.5)),
      /g-50\.sql\.gz: cut short: the gzip stream ends early/,
    ],
    [
      'a gzip plain dump with corrupt data',
      () => corrupt(dumps['plain-gzip'], damaged('g-bad.sql.gz'), 0.5),
      /g-bad\.sql\.gz: (corrupt gzip data|cut short)/,
    ],
    [
      'a gzip-compressed custom dump',
      () => write('cg.dump.gz', gzipSync(readFileSync(dumps.custom))),
      /cg\.dump\.gz: found a gzip-compressed custom-format dump/,
    ],
    [
      'a zstd file',
      () => write('z.sql.zst', Buffer.from('28b52ffd0000000000', 'hex')),
      /z\.sql\.zst: found a zstd-compressed file; expected a pg_dump backup/,
    ],
    [
      'SQL without the pg_dump header',
      () => write('hand.sql', 'CREATE TABLE t (id int);\n'),
      /hand\.sql: found content starting with "CREATE TABLE t \(id int\);".*no "-- PostgreSQL database dump" header/,
    ],
  ])('level read fails %s, naming the file and what is wrong', async (_what, make, message) => {
    const { result, outputs, summary } = await verify({ source: make() });
    expect(outputs.result).toBe('failed');
    expect(result.error).toMatch(message);
    expect(summary).toContain('❌ Backup verification: failed');
  });

  it('a plain dump cut short fails at level list too (its end is read), a gzip one only from read on', async () => {
    const file = cut(dumps.plain, damaged('pl-50.sql'), Math.floor(size(dumps.plain) * 0.5));
    expect((await verify({ source: file, level: 'list' })).result.error).toMatch(
      /does not end with "-- PostgreSQL database dump complete"/,
    );
    const gz = cut(dumps['plain-gzip'], damaged('gl-50.sql.gz'), Math.floor(size(dumps['plain-gzip']) * 0.5));
    const listed = await verify({ source: gz, level: 'list' });
    expect(listed.outputs.result).toBe('verified');
    expect(listed.evidence.backups[0]?.checks.find((c) => c.name === 'completeness')).toMatchObject({
      result: 'skipped',
    });
  });

  it('restore catches what read cannot: a complete plain dump with a broken statement', async () => {
    const file = damaged('broken.sql');
    writeFileSync(
      file,
      readFileSync(dumps.plain, 'utf8').replace('CREATE TABLE public.orders (', 'CREATE TABLEX public.orders ('),
    );
    expect((await verify({ source: file })).outputs.result).toBe('verified');
    const restored = await verify({ source: file, level: 'restore', 'scratch-database-url': scratchUrl });
    expect(restored.outputs.result).toBe('failed');
    expect(restored.result.error).toMatch(
      /broken\.sql: restoring into the scratch database failed: .*syntax error at or near "TABLEX"/s,
    );
  });

  it('an uncompressed custom dump with a changed byte passes read; its SHA-256 sidecar catches it', async () => {
    const original = readFileSync(dumps.customUncompressed);
    const folder = damaged('z0');
    mkdirSync(folder);
    // One letter of a row changed: no framing touched, so nothing but a checksum (or a reader of the data) can tell.
    const changed = Buffer.from(original);
    changed[changed.indexOf('customer 50\n') + 6] = 'X'.charCodeAt(0);
    const file = join(folder, 'shop-z0.dump');
    writeFileSync(file, changed);
    expect((await verify({ source: file, checksum: 'off' })).outputs.result).toBe('verified');
    const sha = createHash('sha256').update(original).digest('hex');
    writeFileSync(`${file}.sha256`, `${sha}  shop-z0.dump\n`);
    const checked = await verify({ source: file });
    expect(checked.outputs.result).toBe('failed');
    expect(checked.result.error).toContain(`SHA-256 mismatch: shop-z0.dump.sha256 says ${sha}`);
  });

  it('checksums: write makes a sha256sum sidecar, auto verifies it, a manifest entry counts, require fails without one', async () => {
    const folder = damaged('sums');
    mkdirSync(folder);
    const file = join(folder, 'shop.dump');
    writeFileSync(file, readFileSync(dumps.custom));
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
    const written = await verify({ source: file, checksum: 'write' });
    expect(written.outputs.sha256).toBe(sha);
    expect(readFileSync(`${file}.sha256`, 'utf8')).toBe(`${sha}  shop.dump\n`);
    const again = await verify({ source: file });
    expect(again.evidence.backups[0]?.checks.find((c) => c.name === 'checksum')).toMatchObject({
      result: 'passed',
      how: 'SHA-256 against shop.dump.sha256',
    });
    unlinkSync(`${file}.sha256`);
    writeFileSync(join(folder, 'SHA256SUMS'), `${'0'.repeat(64)}  other.dump\n${sha}  shop.dump\n`);
    expect((await verify({ source: file })).evidence.backups[0]?.checks.find((c) => c.name === 'checksum')?.how).toBe(
      'SHA-256 against SHA256SUMS',
    );
    unlinkSync(join(folder, 'SHA256SUMS'));
    const required = await verify({ source: file, checksum: 'require' });
    expect(required.result.error).toMatch(/no checksum: neither shop\.dump\.sha256 nor a SHA256SUMS entry/);
  });

  it('checks the policy expectations: named tables in the dump, minimum rows after a restore', async () => {
    const policy = (tables: string, minRows: string) =>
      `backups:\n  expectations:\n    tables: ${tables}\n    minRows: ${minRows}\n`;
    const good = await verify(
      { source: dumps.custom, level: 'restore', 'scratch-database-url': scratchUrl },
      { policy: policy('[orders, public.customers]', '{ orders: 3000, "public.Order Items": 5 }') },
    );
    expect(good.outputs.result).toBe('verified');
    const missing = await verify({ source: dumps.tar }, { policy: policy('[orders, audit_log]', '{}') });
    expect(missing.result.error).toMatch(/tables the policy expects are missing: public\.audit_log/);
    const readOnly = await verify({ source: dumps.custom }, { policy: policy('[]', '{ orders: 5000 }') });
    expect(readOnly.outputs.result).toBe('verified');
    expect(readOnly.evidence.backups[0]?.checks.find((c) => c.name === 'minimum rows')).toMatchObject({
      result: 'skipped',
    });
    const fewRows = await verify(
      { source: dumps.custom, level: 'restore', 'scratch-database-url': scratchUrl },
      { policy: policy('[]', '{ orders: 5000 }') },
    );
    expect(fewRows.result.error).toMatch(/fewer rows than the policy expects: public\.orders: 3000 < 5000/);
    const plainRows = await verify({ source: dumps['plain-gzip'] }, { policy: policy('[]', '{ customers: 101 }') });
    expect(plainRows.result.error).toMatch(/public\.customers: 100 < 101/);
  });

  it('compares the measured restore time with the RTO', async () => {
    const { result, outputs } = await verify(
      // The deadline defaults to the RTO; a longer one lets the restore finish and be measured.
      { source: dumps.custom, level: 'restore', 'scratch-database-url': scratchUrl, timeout: '10m' },
      { policy: 'backups:\n  rto: 1ms\n' },
    );
    expect(outputs.result).toBe('failed');
    expect(Number(outputs['restore-seconds'])).toBeGreaterThan(0);
    expect(result.error).toMatch(/the restore took \S+, longer than the RTO of 1ms/);
  });

  describe('a folder of daily backups', () => {
    const now = new Date('2030-01-31T12:00:00Z');
    let folder: string;
    const day = (back: number) =>
      new Date(Date.UTC(2030, 0, 31 - back, 2, 0, 0)).toISOString().slice(0, 19).replace(/:/g, '-');
    beforeAll(() => {
      folder = join(dir, 'daily');
      mkdirSync(folder);
      const text = readFileSync(dumps.plain);
      for (let back = 0; back <= 31; back++)
        if (back !== 4 && back !== 17) writeFileSync(join(folder, `shop_${day(back)}Z.sql`), text);
      writeFileSync(join(folder, `shop_${day(9)}Z.sql`), ''); // an empty file does not cover its day
    });

    it('lists the days without a backup, verifies the newest and reports its age', async () => {
      const { result, outputs, summary, evidence } = await verify(
        { source: folder, 'max-age': '' },
        { policy: 'backups:\n  maxAge: 26h\n', now },
      );
      expect(outputs['missing-days']).toBe('2030-01-14,2030-01-22,2030-01-27');
      expect(outputs.backup).toMatch(/shop_2030-01-31T02-00-00Z\.sql$/);
      expect(outputs['age-seconds']).toBe(String(10 * 3600));
      expect(result.error).toMatch(/3 of the last 30 days have no backup: 2030-01-14, 2030-01-22, 2030-01-27/);
      expect(evidence.retention.window).toEqual({ from: '2030-01-01', to: '2030-01-30' });
      expect(summary).toMatch(/RPO: logical dumps up to 1d2h old are accepted \(backups\.maxAge\).*WAL archiving/);
    });

    it('with the runbook RPO of 1h as the limit, a 10 h old daily dump fails, and says why', async () => {
      const { result } = await verify(
        { source: `${folder}/shop_2030-01-3*.sql`, 'max-age': '' },
        { policy: 'backups:\n  retentionDays: 1\n', now },
      );
      expect(result.error).toMatch(
        /the newest backup \(\S+shop_2030-01-31T02-00-00Z\.sql\) is 10h old, more than the allowed 1h \(backups\.rpo\)/,
      );
    });

    it('all: true verifies every backup, and names each damaged one', async () => {
      const { result, evidence } = await verify(
        { source: `${folder}/shop_2030-01-2*.sql`, all: 'true', 'max-age': '30d', level: 'list' },
        { policy: 'backups:\n  retentionDays: 1\n', now },
      );
      expect(evidence.backups.map((b) => basename(b.location))).toEqual(
        [29, 28, 27, 26, 25, 24, 23, 22, 21, 20].filter((d) => d !== 27).map((d) => `shop_2030-01-${d}T02-00-00Z.sql`),
      );
      expect(evidence.backups.filter((b) => !b.ok).map((b) => b.name)).toEqual(['shop_2030-01-22T02-00-00Z.sql']);
      expect(result.error).toMatch(/shop_2030-01-22T02-00-00Z\.sql: empty file/);
    });
  });

  it('refuses bad inputs, naming each', async () => {
    const restore = await verify({ source: dumps.custom, level: 'restore' });
    expect(restore.result.error).toMatch(/input "scratch-database-url": is required with level: restore/);
    const step = actionEnv('backup-verify', { source: dumps.custom, level: 'deep', checksum: 'maybe' });
    const bad = await run({ env: step.env, log: memoryLogger() });
    expect(bad.error).toMatch(
      /input "level" \(got "deep"\): expected one of list, read, restore; input "checksum" \(got "maybe"\)/,
    );
    const nothing = await verify({ source: join(dir, 'nope', 'backup.sql') });
    expect(nothing.result.error).toMatch(/no backup at .*nope\/backup\.sql: no such file or folder/);
  });
});
