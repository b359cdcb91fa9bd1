import type { Clock } from '../core/clock.js';
import { ActionFailure, errorMessage } from '../core/errors.js';
import type { GitHubClient } from '../core/github.js';
import type { Logger } from '../core/logger.js';
import type { Policy } from '../core/policy/load.js';
import type { SeverityName } from '../core/policy/schema.js';
import { responseDeadline } from './deadline.js';
import { toIsoSeconds } from './instant.js';
import {
  higherSeverity,
  type IncidentEvent,
  type IncidentMarker,
  readEvent,
  readIncidentMarker,
  readPostMortemMarker,
} from './marker.js';
import {
  duplicateComment,
  escalationComment,
  escalationLabel,
  type IncidentLinks,
  incidentTitle,
  recurredComment,
  refreshIncidentBody,
  renderIncidentBody,
  renderPostMortem,
  resolutionComment,
  severityLabel,
  statusComment,
  statusText,
  type TimelineEntry,
} from './render.js';

/**
 * The incident process kept in GitHub issues. Open incidents are found by listing the repository's
 * issues with the incident label (consistent, unlike search) and reading the hidden marker.
 *
 * Writes that create something (issues, comments) go out without Octokit's automatic retry, which
 * would repeat a POST whose response was lost and create a duplicate; on a 5xx or network error we
 * look for what we tried to create (by its nonce) before trying again. Two runs that still create
 * the same incident at once are reconciled afterwards: the newer issue is closed as a duplicate.
 */

export interface IncidentDeps {
  github: GitHubClient;
  repo: { owner: string; repo: string };
  policy: Policy;
  clock: Clock;
  log: Logger;
  /** A unique token per written object (tests may make it predictable). */
  nonce: () => string;
}

export interface IssueData {
  number: number;
  html_url: string;
  title: string;
  body?: string | null;
  state: string;
  created_at: string;
  labels: (string | { name?: string; color?: string | null; description?: string | null })[];
  user: { login: string; type?: string } | null;
  pull_request?: unknown;
}

export interface Incident {
  issue: IssueData;
  marker: IncidentMarker;
}

/** GitHub's colour for labels it creates on the fly (adding a label that does not exist yet). */
const AUTO_LABEL_COLOR = 'ededed';
const INCIDENT_LABEL_COLOR = 'b60205';
const ESCALATION_LABEL_COLOR = 'd93f0b';
const POST_MORTEM_LABEL_COLOR = '5319e7';
const CREATE_ATTEMPTS = 3;

export function labelNames(issue: IssueData): string[] {
  return issue.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean);
}

/** Open incidents of this repository, oldest first (one request per 100 open incidents). */
export async function listOpenIncidents(deps: IncidentDeps): Promise<Incident[]> {
  const issues = (await deps.github.paginate(deps.github.rest.issues.listForRepo, {
    ...deps.repo,
    state: 'open',
    labels: deps.policy.incidents.label,
    per_page: 100,
  })) as IssueData[];
  return issues
    .filter((issue) => !issue.pull_request)
    .flatMap((issue) => {
      const marker = readIncidentMarker(issue.body);
      return marker ? [{ issue, marker }] : [];
    })
    .sort((a, b) => a.issue.number - b.issue.number);
}

function isTransient(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  return status === undefined || status >= 500;
}

/**
 * Creates something at most once: `create` must be sent without automatic retries; after a
 * transient failure `find` looks for the object (by nonce) and only if it is not there is the
 * create tried again.
 */
export async function createOnce<T>(
  deps: Pick<IncidentDeps, 'clock' | 'log'>,
  what: string,
  create: () => Promise<T>,
  find: () => Promise<T | undefined>,
): Promise<{ value: T; recovered: boolean }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await create(), recovered: false };
    } catch (error) {
      if (!isTransient(error)) throw error;
      deps.log.warning(`creating the ${what} failed (${errorMessage(error)}); checking whether it was created anyway`);
      const found = await find();
      if (found !== undefined) {
        deps.log.info(`the ${what} had been created: the response was lost on the way back`);
        return { value: found, recovered: true };
      }
      if (attempt >= CREATE_ATTEMPTS) throw error;
      await deps.clock.sleep(1000 * attempt);
    }
  }
}

const NO_RETRY = { request: { retries: 0 } } as const;

async function listComments(deps: IncidentDeps, issueNumber: number) {
  return deps.github.paginate(deps.github.rest.issues.listComments, {
    ...deps.repo,
    issue_number: issueNumber,
    per_page: 100,
  });
}

/** Posts a comment carrying an event marker, at most once. */
async function postEventComment(deps: IncidentDeps, issueNumber: number, event: IncidentEvent, body: string) {
  const { value } = await createOnce(
    deps,
    `comment on #${issueNumber}`,
    async () =>
      (await deps.github.rest.issues.createComment({ ...deps.repo, issue_number: issueNumber, body, ...NO_RETRY }))
        .data,
    async () => (await listComments(deps, issueNumber)).find((c) => readEvent(c.body)?.nonce === event.nonce),
  );
  return value;
}

/**
 * GitHub creates a label it does not know when it is put on an issue, grey and without a
 * description. Labels in `returned` that look like that get the policy's colour: one request per
 * missing label, none when they all exist.
 */
async function colourNewLabels(
  deps: IncidentDeps,
  returned: IssueData['labels'],
  wanted: Map<string, { color: string; description: string }>,
): Promise<string[]> {
  const fixed: string[] = [];
  for (const label of returned) {
    if (typeof label === 'string' || !label.name) continue;
    const want = wanted.get(label.name.toLowerCase());
    if (!want || label.color?.toLowerCase() !== AUTO_LABEL_COLOR || label.description) continue;
    await deps.github.rest.issues.updateLabel({
      ...deps.repo,
      name: label.name,
      color: want.color,
      description: want.description,
    });
    fixed.push(label.name);
  }
  if (fixed.length)
    deps.log.info(`created label${fixed.length > 1 ? 's' : ''} ${fixed.join(', ')} with the policy's colours`);
  return fixed;
}

function severityLabels(policy: Policy, severity: SeverityName): string[] {
  return [severityLabel(severity), ...policy.severities[severity].labels];
}

function labelStyles(policy: Policy): Map<string, { color: string; description: string }> {
  const styles = new Map<string, { color: string; description: string }>();
  styles.set(policy.incidents.label.toLowerCase(), { color: INCIDENT_LABEL_COLOR, description: 'Incident (runbook)' });
  for (const name of ['P0', 'P1', 'P2', 'P3'] as const) {
    const severity = policy.severities[name];
    styles.set(severityLabel(name).toLowerCase(), {
      color: severity.color.toLowerCase(),
      description: severity.meaning.slice(0, 100),
    });
  }
  for (const level of policy.escalation.chain)
    styles.set(escalationLabel(level.role), {
      color: ESCALATION_LABEL_COLOR,
      description: `Escalated to ${level.role}`.slice(0, 100),
    });
  styles.set(policy.incidents.postMortemLabel.toLowerCase(), {
    color: POST_MORTEM_LABEL_COLOR,
    description: 'Post-mortem of an incident',
  });
  return styles;
}

// ---------------------------------------------------------------- open

export interface OpenRequest {
  title: string;
  severity: SeverityName;
  key: string;
  service: string | undefined;
  impact: string | undefined;
  links: IncidentLinks;
}

export interface OpenResult {
  issue: IssueData;
  created: boolean;
  severity: SeverityName;
  deadline: Date;
  occurrences: number;
  /** Our own issue when a concurrent run had opened the same incident first (closed as a duplicate). */
  duplicateClosed?: number;
  /** The create's response was lost and the issue was found again. */
  recovered: boolean;
}

export async function openIncident(request: OpenRequest, deps: IncidentDeps): Promise<OpenResult> {
  const { policy, clock } = deps;
  const existing = (await listOpenIncidents(deps)).find((i) => i.marker.key === request.key);
  if (existing) return recordRecurrence(existing, request, deps);

  const now = clock.now();
  const nonce = deps.nonce();
  const marker: IncidentMarker = {
    v: 1,
    key: request.key,
    severity: request.severity,
    occurrences: 1,
    level: 0,
    deadline: toIsoSeconds(
      responseDeadline(
        now,
        { severity: request.severity, ...policy.severities[request.severity] },
        policy.businessHours,
      ),
    ),
    openedAt: toIsoSeconds(now),
    lastSeenAt: toIsoSeconds(now),
    nonce,
    ...(request.service ? { service: request.service } : {}),
  };
  const labels = [policy.incidents.label, ...severityLabels(policy, request.severity)];
  const body = renderIncidentBody(
    { title: request.title, marker, impact: request.impact, links: request.links },
    policy,
  );

  let listing: Incident[] | undefined;
  const { value: issue, recovered } = await createOnce(
    deps,
    'incident issue',
    async () => {
      listing = undefined;
      const response = await deps.github.rest.issues.create({
        ...deps.repo,
        title: incidentTitle(request.title, request.severity),
        body,
        labels,
        ...NO_RETRY,
      });
      return response.data as IssueData;
    },
    async () => {
      listing = await listOpenIncidents(deps);
      return listing.find((i) => i.marker.nonce === nonce)?.issue;
    },
  );
  await colourNewLabels(deps, issue.labels, labelStyles(policy));
  if (!labelNames(issue).some((l) => l.toLowerCase() === policy.incidents.label.toLowerCase()))
    deps.log.warning(
      `GitHub dropped the labels of #${issue.number} (the token may not set labels): later runs will not find this incident to deduplicate or escalate it`,
    );

  // Reconcile with a run that opened the same incident at the same time: the oldest issue wins.
  const same = (listing ?? (await listOpenIncidents(deps))).filter((i) => i.marker.key === request.key);
  const oldest = same.find((i) => i.issue.number < issue.number);
  if (oldest) {
    deps.log.warning(
      `#${oldest.issue.number} was opened for the same incident at the same time: closing #${issue.number} as its duplicate`,
    );
    const event: IncidentEvent = {
      type: 'duplicate',
      at: toIsoSeconds(clock.now()),
      of: oldest.issue.number,
      nonce: deps.nonce(),
    };
    await postEventComment(deps, issue.number, event, duplicateComment(event));
    await deps.github.rest.issues.update({
      ...deps.repo,
      issue_number: issue.number,
      state: 'closed',
      state_reason: 'duplicate',
    });
    const result = await recordRecurrence(oldest, request, deps);
    return { ...result, duplicateClosed: issue.number };
  }
  return {
    issue,
    created: true,
    severity: request.severity,
    deadline: new Date(marker.deadline),
    occurrences: 1,
    recovered,
  };
}

/** A repeat of an open incident: a "recurred" comment, the count, and a higher severity if the new one is. */
export async function recordRecurrence(
  incident: Incident,
  request: OpenRequest,
  deps: IncidentDeps,
): Promise<OpenResult> {
  const { policy, clock } = deps;
  const now = clock.now();
  const previous = incident.marker.severity;
  const severity = higherSeverity(previous, request.severity);
  const raised = severity !== previous;
  let deadline = new Date(incident.marker.deadline);
  if (raised) {
    const sooner = responseDeadline(now, { severity, ...policy.severities[severity] }, policy.businessHours);
    if (sooner < deadline) deadline = sooner;
  }
  const marker: IncidentMarker = {
    ...incident.marker,
    severity,
    deadline: toIsoSeconds(deadline),
    occurrences: incident.marker.occurrences + 1,
    lastSeenAt: toIsoSeconds(now),
  };
  const event: IncidentEvent = {
    type: 'recurred',
    at: marker.lastSeenAt,
    severity,
    occurrences: marker.occurrences,
    nonce: deps.nonce(),
  };
  await postEventComment(
    deps,
    incident.issue.number,
    event,
    recurredComment(event, previous, policy.businessHours.timeZone, request.links, request.impact),
  );

  const labels = raised
    ? [
        ...labelNames(incident.issue).filter(
          (l) => !severityLabels(policy, previous).some((s) => s.toLowerCase() === l.toLowerCase()),
        ),
        ...severityLabels(policy, severity),
      ]
    : undefined;
  const { data: updated } = await deps.github.rest.issues.update({
    ...deps.repo,
    issue_number: incident.issue.number,
    body: refreshIncidentBody(incident.issue.body ?? '', { title: incident.issue.title, marker }, policy),
    ...(raised ? { title: incidentTitle(incident.issue.title, severity), labels } : {}),
  });
  if (raised) await colourNewLabels(deps, (updated as IssueData).labels, labelStyles(policy));
  return {
    issue: updated as IssueData,
    created: false,
    severity,
    deadline,
    occurrences: marker.occurrences,
    recovered: false,
  };
}

// ---------------------------------------------------------------- find one

export interface IncidentRef {
  issueNumber: number | undefined;
  key: string | undefined;
}

/** The incident named by number (open or closed) or by dedupe key (open ones only). */
export async function findIncident(ref: IncidentRef, deps: IncidentDeps): Promise<Incident> {
  if (ref.issueNumber !== undefined) {
    let issue: IssueData;
    try {
      issue = (await deps.github.rest.issues.get({ ...deps.repo, issue_number: ref.issueNumber })).data as IssueData;
    } catch (error) {
      if ((error as { status?: number }).status === 404)
        throw new ActionFailure(
          `issue #${ref.issueNumber} does not exist in ${deps.repo.owner}/${deps.repo.repo}`,
          'check the issue-number input',
        );
      throw error;
    }
    const marker = readIncidentMarker(issue.body);
    if (!marker)
      throw new ActionFailure(
        `issue #${ref.issueNumber} is not an incident opened by this action (its body has no incident marker)`,
        'pass the number of an incident issue, or its dedupe-key',
      );
    return { issue, marker };
  }
  const found = (await listOpenIncidents(deps)).find((i) => i.marker.key === ref.key);
  if (!found)
    throw new ActionFailure(
      `no open incident with dedupe key "${ref.key}"`,
      'pass issue-number, or the dedupe-key (or service and title) the incident was opened with',
    );
  return found;
}

// ---------------------------------------------------------------- update

export type IncidentStatus = 'investigating' | 'identified' | 'monitoring' | 'resolved';

export interface UpdateRequest extends IncidentRef {
  status: IncidentStatus;
  message: string | undefined;
  /** Time until the next update; none after `resolved`. */
  nextUpdateMs: number;
}

export interface UpdateResult {
  incident: Incident;
  nextUpdate: Date | undefined;
  commentUrl: string;
}

export async function updateIncident(request: UpdateRequest, deps: IncidentDeps): Promise<UpdateResult> {
  const incident = await findIncident(request, deps);
  const now = deps.clock.now();
  const nextUpdate = request.status === 'resolved' ? undefined : new Date(now.getTime() + request.nextUpdateMs);
  const event: IncidentEvent = {
    type: 'status',
    at: toIsoSeconds(now),
    status: request.status,
    ...(request.message?.trim() ? { message: request.message.trim() } : {}),
    ...(nextUpdate ? { nextUpdate: toIsoSeconds(nextUpdate) } : {}),
    nonce: deps.nonce(),
  };
  const comment = await postEventComment(
    deps,
    incident.issue.number,
    event,
    statusComment(event, request.message, deps.policy.businessHours.timeZone),
  );
  return { incident, nextUpdate, commentUrl: comment.html_url };
}

// ---------------------------------------------------------------- escalate

export interface EscalationResult {
  number: number;
  url: string;
  severity: SeverityName;
  from: string;
  to: string;
  /** 1-based level reached. */
  level: number;
  mentions: string[];
  missedDeadline: string;
  nextDeadline: string;
}

export interface EscalationReport {
  escalated: EscalationResult[];
  /** Open incidents not due yet, acknowledged, or already at the top of the chain. */
  skipped: { number: number; reason: string }[];
}

export function isAcknowledgement(body: string | null | undefined, command: string): boolean {
  return (body ?? '').split(/\r?\n/).some((line) => {
    const text = line.trim();
    return text === command || text.startsWith(`${command} `);
  });
}

export async function escalateIncidents(deps: IncidentDeps): Promise<EscalationReport> {
  const { policy, clock } = deps;
  const chain = policy.escalation.chain;
  const ackLabel = policy.escalation.ackLabel.toLowerCase();
  const report: EscalationReport = { escalated: [], skipped: [] };
  const now = clock.now();

  for (const incident of await listOpenIncidents(deps)) {
    const { issue, marker } = incident;
    const skip = (reason: string) => report.skipped.push({ number: issue.number, reason });
    if (labelNames(issue).some((l) => l.toLowerCase() === ackLabel)) {
      skip('acknowledged (label)');
      continue;
    }
    const deadline = new Date(marker.deadline);
    if (now < deadline) {
      skip(`response due ${toIsoSeconds(deadline)}`);
      continue;
    }
    const next = marker.level + 1;
    if (next >= chain.length) {
      skip(`past its deadline at the last level (${chain[chain.length - 1]?.role})`);
      continue;
    }
    // An `/ack` comment counts only from a person: our own bot comments quote the command.
    const ack = (await listComments(deps, issue.number)).find(
      (c) => c.user?.type === 'User' && isAcknowledgement(c.body, policy.escalation.ackCommand),
    );
    if (ack) {
      await deps.github.rest.issues.addLabels({
        ...deps.repo,
        issue_number: issue.number,
        labels: [policy.escalation.ackLabel],
      });
      skip(`acknowledged by @${ack.user?.login}`);
      continue;
    }

    const level = chain[next] as (typeof chain)[number];
    const nextDeadline = responseDeadline(
      now,
      { severity: marker.severity, ...policy.severities[marker.severity] },
      policy.businessHours,
    );
    const event: IncidentEvent = {
      type: 'escalated',
      at: toIsoSeconds(now),
      level: next,
      role: level.role,
      nonce: deps.nonce(),
    };
    await postEventComment(deps, issue.number, event, escalationComment(event, policy, deadline, nextDeadline));
    const updatedMarker: IncidentMarker = { ...marker, level: next, deadline: toIsoSeconds(nextDeadline) };
    const labels = [...labelNames(issue).filter((l) => !l.startsWith('escalation:')), escalationLabel(level.role)];
    const { data: updated } = await deps.github.rest.issues.update({
      ...deps.repo,
      issue_number: issue.number,
      labels,
      body: refreshIncidentBody(issue.body ?? '', { title: issue.title, marker: updatedMarker }, policy),
    });
    await colourNewLabels(deps, (updated as IssueData).labels, labelStyles(policy));
    report.escalated.push({
      number: issue.number,
      url: issue.html_url,
      severity: marker.severity,
      from: chain[marker.level]?.role ?? '',
      to: level.role,
      level: next + 1,
      mentions: level.mention,
      missedDeadline: toIsoSeconds(deadline),
      nextDeadline: toIsoSeconds(nextDeadline),
    });
  }
  return report;
}

// ---------------------------------------------------------------- resolve

export interface ResolveRequest extends IncidentRef {
  resolution: string;
  postMortem: boolean;
}

export interface ResolveResult {
  incident: Incident;
  postMortem: { number: number; url: string; due: Date; created: boolean } | undefined;
  /** The incident was closed by an earlier run already. */
  alreadyResolved: boolean;
}

export async function resolveIncident(request: ResolveRequest, deps: IncidentDeps): Promise<ResolveResult> {
  const { policy, clock } = deps;
  const incident = await findIncident(request, deps);
  const { issue, marker } = incident;
  const now = clock.now();
  const comments = await listComments(deps, issue.number);
  const previousResolution = comments.map((c) => readEvent(c.body)).find((e) => e?.type === 'resolved');
  const resolvedAt = previousResolution ? new Date(previousResolution.at) : now;

  let postMortem: ResolveResult['postMortem'];
  if (request.postMortem) {
    const findPostMortem = async () => {
      const candidates = (await deps.github.paginate(deps.github.rest.issues.listForRepo, {
        ...deps.repo,
        state: 'all',
        labels: policy.incidents.postMortemLabel,
        per_page: 100,
      })) as IssueData[];
      return candidates.find((c) => readPostMortemMarker(c.body)?.incident === issue.number);
    };
    const due = new Date(resolvedAt.getTime() + policy.incidents.postMortemWithin);
    const existing = await findPostMortem();
    if (existing) {
      postMortem = { number: existing.number, url: existing.html_url, due, created: false };
    } else {
      const timeline = buildTimeline(incident, comments, resolvedAt, policy.escalation.ackCommand);
      const body = renderPostMortem({
        incident: { number: issue.number, title: issue.title, url: issue.html_url },
        marker,
        resolution: request.resolution,
        resolvedAt,
        due,
        timeline,
        impact: impactOf(issue.body),
        nonce: deps.nonce(),
        policy,
      });
      const { value } = await createOnce(
        deps,
        'post-mortem issue',
        async () =>
          (
            await deps.github.rest.issues.create({
              ...deps.repo,
              title: `Post-mortem: ${issue.title}`,
              body,
              labels: [policy.incidents.postMortemLabel],
              ...NO_RETRY,
            })
          ).data as IssueData,
        findPostMortem,
      );
      await colourNewLabels(deps, value.labels, labelStyles(policy));
      postMortem = { number: value.number, url: value.html_url, due, created: true };
    }
  }

  if (!previousResolution) {
    const event: IncidentEvent = {
      type: 'resolved',
      at: toIsoSeconds(resolvedAt),
      ...(postMortem ? { postMortem: postMortem.number } : {}),
      nonce: deps.nonce(),
    };
    await postEventComment(
      deps,
      issue.number,
      event,
      resolutionComment(event, request.resolution, policy.businessHours.timeZone, postMortem?.url),
    );
  }
  if (issue.state !== 'closed')
    await deps.github.rest.issues.update({
      ...deps.repo,
      issue_number: issue.number,
      state: 'closed',
      state_reason: 'completed',
    });
  return { incident, postMortem, alreadyResolved: previousResolution !== undefined };
}

/** The "Impact" section of an incident body as people left it. */
export function impactOf(body: string | null | undefined): string | undefined {
  const found = /### Impact\n([\s\S]*?)(?:\n### |$)/.exec(body ?? '');
  const text = found?.[1]?.trim();
  return text && !text.startsWith('_Not assessed') ? text : undefined;
}

type Comment = Awaited<ReturnType<typeof listComments>>[number];

/** Opening, recurrences, acknowledgements, status updates, escalations and resolution, from the issue and its comments. */
export function buildTimeline(
  incident: Incident,
  comments: Comment[],
  resolvedAt: Date,
  ackCommand: string,
): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    { at: new Date(incident.marker.openedAt), text: `Incident opened (#${incident.issue.number})` },
  ];
  for (const comment of comments) {
    const event = readEvent(comment.body);
    const at = new Date(event?.at ?? comment.created_at);
    if (!event) {
      if (comment.user?.type === 'User' && isAcknowledgement(comment.body, ackCommand))
        entries.push({ at, text: `Acknowledged by @${comment.user.login}` });
      continue;
    }
    switch (event.type) {
      case 'recurred':
        entries.push({ at, text: `Recurred (occurrence ${event.occurrences}, ${event.severity})` });
        break;
      case 'status':
        entries.push({ at, text: `${statusText(event.status)}${event.message ? `: ${event.message}` : ''}` });
        break;
      case 'escalated':
        entries.push({ at, text: `Escalated to ${event.role}` });
        break;
      case 'duplicate':
      case 'resolved':
        break;
    }
  }
  entries.push({ at: resolvedAt, text: 'Resolved' });
  return entries;
}
