/**
 * Instants as the incident issues show them. Plain Intl, not luxon: the action's entry point formats
 * instants, and luxon (needed only for business-day arithmetic) then loads with the policy, not at start-up.
 */

const formats = new Map<string, Intl.DateTimeFormat>();

/** `2026-11-27 17:00` in `timeZone` (an IANA name the policy schema has already validated). */
function localMinute(at: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}

/** `2026-11-27 17:00 Europe/London (2026-11-27T17:00:00Z)`: local for people, UTC for machines. */
export function formatInstant(at: Date, timeZone: string): string {
  if (timeZone === 'UTC') return `${localMinute(at, 'UTC')} UTC`;
  return `${localMinute(at, timeZone)} ${timeZone} (${toIsoSeconds(at)})`;
}

export function toIsoSeconds(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
