import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/core/policy/parse.js';
import { nextBusinessDayDeadline, responseDeadline } from '../../src/incident/deadline.js';

const defaults = parsePolicy({});
const hours = (overrides: Record<string, unknown> = {}) => parsePolicy({ businessHours: overrides }).businessHours;
const at = (iso: string) => new Date(iso);

describe('response deadlines from the runbook', () => {
  it('P0 15 minutes, P1 1 hour, P2 4 hours, around the clock (weekends included)', () => {
    const saturdayNight = at('2026-11-28T23:50:00Z');
    const deadline = (severity: 'P0' | 'P1' | 'P2') =>
      responseDeadline(
        saturdayNight,
        { severity, ...defaults.severities[severity] },
        defaults.businessHours,
      ).toISOString();
    expect(deadline('P0')).toBe('2026-11-29T00:05:00.000Z');
    expect(deadline('P1')).toBe('2026-11-29T00:50:00.000Z');
    expect(deadline('P2')).toBe('2026-11-29T03:50:00.000Z');
  });

  it('P3 is due by the end of the next business day', () => {
    const rule = { severity: 'P3' as const, ...defaults.severities.P3 };
    expect(rule.response).toBe('next-business-day');
    // Wednesday → Thursday 17:00 UTC
    expect(responseDeadline(at('2026-11-25T10:00:00Z'), rule, defaults.businessHours).toISOString()).toBe(
      '2026-11-26T17:00:00.000Z',
    );
  });
});

describe('next business day', () => {
  it.each([
    ['Friday morning', '2026-11-27T08:00:00Z', '2026-11-30T17:00:00.000Z'],
    ['Friday after hours', '2026-11-27T22:00:00Z', '2026-11-30T17:00:00.000Z'],
    ['Saturday', '2026-11-28T12:00:00Z', '2026-11-30T17:00:00.000Z'],
    ['Sunday night', '2026-11-29T23:59:00Z', '2026-11-30T17:00:00.000Z'],
    ['Monday before hours', '2026-11-30T06:00:00Z', '2026-12-01T17:00:00.000Z'],
  ])('skips the weekend: %s', (_, from, due) => {
    expect(nextBusinessDayDeadline(at(from), hours()).toISOString()).toBe(due);
  });

  it('skips holidays, also when they follow a weekend', () => {
    const christmas = hours({ holidays: ['2026-12-24', '2026-12-25', '2026-12-28'] });
    // Wednesday 23 Dec → Thu 24 and Fri 25 are holidays, weekend, Mon 28 holiday → Tuesday 29 Dec
    expect(nextBusinessDayDeadline(at('2026-12-23T15:00:00Z'), christmas).toISOString()).toBe(
      '2026-12-29T17:00:00.000Z',
    );
  });

  it('counts days in the policy time zone: late Thursday in New York is still Thursday there', () => {
    const newYork = hours({ timeZone: 'America/New_York', end: '18:00' });
    // 03:00 UTC Friday = 22:00 Thursday in New York → Friday 18:00 EST = 23:00 UTC
    expect(nextBusinessDayDeadline(at('2026-11-27T03:00:00Z'), newYork).toISOString()).toBe('2026-11-27T23:00:00.000Z');
    // The same instant in Tokyo is Friday noon → next business day Monday 18:00 JST = 09:00 UTC
    const tokyo = hours({ timeZone: 'Asia/Tokyo', end: '18:00' });
    expect(nextBusinessDayDeadline(at('2026-11-27T03:00:00Z'), tokyo).toISOString()).toBe('2026-11-30T09:00:00.000Z');
  });

  it('keeps the local end of day across a daylight-saving change', () => {
    const london = hours({ timeZone: 'Europe/London' });
    // Friday 23 Oct 2026 (BST, UTC+1) → Monday 26 Oct, after the clocks went back (GMT): 17:00 local = 17:00 UTC
    expect(nextBusinessDayDeadline(at('2026-10-23T12:00:00Z'), london).toISOString()).toBe('2026-10-26T17:00:00.000Z');
    // Thursday 22 Oct (BST) → Friday 23 Oct 17:00 BST = 16:00 UTC
    expect(nextBusinessDayDeadline(at('2026-10-22T12:00:00Z'), london).toISOString()).toBe('2026-10-23T16:00:00.000Z');
  });

  it('follows the policy working days (Sunday–Thursday week)', () => {
    const week = hours({ days: ['sun', 'mon', 'tue', 'wed', 'thu'], timeZone: 'Asia/Jerusalem' });
    // Thursday → Sunday
    expect(nextBusinessDayDeadline(at('2026-11-26T10:00:00Z'), week).toISOString()).toBe('2026-11-29T15:00:00.000Z');
  });

  it('refuses a calendar without any business day in a year', () => {
    const closed = hours({ days: ['sat'], holidays: Array.from({ length: 53 }, (_, i) => saturday(i)) });
    expect(() => nextBusinessDayDeadline(at('2026-01-01T00:00:00Z'), closed)).toThrow(/no business day within a year/);
  });
});

function saturday(week: number): string {
  const first = Date.UTC(2026, 0, 3); // Saturday 3 Jan 2026
  return new Date(first + week * 7 * 86_400_000).toISOString().slice(0, 10);
}
