import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Evidence } from '../../src/backup-verify/main.js';
import { run } from '../../src/backup-verify/main.js';
import { fixedClock } from '../../src/core/clock.js';
import { memoryLogger } from '../../src/core/logger.js';
import { actionEnv } from '../health-check/action-env.js';
import { type PostgresServer, postgresUnavailable, startPostgres } from '../support/postgres.js';
import { type DumpSet, makeShopDumps, SHOP_TOTAL } from './fixtures.js';

const unavailable = postgresUnavailable();
if (unavailable) console.warn(`skipping backup-verify S3 tests: ${unavailable}`);

afterEach(() => {
  process.exitCode = undefined;
});

/** A local S3-compatible server (s3rver) over HTTP; the action reads it with the real AWS SDK. */
describe.skipIf(unavailable)('backup-verify with an s3:// source', () => {
  let pg: PostgresServer;
  let dir: string;
  let dumps: DumpSet;
  let server: S3rver;
  let endpoint: string;
  const credentials = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
  const now = new Date('2030-01-31T12:00:00Z');

  beforeAll(async () => {
    pg = await startPostgres();
    dir = mkdtempSync(join(tmpdir(), 'backup-verify-s3-'));
    dumps = await makeShopDumps(pg, join(dir, 'dumps'));
    server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: join(dir, 's3'),
      configureBuckets: [{ name: 'backups' }],
    });
    const { port } = await server.run();
    endpoint = `http://127.0.0.1:${port}`;
    const client = new S3Client({
      endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    const put = (key: string, body: Buffer | string) =>
      client.send(new PutObjectCommand({ Bucket: 'backups', Key: key, Body: body }));
    const custom = readFileSync(dumps.custom);
    const gz = readFileSync(dumps['plain-gzip']);
    // Five days of nightly dumps, one day missing; the newest is custom format with a sidecar.
    for (const day of ['2030-01-26', '2030-01-27', '2030-01-29'])
      await put(`daily/eventchain_${day}T02-00-00Z.sql.gz`, gz);
    await put('daily/eventchain_2030-01-30T02-00-00Z.dump', custom);
    await put(
      'daily/eventchain_2030-01-30T02-00-00Z.dump.sha256',
      `${createHash('sha256').update(custom).digest('hex')}  eventchain_2030-01-30T02-00-00Z.dump\n`,
    );
    await put('damaged/eventchain_2030-01-30T02-00-00Z.dump', custom.subarray(0, Math.floor(custom.length * 0.7)));
    for (const file of readdirSync(dumps.directory))
      await put(`directory/eventchain_2030-01-30T02-00-00Z/${file}`, readFileSync(join(dumps.directory, file)));
  });
  afterAll(async () => {
    await server?.close();
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function verify(
    inputs: Record<string, string>,
    options: { env?: Record<string, string>; policy?: string } = {},
  ) {
    const step = actionEnv(
      'backup-verify',
      { 'pg-bin-dir': pg.binDir, 's3-endpoint': endpoint, ...inputs },
      { ...credentials, ...options.env },
    );
    const log = memoryLogger();
    const result = await run({ env: step.env, clock: fixedClock(now), log });
    const outputs = step.outputs();
    const evidence = outputs['evidence-file']
      ? (JSON.parse(readFileSync(outputs['evidence-file'], 'utf8')) as Evidence)
      : undefined;
    return { result, outputs, evidence, log: log.lines.join('\n'), summary: step.summary() };
  }

  it('lists a prefix, downloads the newest as a stream, checks its sidecar and reads it; lists retention gaps by date', async () => {
    const { result, outputs, evidence } = await verify({ source: 's3://backups/daily/' }, { policy: undefined });
    expect(outputs).toMatchObject({
      backup: 's3://backups/daily/eventchain_2030-01-30T02-00-00Z.dump',
      format: 'custom',
      'age-seconds': String(34 * 3600),
      sha256: createHash('sha256').update(readFileSync(dumps.custom)).digest('hex'),
    });
    const checks = evidence?.backups[0]?.checks ?? [];
    expect(checks.find((c) => c.name === 'fetch')).toMatchObject({
      result: 'passed',
      how: 'streamed download to a temp file',
    });
    expect(checks.find((c) => c.name === 'checksum')).toMatchObject({
      result: 'passed',
      how: expect.stringContaining('.dump.sha256'),
    });
    expect(checks.find((c) => c.name === 'read')?.result).toBe('passed');
    // Default policy: 30 days of retention, and the 1h RPO as the freshness limit.
    expect(outputs.result).toBe('failed');
    expect(outputs['missing-days']?.split(',')).toHaveLength(26);
    expect(outputs['missing-days']).toContain('2030-01-28');
    expect(result.error).toMatch(/is 1d10h old, more than the allowed 1h \(backups\.rpo\)/);
  });

  it('passes with a policy for daily dumps (maxAge 36h, 5 days) once the gap is named, and restores the download', async () => {
    const policyEnv = { ...credentials };
    const step = actionEnv(
      'backup-verify',
      {
        'pg-bin-dir': pg.binDir,
        source: 's3://backups/daily/',
        level: 'restore',
        'scratch-database-url': pg.url('postgres'),
      },
      // The endpoint from the environment, as AWS_ENDPOINT_URL_S3 sets it for S3-compatible stores.
      { ...policyEnv, AWS_ENDPOINT_URL_S3: endpoint },
    );
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(step.workspace, '.github'));
    writeFileSync(join(step.workspace, '.github', 'runbook.yml'), 'backups:\n  maxAge: 36h\n  retentionDays: 5\n');
    const result = await run({ env: step.env, clock: fixedClock(now), log: memoryLogger() });
    const outputs = step.outputs();
    expect(outputs).toMatchObject({ format: 'custom', rows: String(SHOP_TOTAL), 'missing-days': '2030-01-28' });
    expect(result.error).toMatch(/1 of the last 5 days have no backup: 2030-01-28/);
  });

  it('fails a damaged object, naming its s3:// location', async () => {
    const { result, outputs } = await verify({ source: 's3://backups/damaged/', 'max-age': '30d' });
    expect(outputs.result).toBe('failed');
    expect(result.error).toMatch(
      /s3:\/\/backups\/damaged\/eventchain_2030-01-30T02-00-00Z\.dump: reading every data block failed/,
    );
  });

  it('verifies a directory-format dump stored as objects under a prefix', async () => {
    const { result, outputs } = await verify({ source: 's3://backups/directory/', 'max-age': '36h' }, {});
    expect(result.error).toMatch(/days have no backup/); // one day of backups under this prefix
    expect(outputs).toMatchObject({
      format: 'directory',
      backup: 's3://backups/directory/eventchain_2030-01-30T02-00-00Z/',
    });
  });

  it('a single object: no retention judged; wrong credentials: a clear failure', async () => {
    const single = await verify({
      source: 's3://backups/daily/eventchain_2030-01-29T02-00-00Z.sql.gz',
      'max-age': '3d',
    });
    expect(single.result.error).toBeUndefined();
    expect(single.outputs).toMatchObject({
      result: 'verified',
      format: 'plain-gzip',
      rows: String(SHOP_TOTAL),
      'missing-days': '',
    });
    expect(single.evidence?.retention).toMatchObject({ checked: false, reason: 'the source names one backup' });
    const denied = await verify(
      { source: 's3://backups/daily/' },
      { env: { AWS_ACCESS_KEY_ID: 'NOT-A-KEY', AWS_SECRET_ACCESS_KEY: 'wrong-secret-123' } },
    );
    expect(denied.result.error).toMatch(/listing s3:\/\/backups\/daily\/ failed: InvalidAccessKeyId/);
    expect(denied.result.error).toMatch(/AWS credentials/);
    expect(`${denied.log}${denied.summary}${denied.result.error}`).not.toContain('wrong-secret-123');
  });
});
