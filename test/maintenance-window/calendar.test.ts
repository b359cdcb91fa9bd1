import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { windowSchema } from '../../src/core/policy/schema.js';
import {
  type CalendarWindow,
  calendarFreeze,
  calendarWindow,
  formatLocal,
  instantOf,
  wallClock,
} from '../../src/maintenance-window/calendar.js';

const ms = (iso: string) => Date.parse(iso);
const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());

function window(fields: Record<string, string>): CalendarWindow {
  return calendarWindow(windowSchema.parse({ name: 'w', ...fields }));
}

function occurrenceAt(w: CalendarWindow, at: string) {
  const o = w.occurrenceAt(ms(at));
  return o && { start: iso(o.start), end: iso(o.end) };
}

function starts(w: CalendarWindow, from: string, count: number) {
  const out: { start: string | undefined; end: string | undefined }[] = [];
  for (const o of w.from(ms(from))) {
    out.push({ start: iso(o.start), end: iso(o.end) });
    if (out.length === count) break;
  }
  return out;
}

describe('wall-clock times to instants', () => {
  it('maps an ordinary local time with the offset in force', () => {
    expect(iso(instantOf(ms('2026-07-05T02:00:00Z'), 'Europe/London'))).toBe('2026-07-05T01:00:00.000Z');
    expect(iso(instantOf(ms('2026-01-04T02:00:00Z'), 'Europe/London'))).toBe('2026-01-04T02:00:00.000Z');
    expect(iso(wallClock(ms('2026-07-05T01:00:00Z'), 'Europe/London'))).toBe('2026-07-05T02:00:00.000Z');
  });

  it('puts a time the clocks skip at the moment they jump (London, 29 March 2026, 01:00 GMT → 02:00 BST)', () => {
    expect(iso(instantOf(ms('2026-03-29T01:00:00Z'), 'Europe/London'))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(instantOf(ms('2026-03-29T01:30:00Z'), 'Europe/London'))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(instantOf(ms('2026-03-29T01:59:00Z'), 'Europe/London'))).toBe('2026-03-29T01:00:00.000Z');
    // 02:00 BST exists: the first instant after the jump.
    expect(iso(instantOf(ms('2026-03-29T02:00:00Z'), 'Europe/London'))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(instantOf(ms('2026-03-29T02:30:00Z'), 'Europe/London'))).toBe('2026-03-29T01:30:00.000Z');
  });

  it('takes the first of a time the clocks show twice (London, 25 October 2026, 02:00 BST → 01:00 GMT)', () => {
    expect(iso(instantOf(ms('2026-10-25T01:30:00Z'), 'Europe/London'))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(instantOf(ms('2026-10-25T02:00:00Z'), 'Europe/London'))).toBe('2026-10-25T02:00:00.000Z');
  });

  it('handles a half-hour shift (Lord Howe Island) and the southern hemisphere (Sydney, October)', () => {
    // Lord Howe: 02:00 +10:30 → 02:30 +11:00 on 4 October 2026.
    expect(iso(instantOf(ms('2026-10-04T02:15:00Z'), 'Australia/Lord_Howe'))).toBe('2026-10-03T15:30:00.000Z');
    // Sydney: 02:00 AEST → 03:00 AEDT on 4 October 2026.
    expect(iso(instantOf(ms('2026-10-04T02:30:00Z'), 'Australia/Sydney'))).toBe('2026-10-03T16:00:00.000Z');
    expect(iso(instantOf(ms('2026-10-04T03:30:00Z'), 'Australia/Sydney'))).toBe('2026-10-03T16:30:00.000Z');
  });

  it('agrees with croner in the zone for fixed-time schedules over two years of clock changes', () => {
    const cases: [string, string][] = [
      ['30 1 * * 0', 'Europe/London'],
      ['0 2 * * 0', 'Europe/London'],
      ['30 2 * * *', 'America/New_York'],
      ['0 1 * * *', 'America/New_York'],
      ['30 2 * * *', 'Australia/Sydney'],
      ['0 2 * * *', 'Australia/Lord_Howe'],
    ];
    for (const [schedule, timeZone] of cases) {
      const zoned = new Cron(schedule, { mode: '5-part', timezone: timeZone });
      // Two hours: long enough that no window lies wholly inside a skipped hour (those do not happen).
      const ours = window({ schedule, duration: '2h', timeZone });
      const expected = zoned.nextRuns(800, new Date('2026-01-01T00:00:00Z')).map((d) => d.toISOString());
      const got = starts(ours, '2026-01-01T00:00:00Z', 800).map((o) => o.start);
      expect(got, `${schedule} ${timeZone}`).toEqual(expected);
    }
  });
});

describe('recurring windows', () => {
  const weekly = window({ schedule: '0 2 * * 0', duration: '2h' });

  it('is open from 02:00 up to, not including, 04:00 on Sundays (the runbook default)', () => {
    expect(occurrenceAt(weekly, '2026-11-29T01:59:59Z')).toBeUndefined();
    expect(occurrenceAt(weekly, '2026-11-29T02:00:00Z')).toEqual({
      start: '2026-11-29T02:00:00.000Z',
      end: '2026-11-29T04:00:00.000Z',
    });
    expect(occurrenceAt(weekly, '2026-11-29T03:59:59.999Z')?.start).toBe('2026-11-29T02:00:00.000Z');
    expect(occurrenceAt(weekly, '2026-11-29T04:00:00Z')).toBeUndefined();
    expect(occurrenceAt(weekly, '2026-11-28T02:30:00Z')).toBeUndefined();
  });

  it('lists the next occurrences, the current one first', () => {
    expect(starts(weekly, '2026-11-29T03:00:00Z', 2)).toEqual([
      { start: '2026-11-29T02:00:00.000Z', end: '2026-11-29T04:00:00.000Z' },
      { start: '2026-12-06T02:00:00.000Z', end: '2026-12-06T04:00:00.000Z' },
    ]);
    expect(starts(weekly, '2026-11-29T04:00:00Z', 1)).toEqual([
      { start: '2026-12-06T02:00:00.000Z', end: '2026-12-06T04:00:00.000Z' },
    ]);
  });

  it('keeps 02:00–04:00 Europe/London local on both sides of each clock change', () => {
    const london = window({ schedule: '0 2 * * 0', duration: '2h', timeZone: 'Europe/London' });
    expect(starts(london, '2026-03-21T12:00:00Z', 3)).toEqual([
      { start: '2026-03-22T02:00:00.000Z', end: '2026-03-22T04:00:00.000Z' }, // GMT
      { start: '2026-03-29T01:00:00.000Z', end: '2026-03-29T03:00:00.000Z' }, // the change day: 02:00 BST exists
      { start: '2026-04-05T01:00:00.000Z', end: '2026-04-05T03:00:00.000Z' }, // BST
    ]);
    expect(starts(london, '2026-10-18T12:00:00Z', 2)).toEqual([
      { start: '2026-10-25T02:00:00.000Z', end: '2026-10-25T04:00:00.000Z' }, // after the repeated hour: GMT
      { start: '2026-11-01T02:00:00.000Z', end: '2026-11-01T04:00:00.000Z' },
    ]);
    expect(formatLocal(ms('2026-03-29T01:00:00Z'), 'Europe/London')).toBe(
      'Sun 2026-03-29 02:00 +01:00 (Europe/London)',
    );
  });

  it('starts a window whose start the clocks skip when they jump, and keeps its local end', () => {
    const w = window({ schedule: '30 1 * * 0', duration: '2h', timeZone: 'Europe/London' });
    // 01:30–03:30 local: starts at the jump (02:00 BST = 01:00Z), ends 03:30 BST.
    expect(occurrenceAt(w, '2026-03-29T01:00:00Z')).toEqual({
      start: '2026-03-29T01:00:00.000Z',
      end: '2026-03-29T02:30:00.000Z',
    });
    expect(occurrenceAt(w, '2026-03-29T00:59:59Z')).toBeUndefined();
  });

  it('skips a window that lies wholly inside the skipped hour', () => {
    const w = window({ schedule: '15 1 * * 0', duration: '30m', timeZone: 'Europe/London' });
    expect(occurrenceAt(w, '2026-03-29T01:00:00Z')).toBeUndefined();
    expect(starts(w, '2026-03-28T00:00:00Z', 1)).toEqual([
      { start: '2026-04-05T00:15:00.000Z', end: '2026-04-05T00:45:00.000Z' },
    ]);
  });

  it('uses the first pass of the repeated hour for starts and ends', () => {
    const starting = window({ schedule: '30 1 * * 0', duration: '1h', timeZone: 'Europe/London' });
    // 01:30 BST (00:30Z) to 02:30 GMT (02:30Z): the night is an hour longer.
    expect(occurrenceAt(starting, '2026-10-25T01:45:00Z')).toEqual({
      start: '2026-10-25T00:30:00.000Z',
      end: '2026-10-25T02:30:00.000Z',
    });
    const ending = window({ schedule: '30 0 * * 0', duration: '1h', timeZone: 'Europe/London' });
    // 00:30 BST (23:30Z Saturday) to the first 01:30 (00:30Z).
    expect(occurrenceAt(ending, '2026-10-25T00:00:00Z')).toEqual({
      start: '2026-10-24T23:30:00.000Z',
      end: '2026-10-25T00:30:00.000Z',
    });
    expect(occurrenceAt(ending, '2026-10-25T00:30:00Z')).toBeUndefined();
  });

  it('crosses midnight and the week boundary', () => {
    const friday = window({ schedule: '0 22 * * 5', duration: '4h' });
    expect(occurrenceAt(friday, '2026-11-28T01:59:00Z')).toEqual({
      start: '2026-11-27T22:00:00.000Z',
      end: '2026-11-28T02:00:00.000Z',
    });
    const weekend = window({ schedule: '0 22 * * 6', duration: '6h', timeZone: 'America/New_York' });
    // Saturday 22:00 EST to Sunday 04:00 EST (03:00Z Sunday to 09:00Z Sunday).
    expect(occurrenceAt(weekend, '2026-11-29T08:59:00Z')).toEqual({
      start: '2026-11-29T03:00:00.000Z',
      end: '2026-11-29T09:00:00.000Z',
    });
    const newYear = window({ schedule: '0 23 31 12 *', duration: '3h' });
    expect(occurrenceAt(newYear, '2027-01-01T01:00:00Z')?.start).toBe('2026-12-31T23:00:00.000Z');
  });

  it('crosses midnight on the night the clocks change, ending at its local time', () => {
    const w = window({ schedule: '0 23 * * 6', duration: '4h', timeZone: 'Europe/London' });
    // Saturday 23:00 GMT to Sunday 03:00 BST: three hours elapse.
    expect(occurrenceAt(w, '2026-03-29T01:30:00Z')).toEqual({
      start: '2026-03-28T23:00:00.000Z',
      end: '2026-03-29T02:00:00.000Z',
    });
    // Saturday 23:00 BST to Sunday 03:00 GMT: five hours elapse.
    expect(occurrenceAt(w, '2026-10-25T02:30:00Z')).toEqual({
      start: '2026-10-24T22:00:00.000Z',
      end: '2026-10-25T03:00:00.000Z',
    });
  });

  it('handles a 29 February window: four years apart, found from either side', () => {
    const leap = window({ schedule: '0 2 29 2 *', duration: '2h' });
    expect(starts(leap, '2026-11-26T00:00:00Z', 2).map((o) => o.start)).toEqual([
      '2028-02-29T02:00:00.000Z',
      '2032-02-29T02:00:00.000Z',
    ]);
    expect(occurrenceAt(leap, '2028-02-29T03:59:00Z')?.start).toBe('2028-02-29T02:00:00.000Z');
    expect(occurrenceAt(leap, '2028-03-01T03:00:00Z')).toBeUndefined();
    // A window running through the leap day.
    const monthEnd = window({ schedule: '0 12 28 2 *', duration: '2d' });
    expect(occurrenceAt(monthEnd, '2028-03-01T11:59:00Z')?.end).toBe('2028-03-01T12:00:00.000Z');
    expect(occurrenceAt(monthEnd, '2028-03-01T12:00:00Z')).toBeUndefined();
    expect(occurrenceAt(monthEnd, '2027-03-02T11:00:00Z')?.end).toBe('2027-03-02T12:00:00.000Z');
  });

  it('takes the occurrence that started last when occurrences overlap', () => {
    const hourly = window({ schedule: '0 * * * *', duration: '90m' });
    expect(occurrenceAt(hourly, '2026-11-26T10:45:00Z')).toEqual({
      start: '2026-11-26T10:00:00.000Z',
      end: '2026-11-26T11:30:00.000Z',
    });
  });
});

describe('one-off windows and freezes', () => {
  it('reads a time without offset in the window zone, and one with an offset as given', () => {
    const local = window({
      start: '2026-12-24T22:00',
      end: '2026-12-27T06:00',
      timeZone: 'America/New_York',
      kind: 'deny',
    });
    expect(occurrenceAt(local, '2026-12-25T03:00:00Z')).toEqual({
      start: '2026-12-25T03:00:00.000Z',
      end: '2026-12-27T11:00:00.000Z',
    });
    expect(occurrenceAt(local, '2026-12-25T02:59:59Z')).toBeUndefined();
    const offset = window({ start: '2026-12-24T22:00:00+01:00', end: '2026-12-25T02:00:00Z', timeZone: 'Asia/Tokyo' });
    expect(occurrenceAt(offset, '2026-12-24T21:00:00Z')?.start).toBe('2026-12-24T21:00:00.000Z');
    expect(starts(offset, '2026-12-25T02:00:00Z', 1)).toEqual([]);
  });

  it('freezes whole local days, first to last inclusive', () => {
    const freeze = calendarFreeze({
      name: 'holidays',
      from: '2026-12-24',
      to: '2026-12-26',
      timeZone: 'America/New_York',
    });
    expect(freeze.kind).toBe('deny');
    expect(occurrenceAt(freeze, '2026-12-24T05:00:00Z')).toEqual({
      start: '2026-12-24T05:00:00.000Z',
      end: '2026-12-27T05:00:00.000Z',
    });
    expect(occurrenceAt(freeze, '2026-12-24T04:59:59Z')).toBeUndefined();
    expect(occurrenceAt(freeze, '2026-12-27T05:00:00Z')).toBeUndefined();
  });

  it('freezes a day that is 23 hours long in full', () => {
    const freeze = calendarFreeze({
      name: 'change-day',
      from: '2026-03-29',
      to: '2026-03-29',
      timeZone: 'Europe/London',
    });
    expect(occurrenceAt(freeze, '2026-03-29T00:00:00Z')).toEqual({
      start: '2026-03-29T00:00:00.000Z',
      end: '2026-03-29T23:00:00.000Z',
    });
  });
});
