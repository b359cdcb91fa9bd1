import type { CalendarWindow, Occurrence } from './calendar.js';

/**
 * Set arithmetic on the (infinite, lazily generated) streams of window occurrences: merge the streams
 * of several windows, coalesce overlapping occurrences into blocks, take deny blocks away from allow
 * blocks, or take the complement of the deny blocks. Every stream is sorted by start.
 *
 * Searches are bounded twice: by a horizon (nothing starting after it is looked at) and by a budget of
 * occurrences, so that a pathological calendar (a deny window every minute, overlapping) ends the search
 * instead of the job. Both are generous: nine years holds the next 29 February after any date, and the
 * budget (a few seconds of work) covers years of weekly or daily windows.
 */

export interface Block {
  start: number;
  end: number;
  /** The occurrences that make up the block. */
  occurrences: Occurrence[];
}

export interface Opening {
  start: number;
  /** Infinity when nothing ever closes it again. */
  end: number;
  /** The allow occurrences that this opening lies in (none for deploys outside any allow window). */
  occurrences: Occurrence[];
}

export interface SearchLimits {
  /** No occurrence starting after this instant is considered. */
  horizon: number;
  /** Occurrences to look at in all; decremented as they are pulled. */
  budget: { remaining: number };
  /** Set when a stream was cut short by the horizon or the budget: what lies beyond is unknown. */
  truncated?: boolean;
  /** Set when the budget ran out: even before the horizon, not everything was seen. */
  exhausted?: boolean;
}

export const HORIZON_YEARS = 9;
export const OCCURRENCE_BUDGET = 5_000;

export function defaultLimits(from: number): SearchLimits {
  return { horizon: from + HORIZON_YEARS * 366 * 86_400_000, budget: { remaining: OCCURRENCE_BUDGET } };
}

/** The occurrences of all `windows` that end after `from`, in order of start, within the limits. */
export function* occurrences(
  windows: readonly CalendarWindow[],
  from: number,
  limits: SearchLimits,
): Generator<Occurrence> {
  const streams = windows.map((w) => w.from(from));
  const heads: (Occurrence | undefined)[] = streams.map((s) => pull(s, limits));
  for (;;) {
    let index = -1;
    heads.forEach((head, i) => {
      const best = heads[index];
      if (head && (!best || head.start < best.start)) index = i;
    });
    const head = heads[index];
    if (!head) return;
    yield head;
    heads[index] = pull(streams[index] as Generator<Occurrence>, limits);
  }
}

function pull(stream: Iterator<Occurrence>, limits: SearchLimits): Occurrence | undefined {
  if (limits.budget.remaining <= 0) {
    limits.truncated = true;
    limits.exhausted = true;
    return undefined;
  }
  const next = stream.next();
  if (next.done) return undefined;
  if (next.value.start > limits.horizon) {
    limits.truncated = true;
    return undefined;
  }
  limits.budget.remaining--;
  return next.value;
}

/** Coalesces overlapping or touching occurrences into disjoint blocks. */
export function* blocks(stream: Iterable<Occurrence>): Generator<Block> {
  let current: Block | undefined;
  for (const o of stream) {
    if (current && o.start <= current.end) {
      current.end = Math.max(current.end, o.end);
      current.occurrences.push(o);
      continue;
    }
    if (current) yield current;
    current = { start: o.start, end: o.end, occurrences: [o] };
  }
  if (current) yield current;
}

/** The parts of the allow blocks that no deny block covers, in order. */
export function* subtract(allow: Iterable<Block>, deny: Iterator<Block>, limits: SearchLimits): Generator<Opening> {
  const pending: Block[] = [];
  let denyDone = false;
  for (const a of allow) {
    while (pending.length > 0 && (pending[0] as Block).end <= a.start) pending.shift();
    while (!denyDone && (pending.length === 0 || (pending[pending.length - 1] as Block).start < a.end)) {
      const next = deny.next();
      if (next.done) {
        denyDone = true;
        // Deny occurrences the budget did not reach are unknown: nothing later can be called open.
        if (limits.exhausted) return;
      } else if (next.value.end > a.start) pending.push(next.value);
    }
    let cursor = a.start;
    for (const d of pending) {
      if (d.start >= a.end) break;
      if (d.start > cursor) yield { start: cursor, end: d.start, occurrences: within(a, cursor, d.start) };
      cursor = Math.max(cursor, d.end);
      if (cursor >= a.end) break;
    }
    if (cursor < a.end) yield { start: cursor, end: a.end, occurrences: within(a, cursor, a.end) };
  }
}

function within(block: Block, start: number, end: number): Occurrence[] {
  return block.occurrences.filter((o) => o.start < end && o.end > start);
}

/** The gaps between deny blocks after `from`; the first may have begun before `from`. */
export function* complement(deny: Iterable<Block>, from: number, limits: SearchLimits): Generator<Opening> {
  let cursor = Number.NEGATIVE_INFINITY;
  for (const d of deny) {
    if (d.start > cursor && d.start > from) yield { start: cursor, end: d.start, occurrences: [] };
    cursor = Math.max(cursor, d.end);
  }
  if (!limits.truncated) yield { start: cursor, end: Number.POSITIVE_INFINITY, occurrences: [] };
}
