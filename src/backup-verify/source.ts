import { existsSync } from 'node:fs';
import { glob, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { ActionFailure } from '../core/errors.js';
import { isChecksumFile } from './checksum.js';
import { type BackupTime, backupTime } from './schedule.js';

/** One backup found at the source, before it is verified. */
export interface Candidate {
  /** The file or folder name (for S3, the last part of the key). */
  name: string;
  /** Where it is, for people: a workspace-relative path or s3://bucket/key. */
  location: string;
  kind: 'file' | 'directory';
  sizeBytes: number;
  /** mtime, or the S3 object's LastModified. */
  modified: Date;
  when: BackupTime;
  /** Makes the backup available as a local path (S3: downloads it into `tempDir`). */
  materialize(tempDir: string): Promise<Materialized>;
  /** The text of a file next to the backup (sidecar, manifest), or undefined when there is none. */
  readSibling(name: string): Promise<string | undefined>;
  /** Writes a file next to the backup; undefined where the source is read-only (S3). */
  writeSibling?: (name: string, text: string) => Promise<string>;
}

export interface Materialized {
  path: string;
  /** Known when the bytes went through the action on the way (a download). */
  sha256?: string;
  /** What fetching it checked (e.g. the download length). */
  note?: string;
}

export interface SourceListing {
  candidates: Candidate[];
  /** True when the source names several backups (folder, glob, prefix): retention can be judged. */
  isCollection: boolean;
}

const GLOB_CHARS = /[*?[\]{}]/;

/** A file, a folder of backups, a directory-format dump, or a glob; relative paths are from the workspace. */
export async function listLocal(source: string, workspace: string): Promise<SourceListing> {
  const absolute = (p: string) => (isAbsolute(p) ? p : join(workspace, p));
  if (GLOB_CHARS.test(source)) {
    const candidates: Candidate[] = [];
    for await (const match of glob(source, { cwd: workspace })) {
      const candidate = await localCandidate(absolute(match), workspace, false);
      if (candidate) candidates.push(candidate);
    }
    return { candidates, isCollection: true };
  }
  const path = absolute(source);
  const info = await stat(path).catch(() => undefined);
  if (!info)
    throw new ActionFailure(
      `no backup at ${source}: no such file or folder`,
      'the backup job did not write it, or the source input points elsewhere (relative paths start at the workspace)',
    );
  if (info.isDirectory() && !existsSync(join(path, 'toc.dat'))) {
    const candidates: Candidate[] = [];
    for (const entry of await readdir(path)) {
      const candidate = await localCandidate(join(path, entry), workspace, false);
      if (candidate) candidates.push(candidate);
    }
    return { candidates, isCollection: true };
  }
  const single = await localCandidate(path, workspace, true);
  return { candidates: single ? [single] : [], isCollection: false };
}

/** Undefined for what is not a backup: checksum files, hidden files, folders that are not directory-format dumps. */
async function localCandidate(path: string, workspace: string, named: boolean): Promise<Candidate | undefined> {
  const name = basename(path);
  if (!named && (name.startsWith('.') || isChecksumFile(name) || name.endsWith('.json'))) return undefined;
  const info = await stat(path);
  let sizeBytes = info.size;
  let modified = info.mtime;
  let kind: Candidate['kind'] = 'file';
  if (info.isDirectory()) {
    if (!existsSync(join(path, 'toc.dat'))) return undefined;
    kind = 'directory';
    sizeBytes = 0;
    for (const entry of await readdir(path)) {
      const member = await stat(join(path, entry));
      sizeBytes += member.size;
      if (member.mtime > modified) modified = member.mtime;
    }
  } else if (!info.isFile()) return undefined;
  const folder = dirname(path);
  const location = relative(workspace, path);
  return {
    name,
    location: location.startsWith('..') ? path : location,
    kind,
    sizeBytes,
    modified,
    when: backupTime(name, modified),
    materialize: async () => ({ path }),
    readSibling: async (sibling) => readFile(join(folder, sibling), 'utf8').catch(() => undefined),
    writeSibling: async (sibling, text) => {
      const file = join(folder, sibling);
      await writeFile(file, text, 'utf8');
      return file;
    },
  };
}

/** Newest first, by the backup's time (name, else mtime / LastModified). */
export function newestFirst(candidates: readonly Candidate[]): Candidate[] {
  return [...candidates].sort((a, b) => b.when.time.getTime() - a.when.time.getTime() || a.name.localeCompare(b.name));
}
