import { ActionFailure } from '../core/errors.js';
import { type CalendarWindow, formatUtc, type Occurrence } from './calendar.js';
import { formatNotice, type Notice, noticeDeadline, noticesFor, timelyNotice } from './notice.js';
import {
  blocks,
  complement,
  defaultLimits,
  type Opening,
  occurrences,
  type SearchLimits,
  subtract,
} from './openings.js';

/**
 * The decision: may this operation run at this instant? Pure: the calendar, the instant and the notices
 * found on GitHub go in, a decision with its reason and the next opportunities comes out.
 *
 * - maintenance: inside an allow window that no deny window or freeze covers, and that occurrence was
 *   announced (a notice created at least the notice period before it started).
 * - deploy: not inside a deny window or freeze; with deploysOnlyInWindows, also inside an allow window.
 * Deny beats allow.
 */

export type Operation = 'maintenance' | 'deploy';

export interface Calendar {
  /** The allow windows in play (all of the policy's, or those the `window` input names). */
  allow: readonly CalendarWindow[];
  /** Every deny window and freeze: naming windows never switches a freeze off. */
  deny: readonly CalendarWindow[];
}

export interface Rules {
  operation: Operation;
  /** Milliseconds of notice a maintenance needs; 0 means no announcement is required. */
  noticeMs: number;
  noticeLabel: string;
  deploysOnlyInWindows: boolean;
}

export interface Decision {
  operation: Operation;
  at: number;
  allowed: boolean;
  reason: string;
  /** The allow window that lets the operation run (deploy: the allow window it is in, if any). */
  activeWindow: Occurrence | undefined;
  /** When the current opening closes, when allowed. */
  openUntil: number | undefined;
  activeAllow: Occurrence[];
  activeDeny: Occurrence[];
  /** The notice that announced the active window (maintenance). */
  notice: Notice | undefined;
  /** The next opportunities that start after `at`, soonest first. */
  next: Opening[];
  /** True when the search for openings stopped at its limits (see openings.ts). */
  searchCutShort: boolean;
  override: OverrideRecord | undefined;
}

export interface OverrideRecord {
  actor: string;
  reason: string;
  /** False when the operation was allowed anyway and the override changed nothing. */
  applied: boolean;
}

export function decide(calendar: Calendar, rules: Rules, at: number, notices: readonly Notice[], count = 3): Decision {
  const activeAllow = active(calendar.allow, at);
  const activeDeny = active(calendar.deny, at);
  const limits = defaultLimits(at);
  const openings = openingsAfter(calendar, rules, at, notices, limits);
  const current = openings.find((o) => o.start <= at && at < o.end);
  const next = openings.filter((o) => o.start > at).slice(0, count);
  const base = { operation: rules.operation, at, activeAllow, activeDeny, next, override: undefined };
  const result = (allowed: boolean, reason: string, activeWindow?: Occurrence, notice?: Notice): Decision => ({
    ...base,
    allowed,
    reason,
    activeWindow,
    notice,
    openUntil: allowed ? current?.end : undefined,
    searchCutShort: limits.truncated === true && next.length < count,
  });

  const deny = activeDeny.sort((a, b) => b.end - a.end)[0];
  if (deny)
    return result(false, `inside deny window "${deny.window.name}" until ${formatUtc(deny.end)}${nextText(next)}`);

  if (rules.operation === 'deploy') {
    const inside = activeAllow[0];
    if (inside) return result(true, `inside allow window "${inside.window.name}" and no deny window is active`, inside);
    if (rules.deploysOnlyInWindows)
      return result(false, `outside every allow window (maintenance.deploysOnlyInWindows is true)${nextText(next)}`);
    return result(true, 'no deny window is active');
  }

  if (activeAllow.length === 0) return result(false, `outside every maintenance window${nextText(next)}`);
  if (rules.noticeMs === 0) {
    const inside = activeAllow[0] as Occurrence;
    return result(true, `inside maintenance window "${inside.window.name}" (no notice required)`, inside);
  }
  for (const occurrence of activeAllow) {
    const notice = timelyNotice(occurrence, notices, rules.noticeMs);
    if (notice)
      return result(
        true,
        `inside maintenance window "${occurrence.window.name}", announced in issue #${notice.number}`,
        occurrence,
        notice,
      );
  }
  const missing = activeAllow.map((o) => unannouncedText(o, rules, notices)).join('; ');
  return result(false, `${missing}${nextText(next)}`);
}

function unannouncedText(occurrence: Occurrence, rules: Rules, notices: readonly Notice[]): string {
  const deadline = noticeDeadline(occurrence, rules.noticeMs);
  const late = noticesFor(occurrence, notices)[0];
  const evidence = late
    ? `issue #${late.number} announced it only at ${formatUtc(late.createdAt)}`
    : `no issue labelled "${rules.noticeLabel}" announces it`;
  return `window "${occurrence.window.name}" (started ${formatUtc(occurrence.start)}) was not announced ${formatNotice(rules.noticeMs)} ahead, by ${formatUtc(deadline)}: ${evidence}`;
}

function nextText(next: readonly Opening[]): string {
  const first = next[0];
  return first ? `; next opening ${formatUtc(first.start)}` : '; no opening found';
}

function active(windows: readonly CalendarWindow[], at: number): Occurrence[] {
  return windows.flatMap((w) => {
    const o = w.occurrenceAt(at);
    return o ? [o] : [];
  });
}

/**
 * When the operation may run, from the opening that contains `at` (if any) on, soonest first.
 * A maintenance opening must lie in an occurrence that was announced on time, or that can still be.
 */
function openingsAfter(
  calendar: Calendar,
  rules: Rules,
  at: number,
  notices: readonly Notice[],
  limits: SearchLimits,
  wanted = 4,
): Opening[] {
  const denyBlocks = blocks(occurrences(calendar.deny, at, limits));
  let stream: Iterable<Opening>;
  if (rules.operation === 'deploy' && !rules.deploysOnlyInWindows) {
    stream = complement(denyBlocks, at, limits);
  } else {
    const usable = (o: Occurrence) =>
      rules.operation === 'deploy' ||
      rules.noticeMs === 0 ||
      timelyNotice(o, notices, rules.noticeMs) !== undefined ||
      noticeDeadline(o, rules.noticeMs) >= at;
    stream = subtract(blocks(filter(occurrences(calendar.allow, at, limits), usable)), denyBlocks, limits);
  }
  const found: Opening[] = [];
  for (const opening of stream) {
    if (opening.end <= at) continue;
    found.push(opening);
    if (found.filter((o) => o.start > at).length >= wanted) break;
  }
  return found;
}

function* filter<T>(items: Iterable<T>, keep: (item: T) => boolean): Generator<T> {
  for (const item of items) if (keep(item)) yield item;
}

/**
 * An audited override: only the policy's overrideActors may use one; anyone else's is refused outright,
 * so that an attempt never passes silently.
 */
export function applyOverride(
  decision: Decision,
  request: { reason: string | undefined; actor: string | undefined; allowedActors: readonly string[] },
): Decision {
  if (request.reason === undefined) return decision;
  const actor = request.actor ?? '';
  const permitted =
    actor !== '' && request.allowedActors.some((a) => a.replace(/^@/, '').toLowerCase() === actor.toLowerCase());
  if (!permitted)
    throw new ActionFailure(
      `override refused: ${actor ? `@${actor}` : 'the actor (GITHUB_ACTOR is not set)'} is not in maintenance.overrideActors (${
        request.allowedActors.length ? request.allowedActors.join(', ') : 'empty'
      })`,
      'ask one of the listed people to run the workflow with override-reason, or wait for an opening',
    );
  const override = { actor, reason: request.reason, applied: !decision.allowed };
  if (decision.allowed) return { ...decision, override };
  return {
    ...decision,
    allowed: true,
    reason: `overridden by @${actor}: ${request.reason} (blocked because ${decision.reason})`,
    override,
  };
}

export interface AnnouncementPlan {
  window: CalendarWindow;
  /** The next occurrence that can still be announced on time and is not wholly frozen. */
  occurrence: Occurrence | undefined;
  /** A notice that already announces it (announcing again does nothing). */
  existing: Notice | undefined;
  /** Occurrences between now and `occurrence` that are too close to be announced on time. */
  tooLate: Occurrence[];
}

/** What `mode: announce` should post: for each allow window in play, its next announceable occurrence. */
export function planAnnouncements(
  calendar: Calendar,
  noticeMs: number,
  at: number,
  notices: readonly Notice[],
): AnnouncementPlan[] {
  return calendar.allow.map((window) => {
    const limits = defaultLimits(at);
    const tooLate: Occurrence[] = [];
    for (const occurrence of occurrences([window], at, limits)) {
      if (occurrence.start <= at) continue;
      if (frozen(occurrence, calendar.deny)) continue;
      if (noticeDeadline(occurrence, noticeMs) < at) {
        if (!timelyNotice(occurrence, notices, noticeMs)) tooLate.push(occurrence);
        continue;
      }
      return { window, occurrence, existing: noticesFor(occurrence, notices)[0], tooLate };
    }
    return { window, occurrence: undefined, existing: undefined, tooLate };
  });
}

/** True when deny windows and freezes cover the whole occurrence. */
function frozen(occurrence: Occurrence, deny: readonly CalendarWindow[]): boolean {
  const limits = defaultLimits(occurrence.start);
  const allow = [{ start: occurrence.start, end: occurrence.end, occurrences: [occurrence] }];
  for (const _ of subtract(allow, blocks(occurrences(deny, occurrence.start, limits)), limits)) return false;
  return true;
}

/** Each window's occurrence at `at` and its next one, for the report. */
export function windowOverview(
  windows: readonly CalendarWindow[],
  at: number,
): { window: CalendarWindow; current: Occurrence | undefined; next: Occurrence | undefined }[] {
  return windows.map((window) => {
    const limits = defaultLimits(at);
    let next: Occurrence | undefined;
    for (const o of occurrences([window], at, limits)) {
      if (o.start > at) {
        next = o;
        break;
      }
    }
    return { window, current: window.occurrenceAt(at), next };
  });
}
