import { open } from 'node:fs/promises';
import { BackupDamaged } from './format.js';

const BLOCK = 512;

export interface TarMember {
  name: string;
  size: number;
}

/**
 * Walks a pg_dump tar archive header by header (reading 512 bytes per member, never the data):
 * every header's checksum, every member's data present, and the end-of-archive blocks there.
 * Needed because pg_restore does not notice a tar dump cut short after its last data member
 * (restore.sql and the end blocks gone), and spins without end on one cut inside its data.
 */
export async function walkTar(path: string): Promise<TarMember[]> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const members: TarMember[] = [];
    const header = Buffer.alloc(BLOCK);
    let offset = 0;
    for (;;) {
      const { bytesRead } = await handle.read(header, 0, BLOCK, offset);
      if (bytesRead < BLOCK) throw cutShort(offset, members, size);
      if (header.every((b) => b === 0)) {
        const second = Buffer.alloc(BLOCK);
        const { bytesRead: read2 } = await handle.read(second, 0, BLOCK, offset + BLOCK);
        if (read2 < BLOCK || !second.every((b) => b === 0)) throw cutShort(offset, members, size);
        break;
      }
      const name = field(header, 0, 100);
      if (!checksumMatches(header))
        throw new BackupDamaged(
          `tar header at byte ${offset}${members.length ? ` (after member ${members.at(-1)?.name})` : ''} is corrupt (checksum mismatch)`,
          'the archive is damaged: restore from another backup and check the storage the dump was copied through',
        );
      const memberSize = Number.parseInt(field(header, 124, 12).trim() || '0', 8);
      if (!Number.isFinite(memberSize))
        throw new BackupDamaged(`tar member ${name} has an unreadable size`, 'the archive is damaged');
      const dataEnd = offset + BLOCK + memberSize;
      if (dataEnd > size)
        throw new BackupDamaged(
          `cut short: tar member ${name} should hold ${memberSize} bytes but the file ends ${dataEnd - size} bytes early`,
          'the dump or its upload was interrupted: make a new backup',
        );
      members.push({ name, size: memberSize });
      offset += BLOCK + Math.ceil(memberSize / BLOCK) * BLOCK;
    }
    if (members[0]?.name !== 'toc.dat')
      throw new BackupDamaged('tar archive does not start with toc.dat', 'not written by pg_dump -Ft');
    return members;
  } finally {
    await handle.close();
  }
}

function cutShort(offset: number, members: TarMember[], size: number): BackupDamaged {
  const after = members.at(-1)?.name;
  return new BackupDamaged(
    `cut short: the tar archive ends at byte ${size} without its end-of-archive blocks${after ? ` (last complete member: ${after})` : ''}; expected more at byte ${offset}`,
    'the dump or its upload was interrupted: make a new backup',
  );
}

function field(header: Buffer, start: number, length: number): string {
  return header
    .subarray(start, start + length)
    .toString('latin1')
    .replace(/\0.*$/s, '');
}

function checksumMatches(header: Buffer): boolean {
  const recorded = Number.parseInt(field(header, 148, 8).trim(), 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (header[i] as number);
  return recorded === sum;
}
