import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { formatInstant, toIsoSeconds } from '../../src/incident/instant.js';

describe('formatInstant', () => {
  it('shows the local minute and the UTC instant', () => {
    expect(formatInstant(new Date('2026-11-27T17:00:00Z'), 'Europe/London')).toBe(
      '2026-11-27 17:00 Europe/London (2026-11-27T17:00:00Z)',
    );
    expect(formatInstant(new Date('2026-07-01T16:00:30.123Z'), 'Europe/London')).toBe(
      '2026-07-01 17:00 Europe/London (2026-07-01T16:00:30Z)',
    );
    expect(formatInstant(new Date('2026-11-27T05:30:00Z'), 'UTC')).toBe('2026-11-27 05:30 UTC');
  });

  it('writes midnight as 00, not 24, and crosses the date line', () => {
    expect(formatInstant(new Date('2026-03-01T00:00:00Z'), 'UTC')).toBe('2026-03-01 00:00 UTC');
    expect(formatInstant(new Date('2026-11-26T23:30:00Z'), 'Pacific/Auckland')).toBe(
      '2026-11-27 12:30 Pacific/Auckland (2026-11-26T23:30:00Z)',
    );
  });

  it('agrees with luxon every 37 minutes through a year of DST changes in four zones', () => {
    const zones = ['Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];
    let compared = 0;
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 37 * 60_000) {
      for (const zone of zones) {
        const at = new Date(t);
        const expected = DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM-dd HH:mm');
        expect(formatInstant(at, zone)).toBe(`${expected} ${zone} (${toIsoSeconds(at)})`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(50_000);
  });
});
