import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatZoned, isTimeZone, zoneOffset } from '../../src/core/zones.js';

const MINUTE = 60_000;
const utc = Date.UTC;

describe('isTimeZone', () => {
  it('accepts IANA names and rejects the rest', () => {
    for (const name of ['UTC', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Etc/GMT+5'])
      expect(isTimeZone(name)).toBe(true);
    for (const name of ['', 'Mars/Olympus', 'UTC+5', 'local', 'Europe/London ']) expect(isTimeZone(name)).toBe(false);
  });
});

describe('zoneOffset and formatZoned, known values', () => {
  const cases: [number, string, number, string][] = [
    // London: spring forward at 01:00 UTC, fall back at 01:00 UTC.
    [utc(2026, 2, 29, 0, 59), 'Europe/London', 0, 'Sun 2026-03-29 00:59 +00:00'],
    [utc(2026, 2, 29, 1), 'Europe/London', 60, 'Sun 2026-03-29 02:00 +01:00'],
    [utc(2026, 9, 25, 0, 59), 'Europe/London', 60, 'Sun 2026-10-25 01:59 +01:00'],
    [utc(2026, 9, 25, 1), 'Europe/London', 0, 'Sun 2026-10-25 01:00 +00:00'],
    // New York.
    [utc(2026, 2, 8, 6, 59), 'America/New_York', -300, 'Sun 2026-03-08 01:59 -05:00'],
    [utc(2026, 2, 8, 7), 'America/New_York', -240, 'Sun 2026-03-08 03:00 -04:00'],
    [utc(2026, 10, 1, 5, 59), 'America/New_York', -240, 'Sun 2026-11-01 01:59 -04:00'],
    [utc(2026, 10, 1, 6), 'America/New_York', -300, 'Sun 2026-11-01 01:00 -05:00'],
    // Lord Howe moves its clocks by 30 minutes (+11:00 in summer, +10:30 in winter).
    [utc(2026, 3, 4, 14, 59), 'Australia/Lord_Howe', 660, 'Sun 2026-04-05 01:59 +11:00'],
    [utc(2026, 3, 4, 15), 'Australia/Lord_Howe', 630, 'Sun 2026-04-05 01:30 +10:30'],
    [utc(2026, 9, 3, 15, 29), 'Australia/Lord_Howe', 630, 'Sun 2026-10-04 01:59 +10:30'],
    [utc(2026, 9, 3, 15, 30), 'Australia/Lord_Howe', 660, 'Sun 2026-10-04 02:30 +11:00'],
    // Half and quarter hours, UTC.
    [utc(2026, 0, 1), 'Asia/Kolkata', 330, 'Thu 2026-01-01 05:30 +05:30'],
    [utc(2026, 0, 1), 'Asia/Kathmandu', 345, 'Thu 2026-01-01 05:45 +05:45'],
    [utc(2026, 0, 1), 'UTC', 0, 'Thu 2026-01-01 00:00 +00:00'],
    // Midnight is 00:00 of the next day, never 24:00.
    [utc(2026, 5, 30, 23), 'Europe/London', 60, 'Wed 2026-07-01 00:00 +01:00'],
    [utc(2026, 11, 31, 18, 15), 'Asia/Kathmandu', 345, 'Fri 2027-01-01 00:00 +05:45'],
    // Local mean time, to the second: Kathmandu +05:41:16, Dublin -00:25:21 (ZZ drops the seconds).
    [utc(1900, 0, 1), 'Asia/Kathmandu', 20_476 / 60, 'Mon 1900-01-01 05:41 +05:41'],
    [utc(1900, 0, 1), 'Europe/Dublin', -1_521 / 60, 'Sun 1899-12-31 23:34 -00:25'],
  ];
  it.each(cases)('%i in %s', (instant, zone, offset, text) => {
    expect(zoneOffset(instant, zone)).toBe(offset);
    expect(formatZoned(instant, zone)).toBe(text);
  });

  it('reads the clock to the second, as luxon does', () => {
    expect(zoneOffset(utc(2026, 2, 29, 0, 59, 59, 999), 'Europe/London')).toBe(0);
    expect(zoneOffset(utc(1900, 0, 1) - 1, 'Asia/Kathmandu')).toBe(20_476 / 60);
  });

  it('rejects an unknown zone', () => {
    expect(() => zoneOffset(0, 'Mars/Olympus')).toThrow('unknown time zone "Mars/Olympus"');
    expect(() => formatZoned(0, 'Mars/Olympus')).toThrow('unknown time zone "Mars/Olympus"');
  });
});

describe('zoneOffset and formatZoned against luxon', () => {
  const luxonText = (t: number, zone: string) =>
    DateTime.fromMillis(t, { zone, locale: 'en-US' }).toFormat('ccc yyyy-MM-dd HH:mm ZZ');

  /** Compares every `step` ms from `from` (inclusive) to `to` (exclusive); returns how many instants. */
  function compare(zones: string[], from: number, to: number, step: number): number {
    let compared = 0;
    const offsetDiffs: string[] = [];
    const textDiffs: string[] = [];
    for (const zone of zones) {
      const luxonZone = IANAZone.create(zone);
      for (let t = from; t < to; t += step) {
        const offset = zoneOffset(t, zone);
        if (!Object.is(offset, luxonZone.offset(t))) offsetDiffs.push(`${zone} ${t}`);
        if (formatZoned(t, zone) !== luxonText(t, zone)) textDiffs.push(`${zone} ${t}`);
        compared++;
      }
    }
    expect(offsetDiffs.slice(0, 5)).toEqual([]);
    expect(textDiffs.slice(0, 5)).toEqual([]);
    return compared;
  }

  it('every 37 minutes over 2026', () => {
    const zones = [
      'UTC',
      'Europe/London',
      'America/New_York',
      'Australia/Lord_Howe',
      'Asia/Kolkata',
      'Asia/Kathmandu',
      'Pacific/Chatham',
      'Africa/Casablanca',
    ];
    const compared = compare(zones, utc(2026, 0, 1), utc(2027, 0, 1), 37 * MINUTE);
    expect(compared).toBe(zones.length * 14_206); // ceil(365 days / 37 minutes)
  });

  // Local mean time to the second; Shanghai leaves it on 1901-01-01. The series starts 777 ms past a
  // minute, so the truncation of negative instants to the second is exercised too.
  const historic = [
    'America/Detroit',
    'Europe/Dublin',
    'Europe/Helsinki',
    'Africa/Monrovia',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Asia/Shanghai',
  ];

  it('every 37 minutes from mid-1900 to mid-1901', () => {
    const compared = compare(historic, utc(1900, 6, 1) + 777, utc(1901, 6, 1), 37 * MINUTE);
    expect(compared).toBe(historic.length * 14_206); // ceil((365 days - 777 ms) / 37 minutes)
  });

  it('every second across local minute boundaries with offsets of whole seconds (1900)', () => {
    let compared = 0;
    for (let day = 0; day < 40; day++) {
      const from = utc(1900, 0, 1) + day * 9 * 24 * 60 * MINUTE + day * 13 * MINUTE;
      compared += compare(historic, from, from + 2 * MINUTE, 1000);
    }
    expect(compared).toBe(40 * historic.length * 120);
  });
});
