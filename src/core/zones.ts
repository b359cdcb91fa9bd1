/**
 * IANA time zones with the built-in Intl, computing exactly what luxon computes (its IANAZone and
 * DateTime.toFormat), without loading luxon.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();
const known = new Map<string, boolean>([['UTC', true]]);

/**
 * Whether Intl knows `name` as a time zone, e.g. `UTC` or `Europe/London`. Remembered: a formatter with a
 * zone costs about a millisecond, the first one (ICU's zone data) more, and the policy checks the same few.
 * `UTC`, every default of the policy, never needs Intl at all.
 */
export function isTimeZone(name: string): boolean {
  let valid = known.get(name);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name }).format();
      valid = name !== '';
    } catch {
      valid = false;
    }
    known.set(name, valid);
  }
  return valid;
}

/** One formatter per zone, reading the wall clock to the second (as luxon's IANAZone does). */
function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    if (!isTimeZone(timeZone)) throw new Error(`unknown time zone ${JSON.stringify(timeZone)}`);
    format = new Intl.DateTimeFormat('en-US', {
      hourCycle: 'h23',
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      era: 'short',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** The UTC offset of `timeZone` at `instant` in minutes (fractional for second-precise LMT offsets), as luxon's `IANAZone.offset`. */
export function zoneOffset(instant: number, timeZone: string): number {
  const date = new Date(instant);
  const at = date.getTime();
  if (timeZone === 'UTC') return Number.isNaN(at) ? Number.NaN : 0;
  const format = formatter(timeZone);
  if (Number.isNaN(at)) return Number.NaN;
  const f: Record<string, string> = {};
  for (const { type, value } of format.formatToParts(date)) f[type] = value;
  const year = f.era === 'BC' ? 1 - Number(f.year) : Number(f.year);
  const hour = Number(f.hour);
  const wall = new Date(0);
  wall.setUTCFullYear(year, Number(f.month) - 1, Number(f.day)); // not Date.UTC, which reads 0–99 as 19xx
  wall.setUTCHours(hour === 24 ? 0 : hour, Number(f.minute), Number(f.second));
  const over = at % 1000;
  return (wall.getTime() - (at - (over >= 0 ? over : 1000 + over))) / (60 * 1000);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad = (n: number, width: number) => (n < 0 ? '-' : '') + String(Math.abs(n)).padStart(width, '0');

/** `Sun 2026-03-29 02:00 +01:00`: luxon's `toFormat('ccc yyyy-MM-dd HH:mm ZZ')` in `timeZone`, locale en-US. */
export function formatZoned(instant: number, timeZone: string): string {
  const offset = zoneOffset(instant, timeZone);
  // The same arithmetic as luxon (offset * 60 * 1000, then Date truncates), so LMT times round alike.
  const w = new Date(instant + offset * 60 * 1000);
  if (Number.isNaN(w.getTime())) return 'Invalid DateTime';
  const hours = Math.trunc(Math.abs(offset / 60));
  const minutes = Math.trunc(Math.abs(offset % 60));
  return (
    `${WEEKDAYS[w.getUTCDay()]} ${pad(w.getUTCFullYear(), 4)}-${pad(w.getUTCMonth() + 1, 2)}-${pad(w.getUTCDate(), 2)} ` +
    `${pad(w.getUTCHours(), 2)}:${pad(w.getUTCMinutes(), 2)} ${offset >= 0 ? '+' : '-'}${pad(hours, 2)}:${pad(minutes, 2)}`
  );
}
