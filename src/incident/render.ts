import type { Policy } from '../core/policy/load.js';
import type { SeverityName } from '../core/policy/schema.js';
import { link } from '../core/summary.js';
import { describeResponse } from './deadline.js';
import { formatInstant } from './instant.js';
import { eventMarker, type IncidentEvent, type IncidentMarker, incidentMarker, postMortemMarker } from './marker.js';

/**
 * The Markdown of incident issues, their comments and post-mortems. The summary block of an
 * incident sits between two hidden markers and is the only part re-rendered later (recurrence,
 * escalation): ticked checkboxes and edits elsewhere in the body are kept.
 */

export interface IncidentLinks {
  run?: string | undefined;
  commit?: string | undefined;
  commitSha?: string | undefined;
  deploy?: string | undefined;
  statusPage?: string | undefined;
}

export interface IncidentView {
  title: string;
  marker: IncidentMarker;
  impact: string | undefined;
  links: IncidentLinks;
}

const SUMMARY_START = '<!-- runbook-incident:summary -->';
const SUMMARY_END = '<!-- /runbook-incident:summary -->';

/** The runbook's checklists, verbatim. */
const IMMEDIATE_ACTIONS: [string, string[]][] = [
  ['Acknowledge the incident', ['Update status page', 'Notify stakeholders', 'Create incident channel']],
  ['Assess impact', ['Check monitoring dashboards', 'Identify affected services', 'Estimate user impact']],
  ['Initial mitigation', ['Apply immediate fixes if known', 'Scale resources if needed', 'Implement circuit breakers']],
];
const INVESTIGATION: [string, string[]][] = [
  ['Gather information', ['Check logs and metrics', 'Review recent deployments', 'Identify root cause']],
  ['Implement fix', ['Deploy hotfix if available', 'Rollback if necessary', 'Monitor recovery']],
  ['Communicate updates', ['Update status page', 'Notify stakeholders', 'Provide ETAs']],
];
const RESTORATION: [string, string[]][] = [
  ['Service restoration', ['Verify full functionality', 'Monitor for stability', 'Update status page']],
];

export const STATUS_TEXT: Record<string, string> = {
  investigating: '🔎 Investigating',
  identified: '🎯 Identified',
  monitoring: '📈 Monitoring',
  resolved: '✅ Resolved',
};

const SEVERITY_ICON: Record<SeverityName, string> = { P0: '🔴', P1: '🟠', P2: '🟡', P3: '🟢' };

function checklist(groups: [string, string[]][], notes: Record<string, string> = {}): string {
  return groups
    .map(([head, items]) =>
      [`- [ ] **${head}**${notes[head] ? ` — ${notes[head]}` : ''}`, ...items.map((i) => `  - [ ] ${i}`)].join('\n'),
    )
    .join('\n');
}

export function mentions(level: Policy['escalation']['chain'][number] | undefined): string {
  return (level?.mention ?? []).map((m) => (m.startsWith('@') ? m : `@${m}`)).join(' ');
}

export function escalationLabel(role: string): string {
  const slug = role
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `escalation:${slug}`.slice(0, 50);
}

export function severityLabel(severity: SeverityName): string {
  return `severity:${severity}`;
}

export function incidentTitle(title: string, severity: SeverityName): string {
  return `[${severity}] ${title.replace(/^\[P[0-3]\]\s*/, '')}`;
}

function summaryBlock(view: Omit<IncidentView, 'impact' | 'links'>, policy: Policy): string {
  const { marker } = view;
  const tz = policy.businessHours.timeZone;
  const severity = policy.severities[marker.severity];
  const level = policy.escalation.chain[marker.level];
  const rows: [string, string][] = [
    ['Severity', `**${marker.severity}** — ${severity.meaning}`],
    ...(marker.service ? ([['Service', marker.service]] as [string, string][]) : []),
    ['Opened', formatInstant(new Date(marker.openedAt), tz)],
    [
      'Response due',
      `${formatInstant(new Date(marker.deadline), tz)} — ${describeResponse({ severity: marker.severity, response: severity.response })}`,
    ],
    [
      'Escalation',
      `level ${marker.level + 1} of ${policy.escalation.chain.length}: ${level?.role ?? '—'}${mentions(level) ? ` ${mentions(level)}` : ''}`,
    ],
    [
      'Occurrences',
      marker.occurrences === 1 ? '1' : `${marker.occurrences} (last ${formatInstant(new Date(marker.lastSeenAt), tz)})`,
    ],
  ];
  return [
    SUMMARY_START,
    `> ${SEVERITY_ICON[marker.severity]} **${marker.severity} incident** — respond by ${formatInstant(new Date(marker.deadline), tz)}`,
    '',
    '| | |',
    '| --- | --- |',
    ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`),
    SUMMARY_END,
  ].join('\n');
}

export function renderIncidentBody(view: IncidentView, policy: Policy): string {
  const chain = policy.escalation.chain
    .map(
      (level, i) =>
        `${i + 1}. ${level.role}${mentions(level) ? ` — ${mentions(level)}` : ''}${i === view.marker.level ? ' ← current' : ''}`,
    )
    .join('\n');
  const ack = `label \`${policy.escalation.ackLabel}\` or a comment \`${policy.escalation.ackCommand}\``;
  return [
    incidentMarker(view.marker),
    summaryBlock(view, policy),
    '',
    '### Impact',
    view.impact?.trim() || '_Not assessed yet: edit this section._',
    '',
    '### Links',
    linkList(view.links),
    '',
    '### Escalation chain',
    chain,
    '',
    `Acknowledge with the ${ack}. Without an acknowledgement, the incident moves to the next level when the response deadline passes.`,
    '',
    '### Immediate actions (first 15 minutes)',
    checklist(IMMEDIATE_ACTIONS, { 'Acknowledge the incident': ack }),
    '',
    '### Investigation',
    checklist(INVESTIGATION),
    '',
    '### Post-incident',
    checklist(RESTORATION),
    `- [ ] **Post-mortem** — opened when the incident is resolved, due within ${describeWithin(policy.incidents.postMortemWithin)}`,
    '',
    'Status updates are comments (`investigating`, `identified`, `monitoring`, `resolved`) posted by the incident action.',
  ].join('\n');
}

const MARKER_LINE = /<!-- runbook-incident \{[^\n]*?\} -->\n?/;

/** Replaces the marker and the summary block of an existing body; the rest stays as people edited it. */
export function refreshIncidentBody(
  body: string,
  view: Omit<IncidentView, 'impact' | 'links'>,
  policy: Policy,
): string {
  const rest = body.replace(MARKER_LINE, '');
  const block = summaryBlock(view, policy);
  const start = rest.indexOf(SUMMARY_START);
  const end = rest.indexOf(SUMMARY_END);
  const refreshed =
    start !== -1 && end > start
      ? `${rest.slice(0, start)}${block}${rest.slice(end + SUMMARY_END.length)}`
      : `${block}\n\n${rest}`;
  return `${incidentMarker(view.marker)}\n${refreshed}`;
}

function linkList(links: IncidentLinks): string {
  const items = [
    links.run ? link('Workflow run', links.run) : undefined,
    links.commit ? link(`Commit ${links.commitSha?.slice(0, 7) ?? ''}`.trim(), links.commit) : undefined,
    links.deploy ? link('Deploy', links.deploy) : undefined,
    links.statusPage ? link('Status page', links.statusPage) : undefined,
  ].filter((item) => item !== undefined);
  return items.length ? items.map((item) => `- ${item}`).join('\n') : '_None given._';
}

function describeWithin(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000} hours` : `${Math.round(ms / 60_000)} minutes`;
}

export function recurredComment(
  event: Extract<IncidentEvent, { type: 'recurred' }>,
  previous: SeverityName,
  tz: string,
  links: IncidentLinks,
  impact?: string,
): string {
  const raised = event.severity !== previous ? ` Severity raised from **${previous}** to **${event.severity}**.` : '';
  return [
    eventMarker(event),
    `🔁 **Recurred** at ${formatInstant(new Date(event.at), tz)} — occurrence ${event.occurrences}.${raised}`,
    ...(impact?.trim() ? ['', `Impact: ${impact.trim()}`] : []),
    ...(links.run ? ['', `Reported by ${link('this workflow run', links.run)}.`] : []),
  ].join('\n');
}

export function statusComment(
  event: Extract<IncidentEvent, { type: 'status' }>,
  message: string | undefined,
  tz: string,
): string {
  return [
    eventMarker(event),
    `**Status: ${STATUS_TEXT[event.status] ?? event.status}** — ${formatInstant(new Date(event.at), tz)}`,
    ...(message?.trim() ? ['', message.trim()] : []),
    '',
    event.nextUpdate
      ? `Next update by ${formatInstant(new Date(event.nextUpdate), tz)}.`
      : 'No further updates planned.',
  ].join('\n');
}

export function escalationComment(
  event: Extract<IncidentEvent, { type: 'escalated' }>,
  policy: Policy,
  missed: Date,
  nextDeadline: Date,
): string {
  const tz = policy.businessHours.timeZone;
  const level = policy.escalation.chain[event.level];
  const who = mentions(level);
  return [
    eventMarker(event),
    `⏫ **Escalated to ${event.role}**${who ? ` ${who}` : ''}: not acknowledged by the response deadline (${formatInstant(missed, tz)}).`,
    '',
    `Acknowledge with the label \`${policy.escalation.ackLabel}\` or a comment \`${policy.escalation.ackCommand}\`; next escalation after ${formatInstant(nextDeadline, tz)}.`,
  ].join('\n');
}

export function duplicateComment(event: Extract<IncidentEvent, { type: 'duplicate' }>): string {
  return [
    eventMarker(event),
    `Duplicate of #${event.of}: two runs opened the same incident at once; the older issue is kept.`,
  ].join('\n');
}

export function resolutionComment(
  event: Extract<IncidentEvent, { type: 'resolved' }>,
  resolution: string,
  tz: string,
  postMortemUrl: string | undefined,
): string {
  return [
    eventMarker(event),
    `✅ **Resolved** at ${formatInstant(new Date(event.at), tz)}`,
    '',
    resolution.trim(),
    ...(event.postMortem ? ['', `Post-mortem: #${event.postMortem}${postMortemUrl ? ` (${postMortemUrl})` : ''}`] : []),
  ].join('\n');
}

export interface TimelineEntry {
  at: Date;
  text: string;
}

export function renderPostMortem(args: {
  incident: { number: number; title: string; url: string };
  marker: IncidentMarker;
  resolution: string;
  resolvedAt: Date;
  due: Date;
  timeline: TimelineEntry[];
  impact: string | undefined;
  nonce: string;
  policy: Policy;
}): string {
  const tz = args.policy.businessHours.timeZone;
  const rows = [...args.timeline]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((e) => `| ${formatInstant(e.at, tz)} | ${e.text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')} |`);
  const minutes = Math.round((args.resolvedAt.getTime() - new Date(args.marker.openedAt).getTime()) / 60_000);
  return [
    postMortemMarker({ v: 1, incident: args.incident.number, key: args.marker.key, nonce: args.nonce }),
    `Post-mortem of #${args.incident.number} (${args.incident.title}), **due by ${formatInstant(args.due, tz)}**.`,
    '',
    '| | |',
    '| --- | --- |',
    `| Severity | ${args.marker.severity} — ${args.policy.severities[args.marker.severity].meaning} |`,
    `| Duration | ${Math.floor(minutes / 60)}h ${minutes % 60}m (opened ${formatInstant(new Date(args.marker.openedAt), tz)}, resolved ${formatInstant(args.resolvedAt, tz)}) |`,
    `| Occurrences | ${args.marker.occurrences} |`,
    '',
    '### Impact',
    args.impact?.trim() || '_To be written._',
    '',
    '### Resolution',
    args.resolution.trim(),
    '',
    '### Timeline',
    '| When | What |',
    '| --- | --- |',
    ...rows,
    '',
    '### Root cause',
    '_To be written._',
    '',
    '### Action items',
    '- [ ] _Owner — action — due date_',
    '',
    '### Checklist (runbook)',
    `- [ ] Schedule the post-mortem meeting within ${describeWithin(args.policy.incidents.postMortemWithin)} of resolution`,
    '- [ ] Document timeline',
    '- [ ] Identify action items',
  ].join('\n');
}

export function statusText(status: string): string {
  return STATUS_TEXT[status] ?? status;
}
