import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

export const CHECKSUM_MODES = ['auto', 'require', 'write', 'off'] as const;
export type ChecksumMode = (typeof CHECKSUM_MODES)[number];

/** Names of files that hold checksums rather than backups. */
export const MANIFEST_NAMES = ['SHA256SUMS', 'SHA256SUMS.txt', 'sha256sums.txt', 'sha256sum.txt'];
export const SIDECAR_SUFFIXES = ['.sha256', '.sha256sum'];

export function isChecksumFile(name: string): boolean {
  return MANIFEST_NAMES.includes(name) || SIDECAR_SUFFIXES.some((s) => name.endsWith(s));
}

/** SHA-256 of a file, streamed (bounded memory). */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), hash);
  return hash.digest('hex');
}

/**
 * The expected SHA-256 of `name` from a sidecar (`<name>.sha256`: `<hex>` or `<hex>  <name>`, as
 * sha256sum writes) or from a manifest (`SHA256SUMS`: one `<hex>  <name>` line per file).
 * Returns undefined when the text has no entry for the file; throws on a malformed sidecar.
 */
export function expectedFromSidecar(text: string, name: string): string {
  const first = text.trim().split(/\r?\n/)[0] ?? '';
  const match = /^([0-9a-fA-F]{64})(?:\s+\*?(.+))?$/.exec(first.trim());
  if (!match)
    throw new Error(`the sidecar does not start with a SHA-256 (64 hex digits): ${JSON.stringify(first.slice(0, 80))}`);
  const named = match[2]?.trim();
  if (named !== undefined && baseName(named) !== name)
    throw new Error(`the sidecar is for ${JSON.stringify(named)}, not ${JSON.stringify(name)}`);
  return (match[1] as string).toLowerCase();
}

export function expectedFromManifest(text: string, name: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const match = /^([0-9a-fA-F]{64})\s+\*?(.+)$/.exec(line.trim());
    if (match && baseName((match[2] as string).trim()) === name) return (match[1] as string).toLowerCase();
  }
  return undefined;
}

/** The line sha256sum writes, so `sha256sum -c` can check it. */
export function sidecarText(sha256: string, name: string): string {
  return `${sha256}  ${name}\n`;
}

function baseName(path: string): string {
  return path.replace(/^\.\//, '').split('/').pop() ?? path;
}
