import { formatDuration } from '../core/duration.js';
import { formatLocal, formatUtc, isoInstant, type Occurrence } from './calendar.js';

/**
 * Maintenance notices: GitHub issues that announce one occurrence of a window. The issue body carries a
 * hidden marker naming the window and the occurrence's start in UTC; that marker, not the wording around
 * it, is what counts as evidence, and it is how announcing twice finds the first issue.
 */

export interface Notice {
  number: number;
  url: string;
  /** When the issue was created (ms): evidence counts only when this is the notice period before the start. */
  createdAt: number;
  window: string;
  start: number;
}

const MARKER = 'runbook-actions:maintenance-notice';
const MARKER_PATTERN = /<!--\s*runbook-actions:maintenance-notice\s+(\{.*?\})\s*-->/g;

/** `<!-- runbook-actions:maintenance-notice {"window":"weekly","start":"2026-11-29T02:00:00.000Z"} -->` */
export function noticeMarker(window: string, start: number): string {
  // `>` is escaped so that no window name can close the HTML comment early.
  const json = JSON.stringify({ window, start: isoInstant(start) }).replace(/>/g, '\\u003e');
  return `<!-- ${MARKER} ${json} -->`;
}

/** The (window, start) pairs an issue body announces; malformed markers are ignored. */
export function parseNoticeMarkers(body: string | null | undefined): { window: string; start: number }[] {
  const found: { window: string; start: number }[] = [];
  for (const match of (body ?? '').matchAll(MARKER_PATTERN)) {
    try {
      const value = JSON.parse(match[1] as string) as { window?: unknown; start?: unknown };
      const start = typeof value.start === 'string' ? Date.parse(value.start) : Number.NaN;
      if (typeof value.window === 'string' && Number.isFinite(start)) found.push({ window: value.window, start });
    } catch {
      // Not our marker after all (hand-edited body): it is simply not evidence.
    }
  }
  return found;
}

/** Notices that name this occurrence, oldest first. */
export function noticesFor(occurrence: Occurrence, notices: readonly Notice[]): Notice[] {
  return notices
    .filter((n) => n.window === occurrence.window.name && n.start === occurrence.start)
    .sort((a, b) => a.createdAt - b.createdAt || a.number - b.number);
}

/** A notice period as the runbook says it: `48h` rather than `2d`; other lengths as formatDuration writes them. */
export function formatNotice(ms: number): string {
  return ms > 0 && ms % 3_600_000 === 0 && ms <= 240 * 3_600_000 ? `${ms / 3_600_000}h` : formatDuration(ms);
}

/** The latest moment a notice for `occurrence` may be created and still count. */
export function noticeDeadline(occurrence: Occurrence, noticeMs: number): number {
  return occurrence.start - noticeMs;
}

/** The notice that announced `occurrence` on time, if any. */
export function timelyNotice(occurrence: Occurrence, notices: readonly Notice[], noticeMs: number): Notice | undefined {
  return noticesFor(occurrence, notices).find((n) => n.createdAt <= noticeDeadline(occurrence, noticeMs));
}

export interface NoticeContent {
  occurrence: Occurrence;
  noticeMs: number;
  plannedOperations: readonly string[];
  rollbackPlan: string;
  statusPage: string | undefined;
}

export function noticeTitle(occurrence: Occurrence): string {
  return `Scheduled maintenance: ${occurrence.window.name}, ${formatUtc(occurrence.start)} – ${formatUtc(occurrence.end)}`;
}

export function noticeBody(content: NoticeContent): string {
  const { occurrence, noticeMs } = content;
  const zone = occurrence.window.timeZone;
  const statusPage = content.statusPage ? `[status page](${content.statusPage})` : 'status page';
  return [
    noticeMarker(occurrence.window.name, occurrence.start),
    `Scheduled maintenance in window **${occurrence.window.name}**, announced ${formatNotice(noticeMs)} or more in advance as the operations runbook requires.`,
    '',
    '| | Start | End |',
    '| --- | --- | --- |',
    `| UTC | ${formatUtc(occurrence.start)} | ${formatUtc(occurrence.end)} |`,
    `| ${zone} | ${formatLocal(occurrence.start, zone)} | ${formatLocal(occurrence.end, zone)} |`,
    '',
    '### Planned operations',
    ...content.plannedOperations.map((op) => `- ${op}`),
    '',
    '### Rollback plan',
    content.rollbackPlan,
    '',
    '### Communication',
    `- [ ] ${statusPage} shows this maintenance as scheduled`,
    '- [ ] Stakeholders notified',
    `- [ ] ${statusPage} updated when the window opens`,
    `- [ ] ${statusPage} updated when the maintenance is complete (or rolled back)`,
    '',
    `<sub>Window definition: \`${occurrence.window.definition}\`. Posted by the maintenance-window action; the hidden marker above is what the action checks, so keep it when editing.</sub>`,
  ].join('\n');
}
