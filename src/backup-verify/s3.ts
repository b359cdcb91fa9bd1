import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { ActionFailure, ConfigurationError } from '../core/errors.js';
import { isChecksumFile } from './checksum.js';
import { BackupDamaged } from './format.js';
import { backupTime } from './schedule.js';
import type { Candidate, SourceListing } from './source.js';

export interface S3Location {
  bucket: string;
  prefix: string;
}

export interface S3Options {
  /** An S3-compatible endpoint (MinIO, a local test server); AWS itself when undefined. */
  endpoint?: string | undefined;
  forcePathStyle: boolean;
  region?: string | undefined;
  /** Static keys from the step's environment; undefined: the SDK's default chain (profiles, OIDC web identity, instance roles). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } | undefined;
}

export function parseS3Url(source: string): S3Location {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(source);
  if (!match || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(match[1] as string))
    throw new ConfigurationError(
      [{ field: 'input "source"', value: source, message: 'expected s3://bucket/prefix with a valid bucket name' }],
      'inputs',
    );
  return { bucket: match[1] as string, prefix: match[2] as string };
}

/** The AWS SDK is loaded here only, for s3:// sources. Credentials come from the standard chain (AWS_ACCESS_KEY_ID, …, OIDC). */
export async function createS3Client(options: S3Options): Promise<S3Client> {
  const { S3Client } = await import('@aws-sdk/client-s3');
  return new S3Client({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle,
    region: options.region || 'us-east-1',
    followRegionRedirects: true,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
}

interface ListedObject {
  key: string;
  size: number;
  modified: Date;
}

/**
 * Lists the prefix (every page). Each object is a backup candidate, except checksum files; the
 * objects of a directory-format dump (`…/name/toc.dat` and its data files) make one candidate.
 */
export async function listS3(client: S3Client, location: S3Location): Promise<SourceListing> {
  const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
  const objects: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await client
      .send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: location.prefix, ContinuationToken: token }))
      .catch((error: Error) => {
        throw s3Problem(error, `listing s3://${location.bucket}/${location.prefix}`);
      });
    for (const o of page.Contents ?? [])
      if (o.Key && !o.Key.endsWith('/'))
        objects.push({ key: o.Key, size: o.Size ?? 0, modified: o.LastModified ?? new Date(0) });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);

  const directories = new Set(
    objects.filter((o) => o.key.endsWith('/toc.dat')).map((o) => o.key.slice(0, -'toc.dat'.length)),
  );
  const inDirectory = (key: string) => [...directories].some((d) => key.startsWith(d));
  const candidates: Candidate[] = [];
  for (const dir of directories) {
    const members = objects.filter((o) => o.key.startsWith(dir));
    candidates.push(directoryCandidate(client, location.bucket, dir, members));
  }
  for (const o of objects) {
    const name = lastPart(o.key);
    if (inDirectory(o.key) || isChecksumFile(name) || name.startsWith('.')) continue;
    candidates.push(objectCandidate(client, location.bucket, o));
  }
  // s3://bucket/path/backup.sql names one object (its sidecar shares the prefix but is not a backup).
  const exact = candidates.find((c) => c.location === `s3://${location.bucket}/${location.prefix}`);
  return exact ? { candidates: [exact], isCollection: false } : { candidates, isCollection: true };
}

function lastPart(key: string): string {
  return key.replace(/\/$/, '').split('/').pop() ?? key;
}

function siblingReader(client: S3Client, bucket: string, key: string) {
  const folder = key.includes('/') ? key.slice(0, key.lastIndexOf('/') + 1) : '';
  return async (name: string): Promise<string | undefined> => {
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `${folder}${name}` }));
      return (await object.Body?.transformToString('utf8')) ?? '';
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (error as Error).name === 'NoSuchKey') return undefined;
      throw s3Problem(error as Error, `reading s3://${bucket}/${folder}${name}`);
    }
  };
}

function objectCandidate(client: S3Client, bucket: string, object: ListedObject): Candidate {
  const name = lastPart(object.key);
  return {
    name,
    location: `s3://${bucket}/${object.key}`,
    kind: 'file',
    sizeBytes: object.size,
    modified: object.modified,
    when: backupTime(name, object.modified),
    materialize: async (tempDir) => {
      const path = join(tempDir, name);
      const sha256 = await download(client, bucket, object.key, object.size, path);
      return { path, sha256, note: `downloaded ${object.size} bytes (length checked against the listing)` };
    },
    readSibling: siblingReader(client, bucket, object.key),
  };
}

function directoryCandidate(client: S3Client, bucket: string, dir: string, members: ListedObject[]): Candidate {
  const name = lastPart(dir);
  const modified = new Date(Math.max(0, ...members.map((m) => m.modified.getTime())));
  return {
    name,
    location: `s3://${bucket}/${dir}`,
    kind: 'directory',
    sizeBytes: members.reduce((sum, m) => sum + m.size, 0),
    modified,
    when: backupTime(name, modified),
    materialize: async (tempDir) => {
      const path = join(tempDir, name);
      for (const m of members) {
        const target = join(path, m.key.slice(dir.length));
        await mkdir(join(target, '..'), { recursive: true });
        await download(client, bucket, m.key, m.size, target);
      }
      return { path, note: `downloaded ${members.length} objects` };
    },
    readSibling: siblingReader(client, bucket, dir.replace(/\/$/, '')),
  };
}

/** Streams an object to a file (bounded memory), hashing on the way; a short download fails. */
async function download(
  client: S3Client,
  bucket: string,
  key: string,
  expectedSize: number,
  path: string,
): Promise<string> {
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch((error: Error) => {
    throw s3Problem(error, `downloading s3://${bucket}/${key}`);
  });
  const body = object.Body as Readable | undefined;
  if (!body) throw new Error(`s3://${bucket}/${key}: the response has no body`);
  const hash = createHash('sha256');
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(body, tap, createWriteStream(path));
  } catch (error) {
    throw new ActionFailure(
      `downloading s3://${bucket}/${key} failed: ${(error as Error).message}`,
      'a network problem: re-run the job',
    );
  }
  const { size } = await stat(path);
  if (size !== expectedSize)
    throw new BackupDamaged(
      `the download holds ${size} bytes but the listing says ${expectedSize}`,
      'the object changed while it was read, or the transfer was cut: re-run the job',
    );
  return hash.digest('hex');
}

function s3Problem(error: Error, doing: string): ActionFailure {
  const name = error.name;
  const hint =
    name === 'NoSuchBucket'
      ? 'check the bucket name in the source input'
      : /AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|CredentialsProviderError|ExpiredToken/.test(name) ||
          /credential/i.test(error.message)
        ? 'the runner needs AWS credentials allowed to s3:ListBucket and s3:GetObject (aws-actions/configure-aws-credentials, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)'
        : 'check the s3-endpoint input / AWS_ENDPOINT_URL_S3 and the network';
  return new ActionFailure(`${doing} failed: ${name}: ${error.message}`, hint);
}
