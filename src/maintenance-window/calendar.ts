import { Cron } from 'croner';
import { parseDuration } from '../core/duration.js';
import type { FreezePolicy, WindowPolicy } from '../core/policy/schema.js';
import { formatZoned, isTimeZone, zoneOffset } from '../core/zones.js';

/**
 * Windows on the calendar.
 *
 * A window is defined in local wall-clock time: "02:00 for 2h in Europe/London" means 02:00–04:00 on the
 * clocks in London, in winter (UTC+0) and in summer (UTC+1) alike. So occurrences are enumerated on the
 * wall-clock timeline (croner evaluates the cron expression with timezone UTC, where no clock ever
 * changes), and each wall-clock time is then mapped to an instant with the zone data of Intl by one rule:
 *
 *   a wall-clock time w happens at the first instant when the local clock shows w or later.
 *
 * - Spring forward (the clock jumps over w): w happens at the jump. A window starting at 01:30 London on
 *   the last Sunday of March starts at 02:00 BST (01:00 UTC) and still ends at its local end time; a
 *   window lying wholly inside the skipped hour does not happen that day.
 * - Fall back (w is shown twice): w happens the first time. A window of 00:30–01:30 London on the last
 *   Sunday of October ends at the first 01:30 (BST); a window starting at 01:30 starts then.
 * This is what croner itself does for fixed-time jobs in a zone (checked in the tests), extended to window
 * ends, and it avoids croner's other rule for interval jobs (`*`/steps: skipped in a gap, run twice in a
 * repeated hour), which would make a window happen twice in one night.
 *
 * Durations are wall-clock durations, so a window can be an hour shorter or longer on the night the
 * clocks change. Times are milliseconds since the epoch; intervals are half-open [start, end).
 */

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export type WindowKind = 'allow' | 'deny';

export interface Occurrence {
  window: CalendarWindow;
  start: number;
  end: number;
}

export interface CalendarWindow {
  readonly name: string;
  readonly kind: WindowKind;
  readonly timeZone: string;
  /** How it was defined, for reports: `0 2 * * 0 for 2h`, `2026-12-24T22:00 → 2026-12-27T06:00`, `freeze 2026-12-24 … 2026-12-26`. */
  readonly definition: string;
  /** The occurrence containing `t`, if any. With overlapping occurrences, the one that started last. */
  occurrenceAt(t: number): Occurrence | undefined;
  /** Every occurrence that ends after `t`, in order of start. */
  from(t: number): Generator<Occurrence>;
}

function zone(name: string): void {
  if (!isTimeZone(name)) throw new Error(`unknown time zone ${JSON.stringify(name)}`);
}

/** What the clocks in `zone` show at `instant`, as milliseconds on the wall-clock timeline. */
export function wallClock(instant: number, timeZone: string): number {
  return instant + zoneOffset(instant, timeZone) * 60_000;
}

/** The first instant at which the clocks in `timeZone` show `wall` or later (see the rule above). */
export function instantOf(wall: number, timeZone: string): number {
  const offset = (t: number) => zoneOffset(t, timeZone); // throws for an unknown zone, as zone() does
  const shows = (t: number) => t + offset(t) * 60_000;
  // Offsets in force a day either side; no zone has changed its clock twice within a day.
  const offsets = new Set([offset(wall - DAY), offset(wall), offset(wall + DAY)]);
  const exact = [...offsets].map((o) => wall - o * 60_000).filter((t) => shows(t) === wall);
  if (exact.length > 0) return Math.min(...exact);
  // The clock jumps over `wall`: find the jump. Before it the clock shows less, after it more.
  let before = wall - Math.max(...offsets) * 60_000;
  let after = wall - Math.min(...offsets) * 60_000;
  while (after - before > 1) {
    const mid = Math.floor((before + after) / 2);
    if (shows(mid) >= wall) after = mid;
    else before = mid;
  }
  return after;
}

function wallOfText(text: string): number {
  // `2026-12-24T22:00` or `2026-12-24` read as a wall-clock time (no zone): parse it as if it were UTC.
  return Date.parse(/T/.test(text) ? `${text}Z` : `${text}T00:00:00Z`);
}

/** A one-off time: with an offset it is an instant; without, a wall-clock time in `timeZone`. */
function oneOffInstant(text: string, timeZone: string): number {
  return /(?:Z|[+-]\d{2}:\d{2})$/i.test(text) ? Date.parse(text) : instantOf(wallOfText(text), timeZone);
}

class RecurringWindow implements CalendarWindow {
  private readonly cron: Cron;
  readonly definition: string;

  constructor(
    readonly name: string,
    readonly kind: WindowKind,
    readonly timeZone: string,
    schedule: string,
    duration: string,
    private readonly durationMs: number,
  ) {
    zone(timeZone);
    // UTC here means "the wall-clock timeline": see the comment at the top.
    this.cron = new Cron(schedule, { mode: '5-part', timezone: 'UTC' });
    this.definition = `${schedule} for ${duration} (${timeZone})`;
  }

  private occurrence(wallStart: number): Occurrence | undefined {
    const start = instantOf(wallStart, this.timeZone);
    const end = instantOf(wallStart + this.durationMs, this.timeZone);
    return end > start ? { window: this, start, end } : undefined; // empty: wholly inside a skipped hour
  }

  /** The occurrence that started last at or before `t`. */
  private latestStart(t: number): Occurrence | undefined {
    // A wall-clock time after wallClock(t) + 1 day cannot have happened by t.
    let reference = wallClock(t, this.timeZone) + DAY + 1;
    for (;;) {
      const run = this.cron.previousRuns(1, new Date(reference))[0];
      if (!run) return undefined;
      const occurrence = this.occurrence(run.getTime());
      if (occurrence && occurrence.start <= t) return occurrence;
      reference = run.getTime();
    }
  }

  occurrenceAt(t: number): Occurrence | undefined {
    const latest = this.latestStart(t);
    // Ends grow with starts, so when the latest start's occurrence is over, every earlier one is too.
    return latest && latest.end > t ? latest : undefined;
  }

  *from(t: number): Generator<Occurrence> {
    const current = this.occurrenceAt(t);
    if (current) yield current;
    let cursor = new Date(wallClock(t, this.timeZone) - DAY - 1);
    for (;;) {
      const run = this.cron.nextRun(cursor);
      if (!run) return;
      const occurrence = this.occurrence(run.getTime());
      if (occurrence && occurrence.start > t) yield occurrence;
      cursor = run;
    }
  }
}

class FixedWindow implements CalendarWindow {
  constructor(
    readonly name: string,
    readonly kind: WindowKind,
    readonly timeZone: string,
    readonly definition: string,
    private readonly start: number,
    private readonly end: number,
  ) {
    zone(timeZone);
  }

  occurrenceAt(t: number): Occurrence | undefined {
    return this.start <= t && t < this.end ? { window: this, start: this.start, end: this.end } : undefined;
  }

  *from(t: number): Generator<Occurrence> {
    if (this.end > t && this.end > this.start) yield { window: this, start: this.start, end: this.end };
  }
}

/** Builds the calendar of a validated policy window (see `windowSchema`). */
export function calendarWindow(policy: WindowPolicy): CalendarWindow {
  if (policy.schedule !== undefined && policy.duration !== undefined) {
    const ms = parseDuration(policy.duration);
    if (ms === undefined || ms <= 0) throw new Error(`window ${policy.name}: duration must be positive`);
    return new RecurringWindow(policy.name, policy.kind, policy.timeZone, policy.schedule, policy.duration, ms);
  }
  if (policy.start !== undefined && policy.end !== undefined) {
    return new FixedWindow(
      policy.name,
      policy.kind,
      policy.timeZone,
      `${policy.start} → ${policy.end} (${policy.timeZone})`,
      oneOffInstant(policy.start, policy.timeZone),
      oneOffInstant(policy.end, policy.timeZone),
    );
  }
  throw new Error(`window ${policy.name}: needs schedule+duration or start+end`);
}

/** A freeze covers whole local days, `from` to `to` inclusive. */
export function calendarFreeze(policy: FreezePolicy): CalendarWindow {
  return new FixedWindow(
    policy.name,
    'deny',
    policy.timeZone,
    `freeze ${policy.from} … ${policy.to} (${policy.timeZone})`,
    instantOf(wallOfText(policy.from), policy.timeZone),
    instantOf(wallOfText(policy.to) + DAY, policy.timeZone),
  );
}

/** `2026-11-29 02:00 UTC` */
export function formatUtc(instant: number): string {
  return `${new Date(instant).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `Sun 2026-03-29 02:00 +01:00 (Europe/London)` */
export function formatLocal(instant: number, timeZone: string): string {
  return `${formatZoned(instant, timeZone)} (${timeZone})`;
}

export function isoInstant(instant: number): string {
  return new Date(instant).toISOString();
}
