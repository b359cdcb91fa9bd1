import { Cron } from 'croner';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { DURATION_HELP, parseDuration } from '../duration.js';

/**
 * The runbook policy file (`.github/runbook.yml`). Every default is a number from the operations
 * runbook; every object is strict, so a misspelt key is an error naming its path rather than a
 * silent fall-back to the default. Durations are written as text (`15m`, `48h`) and parsed to
 * milliseconds. Each action reads only its own section.
 */

const DURATION_PATTERN = /^\s*(?:\d+(?:\.\d+)?\s*(?:ms|s|m|h|d|w)\s*)+$/;

function duration(fallback: string, description: string) {
  return z
    .string()
    .regex(DURATION_PATTERN, { message: `expected ${DURATION_HELP}` })
    .transform((text) => parseDuration(text) as number)
    .prefault(fallback)
    .describe(description);
}

const lintSeverityName = z.enum(['error', 'warning', 'off']);
function lintSeverity(fallback: z.infer<typeof lintSeverityName>, description: string) {
  return lintSeverityName.default(fallback).describe(description);
}

const timeZone = z
  .string()
  .refine(isTimeZone, { message: 'expected an IANA time zone such as UTC or Europe/London' })
  .describe('IANA time zone, e.g. UTC, Europe/London');

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date as YYYY-MM-DD' })
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    {
      message: 'is not a real calendar date',
    },
  );

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'expected a time as HH:MM (24-hour)' });
const hexColor = z
  .string()
  .regex(/^[0-9a-fA-F]{6}$/, { message: 'expected a 6-digit hex colour without #, e.g. b60205' });
const label = z.string().min(1).max(50);

export { SEVERITIES, type SeverityName } from './severities.js';

function severity(defaults: { meaning: string; response: string; color: string }) {
  return z
    .strictObject({
      meaning: z.string().min(1).default(defaults.meaning).describe('What this severity means, shown on incidents.'),
      response: z
        .union([
          z.literal('next-business-day'),
          z.string().regex(DURATION_PATTERN, { message: `expected ${DURATION_HELP} or next-business-day` }),
        ])
        .default(defaults.response)
        .describe('Time to first response: a duration, or next-business-day (uses businessHours).'),
      labels: z.array(label).default([]).describe('Extra labels put on incidents of this severity.'),
      color: hexColor.default(defaults.color).describe('Colour of the severity label when it has to be created.'),
    })
    .prefault({});
}

const escalationLevel = z.strictObject({
  role: z.string().min(1).describe('Who this level is, e.g. "Team lead".'),
  mention: z
    .array(
      z.string().regex(/^@?[A-Za-z0-9](?:[A-Za-z0-9-]*)(?:\/[A-Za-z0-9._-]+)?$/, {
        message: 'expected a GitHub login or @org/team',
      }),
    )
    .default([])
    .describe('GitHub users or @org/teams mentioned when an incident reaches this level.'),
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

const WINDOW_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?$/;
export const WINDOW_TIME_HELP =
  'an ISO 8601 date-time such as 2026-12-24T22:00 (local to timeZone) or 2026-12-24T22:00:00Z';

/** A one-off window's start or end as an instant (a time without offset is local to `zone`), or undefined. */
export function windowTime(text: string, zone: string): DateTime | undefined {
  if (!WINDOW_TIME.test(text)) return undefined;
  const time = DateTime.fromISO(text, { zone, setZone: true });
  return time.isValid ? time : undefined;
}

export const windowSchema = z
  .strictObject({
    name: z.string().min(1).describe('Unique name, used in outputs and notices.'),
    kind: z
      .enum(['allow', 'deny'])
      .default('allow')
      .describe('allow: a maintenance window; deny: a freeze. Deny beats allow.'),
    schedule: z
      .string()
      .superRefine((text, ctx) => {
        const problem = cronProblem(text);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional()
      .describe('Cron expression (5 fields, local to timeZone) for when a recurring window starts.'),
    duration: z
      .string()
      .regex(DURATION_PATTERN, { message: `expected ${DURATION_HELP}` })
      .optional()
      .describe(
        'How long a recurring window lasts, in local wall-clock time (2h after 02:00 is 04:00, across DST too).',
      ),
    start: z
      .string()
      .refine((t) => WINDOW_TIME.test(t), { message: `expected ${WINDOW_TIME_HELP}` })
      .optional()
      .describe('One-off window start, ISO 8601 (local to timeZone when it has no offset).'),
    end: z
      .string()
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
      else if (!((parseDuration(w.duration) ?? 0) > 0))
        ctx.addIssue({ code: 'custom', message: 'must be longer than zero', path: ['duration'] });
    } else if (oneOff) {
      if (w.start === undefined) ctx.addIssue({ code: 'custom', message: 'is required with end', path: ['start'] });
      if (w.end === undefined) ctx.addIssue({ code: 'custom', message: 'is required with start', path: ['end'] });
      if (w.start !== undefined && w.end !== undefined) {
        const start = windowTime(w.start, w.timeZone);
        const end = windowTime(w.end, w.timeZone);
        if (!start) ctx.addIssue({ code: 'custom', message: 'is not a real date and time', path: ['start'] });
        if (!end) ctx.addIssue({ code: 'custom', message: 'is not a real date and time', path: ['end'] });
        if (start && end && end.toMillis() <= start.toMillis())
          ctx.addIssue({ code: 'custom', message: `must be after start (${w.start})`, path: ['end'] });
      }
    } else ctx.addIssue({ code: 'custom', message: 'a window needs schedule+duration or start+end', path: ['name'] });
  });
export type WindowPolicy = z.output<typeof windowSchema>;

export const freezeSchema = z
  .strictObject({
    name: z.string().min(1),
    from: isoDate.describe('First frozen day (inclusive), YYYY-MM-DD.'),
    to: isoDate.describe('Last frozen day (inclusive), YYYY-MM-DD.'),
    timeZone: timeZone.default('UTC'),
  })
  .superRefine((f, ctx) => {
    if (f.to < f.from) ctx.addIssue({ code: 'custom', message: `must not be before from (${f.from})`, path: ['to'] });
  });
export type FreezePolicy = z.output<typeof freezeSchema>;

const checklistItem = <T extends z.ZodRawShape>(shape: T) =>
  z
    .strictObject({
      enabled: z.boolean().default(true).describe('Check this item at all.'),
      allowCheckbox: z
        .boolean()
        .default(false)
        .describe('A ticked checkbox for this item in the pull request body satisfies it.'),
      ...shape,
    })
    .prefault({} as never);

export const policySchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1).default(1).describe('Policy file format version.'),
    severities: z
      .strictObject({
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
    escalation: z
      .strictObject({
        chain: z
          .array(escalationLevel)
          .min(1)
          .default([
            { role: 'On-call engineer', mention: [] },
            { role: 'Team lead', mention: [] },
            { role: 'Engineering manager', mention: [] },
            { role: 'CTO', mention: [] },
          ])
          .describe('Escalation levels, first to last.'),
        ackLabel: label.default('acknowledged').describe('Label that marks an incident as acknowledged.'),
        ackCommand: z.string().min(1).default('/ack').describe('Comment that acknowledges an incident.'),
      })
      .prefault({}),
    businessHours: z
      .strictObject({
        timeZone: timeZone.default('UTC'),
        days: z.array(weekday).min(1).default(['mon', 'tue', 'wed', 'thu', 'fri']).describe('Business days.'),
        start: clockTime.default('09:00').describe('Start of the business day, HH:MM local time.'),
        end: clockTime.default('17:00').describe('End of the business day, HH:MM local time.'),
        holidays: z.array(isoDate).default([]).describe('Days that are not business days, YYYY-MM-DD.'),
      })
      .prefault({})
      .describe('Used for "next business day" response times.'),
    incidents: z
      .strictObject({
        label: label.default('incident').describe('Label on every incident issue.'),
        postMortemWithin: duration('48h', 'Post-mortem due this long after resolution.'),
        postMortemLabel: label.default('post-mortem').describe('Label on post-mortem issues.'),
        statusPage: z.url().optional().describe('Status page linked from incidents.'),
      })
      .prefault({}),
    maintenance: z
      .strictObject({
        notice: duration('48h', 'Advance notice required before a maintenance window.'),
        noticeLabel: label
          .default('maintenance-notice')
          .describe('Label on maintenance notice issues (the announcement evidence).'),
        deploysOnlyInWindows: z.boolean().default(false).describe('Deploys must also fall inside an allow window.'),
        overrideActors: z.array(z.string().min(1)).default([]).describe('GitHub logins allowed to override a block.'),
        windows: z
          .array(windowSchema)
          .default([
            { name: 'weekly-maintenance', kind: 'allow', schedule: '0 2 * * 0', duration: '2h', timeZone: 'UTC' },
          ])
          .describe('Maintenance windows and freezes; default: Sunday 02:00–04:00 UTC.'),
        freezes: z.array(freezeSchema).default([]).describe('Whole-day freezes (holidays, launches).'),
      })
      .prefault({}),
    deploy: z
      .strictObject({
        environment: z.string().min(1).default('production').describe('The environment the checklist guards.'),
        checklist: z
          .strictObject({
            codeReview: checklistItem({
              approvals: z
                .number()
                .int()
                .min(0)
                .default(1)
                .describe('Approvals required (latest review per reviewer).'),
              allowDirectPush: z
                .boolean()
                .default(false)
                .describe('A commit with no pull request passes the review item.'),
            }),
            tests: checklistItem({
              requiredChecks: z
                .array(z.string().min(1))
                .default([])
                .describe('Checks that must exist and pass on the commit.'),
              allowNeutral: z.boolean().default(true).describe('A neutral check run counts as passing.'),
              allowSkipped: z.boolean().default(true).describe('A skipped check run counts as passing.'),
              wait: duration('0s', 'How long to wait for pending checks.'),
              interval: duration('15s', 'Poll interval while waiting.'),
            }),
            securityScan: checklistItem({
              severity: z
                .enum(['critical', 'high', 'medium', 'low'])
                .default('high')
                .describe('Open code-scanning alerts at or above this block the deploy.'),
              check: z.string().optional().describe('A named check that counts as the security scan.'),
              whenNotEnabled: z
                .enum(['fail', 'pass'])
                .default('fail')
                .describe('Result of the security item when code scanning is not enabled.'),
            }),
            migrationsTested: checklistItem({
              check: z
                .string()
                .default('db-migrate')
                .describe('Check that proves the migrations were tested on the commit.'),
              paths: z
                .array(z.string())
                .default(['migrations/**'])
                .describe(
                  'Migration files: without the check, the item passes when none changed since the last deploy.',
                ),
            }),
            rollbackPlan: checklistItem({
              heading: z
                .string()
                .default('Rollback plan')
                .describe('Pull request body section that holds the rollback plan.'),
              file: z.string().optional().describe('Or a file in the repository holding the rollback plan.'),
            }),
            monitoringAlerts: checklistItem({
              paths: z
                .array(z.string())
                .default(['monitoring/**/*.yml', 'monitoring/**/*.yaml'])
                .describe('Prometheus rule files that must cover the deployed services.'),
            }),
            stakeholdersNotified: checklistItem({
              trackingIssue: z.number().int().positive().optional().describe('Issue where deploy notices are posted.'),
            }),
          })
          .prefault({}),
      })
      .prefault({}),
    kubernetes: z
      .strictObject({
        timeout: duration('10m', 'Deadline for a whole rollout.'),
        firstDeploy: z
          .enum(['delete', 'keep', 'fail'])
          .default('delete')
          .describe('What a failed first deploy leaves.'),
        restartLimit: z.number().int().min(1).default(3).describe('Container restarts that count as a failure.'),
        imagePullGrace: duration('2m', 'How long ImagePullBackOff may persist before it fails the rollout.'),
        scaling: z
          .record(z.string(), z.strictObject({ min: z.number().int().min(0), max: z.number().int().min(1) }))
          .default({})
          .describe('Replica bounds per Deployment for scale.yml.'),
      })
      .prefault({}),
    database: z
      .strictObject({
        lint: z
          .strictObject({
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
            rename: lintSeverity('warning', 'Renaming a table or column: the running version still uses the old name.'),
            'missing-lock-timeout': lintSeverity(
              'warning',
              'A locking statement on an existing table without SET lock_timeout first.',
            ),
          })
          .prefault({})
          .describe('Severity (error, warning, off) per migration lint rule id; see actions/db-migrate/README.md.'),
        slowQuery: duration('1s', 'Statements slower than this are reported.'),
      })
      .prefault({}),
    backups: z
      .strictObject({
        rpo: duration('1h', 'Recovery point objective: the newest backup may be this old.'),
        rto: duration('4h', 'Recovery time objective: a restore must take less.'),
        maxAge: z
          .string()
          .regex(DURATION_PATTERN, { message: `expected ${DURATION_HELP}` })
          .transform((text) => parseDuration(text) as number)
          .optional()
          .describe(
            'Oldest the newest logical backup (pg_dump) may be, when it cannot meet the RPO by itself: daily dumps need e.g. 26h, and the 1h RPO needs WAL archiving. Default: rpo.',
          ),
        retentionDays: z
          .number()
          .int()
          .min(1)
          .default(30)
          .describe('Each of this many whole UTC days before today must have a backup.'),
        expectations: z
          .strictObject({
            tables: z
              .array(z.string())
              .default([])
              .describe('Tables that must exist in the backup (schema.table; a bare name means public).'),
            minRows: z
              .record(z.string(), z.number().int().min(0))
              .default({})
              .describe('Minimum rows per table (schema.table or a public table name), checked when rows are counted.'),
          })
          .prefault({}),
      })
      .prefault({}),
    health: z
      .strictObject({
        p95: duration('500ms', '95th percentile response time must be below this.'),
        errorRate: z.number().min(0).max(1).default(0.001).describe('Error rate must be below this (0.001 = 0.1 %).'),
        timeout: duration('10s', 'Per-request timeout.'),
      })
      .prefault({}),
    certificates: z
      .strictObject({
        warnDays: z.number().int().min(0).default(30).describe('Warn when fewer days than this are left.'),
        failDays: z.number().int().min(0).default(7).describe('Fail when fewer days than this are left.'),
      })
      .prefault({}),
  })
  .superRefine((p, ctx) => {
    const names = new Set<string>();
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

export type Policy = z.output<typeof policySchema>;
export type PolicyInput = z.input<typeof policySchema>;
