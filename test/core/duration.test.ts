import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/core/duration.js';

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    [' 1h 30m ', 5_400_000],
    ['1w', 604_800_000],
  ])('%s is %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '10', '10x', 'm', '1h-30m', '-5m', 'ten minutes', '1h30'])('refuses %j', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );

  it('formats back to the compact form', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(90_061_000)).toBe('1d1h1m1s');
    expect(formatDuration(0)).toBe('0ms');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(parseDuration('48h') as number)).toBe('2d');
    expect(formatDuration(1500)).toBe('1s500ms');
    for (const ms of [1, 999, 1500, 61_001, 90_061_001]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
