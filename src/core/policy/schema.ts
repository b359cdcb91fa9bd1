import { Cron } from 'croner';
import { z } from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { DURATION_HELP, parseDuration } from '../duration.js';
import { isTimeZone, zoneOffset } from '../zones.js';

/**
 * The runbook policy file (`.github/runbook.yml`). Every default is a number from the operations
 * runbook; every object is strict, so a misspelt key is an error naming its path rather than a
 * silent fall-back to the default. Durations are written as text (`15m`, `48h`) and parsed to
 * milliseconds. Each action reads only its own section.
 *
 * Written with `zod/mini`, like the action inputs, so an action bundle carries one flavour of zod and the
 * bundler can drop what neither uses; the English messages are loaded here, with the policy.
 */
z.config(en());

const DURATION_PATTERN = /^\s*(?:\d+(?:\.\d+)?\s*(?:ms|s|m|h|d|w)\s*)+$/;

/** `schema` with a description for the JSON Schema and docs/policy.md. */
function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  return schema.check(z.describe(description));
}

/** `schema` with a default (used when the key is absent) and a description. */
function withDefault<T extends z.ZodMiniType>(
  schema: T,
  fallback: z.util.NoUndefined<z.output<T>>,
  description?: string,
) {
  const wrapped = z._default(schema, fallback);
  return description === undefined ? wrapped : described(wrapped, description);
}

/** An object whose absent keys all take their defaults: `{}` is parsed when the section is left out. */
function section<T extends z.ZodMiniType>(schema: T) {
  return z.prefault(schema, {} as never);
}

const durationText = () => z.string().check(z.regex(DURATION_PATTERN, { message: `expected ${DURATION_HELP}` }));
const toMs = () => z.transform((text: string) => parseDuration(text) as number);

function duration(fallback: string, description: string) {
  return described(z.prefault(z.pipe(durationText(), toMs()), fallback), description);
}

const lintSeverityName = z.enum(['error', 'warning', 'off']);
function lintSeverity(fallback: z.infer<typeof lintSeverityName>, description: string) {
  return withDefault(lintSeverityName, fallback, description);
}

const timeZone = described(
  z.string().check(z.refine(isTimeZone, { message: 'expected an IANA time zone such as UTC or Europe/London' })),
  'IANA time zone, e.g. UTC, Europe/London',
);

const isoDate = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date as YYYY-MM-DD' }),
  z.refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    { message: 'is not a real calendar date' },
  ),
);

const clockTime = z
  .string()
  .check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a time as HH:MM (24-hour)' }));
const hexColor = z
  .string()
  .check(z.regex(/^[0-9a-fA-F]{6}$/, { message: 'expected a 6-digit hex colour without #, e.g. b60205' }));
const label = z.string().check(z.minLength(1), z.maxLength(50));
const nonEmpty = () => z.string().check(z.minLength(1));
const count = (min: number) => z.number().check(z.int(), z.gte(min));

export { SEVERITIES, type SeverityName } from './severities.js';

function severity(defaults: { meaning: string; response: string; color: string }) {
  return section(
    z.strictObject({
      meaning: withDefault(nonEmpty(), defaults.meaning, 'What this severity means, shown on incidents.'),
      response: withDefault(
        z.union([
          z.literal('next-business-day'),
          z.string().check(z.regex(DURATION_PATTERN, { message: `expected ${DURATION_HELP} or next-business-day` })),
        ]),
        defaults.response,
        'Time to first response: a duration, or next-business-day (uses businessHours).',
      ),
      labels: withDefault(z.array(label), [], 'Extra labels put on incidents of this severity.'),
      color: withDefault(hexColor, defaults.color, 'Colour of the severity label when it has to be created.'),
    }),
  );
}

const escalationLevel = z.strictObject({
  role: described(nonEmpty(), 'Who this level is, e.g. "Team lead".'),
  mention: withDefault(
    z.array(
      z.string().check(
        z.regex(/^@?[A-Za-z0-9](?:[A-Za-z0-9-]*)(?:\/[A-Za-z0-9._-]+)?$/, {
          message: 'expected a GitHub login or @org/team',
        }),
      ),
    ),
    [],
    'GitHub users or @org/teams mentioned when an incident reaches this level.',
  ),
});

const weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);

/** A 5-field cron expression croner accepts and that matches at least one date; undefined when fine. */
export function cronProblem(expression: string): string | undefined {
  let cron: Cron;
  try {
    cron = new Cron(expression, { mode: '5-part', timezone: 'UTC' });
  } catch (error) {
    return `expected a 5-field cron expression (minute hour day-of-month month day-of-week), such as "0 2 * * 0": ${(error as Error).message.replace(/^CronPattern: /, '')}`;
  }
  // 400 years hold every calendar pattern (leap days included), so no later match means none at all.
  if (cron.nextRun(new Date('2000-01-01T00:00:00Z')) === null) return 'never matches a date (e.g. 30 February)';
  return undefined;
}

const WINDOW_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?$/;
export const WINDOW_TIME_HELP =
  'an ISO 8601 date-time such as 2026-12-24T22:00 (local to timeZone) or 2026-12-24T22:00:00Z';

/**
 * A one-off window's start or end as epoch milliseconds (a time without offset is local to `zone`), or
 * undefined when it is not a real date and time (30 February, 25:00). Used to check that end is after start;
 * the calendar maps local times that fall into a DST gap by its own rule.
 */
export function windowTime(text: string, zone: string): number | undefined {
  const match = WINDOW_TIME.exec(text);
  if (!match) return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map((n) => Number(n ?? 0));
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const shown = new Date(wall);
  const real =
    shown.getUTCFullYear() === year &&
    shown.getUTCMonth() === month - 1 &&
    shown.getUTCDate() === day &&
    shown.getUTCHours() === hour &&
    minute < 60 &&
    second < 60;
  if (!real) return undefined;
  const offset = match[7];
  if (offset === undefined) return wall - zoneOffset(wall - zoneOffset(wall, zone) * 60_000, zone) * 60_000;
  if (offset === 'Z') return wall;
  const [hours = 0, minutes = 0] = offset.slice(1).split(':').map(Number);
  if (hours > 23 || minutes > 59) return undefined;
  return wall - (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

const windowTimeText = (which: 'start' | 'end') =>
  z.optional(
    described(
      z.string().check(z.refine((t) => WINDOW_TIME.test(t), { message: `expected ${WINDOW_TIME_HELP}` })),
      `One-off window ${which}, ISO 8601 (local to timeZone when it has no offset).`,
    ),
  );

export const windowSchema = z
  .strictObject({
    name: described(nonEmpty(), 'Unique name, used in outputs and notices.'),
    kind: withDefault(
      z.enum(['allow', 'deny']),
      'allow',
      'allow: a maintenance window; deny: a freeze. Deny beats allow.',
    ),
    schedule: z.optional(
      described(
        z.string().check(
          z.superRefine((text, ctx) => {
            const problem = cronProblem(text);
            if (problem) ctx.addIssue({ code: 'custom', message: problem, input: text });
          }),
        ),
        'Cron expression (5 fields, local to timeZone) for when a recurring window starts.',
      ),
    ),
    duration: z.optional(
      described(
        durationText(),
        'How long a recurring window lasts, in local wall-clock time (2h after 02:00 is 04:00, across DST too).',
      ),
    ),
    start: windowTimeText('start'),
    end: windowTimeText('end'),
    timeZone: withDefault(timeZone, 'UTC'),
  })
  .check(
    z.superRefine((w, ctx) => {
      const issue = (path: string, message: string) =>
        ctx.addIssue({ code: 'custom', message, path: [path], input: w });
      const recurring = w.schedule !== undefined || w.duration !== undefined;
      const oneOff = w.start !== undefined || w.end !== undefined;
      if (recurring && oneOff) issue('schedule', 'give either schedule+duration or start+end, not both');
      else if (recurring) {
        if (w.schedule === undefined) issue('schedule', 'is required with duration');
        if (w.duration === undefined) issue('duration', 'is required with schedule');
        else if (!((parseDuration(w.duration) ?? 0) > 0)) issue('duration', 'must be longer than zero');
      } else if (oneOff) {
        if (w.start === undefined) issue('start', 'is required with end');
        if (w.end === undefined) issue('end', 'is required with start');
        if (w.start !== undefined && w.end !== undefined) {
          const start = windowTime(w.start, w.timeZone);
          const end = windowTime(w.end, w.timeZone);
          if (start === undefined) issue('start', 'is not a real date and time');
          if (end === undefined) issue('end', 'is not a real date and time');
          if (start !== undefined && end !== undefined && end <= start)
            issue('end', `must be after start (${w.start})`);
        }
      } else issue('name', 'a window needs schedule+duration or start+end');
    }),
  );
export type WindowPolicy = z.output<typeof windowSchema>;

export const freezeSchema = z
  .strictObject({
    name: nonEmpty(),
    from: described(isoDate, 'First frozen day (inclusive), YYYY-MM-DD.'),
    to: described(isoDate, 'Last frozen day (inclusive), YYYY-MM-DD.'),
    timeZone: withDefault(timeZone, 'UTC'),
  })
  .check(
    z.superRefine((f, ctx) => {
      if (f.to < f.from)
        ctx.addIssue({ code: 'custom', message: `must not be before from (${f.from})`, path: ['to'], input: f });
    }),
  );
export type FreezePolicy = z.output<typeof freezeSchema>;

const checklistItem = <T extends z.core.$ZodLooseShape>(shape: T) =>
  section(
    z.strictObject({
      enabled: withDefault(z.boolean(), true, 'Check this item at all.'),
      allowCheckbox: withDefault(
        z.boolean(),
        false,
        'A ticked checkbox for this item in the pull request body satisfies it.',
      ),
      ...shape,
    }),
  );

export const policySchema = z
  .strictObject({
    $schema: z.optional(z.string()),
    version: withDefault(z.literal(1), 1, 'Policy file format version.'),
    severities: described(
      section(
        z.strictObject({
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
        }),
      ),
      'Incident severities P0–P3 and their response times.',
    ),
    escalation: section(
      z.strictObject({
        chain: withDefault(
          z.array(escalationLevel).check(z.minLength(1)),
          [
            { role: 'On-call engineer', mention: [] },
            { role: 'Team lead', mention: [] },
            { role: 'Engineering manager', mention: [] },
            { role: 'CTO', mention: [] },
          ],
          'Escalation levels, first to last.',
        ),
        ackLabel: withDefault(label, 'acknowledged', 'Label that marks an incident as acknowledged.'),
        ackCommand: withDefault(nonEmpty(), '/ack', 'Comment that acknowledges an incident.'),
      }),
    ),
    businessHours: described(
      section(
        z.strictObject({
          timeZone: withDefault(timeZone, 'UTC'),
          days: withDefault(
            z.array(weekday).check(z.minLength(1)),
            ['mon', 'tue', 'wed', 'thu', 'fri'],
            'Business days.',
          ),
          start: withDefault(clockTime, '09:00', 'Start of the business day, HH:MM local time.'),
          end: withDefault(clockTime, '17:00', 'End of the business day, HH:MM local time.'),
          holidays: withDefault(z.array(isoDate), [], 'Days that are not business days, YYYY-MM-DD.'),
        }),
      ),
      'Used for "next business day" response times.',
    ),
    incidents: section(
      z.strictObject({
        label: withDefault(label, 'incident', 'Label on every incident issue.'),
        postMortemWithin: duration('48h', 'Post-mortem due this long after resolution.'),
        postMortemLabel: withDefault(label, 'post-mortem', 'Label on post-mortem issues.'),
        statusPage: z.optional(described(z.url(), 'Status page linked from incidents.')),
      }),
    ),
    maintenance: section(
      z.strictObject({
        notice: duration('48h', 'Advance notice required before a maintenance window.'),
        noticeLabel: withDefault(
          label,
          'maintenance-notice',
          'Label on maintenance notice issues (the announcement evidence).',
        ),
        deploysOnlyInWindows: withDefault(z.boolean(), false, 'Deploys must also fall inside an allow window.'),
        overrideActors: withDefault(z.array(nonEmpty()), [], 'GitHub logins allowed to override a block.'),
        windows: withDefault(
          z.array(windowSchema),
          [{ name: 'weekly-maintenance', kind: 'allow', schedule: '0 2 * * 0', duration: '2h', timeZone: 'UTC' }],
          'Maintenance windows and freezes; default: Sunday 02:00–04:00 UTC.',
        ),
        freezes: withDefault(z.array(freezeSchema), [], 'Whole-day freezes (holidays, launches).'),
      }),
    ),
    deploy: section(
      z.strictObject({
        environment: withDefault(nonEmpty(), 'production', 'The environment the checklist guards.'),
        checklist: section(
          z.strictObject({
            codeReview: checklistItem({
              approvals: withDefault(count(0), 1, 'Approvals required (latest review per reviewer).'),
              allowDirectPush: withDefault(z.boolean(), false, 'A commit with no pull request passes the review item.'),
            }),
            tests: checklistItem({
              requiredChecks: withDefault(z.array(nonEmpty()), [], 'Checks that must exist and pass on the commit.'),
              allowNeutral: withDefault(z.boolean(), true, 'A neutral check run counts as passing.'),
              allowSkipped: withDefault(z.boolean(), true, 'A skipped check run counts as passing.'),
              wait: duration('0s', 'How long to wait for pending checks.'),
              interval: duration('15s', 'Poll interval while waiting.'),
            }),
            securityScan: checklistItem({
              severity: withDefault(
                z.enum(['critical', 'high', 'medium', 'low']),
                'high',
                'Open code-scanning alerts at or above this block the deploy.',
              ),
              check: z.optional(described(z.string(), 'A named check that counts as the security scan.')),
              whenNotEnabled: withDefault(
                z.enum(['fail', 'pass']),
                'fail',
                'Result of the security item when code scanning is not enabled.',
              ),
            }),
            migrationsTested: checklistItem({
              check: withDefault(
                z.string(),
                'db-migrate',
                'Check that proves the migrations were tested on the commit.',
              ),
              paths: withDefault(
                z.array(z.string()),
                ['migrations/**'],
                'Migration files: without the check, the item passes when none changed since the last deploy.',
              ),
            }),
            rollbackPlan: checklistItem({
              heading: withDefault(
                z.string(),
                'Rollback plan',
                'Pull request body section that holds the rollback plan.',
              ),
              file: z.optional(described(z.string(), 'Or a file in the repository holding the rollback plan.')),
            }),
            monitoringAlerts: checklistItem({
              paths: withDefault(
                z.array(z.string()),
                ['monitoring/**/*.yml', 'monitoring/**/*.yaml'],
                'Prometheus rule files that must cover the deployed services.',
              ),
            }),
            stakeholdersNotified: checklistItem({
              trackingIssue: z.optional(
                described(z.number().check(z.int(), z.positive()), 'Issue where deploy notices are posted.'),
              ),
            }),
          }),
        ),
      }),
    ),
    kubernetes: section(
      z.strictObject({
        timeout: duration('10m', 'Deadline for a whole rollout.'),
        firstDeploy: withDefault(z.enum(['delete', 'keep', 'fail']), 'delete', 'What a failed first deploy leaves.'),
        restartLimit: withDefault(count(1), 3, 'Container restarts that count as a failure.'),
        imagePullGrace: duration('2m', 'How long ImagePullBackOff may persist before it fails the rollout.'),
        scaling: withDefault(
          z.record(z.string(), z.strictObject({ min: count(0), max: count(1) })),
          {},
          'Replica bounds per Deployment for scale.yml.',
        ),
      }),
    ),
    database: section(
      z.strictObject({
        lint: described(
          section(
            z.strictObject({
              'syntax-error': lintSeverity('error', 'A migration file the PostgreSQL parser rejects.'),
              'drop-table': lintSeverity('error', 'DROP TABLE: destroys data the running version may still read.'),
              'drop-column': lintSeverity(
                'error',
                'ALTER TABLE … DROP COLUMN: destroys data the running version may still read.',
              ),
              'not-null-without-default': lintSeverity(
                'error',
                'ADD COLUMN … NOT NULL without DEFAULT on an existing table: fails on a non-empty table.',
              ),
              'index-not-concurrent': lintSeverity(
                'warning',
                'CREATE INDEX without CONCURRENTLY on an existing table: blocks writes while it builds.',
              ),
              'concurrently-in-transaction': lintSeverity(
                'error',
                'CREATE/DROP INDEX CONCURRENTLY inside BEGIN … COMMIT: PostgreSQL refuses it.',
              ),
              'table-rewrite': lintSeverity(
                'warning',
                'ALTER COLUMN … TYPE or a volatile DEFAULT that rewrites the table under an exclusive lock.',
              ),
              rename: lintSeverity(
                'warning',
                'Renaming a table or column: the running version still uses the old name.',
              ),
              'missing-lock-timeout': lintSeverity(
                'warning',
                'A locking statement on an existing table without SET lock_timeout first.',
              ),
            }),
          ),
          'Severity (error, warning, off) per migration lint rule id; see actions/db-migrate/README.md.',
        ),
        slowQuery: duration('1s', 'Statements slower than this are reported.'),
      }),
    ),
    backups: section(
      z.strictObject({
        rpo: duration('1h', 'Recovery point objective: the newest backup may be this old.'),
        rto: duration('4h', 'Recovery time objective: a restore must take less.'),
        maxAge: z.optional(
          described(
            z.pipe(durationText(), toMs()),
            'Oldest the newest logical backup (pg_dump) may be, when it cannot meet the RPO by itself: daily dumps need e.g. 26h, and the 1h RPO needs WAL archiving. Default: rpo.',
          ),
        ),
        retentionDays: withDefault(count(1), 30, 'Each of this many whole UTC days before today must have a backup.'),
        expectations: section(
          z.strictObject({
            tables: withDefault(
              z.array(z.string()),
              [],
              'Tables that must exist in the backup (schema.table; a bare name means public).',
            ),
            minRows: withDefault(
              z.record(z.string(), count(0)),
              {},
              'Minimum rows per table (schema.table or a public table name), checked when rows are counted.',
            ),
          }),
        ),
      }),
    ),
    health: section(
      z.strictObject({
        p95: duration('500ms', '95th percentile response time must be below this.'),
        errorRate: withDefault(
          z.number().check(z.gte(0), z.lte(1)),
          0.001,
          'Error rate must be below this (0.001 = 0.1 %).',
        ),
        timeout: duration('10s', 'Per-request timeout.'),
      }),
    ),
    certificates: section(
      z.strictObject({
        warnDays: withDefault(count(0), 30, 'Warn when fewer days than this are left.'),
        failDays: withDefault(count(0), 7, 'Fail when fewer days than this are left.'),
      }),
    ),
  })
  .check(
    z.superRefine((p, ctx) => {
      const issue = (path: (string | number)[], message: string) =>
        ctx.addIssue({ code: 'custom', message, path, input: p });
      const names = new Set<string>();
      p.maintenance.windows.forEach((w, i) => {
        if (names.has(w.name)) issue(['maintenance', 'windows', i, 'name'], `duplicate window name "${w.name}"`);
        names.add(w.name);
      });
      p.maintenance.freezes.forEach((f, i) => {
        if (names.has(f.name))
          issue(['maintenance', 'freezes', i, 'name'], `duplicate window or freeze name "${f.name}"`);
        names.add(f.name);
      });
      if (p.certificates.failDays > p.certificates.warnDays)
        issue(['certificates', 'failDays'], 'must not be more than warnDays');
    }),
  );

export type Policy = z.output<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;
