/**
 * When a backup was made, and whether the set of backups meets the policy's freshness and retention.
 *
 * A backup's time comes from its name when the name carries one (`backup_20240101.sql`,
 * `db-2024-01-01T02-30-00Z.dump`, `2024-01-01_0230.sql.gz`), read as UTC unless it has an offset;
 * otherwise from the file's mtime or the S3 object's LastModified. A name with a date but no time
 * is refined by the mtime when that falls on the same UTC day, else taken as 00:00 UTC (the oldest
 * it can be). Names win because copies and uploads reset mtimes; a name is what the backup job wrote.
 */
export type TimeSource = 'name' | 'name-date+modified' | 'name-date' | 'modified';

export interface BackupTime {
  time: Date;
  source: TimeSource;
}

const STAMP =
  /(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?:[T_ -]?(\d{2})[:.-]?(\d{2})(?:[:.-]?(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?(?!\d)/g;

export function timeFromName(name: string): { time: Date; hasTime: boolean } | undefined {
  for (const m of name.matchAll(STAMP)) {
    const [, y, mo, d, h, mi, s, zone] = m;
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    if (year < 1990 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) continue;
    const hasTime = h !== undefined;
    if (hasTime && (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59)) continue;
    const offset = zone && zone !== 'Z' ? zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : 'Z';
    const iso = `${y}-${mo}-${d}T${hasTime ? `${h}:${mi}:${s ?? '00'}` : '00:00:00'}${offset}`;
    const time = new Date(iso);
    // Refuse impossible dates (2024-02-31) rather than let them roll over into March.
    if (Number.isNaN(time.getTime()) || new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) continue;
    return { time, hasTime };
  }
  return undefined;
}

export function backupTime(name: string, modified: Date): BackupTime {
  const fromName = timeFromName(name);
  if (!fromName) return { time: modified, source: 'modified' };
  if (fromName.hasTime) return { time: fromName.time, source: 'name' };
  if (utcDay(modified) === utcDay(fromName.time)) return { time: modified, source: 'name-date+modified' };
  return { time: fromName.time, source: 'name-date' };
}

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * The retention window is the `days` complete UTC days before today (yesterday and the days
 * before it): today's backup may not have run yet when the check runs, and freshness covers it.
 * Returns the days in the window without a backup, oldest first.
 */
export function missingDays(times: readonly Date[], now: Date, days: number): string[] {
  const have = new Set(times.map(utcDay));
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const missing: string[] = [];
  for (let back = days; back >= 1; back--) {
    const day = utcDay(new Date(today - back * 86_400_000));
    if (!have.has(day)) missing.push(day);
  }
  return missing;
}

export function retentionWindow(now: Date, days: number): { from: string; to: string } {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { from: utcDay(new Date(today - days * 86_400_000)), to: utcDay(new Date(today - 86_400_000)) };
}
