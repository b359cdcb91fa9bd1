/**
 * What counts as a healthy response: a set of status codes and, optionally, a body match.
 * Parsed from text (action inputs) so the same rules serve the action and its library callers.
 */

export interface StatusRange {
  from: number;
  to: number;
}

export interface ExpectedStatus {
  ranges: readonly StatusRange[];
  /** As written by the user, for messages: `200-299`, `200, 204`, `2xx`. */
  text: string;
}

export const STATUS_HELP = 'status codes (200), ranges (200-299) or classes (2xx), separated by commas';

export const DEFAULT_EXPECTED_STATUS: ExpectedStatus = parseExpectedStatus(['200-299']);

/** Returns why one entry is not a status code, range or class, or undefined when it is fine. */
export function statusEntryProblem(entry: string): string | undefined {
  return parseStatusEntry(entry) ? undefined : `is not a status code, range or class (expected ${STATUS_HELP})`;
}

/** Parses entries already split on commas/newlines; throws on an invalid entry (validate with statusEntryProblem first). */
export function parseExpectedStatus(entries: readonly string[]): ExpectedStatus {
  const ranges = entries.map((entry) => {
    const range = parseStatusEntry(entry);
    if (!range) throw new Error(`invalid status entry ${JSON.stringify(entry)}: expected ${STATUS_HELP}`);
    return range;
  });
  return { ranges, text: entries.join(', ') };
}

export function statusMatches(expected: ExpectedStatus, status: number): boolean {
  return expected.ranges.some((r) => status >= r.from && status <= r.to);
}

function parseStatusEntry(entry: string): StatusRange | undefined {
  const text = entry.trim().toLowerCase();
  const single = /^([1-5]\d\d)$/.exec(text);
  if (single) return { from: Number(single[1]), to: Number(single[1]) };
  const cls = /^([1-5])xx$/.exec(text);
  if (cls) return { from: Number(cls[1]) * 100, to: Number(cls[1]) * 100 + 99 };
  const range = /^([1-5]\d\d)\s*-\s*([1-5]\d\d)$/.exec(text);
  if (range && Number(range[1]) <= Number(range[2])) return { from: Number(range[1]), to: Number(range[2]) };
  return undefined;
}

export interface ExpectedBody {
  /** As written: `"status":"ok"` (substring) or `/"status":\s*"ok"/i` (regular expression). */
  text: string;
  test(body: string): boolean;
}

/**
 * `/pattern/flags` is a regular expression; anything else is a plain substring that must occur in the
 * body. Throws a message suitable for a configuration error when the regular expression is invalid.
 */
export function parseExpectedBody(text: string): ExpectedBody {
  const regex = /^\/(.+)\/([dgimsuvy]*)$/s.exec(text);
  if (!regex) return { text, test: (body) => body.includes(text) };
  let pattern: RegExp;
  try {
    // The g and y flags make test() stateful; they mean nothing for a single match.
    pattern = new RegExp(regex[1] as string, (regex[2] as string).replace(/[gy]/g, ''));
  } catch (error) {
    throw new Error(`is not a valid regular expression (${(error as Error).message})`);
  }
  return { text, test: (body) => pattern.test(body) };
}
