export const id = 529;
export const ids = [529];
export const modules = {

/***/ 7529:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  buildTimeline: () => (/* binding */ buildTimeline),
  createOnce: () => (/* binding */ createOnce),
  escalateIncidents: () => (/* binding */ escalateIncidents),
  findIncident: () => (/* binding */ findIncident),
  impactOf: () => (/* binding */ impactOf),
  isAcknowledgement: () => (/* binding */ isAcknowledgement),
  labelNames: () => (/* binding */ labelNames),
  listOpenIncidents: () => (/* binding */ listOpenIncidents),
  openIncident: () => (/* binding */ openIncident),
  recordRecurrence: () => (/* binding */ recordRecurrence),
  resolveIncident: () => (/* binding */ resolveIncident),
  updateIncident: () => (/* binding */ updateIncident)
});

// EXTERNAL MODULE: ./.tmp/build/src/core/errors.js
var errors = __webpack_require__(26);
// EXTERNAL MODULE: ./.tmp/build/src/incident/deadline.js
var incident_deadline = __webpack_require__(5010);
// EXTERNAL MODULE: ./.tmp/build/src/incident/marker.js
var incident_marker = __webpack_require__(9632);
// EXTERNAL MODULE: ./.tmp/build/src/core/summary.js
var summary = __webpack_require__(2253);
;// CONCATENATED MODULE: ./.tmp/build/src/incident/render.js



const SUMMARY_START = '<!-- runbook-incident:summary -->';
const SUMMARY_END = '<!-- /runbook-incident:summary -->';
/** The runbook's checklists, verbatim. */
const IMMEDIATE_ACTIONS = [
    ['Acknowledge the incident', ['Update status page', 'Notify stakeholders', 'Create incident channel']],
    ['Assess impact', ['Check monitoring dashboards', 'Identify affected services', 'Estimate user impact']],
    ['Initial mitigation', ['Apply immediate fixes if known', 'Scale resources if needed', 'Implement circuit breakers']],
];
const INVESTIGATION = [
    ['Gather information', ['Check logs and metrics', 'Review recent deployments', 'Identify root cause']],
    ['Implement fix', ['Deploy hotfix if available', 'Rollback if necessary', 'Monitor recovery']],
    ['Communicate updates', ['Update status page', 'Notify stakeholders', 'Provide ETAs']],
];
const RESTORATION = [
    ['Service restoration', ['Verify full functionality', 'Monitor for stability', 'Update status page']],
];
const STATUS_TEXT = {
    investigating: '🔎 Investigating',
    identified: '🎯 Identified',
    monitoring: '📈 Monitoring',
    resolved: '✅ Resolved',
};
const SEVERITY_ICON = { P0: '🔴', P1: '🟠', P2: '🟡', P3: '🟢' };
function checklist(groups, notes = {}) {
    return groups
        .map(([head, items]) => [`- [ ] **${head}**${notes[head] ? ` — ${notes[head]}` : ''}`, ...items.map((i) => `  - [ ] ${i}`)].join('\n'))
        .join('\n');
}
function mentions(level) {
    return (level?.mention ?? []).map((m) => (m.startsWith('@') ? m : `@${m}`)).join(' ');
}
function escalationLabel(role) {
    const slug = role
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
    return `escalation:${slug}`.slice(0, 50);
}
function severityLabel(severity) {
    return `severity:${severity}`;
}
function incidentTitle(title, severity) {
    return `[${severity}] ${title.replace(/^\[P[0-3]\]\s*/, '')}`;
}
function summaryBlock(view, policy) {
    const { marker } = view;
    const tz = policy.businessHours.timeZone;
    const severity = policy.severities[marker.severity];
    const level = policy.escalation.chain[marker.level];
    const rows = [
        ['Severity', `**${marker.severity}** — ${severity.meaning}`],
        ...(marker.service ? [['Service', marker.service]] : []),
        ['Opened', (0,incident_deadline/* formatInstant */.r4)(new Date(marker.openedAt), tz)],
        [
            'Response due',
            `${(0,incident_deadline/* formatInstant */.r4)(new Date(marker.deadline), tz)} — ${(0,incident_deadline/* describeResponse */.Xg)({ severity: marker.severity, response: severity.response })}`,
        ],
        [
            'Escalation',
            `level ${marker.level + 1} of ${policy.escalation.chain.length}: ${level?.role ?? '—'}${mentions(level) ? ` ${mentions(level)}` : ''}`,
        ],
        [
            'Occurrences',
            marker.occurrences === 1 ? '1' : `${marker.occurrences} (last ${(0,incident_deadline/* formatInstant */.r4)(new Date(marker.lastSeenAt), tz)})`,
        ],
    ];
    return [
        SUMMARY_START,
        `> ${SEVERITY_ICON[marker.severity]} **${marker.severity} incident** — respond by ${(0,incident_deadline/* formatInstant */.r4)(new Date(marker.deadline), tz)}`,
        '',
        '| | |',
        '| --- | --- |',
        ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`),
        SUMMARY_END,
    ].join('\n');
}
function renderIncidentBody(view, policy) {
    const chain = policy.escalation.chain
        .map((level, i) => `${i + 1}. ${level.role}${mentions(level) ? ` — ${mentions(level)}` : ''}${i === view.marker.level ? ' ← current' : ''}`)
        .join('\n');
    const ack = `label \`${policy.escalation.ackLabel}\` or a comment \`${policy.escalation.ackCommand}\``;
    return [
        (0,incident_marker/* incidentMarker */.X9)(view.marker),
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
function refreshIncidentBody(body, view, policy) {
    const rest = body.replace(MARKER_LINE, '');
    const block = summaryBlock(view, policy);
    const start = rest.indexOf(SUMMARY_START);
    const end = rest.indexOf(SUMMARY_END);
    const refreshed = start !== -1 && end > start
        ? `${rest.slice(0, start)}${block}${rest.slice(end + SUMMARY_END.length)}`
        : `${block}\n\n${rest}`;
    return `${(0,incident_marker/* incidentMarker */.X9)(view.marker)}\n${refreshed}`;
}
function linkList(links) {
    const items = [
        links.run ? (0,summary/* link */.nf)('Workflow run', links.run) : undefined,
        links.commit ? (0,summary/* link */.nf)(`Commit ${links.commitSha?.slice(0, 7) ?? ''}`.trim(), links.commit) : undefined,
        links.deploy ? (0,summary/* link */.nf)('Deploy', links.deploy) : undefined,
        links.statusPage ? (0,summary/* link */.nf)('Status page', links.statusPage) : undefined,
    ].filter((item) => item !== undefined);
    return items.length ? items.map((item) => `- ${item}`).join('\n') : '_None given._';
}
function describeWithin(ms) {
    return ms % 3_600_000 === 0 ? `${ms / 3_600_000} hours` : `${Math.round(ms / 60_000)} minutes`;
}
function recurredComment(event, previous, tz, links, impact) {
    const raised = event.severity !== previous ? ` Severity raised from **${previous}** to **${event.severity}**.` : '';
    return [
        (0,incident_marker/* eventMarker */.br)(event),
        `🔁 **Recurred** at ${(0,incident_deadline/* formatInstant */.r4)(new Date(event.at), tz)} — occurrence ${event.occurrences}.${raised}`,
        ...(impact?.trim() ? ['', `Impact: ${impact.trim()}`] : []),
        ...(links.run ? ['', `Reported by ${(0,summary/* link */.nf)('this workflow run', links.run)}.`] : []),
    ].join('\n');
}
function statusComment(event, message, tz) {
    return [
        (0,incident_marker/* eventMarker */.br)(event),
        `**Status: ${STATUS_TEXT[event.status] ?? event.status}** — ${(0,incident_deadline/* formatInstant */.r4)(new Date(event.at), tz)}`,
        ...(message?.trim() ? ['', message.trim()] : []),
        '',
        event.nextUpdate
            ? `Next update by ${(0,incident_deadline/* formatInstant */.r4)(new Date(event.nextUpdate), tz)}.`
            : 'No further updates planned.',
    ].join('\n');
}
function escalationComment(event, policy, missed, nextDeadline) {
    const tz = policy.businessHours.timeZone;
    const level = policy.escalation.chain[event.level];
    const who = mentions(level);
    return [
        (0,incident_marker/* eventMarker */.br)(event),
        `⏫ **Escalated to ${event.role}**${who ? ` ${who}` : ''}: not acknowledged by the response deadline (${(0,incident_deadline/* formatInstant */.r4)(missed, tz)}).`,
        '',
        `Acknowledge with the label \`${policy.escalation.ackLabel}\` or a comment \`${policy.escalation.ackCommand}\`; next escalation after ${(0,incident_deadline/* formatInstant */.r4)(nextDeadline, tz)}.`,
    ].join('\n');
}
function duplicateComment(event) {
    return [
        (0,incident_marker/* eventMarker */.br)(event),
        `Duplicate of #${event.of}: two runs opened the same incident at once; the older issue is kept.`,
    ].join('\n');
}
function resolutionComment(event, resolution, tz, postMortemUrl) {
    return [
        (0,incident_marker/* eventMarker */.br)(event),
        `✅ **Resolved** at ${(0,incident_deadline/* formatInstant */.r4)(new Date(event.at), tz)}`,
        '',
        resolution.trim(),
        ...(event.postMortem ? ['', `Post-mortem: #${event.postMortem}${postMortemUrl ? ` (${postMortemUrl})` : ''}`] : []),
    ].join('\n');
}
function renderPostMortem(args) {
    const tz = args.policy.businessHours.timeZone;
    const rows = [...args.timeline]
        .sort((a, b) => a.at.getTime() - b.at.getTime())
        .map((e) => `| ${(0,incident_deadline/* formatInstant */.r4)(e.at, tz)} | ${e.text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')} |`);
    const minutes = Math.round((args.resolvedAt.getTime() - new Date(args.marker.openedAt).getTime()) / 60_000);
    return [
        (0,incident_marker/* postMortemMarker */.H1)({ v: 1, incident: args.incident.number, key: args.marker.key, nonce: args.nonce }),
        `Post-mortem of #${args.incident.number} (${args.incident.title}), **due by ${(0,incident_deadline/* formatInstant */.r4)(args.due, tz)}**.`,
        '',
        '| | |',
        '| --- | --- |',
        `| Severity | ${args.marker.severity} — ${args.policy.severities[args.marker.severity].meaning} |`,
        `| Duration | ${Math.floor(minutes / 60)}h ${minutes % 60}m (opened ${(0,incident_deadline/* formatInstant */.r4)(new Date(args.marker.openedAt), tz)}, resolved ${(0,incident_deadline/* formatInstant */.r4)(args.resolvedAt, tz)}) |`,
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
function statusText(status) {
    return STATUS_TEXT[status] ?? status;
}

;// CONCATENATED MODULE: ./.tmp/build/src/incident/incidents.js




/** GitHub's colour for labels it creates on the fly (adding a label that does not exist yet). */
const AUTO_LABEL_COLOR = 'ededed';
const INCIDENT_LABEL_COLOR = 'b60205';
const ESCALATION_LABEL_COLOR = 'd93f0b';
const POST_MORTEM_LABEL_COLOR = '5319e7';
const CREATE_ATTEMPTS = 3;
function labelNames(issue) {
    return issue.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean);
}
/** Open incidents of this repository, oldest first (one request per 100 open incidents). */
async function listOpenIncidents(deps) {
    const issues = (await deps.github.paginate(deps.github.rest.issues.listForRepo, {
        ...deps.repo,
        state: 'open',
        labels: deps.policy.incidents.label,
        per_page: 100,
    }));
    return issues
        .filter((issue) => !issue.pull_request)
        .flatMap((issue) => {
        const marker = (0,incident_marker/* readIncidentMarker */.vx)(issue.body);
        return marker ? [{ issue, marker }] : [];
    })
        .sort((a, b) => a.issue.number - b.issue.number);
}
function isTransient(error) {
    const status = error.status;
    return status === undefined || status >= 500;
}
/**
 * Creates something at most once: `create` must be sent without automatic retries; after a
 * transient failure `find` looks for the object (by nonce) and only if it is not there is the
 * create tried again.
 */
async function createOnce(deps, what, create, find) {
    for (let attempt = 1;; attempt++) {
        try {
            return { value: await create(), recovered: false };
        }
        catch (error) {
            if (!isTransient(error))
                throw error;
            deps.log.warning(`creating the ${what} failed (${(0,errors/* errorMessage */.gJ)(error)}); checking whether it was created anyway`);
            const found = await find();
            if (found !== undefined) {
                deps.log.info(`the ${what} had been created: the response was lost on the way back`);
                return { value: found, recovered: true };
            }
            if (attempt >= CREATE_ATTEMPTS)
                throw error;
            await deps.clock.sleep(1000 * attempt);
        }
    }
}
const NO_RETRY = { request: { retries: 0 } };
async function listComments(deps, issueNumber) {
    return deps.github.paginate(deps.github.rest.issues.listComments, {
        ...deps.repo,
        issue_number: issueNumber,
        per_page: 100,
    });
}
/** Posts a comment carrying an event marker, at most once. */
async function postEventComment(deps, issueNumber, event, body) {
    const { value } = await createOnce(deps, `comment on #${issueNumber}`, async () => (await deps.github.rest.issues.createComment({ ...deps.repo, issue_number: issueNumber, body, ...NO_RETRY }))
        .data, async () => (await listComments(deps, issueNumber)).find((c) => (0,incident_marker/* readEvent */.j_)(c.body)?.nonce === event.nonce));
    return value;
}
/**
 * GitHub creates a label it does not know when it is put on an issue, grey and without a
 * description. Labels in `returned` that look like that get the policy's colour: one request per
 * missing label, none when they all exist.
 */
async function colourNewLabels(deps, returned, wanted) {
    const fixed = [];
    for (const label of returned) {
        if (typeof label === 'string' || !label.name)
            continue;
        const want = wanted.get(label.name.toLowerCase());
        if (!want || label.color?.toLowerCase() !== AUTO_LABEL_COLOR || label.description)
            continue;
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
function severityLabels(policy, severity) {
    return [severityLabel(severity), ...policy.severities[severity].labels];
}
function labelStyles(policy) {
    const styles = new Map();
    styles.set(policy.incidents.label.toLowerCase(), { color: INCIDENT_LABEL_COLOR, description: 'Incident (runbook)' });
    for (const name of ['P0', 'P1', 'P2', 'P3']) {
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
async function openIncident(request, deps) {
    const { policy, clock } = deps;
    const existing = (await listOpenIncidents(deps)).find((i) => i.marker.key === request.key);
    if (existing)
        return recordRecurrence(existing, request, deps);
    const now = clock.now();
    const nonce = deps.nonce();
    const marker = {
        v: 1,
        key: request.key,
        severity: request.severity,
        occurrences: 1,
        level: 0,
        deadline: (0,incident_deadline/* toIsoSeconds */.gY)((0,incident_deadline/* responseDeadline */.uX)(now, { severity: request.severity, ...policy.severities[request.severity] }, policy.businessHours)),
        openedAt: (0,incident_deadline/* toIsoSeconds */.gY)(now),
        lastSeenAt: (0,incident_deadline/* toIsoSeconds */.gY)(now),
        nonce,
        ...(request.service ? { service: request.service } : {}),
    };
    const labels = [policy.incidents.label, ...severityLabels(policy, request.severity)];
    const body = renderIncidentBody({ title: request.title, marker, impact: request.impact, links: request.links }, policy);
    let listing;
    const { value: issue, recovered } = await createOnce(deps, 'incident issue', async () => {
        listing = undefined;
        const response = await deps.github.rest.issues.create({
            ...deps.repo,
            title: incidentTitle(request.title, request.severity),
            body,
            labels,
            ...NO_RETRY,
        });
        return response.data;
    }, async () => {
        listing = await listOpenIncidents(deps);
        return listing.find((i) => i.marker.nonce === nonce)?.issue;
    });
    await colourNewLabels(deps, issue.labels, labelStyles(policy));
    if (!labelNames(issue).some((l) => l.toLowerCase() === policy.incidents.label.toLowerCase()))
        deps.log.warning(`GitHub dropped the labels of #${issue.number} (the token may not set labels): later runs will not find this incident to deduplicate or escalate it`);
    // Reconcile with a run that opened the same incident at the same time: the oldest issue wins.
    const same = (listing ?? (await listOpenIncidents(deps))).filter((i) => i.marker.key === request.key);
    const oldest = same.find((i) => i.issue.number < issue.number);
    if (oldest) {
        deps.log.warning(`#${oldest.issue.number} was opened for the same incident at the same time: closing #${issue.number} as its duplicate`);
        const event = {
            type: 'duplicate',
            at: (0,incident_deadline/* toIsoSeconds */.gY)(clock.now()),
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
async function recordRecurrence(incident, request, deps) {
    const { policy, clock } = deps;
    const now = clock.now();
    const previous = incident.marker.severity;
    const severity = (0,incident_marker/* higherSeverity */.TT)(previous, request.severity);
    const raised = severity !== previous;
    let deadline = new Date(incident.marker.deadline);
    if (raised) {
        const sooner = (0,incident_deadline/* responseDeadline */.uX)(now, { severity, ...policy.severities[severity] }, policy.businessHours);
        if (sooner < deadline)
            deadline = sooner;
    }
    const marker = {
        ...incident.marker,
        severity,
        deadline: (0,incident_deadline/* toIsoSeconds */.gY)(deadline),
        occurrences: incident.marker.occurrences + 1,
        lastSeenAt: (0,incident_deadline/* toIsoSeconds */.gY)(now),
    };
    const event = {
        type: 'recurred',
        at: marker.lastSeenAt,
        severity,
        occurrences: marker.occurrences,
        nonce: deps.nonce(),
    };
    await postEventComment(deps, incident.issue.number, event, recurredComment(event, previous, policy.businessHours.timeZone, request.links, request.impact));
    const labels = raised
        ? [
            ...labelNames(incident.issue).filter((l) => !severityLabels(policy, previous).some((s) => s.toLowerCase() === l.toLowerCase())),
            ...severityLabels(policy, severity),
        ]
        : undefined;
    const { data: updated } = await deps.github.rest.issues.update({
        ...deps.repo,
        issue_number: incident.issue.number,
        body: refreshIncidentBody(incident.issue.body ?? '', { title: incident.issue.title, marker }, policy),
        ...(raised ? { title: incidentTitle(incident.issue.title, severity), labels } : {}),
    });
    if (raised)
        await colourNewLabels(deps, updated.labels, labelStyles(policy));
    return {
        issue: updated,
        created: false,
        severity,
        deadline,
        occurrences: marker.occurrences,
        recovered: false,
    };
}
/** The incident named by number (open or closed) or by dedupe key (open ones only). */
async function findIncident(ref, deps) {
    if (ref.issueNumber !== undefined) {
        let issue;
        try {
            issue = (await deps.github.rest.issues.get({ ...deps.repo, issue_number: ref.issueNumber })).data;
        }
        catch (error) {
            if (error.status === 404)
                throw new errors/* ActionFailure */.dR(`issue #${ref.issueNumber} does not exist in ${deps.repo.owner}/${deps.repo.repo}`, 'check the issue-number input');
            throw error;
        }
        const marker = (0,incident_marker/* readIncidentMarker */.vx)(issue.body);
        if (!marker)
            throw new errors/* ActionFailure */.dR(`issue #${ref.issueNumber} is not an incident opened by this action (its body has no incident marker)`, 'pass the number of an incident issue, or its dedupe-key');
        return { issue, marker };
    }
    const found = (await listOpenIncidents(deps)).find((i) => i.marker.key === ref.key);
    if (!found)
        throw new errors/* ActionFailure */.dR(`no open incident with dedupe key "${ref.key}"`, 'pass issue-number, or the dedupe-key (or service and title) the incident was opened with');
    return found;
}
async function updateIncident(request, deps) {
    const incident = await findIncident(request, deps);
    const now = deps.clock.now();
    const nextUpdate = request.status === 'resolved' ? undefined : new Date(now.getTime() + request.nextUpdateMs);
    const event = {
        type: 'status',
        at: (0,incident_deadline/* toIsoSeconds */.gY)(now),
        status: request.status,
        ...(request.message?.trim() ? { message: request.message.trim() } : {}),
        ...(nextUpdate ? { nextUpdate: (0,incident_deadline/* toIsoSeconds */.gY)(nextUpdate) } : {}),
        nonce: deps.nonce(),
    };
    const comment = await postEventComment(deps, incident.issue.number, event, statusComment(event, request.message, deps.policy.businessHours.timeZone));
    return { incident, nextUpdate, commentUrl: comment.html_url };
}
function isAcknowledgement(body, command) {
    return (body ?? '').split(/\r?\n/).some((line) => {
        const text = line.trim();
        return text === command || text.startsWith(`${command} `);
    });
}
async function escalateIncidents(deps) {
    const { policy, clock } = deps;
    const chain = policy.escalation.chain;
    const ackLabel = policy.escalation.ackLabel.toLowerCase();
    const report = { escalated: [], skipped: [] };
    const now = clock.now();
    for (const incident of await listOpenIncidents(deps)) {
        const { issue, marker } = incident;
        const skip = (reason) => report.skipped.push({ number: issue.number, reason });
        if (labelNames(issue).some((l) => l.toLowerCase() === ackLabel)) {
            skip('acknowledged (label)');
            continue;
        }
        const deadline = new Date(marker.deadline);
        if (now < deadline) {
            skip(`response due ${(0,incident_deadline/* toIsoSeconds */.gY)(deadline)}`);
            continue;
        }
        const next = marker.level + 1;
        if (next >= chain.length) {
            skip(`past its deadline at the last level (${chain[chain.length - 1]?.role})`);
            continue;
        }
        // An `/ack` comment counts only from a person: our own bot comments quote the command.
        const ack = (await listComments(deps, issue.number)).find((c) => c.user?.type === 'User' && isAcknowledgement(c.body, policy.escalation.ackCommand));
        if (ack) {
            await deps.github.rest.issues.addLabels({
                ...deps.repo,
                issue_number: issue.number,
                labels: [policy.escalation.ackLabel],
            });
            skip(`acknowledged by @${ack.user?.login}`);
            continue;
        }
        const level = chain[next];
        const nextDeadline = (0,incident_deadline/* responseDeadline */.uX)(now, { severity: marker.severity, ...policy.severities[marker.severity] }, policy.businessHours);
        const event = {
            type: 'escalated',
            at: (0,incident_deadline/* toIsoSeconds */.gY)(now),
            level: next,
            role: level.role,
            nonce: deps.nonce(),
        };
        await postEventComment(deps, issue.number, event, escalationComment(event, policy, deadline, nextDeadline));
        const updatedMarker = { ...marker, level: next, deadline: (0,incident_deadline/* toIsoSeconds */.gY)(nextDeadline) };
        const labels = [...labelNames(issue).filter((l) => !l.startsWith('escalation:')), escalationLabel(level.role)];
        const { data: updated } = await deps.github.rest.issues.update({
            ...deps.repo,
            issue_number: issue.number,
            labels,
            body: refreshIncidentBody(issue.body ?? '', { title: issue.title, marker: updatedMarker }, policy),
        });
        await colourNewLabels(deps, updated.labels, labelStyles(policy));
        report.escalated.push({
            number: issue.number,
            url: issue.html_url,
            severity: marker.severity,
            from: chain[marker.level]?.role ?? '',
            to: level.role,
            level: next + 1,
            mentions: level.mention,
            missedDeadline: (0,incident_deadline/* toIsoSeconds */.gY)(deadline),
            nextDeadline: (0,incident_deadline/* toIsoSeconds */.gY)(nextDeadline),
        });
    }
    return report;
}
async function resolveIncident(request, deps) {
    const { policy, clock } = deps;
    const incident = await findIncident(request, deps);
    const { issue, marker } = incident;
    const now = clock.now();
    const comments = await listComments(deps, issue.number);
    const previousResolution = comments.map((c) => (0,incident_marker/* readEvent */.j_)(c.body)).find((e) => e?.type === 'resolved');
    const resolvedAt = previousResolution ? new Date(previousResolution.at) : now;
    let postMortem;
    if (request.postMortem) {
        const findPostMortem = async () => {
            const candidates = (await deps.github.paginate(deps.github.rest.issues.listForRepo, {
                ...deps.repo,
                state: 'all',
                labels: policy.incidents.postMortemLabel,
                per_page: 100,
            }));
            return candidates.find((c) => (0,incident_marker/* readPostMortemMarker */.fV)(c.body)?.incident === issue.number);
        };
        const due = new Date(resolvedAt.getTime() + policy.incidents.postMortemWithin);
        const existing = await findPostMortem();
        if (existing) {
            postMortem = { number: existing.number, url: existing.html_url, due, created: false };
        }
        else {
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
            const { value } = await createOnce(deps, 'post-mortem issue', async () => (await deps.github.rest.issues.create({
                ...deps.repo,
                title: `Post-mortem: ${issue.title}`,
                body,
                labels: [policy.incidents.postMortemLabel],
                ...NO_RETRY,
            })).data, findPostMortem);
            await colourNewLabels(deps, value.labels, labelStyles(policy));
            postMortem = { number: value.number, url: value.html_url, due, created: true };
        }
    }
    if (!previousResolution) {
        const event = {
            type: 'resolved',
            at: (0,incident_deadline/* toIsoSeconds */.gY)(resolvedAt),
            ...(postMortem ? { postMortem: postMortem.number } : {}),
            nonce: deps.nonce(),
        };
        await postEventComment(deps, issue.number, event, resolutionComment(event, request.resolution, policy.businessHours.timeZone, postMortem?.url));
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
function impactOf(body) {
    const found = /### Impact\n([\s\S]*?)(?:\n### |$)/.exec(body ?? '');
    const text = found?.[1]?.trim();
    return text && !text.startsWith('_Not assessed') ? text : undefined;
}
/** Opening, recurrences, acknowledgements, status updates, escalations and resolution, from the issue and its comments. */
function buildTimeline(incident, comments, resolvedAt, ackCommand) {
    const entries = [
        { at: new Date(incident.marker.openedAt), text: `Incident opened (#${incident.issue.number})` },
    ];
    for (const comment of comments) {
        const event = (0,incident_marker/* readEvent */.j_)(comment.body);
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


/***/ })

};
