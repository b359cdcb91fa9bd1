import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runBundle } from '../support/bundle.js';
import { type PostgresServer, postgresUnavailable, startPostgres } from '../support/postgres.js';
import { cut, type DumpSet, makeShopDumps, SHOP_TOTAL } from './fixtures.js';

/** The committed bundle, run as the runner runs it, against real dumps, a real server and a local S3. */
const bundle = join(repoRoot, 'actions/backup-verify/dist/index.js');
const unavailable = postgresUnavailable();

describe.skipIf(!existsSync(bundle) || unavailable)('backup-verify bundle', () => {
  let pg: PostgresServer;
  let dir: string;
  let dumps: DumpSet;
  const PASSWORD = 'bundle-pw-91c2';

  beforeAll(async () => {
    pg = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'backup-verify-bundle-'));
    dumps = await makeShopDumps(pg, join(dir, 'dumps'));
  });
  afterAll(async () => {
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads a gzip plain dump: exit 0, outputs, evidence file, summary', async () => {
    const run = await runBundle('backup-verify', {
      inputs: { source: dumps['plain-gzip'], 'max-age': '1d' },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({
      result: 'verified',
      format: 'plain-gzip',
      tables: '4',
      rows: String(SHOP_TOTAL),
    });
    const evidence = JSON.parse(readFileSync(run.outputs['evidence-file'] as string, 'utf8'));
    expect(evidence.backups[0].checks.map((c: { name: string }) => c.name)).toEqual([
      'fetch',
      'format',
      'checksum',
      'read',
    ]);
    expect(run.summary).toContain('✅ Backup verification: verified');
  });

  it('restores with the password of the scratch URL masked everywhere it could be printed', async () => {
    const run = await runBundle('backup-verify', {
      inputs: {
        source: dumps.custom,
        level: 'restore',
        'scratch-database-url': `postgres://postgres:${PASSWORD}@127.0.0.1:${pg.port}/postgres`,
        'pg-bin-dir': pg.binDir,
        'max-age': '1d',
      },
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ result: 'verified', rows: String(SHOP_TOTAL), tables: '4' });
    expect(run.masked).toContain(PASSWORD);
    const printed = `${run.stdout.replace(/^::add-mask::.*$/gm, '')}${run.stderr}${run.summary}${JSON.stringify(run.outputs)}`;
    expect(printed).not.toContain(PASSWORD);
  });

  it('fails a damaged dump: exit 1 and an error annotation naming the file', async () => {
    const file = cut(dumps.custom, join(dir, 'nightly.dump'), -100);
    const run = await runBundle('backup-verify', {
      inputs: { source: file, 'pg-bin-dir': pg.binDir, 'max-age': '1d' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe('failed');
    expect(
      run.annotations.some(
        (a) => a.level === 'error' && /nightly\.dump: reading every data block failed/.test(a.message),
      ),
    ).toBe(true);
  });

  it('loads the AWS SDK chunk and streams an object from a local S3 server', async () => {
    const server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: join(dir, 's3'),
      configureBuckets: [{ name: 'nightly' }],
    });
    const { port } = await server.run();
    try {
      const endpoint = `http://127.0.0.1:${port}`;
      const client = new S3Client({
        endpoint,
        forcePathStyle: true,
        region: 'us-east-1',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      });
      await client.send(new PutObjectCommand({ Bucket: 'nightly', Key: 'pg/shop.tar', Body: readFileSync(dumps.tar) }));
      const run = await runBundle('backup-verify', {
        inputs: {
          source: 's3://nightly/pg/shop.tar',
          's3-endpoint': endpoint,
          'pg-bin-dir': pg.binDir,
          'max-age': '1d',
        },
        env: { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' },
      });
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      expect(run.outputs).toMatchObject({ result: 'verified', format: 'tar', backup: 's3://nightly/pg/shop.tar' });
      expect(run.outputs.sha256).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await server.close();
    }
  });
});
