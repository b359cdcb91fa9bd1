import { SEVERITIES, type SeverityName } from '../core/policy/severities.js';

/**
 * State kept in the issues themselves, as hidden HTML comments: the incident's dedupe key and
 * counters in the issue body, and one event marker per comment we write (status updates,
 * recurrences, escalations, resolution) so that a timeline can be rebuilt and a comment whose
 * response was lost can be found again by its nonce.
 */

export interface IncidentMarker {
  v: 1;
  key: string;
  severity: SeverityName;
  occurrences: number;
  /** Index into the escalation chain (0 = first level). */
  level: number;
  /** ISO instant by which a response is due at the current level. */
  deadline: string;
  openedAt: string;
  lastSeenAt: string;
  /** Unique per create attempt: tells our own issue apart after a lost response. */
  nonce: string;
  service?: string;
}

export type IncidentEvent =
  | { type: 'recurred'; at: string; severity: SeverityName; occurrences: number; nonce: string }
  | { type: 'status'; at: string; status: string; message?: string; nextUpdate?: string; nonce: string }
  | { type: 'escalated'; at: string; level: number; role: string; nonce: string }
  | { type: 'duplicate'; at: string; of: number; nonce: string }
  | { type: 'resolved'; at: string; postMortem?: number; nonce: string };

export interface PostMortemMarker {
  v: 1;
  incident: number;
  key: string;
  nonce: string;
}

const INCIDENT = 'runbook-incident';
const EVENT = 'runbook-incident-event';
const POST_MORTEM = 'runbook-post-mortem';

/** Allowed dedupe keys: safe inside an HTML comment and JSON, readable in a URL. */
export const DEDUPE_KEY_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9._:/]|-(?!-)){0,99}$/;
export const DEDUPE_KEY_HELP =
  '1–100 characters: letters, digits, . _ : / and single dashes, starting with a letter or digit';

function encode(kind: string, data: unknown): string {
  // JSON of our own fields never contains "--" (keys are validated, the rest are numbers and ISO times).
  return `<!-- ${kind} ${JSON.stringify(data).replace(/--/g, '-\\u002d')} -->`;
}

function decode<T>(kind: string, text: string | null | undefined): T | undefined {
  const found = new RegExp(`<!-- ${kind} (\\{[^\\n]*?\\}) -->`).exec(text ?? '');
  if (!found?.[1]) return undefined;
  try {
    return JSON.parse(found[1]) as T;
  } catch {
    return undefined;
  }
}

export function incidentMarker(marker: IncidentMarker): string {
  return encode(INCIDENT, marker);
}

export function readIncidentMarker(body: string | null | undefined): IncidentMarker | undefined {
  const marker = decode<IncidentMarker>(INCIDENT, body);
  if (marker?.v !== 1 || typeof marker.key !== 'string' || !SEVERITIES.includes(marker.severity)) return undefined;
  return marker;
}

/** The body with its marker replaced (everything a person edited is kept). */
export function withIncidentMarker(body: string, marker: IncidentMarker): string {
  const pattern = new RegExp(`<!-- ${INCIDENT} \\{[^\\n]*?\\} -->`);
  return pattern.test(body)
    ? body.replace(pattern, () => incidentMarker(marker))
    : `${incidentMarker(marker)}\n${body}`;
}

export function eventMarker(event: IncidentEvent): string {
  return encode(EVENT, event);
}

export function readEvent(body: string | null | undefined): IncidentEvent | undefined {
  return decode<IncidentEvent>(EVENT, body);
}

export function postMortemMarker(marker: PostMortemMarker): string {
  return encode(POST_MORTEM, marker);
}

export function readPostMortemMarker(body: string | null | undefined): PostMortemMarker | undefined {
  return decode<PostMortemMarker>(POST_MORTEM, body);
}

/** P0 is the highest; `higher('P2', 'P1')` is P1. */
export function higherSeverity(a: SeverityName, b: SeverityName): SeverityName {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b;
}

/** `checkout/payment-errors-spike` from service `checkout` and title `Payment errors spike!`. */
export function deriveDedupeKey(title: string, service: string | undefined): string {
  const slug = (text: string) =>
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
  const parts = [service ? slug(service) : '', slug(title)].filter(Boolean);
  const key = parts
    .join('/')
    .slice(0, 100)
    .replace(/[-/]+$/, '');
  return key || 'incident';
}
