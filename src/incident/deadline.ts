import { DateTime } from 'luxon';
import { formatDuration, parseDuration } from '../core/duration.js';
import { ConfigurationError } from '../core/errors.js';
import type { Policy } from '../core/policy/load.js';
import type { SeverityName } from '../core/policy/schema.js';

/**
 * Response deadlines. P0–P2 are wall-clock durations (15m, 1h, 4h: an outage does not wait for
 * Monday). "next-business-day" (P3) means: by the end of business hours of the first business day
 * after the day the clock started, in the policy's time zone, skipping non-working weekdays and
 * holidays. Opened on Friday (or Saturday) → Monday 17:00; opened on Thursday at 23:00 → Friday 17:00.
 */

export type BusinessHours = Policy['businessHours'];

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export function isBusinessDay(day: DateTime, hours: BusinessHours): boolean {
  const weekday = WEEKDAYS[day.weekday - 1];
  return weekday !== undefined && hours.days.includes(weekday) && !hours.holidays.includes(day.toISODate() ?? '');
}

/** The end of business hours on the first business day after `from`'s calendar day (policy time zone). */
export function nextBusinessDayDeadline(from: Date, hours: BusinessHours): Date {
  const [hour = 17, minute = 0] = hours.end.split(':').map(Number);
  let day = DateTime.fromJSDate(from, { zone: hours.timeZone }).startOf('day');
  // A year of holidays and closed weekdays is a policy mistake, not a reason to loop forever.
  for (let i = 0; i < 366; i++) {
    day = day.plus({ days: 1 });
    if (isBusinessDay(day, hours)) return day.set({ hour, minute }).toJSDate();
  }
  throw new ConfigurationError(
    [{ field: 'businessHours', message: 'no business day within a year: check days and holidays' }],
    'policy',
  );
}

export interface ResponseRule {
  severity: SeverityName;
  /** `15m`, `1h`, … or `next-business-day`. */
  response: string;
}

export function responseDeadline(from: Date, rule: ResponseRule, hours: BusinessHours): Date {
  if (rule.response === 'next-business-day') return nextBusinessDayDeadline(from, hours);
  const ms = parseDuration(rule.response);
  if (ms === undefined)
    throw new ConfigurationError(
      [
        {
          field: `severities.${rule.severity}.response`,
          value: rule.response,
          message: 'expected a duration or next-business-day',
        },
      ],
      'policy',
    );
  return new Date(from.getTime() + ms);
}

/** `1h (P1)` or `next business day (P3)`. */
export function describeResponse(rule: ResponseRule): string {
  if (rule.response === 'next-business-day') return `next business day (${rule.severity})`;
  return `${formatDuration(parseDuration(rule.response) ?? 0)} (${rule.severity})`;
}
