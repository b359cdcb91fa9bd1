/** Durations as the runbook writes them: `90s`, `10m`, `1h30m`, `2d`, `500ms`. Values are milliseconds. */
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;

export const DURATION_HELP = 'a duration such as 500ms, 90s, 10m, 1h30m or 2d (units ms, s, m, h, d, w)';

/** Parses a duration; returns undefined when the text is not one. A bare number is refused: its unit would be a guess. */
export function parseDuration(text: string): number | undefined {
  const compact = text.trim().replace(/\s+/g, '');
  if (!WHOLE.test(compact)) return undefined;
  let total = 0;
  for (const [, amount, unit] of compact.matchAll(PART)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  return Math.round(total);
}

/** `5400000` → `1h30m`; `1500` → `1s500ms`; `0` → `0ms`. Exact: parsing the result gives the same number. */
export function formatDuration(ms: number): string {
  let rest = Math.round(ms);
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
    ['ms', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('') || '0ms';
}
