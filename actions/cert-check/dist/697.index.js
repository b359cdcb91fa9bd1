export const id = 697;
export const ids = [697];
export const modules = {

/***/ 3697:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DEFAULT_POLICY_PATH: () => (/* binding */ DEFAULT_POLICY_PATH),
  formatPath: () => (/* binding */ formatPath),
  loadPolicy: () => (/* binding */ loadPolicy),
  parsePolicy: () => (/* binding */ parsePolicy),
  parsePolicyText: () => (/* binding */ parsePolicyText)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: ./.tmp/build/src/core/errors.js
var errors = __webpack_require__(26);
// EXTERNAL MODULE: ./node_modules/croner/dist/croner.js
var croner = __webpack_require__(5814);
// EXTERNAL MODULE: ./node_modules/luxon/build/es6/luxon.mjs
var luxon = __webpack_require__(8714);
// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 15 modules
var schemas = __webpack_require__(9691);
// EXTERNAL MODULE: ./.tmp/build/src/core/duration.js
var duration = __webpack_require__(5389);
;// CONCATENATED MODULE: ./.tmp/build/src/core/policy/schema.js




/**
 * The runbook policy file (`.github/runbook.yml`). Every default is a number from the operations
 * runbook; every object is strict, so a misspelt key is an error naming its path rather than a
 * silent fall-back to the default. Durations are written as text (`15m`, `48h`) and parsed to
 * milliseconds. Each action reads only its own section.
 */
const DURATION_PATTERN = /^\s*(?:\d+(?:\.\d+)?\s*(?:ms|s|m|h|d|w)\s*)+$/;
function schema_duration(fallback, description) {
    return schemas/* string */.YjP()
        .regex(DURATION_PATTERN, { message: `expected ${duration/* DURATION_HELP */.vb}` })
        .transform((text) => (0,duration/* parseDuration */.E9)(text))
        .prefault(fallback)
        .describe(description);
}
const lintSeverityName = schemas/* enum */.k5n(['error', 'warning', 'off']);
function lintSeverity(fallback, description) {
    return lintSeverityName.default(fallback).describe(description);
}
const timeZone = schemas/* string */.YjP()
    .refine(isTimeZone, { message: 'expected an IANA time zone such as UTC or Europe/London' })
    .describe('IANA time zone, e.g. UTC, Europe/London');
function isTimeZone(name) {
    try {
        new Intl.DateTimeFormat('en-US', { timeZone: name });
        return true;
    }
    catch {
        return false;
    }
}
const isoDate = schemas/* string */.YjP()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date as YYYY-MM-DD' })
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), {
    message: 'is not a real calendar date',
});
const clockTime = schemas/* string */.YjP().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a time as HH:MM (24-hour)' });
const hexColor = schemas/* string */.YjP()
    .regex(/^[0-9a-fA-F]{6}$/, { message: 'expected a 6-digit hex colour without #, e.g. b60205' });
const label = schemas/* string */.YjP().min(1).max(50);

function severity(defaults) {
    return schemas/* strictObject */.rej({
        meaning: schemas/* string */.YjP().min(1).default(defaults.meaning).describe('What this severity means, shown on incidents.'),
        response: schemas/* union */.KCZ([
            schemas/* literal */.euz('next-business-day'),
            schemas/* string */.YjP().regex(DURATION_PATTERN, { message: `expected ${duration/* DURATION_HELP */.vb} or next-business-day` }),
        ])
            .default(defaults.response)
            .describe('Time to first response: a duration, or next-business-day (uses businessHours).'),
        labels: schemas/* array */.YOg(label).default([]).describe('Extra labels put on incidents of this severity.'),
        color: hexColor.default(defaults.color).describe('Colour of the severity label when it has to be created.'),
    })
        .prefault({});
}
const escalationLevel = schemas/* strictObject */.rej({
    role: schemas/* string */.YjP().min(1).describe('Who this level is, e.g. "Team lead".'),
    mention: schemas/* array */.YOg(schemas/* string */.YjP().regex(/^@?[A-Za-z0-9](?:[A-Za-z0-9-]*)(?:\/[A-Za-z0-9._-]+)?$/, {
        message: 'expected a GitHub login or @org/team',
    }))
        .default([])
        .describe('GitHub users or @org/teams mentioned when an incident reaches this level.'),
});
const weekday = schemas/* enum */.k5n(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
/** A 5-field cron expression croner accepts and that matches at least one date; undefined when fine. */
function cronProblem(expression) {
    let cron;
    try {
        cron = new croner/* Cron */.l4(expression, { mode: '5-part', timezone: 'UTC' });
    }
    catch (error) {
        return `expected a 5-field cron expression (minute hour day-of-month month day-of-week), such as "0 2 * * 0": ${error.message.replace(/^CronPattern: /, '')}`;
    }
    // 400 years hold every calendar pattern (leap days included), so no later match means none at all.
    if (cron.nextRun(new Date('2000-01-01T00:00:00Z')) === null)
        return 'never matches a date (e.g. 30 February)';
    return undefined;
}
const WINDOW_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?$/;
const WINDOW_TIME_HELP = 'an ISO 8601 date-time such as 2026-12-24T22:00 (local to timeZone) or 2026-12-24T22:00:00Z';
/** A one-off window's start or end as an instant (a time without offset is local to `zone`), or undefined. */
function windowTime(text, zone) {
    if (!WINDOW_TIME.test(text))
        return undefined;
    const time = luxon/* DateTime */.c9.fromISO(text, { zone, setZone: true });
    return time.isValid ? time : undefined;
}
const windowSchema = schemas/* strictObject */.rej({
    name: schemas/* string */.YjP().min(1).describe('Unique name, used in outputs and notices.'),
    kind: schemas/* enum */.k5n(['allow', 'deny'])
        .default('allow')
        .describe('allow: a maintenance window; deny: a freeze. Deny beats allow.'),
    schedule: schemas/* string */.YjP()
        .superRefine((text, ctx) => {
        const problem = cronProblem(text);
        if (problem)
            ctx.addIssue({ code: 'custom', message: problem });
    })
        .optional()
        .describe('Cron expression (5 fields, local to timeZone) for when a recurring window starts.'),
    duration: schemas/* string */.YjP()
        .regex(DURATION_PATTERN, { message: `expected ${duration/* DURATION_HELP */.vb}` })
        .optional()
        .describe('How long a recurring window lasts, in local wall-clock time (2h after 02:00 is 04:00, across DST too).'),
    start: schemas/* string */.YjP()
        .refine((t) => WINDOW_TIME.test(t), { message: `expected ${WINDOW_TIME_HELP}` })
        .optional()
        .describe('One-off window start, ISO 8601 (local to timeZone when it has no offset).'),
    end: schemas/* string */.YjP()
        .refine((t) => WINDOW_TIME.test(t), { message: `expected ${WINDOW_TIME_HELP}` })
        .optional()
        .describe('One-off window end, ISO 8601 (local to timeZone when it has no offset).'),
    timeZone: timeZone.default('UTC'),
})
    .superRefine((w, ctx) => {
    const recurring = w.schedule !== undefined || w.duration !== undefined;
    const oneOff = w.start !== undefined || w.end !== undefined;
    if (recurring && oneOff)
        ctx.addIssue({
            code: 'custom',
            message: 'give either schedule+duration or start+end, not both',
            path: ['schedule'],
        });
    else if (recurring) {
        if (w.schedule === undefined)
            ctx.addIssue({ code: 'custom', message: 'is required with duration', path: ['schedule'] });
        if (w.duration === undefined)
            ctx.addIssue({ code: 'custom', message: 'is required with schedule', path: ['duration'] });
        else if (!(((0,duration/* parseDuration */.E9)(w.duration) ?? 0) > 0))
            ctx.addIssue({ code: 'custom', message: 'must be longer than zero', path: ['duration'] });
    }
    else if (oneOff) {
        if (w.start === undefined)
            ctx.addIssue({ code: 'custom', message: 'is required with end', path: ['start'] });
        if (w.end === undefined)
            ctx.addIssue({ code: 'custom', message: 'is required with start', path: ['end'] });
        if (w.start !== undefined && w.end !== undefined) {
            const start = windowTime(w.start, w.timeZone);
            const end = windowTime(w.end, w.timeZone);
            if (!start)
                ctx.addIssue({ code: 'custom', message: 'is not a real date and time', path: ['start'] });
            if (!end)
                ctx.addIssue({ code: 'custom', message: 'is not a real date and time', path: ['end'] });
            if (start && end && end.toMillis() <= start.toMillis())
                ctx.addIssue({ code: 'custom', message: `must be after start (${w.start})`, path: ['end'] });
        }
    }
    else
        ctx.addIssue({ code: 'custom', message: 'a window needs schedule+duration or start+end', path: ['name'] });
});
const freezeSchema = schemas/* strictObject */.rej({
    name: schemas/* string */.YjP().min(1),
    from: isoDate.describe('First frozen day (inclusive), YYYY-MM-DD.'),
    to: isoDate.describe('Last frozen day (inclusive), YYYY-MM-DD.'),
    timeZone: timeZone.default('UTC'),
})
    .superRefine((f, ctx) => {
    if (f.to < f.from)
        ctx.addIssue({ code: 'custom', message: `must not be before from (${f.from})`, path: ['to'] });
});
const checklistItem = (shape) => schemas/* strictObject */.rej({
    enabled: schemas/* boolean */.zMY().default(true).describe('Check this item at all.'),
    allowCheckbox: schemas/* boolean */.zMY()
        .default(false)
        .describe('A ticked checkbox for this item in the pull request body satisfies it.'),
    ...shape,
})
    .prefault({});
const policySchema = schemas/* strictObject */.rej({
    $schema: schemas/* string */.YjP().optional(),
    version: schemas/* literal */.euz(1).default(1).describe('Policy file format version.'),
    severities: schemas/* strictObject */.rej({
        P0: severity({
            meaning: 'Critical: complete service outage, data loss, security breach',
            response: '15m',
            color: 'b60205',
        }),
        P1: severity({
            meaning: 'High: major feature unavailable, significant performance degradation',
            response: '1h',
            color: 'd93f0b',
        }),
        P2: severity({
            meaning: 'Medium: minor feature issues, moderate performance impact',
            response: '4h',
            color: 'fbca04',
        }),
        P3: severity({
            meaning: 'Low: cosmetic issues, minimal user impact',
            response: 'next-business-day',
            color: '0e8a16',
        }),
    })
        .prefault({})
        .describe('Incident severities P0–P3 and their response times.'),
    escalation: schemas/* strictObject */.rej({
        chain: schemas/* array */.YOg(escalationLevel)
            .min(1)
            .default([
            { role: 'On-call engineer', mention: [] },
            { role: 'Team lead', mention: [] },
            { role: 'Engineering manager', mention: [] },
            { role: 'CTO', mention: [] },
        ])
            .describe('Escalation levels, first to last.'),
        ackLabel: label.default('acknowledged').describe('Label that marks an incident as acknowledged.'),
        ackCommand: schemas/* string */.YjP().min(1).default('/ack').describe('Comment that acknowledges an incident.'),
    })
        .prefault({}),
    businessHours: schemas/* strictObject */.rej({
        timeZone: timeZone.default('UTC'),
        days: schemas/* array */.YOg(weekday).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']).describe('Business days.'),
        start: clockTime.default('09:00').describe('Start of the business day, HH:MM local time.'),
        end: clockTime.default('17:00').describe('End of the business day, HH:MM local time.'),
        holidays: schemas/* array */.YOg(isoDate).default([]).describe('Days that are not business days, YYYY-MM-DD.'),
    })
        .prefault({})
        .describe('Used for "next business day" response times.'),
    incidents: schemas/* strictObject */.rej({
        label: label.default('incident').describe('Label on every incident issue.'),
        postMortemWithin: schema_duration('48h', 'Post-mortem due this long after resolution.'),
        postMortemLabel: label.default('post-mortem').describe('Label on post-mortem issues.'),
        statusPage: schemas/* url */.OZ5().optional().describe('Status page linked from incidents.'),
    })
        .prefault({}),
    maintenance: schemas/* strictObject */.rej({
        notice: schema_duration('48h', 'Advance notice required before a maintenance window.'),
        noticeLabel: label
            .default('maintenance-notice')
            .describe('Label on maintenance notice issues (the announcement evidence).'),
        deploysOnlyInWindows: schemas/* boolean */.zMY().default(false).describe('Deploys must also fall inside an allow window.'),
        overrideActors: schemas/* array */.YOg(schemas/* string */.YjP().min(1)).default([]).describe('GitHub logins allowed to override a block.'),
        windows: schemas/* array */.YOg(windowSchema)
            .default([
            { name: 'weekly-maintenance', kind: 'allow', schedule: '0 2 * * 0', duration: '2h', timeZone: 'UTC' },
        ])
            .describe('Maintenance windows and freezes; default: Sunday 02:00–04:00 UTC.'),
        freezes: schemas/* array */.YOg(freezeSchema).default([]).describe('Whole-day freezes (holidays, launches).'),
    })
        .prefault({}),
    deploy: schemas/* strictObject */.rej({
        environment: schemas/* string */.YjP().min(1).default('production').describe('The environment the checklist guards.'),
        checklist: schemas/* strictObject */.rej({
            codeReview: checklistItem({
                approvals: schemas/* number */.aig()
                    .int()
                    .min(0)
                    .default(1)
                    .describe('Approvals required (latest review per reviewer).'),
                allowDirectPush: schemas/* boolean */.zMY()
                    .default(false)
                    .describe('A commit with no pull request passes the review item.'),
            }),
            tests: checklistItem({
                requiredChecks: schemas/* array */.YOg(schemas/* string */.YjP().min(1))
                    .default([])
                    .describe('Checks that must exist and pass on the commit.'),
                allowNeutral: schemas/* boolean */.zMY().default(true).describe('A neutral check run counts as passing.'),
                allowSkipped: schemas/* boolean */.zMY().default(true).describe('A skipped check run counts as passing.'),
                wait: schema_duration('0s', 'How long to wait for pending checks.'),
                interval: schema_duration('15s', 'Poll interval while waiting.'),
            }),
            securityScan: checklistItem({
                severity: schemas/* enum */.k5n(['critical', 'high', 'medium', 'low'])
                    .default('high')
                    .describe('Open code-scanning alerts at or above this block the deploy.'),
                check: schemas/* string */.YjP().optional().describe('A named check that counts as the security scan.'),
                whenNotEnabled: schemas/* enum */.k5n(['fail', 'pass'])
                    .default('fail')
                    .describe('Result of the security item when code scanning is not enabled.'),
            }),
            migrationsTested: checklistItem({
                check: schemas/* string */.YjP()
                    .default('db-migrate')
                    .describe('Check that proves the migrations were tested on the commit.'),
                paths: schemas/* array */.YOg(schemas/* string */.YjP())
                    .default(['migrations/**'])
                    .describe('Migration files: without the check, the item passes when none changed since the last deploy.'),
            }),
            rollbackPlan: checklistItem({
                heading: schemas/* string */.YjP()
                    .default('Rollback plan')
                    .describe('Pull request body section that holds the rollback plan.'),
                file: schemas/* string */.YjP().optional().describe('Or a file in the repository holding the rollback plan.'),
            }),
            monitoringAlerts: checklistItem({
                paths: schemas/* array */.YOg(schemas/* string */.YjP())
                    .default(['monitoring/**/*.yml', 'monitoring/**/*.yaml'])
                    .describe('Prometheus rule files that must cover the deployed services.'),
            }),
            stakeholdersNotified: checklistItem({
                trackingIssue: schemas/* number */.aig().int().positive().optional().describe('Issue where deploy notices are posted.'),
            }),
        })
            .prefault({}),
    })
        .prefault({}),
    kubernetes: schemas/* strictObject */.rej({
        timeout: schema_duration('10m', 'Deadline for a whole rollout.'),
        firstDeploy: schemas/* enum */.k5n(['delete', 'keep', 'fail'])
            .default('delete')
            .describe('What a failed first deploy leaves.'),
        restartLimit: schemas/* number */.aig().int().min(1).default(3).describe('Container restarts that count as a failure.'),
        imagePullGrace: schema_duration('2m', 'How long ImagePullBackOff may persist before it fails the rollout.'),
        scaling: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* strictObject */.rej({ min: schemas/* number */.aig().int().min(0), max: schemas/* number */.aig().int().min(1) }))
            .default({})
            .describe('Replica bounds per Deployment for scale.yml.'),
    })
        .prefault({}),
    database: schemas/* strictObject */.rej({
        lint: schemas/* strictObject */.rej({
            'syntax-error': lintSeverity('error', 'A migration file the PostgreSQL parser rejects.'),
            'drop-table': lintSeverity('error', 'DROP TABLE: destroys data the running version may still read.'),
            'drop-column': lintSeverity('error', 'ALTER TABLE … DROP COLUMN: destroys data the running version may still read.'),
            'not-null-without-default': lintSeverity('error', 'ADD COLUMN … NOT NULL without DEFAULT on an existing table: fails on a non-empty table.'),
            'index-not-concurrent': lintSeverity('warning', 'CREATE INDEX without CONCURRENTLY on an existing table: blocks writes while it builds.'),
            'concurrently-in-transaction': lintSeverity('error', 'CREATE/DROP INDEX CONCURRENTLY inside BEGIN … COMMIT: PostgreSQL refuses it.'),
            'table-rewrite': lintSeverity('warning', 'ALTER COLUMN … TYPE or a volatile DEFAULT that rewrites the table under an exclusive lock.'),
            rename: lintSeverity('warning', 'Renaming a table or column: the running version still uses the old name.'),
            'missing-lock-timeout': lintSeverity('warning', 'A locking statement on an existing table without SET lock_timeout first.'),
        })
            .prefault({})
            .describe('Severity (error, warning, off) per migration lint rule id; see actions/db-migrate/README.md.'),
        slowQuery: schema_duration('1s', 'Statements slower than this are reported.'),
    })
        .prefault({}),
    backups: schemas/* strictObject */.rej({
        rpo: schema_duration('1h', 'Recovery point objective: the newest backup may be this old.'),
        rto: schema_duration('4h', 'Recovery time objective: a restore must take less.'),
        maxAge: schemas/* string */.YjP()
            .regex(DURATION_PATTERN, { message: `expected ${duration/* DURATION_HELP */.vb}` })
            .transform((text) => (0,duration/* parseDuration */.E9)(text))
            .optional()
            .describe('Oldest the newest logical backup (pg_dump) may be, when it cannot meet the RPO by itself: daily dumps need e.g. 26h, and the 1h RPO needs WAL archiving. Default: rpo.'),
        retentionDays: schemas/* number */.aig()
            .int()
            .min(1)
            .default(30)
            .describe('Each of this many whole UTC days before today must have a backup.'),
        expectations: schemas/* strictObject */.rej({
            tables: schemas/* array */.YOg(schemas/* string */.YjP())
                .default([])
                .describe('Tables that must exist in the backup (schema.table; a bare name means public).'),
            minRows: schemas/* record */.g1P(schemas/* string */.YjP(), schemas/* number */.aig().int().min(0))
                .default({})
                .describe('Minimum rows per table (schema.table or a public table name), checked when rows are counted.'),
        })
            .prefault({}),
    })
        .prefault({}),
    health: schemas/* strictObject */.rej({
        p95: schema_duration('500ms', '95th percentile response time must be below this.'),
        errorRate: schemas/* number */.aig().min(0).max(1).default(0.001).describe('Error rate must be below this (0.001 = 0.1 %).'),
        timeout: schema_duration('10s', 'Per-request timeout.'),
    })
        .prefault({}),
    certificates: schemas/* strictObject */.rej({
        warnDays: schemas/* number */.aig().int().min(0).default(30).describe('Warn when fewer days than this are left.'),
        failDays: schemas/* number */.aig().int().min(0).default(7).describe('Fail when fewer days than this are left.'),
    })
        .prefault({}),
})
    .superRefine((p, ctx) => {
    const names = new Set();
    p.maintenance.windows.forEach((w, i) => {
        if (names.has(w.name))
            ctx.addIssue({
                code: 'custom',
                message: `duplicate window name "${w.name}"`,
                path: ['maintenance', 'windows', i, 'name'],
            });
        names.add(w.name);
    });
    p.maintenance.freezes.forEach((f, i) => {
        if (names.has(f.name))
            ctx.addIssue({
                code: 'custom',
                message: `duplicate window or freeze name "${f.name}"`,
                path: ['maintenance', 'freezes', i, 'name'],
            });
        names.add(f.name);
    });
    if (p.certificates.failDays > p.certificates.warnDays)
        ctx.addIssue({ code: 'custom', message: 'must not be more than warnDays', path: ['certificates', 'failDays'] });
});

;// CONCATENATED MODULE: ./.tmp/build/src/core/policy/load.js





const DEFAULT_POLICY_PATH = '.github/runbook.yml';
/**
 * Loads the runbook policy. The default path may be absent (the runbook's defaults apply);
 * any other path must exist, since naming a file that is not there is a mistake.
 * Problems name the key's path and its line, and are reported as annotations on the file.
 */
async function loadPolicy(options) {
    const file = (0,external_node_path_.isAbsolute)(options.path) ? options.path : (0,external_node_path_.join)(options.workspace, options.path);
    let text;
    try {
        text = await (0,promises_.readFile)(file, 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT' && options.path === DEFAULT_POLICY_PATH) {
            options.log?.debug(`no ${DEFAULT_POLICY_PATH}: using the runbook's defaults`);
            return { ...parsePolicy({}), file: undefined };
        }
        throw new errors/* ConfigurationError */.j1([{ field: 'input "policy-file"', value: options.path, message: `cannot be read (${error.message})` }], 'policy');
    }
    const policy = parsePolicyText(text, options.path, options.log);
    return { ...policy, file: options.path };
}
/** Parses YAML text; errors carry `path (line N)` and are annotated on `fileLabel` when a logger is given. */
function parsePolicyText(text, fileLabel, log) {
    const lineCounter = new dist/* LineCounter */.HN();
    const doc = (0,dist/* parseDocument */.Tp)(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length > 0) {
        const issues = doc.errors.map((e) => ({
            field: `${fileLabel} (line ${lineCounter.linePos(e.pos[0]).line})`,
            message: `invalid YAML: ${e.message.split('\n')[0]}`,
        }));
        throw annotated(issues, fileLabel, log, issues.map((_, i) => lineCounter.linePos(doc.errors[i]?.pos[0] ?? 0).line));
    }
    const data = doc.toJS() ?? {};
    const result = policySchema.safeParse(data);
    if (result.success)
        return result.data;
    const lines = [];
    const issues = result.error.issues.map((issue) => {
        const line = lineOf(doc, lineCounter, issue.path);
        lines.push(line);
        const at = formatPath(issue.path);
        return {
            field: `${fileLabel}: ${at || '(top level)'}${line ? ` (line ${line})` : ''}`,
            message: describeIssue(issue),
        };
    });
    throw annotated(issues, fileLabel, log, lines);
}
function parsePolicy(data) {
    const result = policySchema.safeParse(data);
    if (result.success)
        return result.data;
    throw new errors/* ConfigurationError */.j1(result.error.issues.map((i) => ({ field: formatPath(i.path), message: describeIssue(i) })), 'policy');
}
function annotated(issues, file, log, lines) {
    for (const [i, issue] of issues.entries()) {
        log?.error(`${issue.field}: ${issue.message}`, { title: 'Runbook policy', file, startLine: lines[i] });
    }
    return new errors/* ConfigurationError */.j1(issues, 'policy');
}
function describeIssue(issue) {
    if (issue.code === 'unrecognized_keys' && issue.keys)
        return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')} (see docs/policy.md for the allowed keys)`;
    return issue.message;
}
function formatPath(path) {
    return path.reduce((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}
function lineOf(doc, counter, path) {
    for (let depth = path.length; depth >= 0; depth--) {
        const node = doc.getIn(path.slice(0, depth), true);
        if (node?.range)
            return counter.linePos(node.range[0]).line;
    }
    return undefined;
}


/***/ })

};
