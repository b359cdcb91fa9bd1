import type { Clock } from '../core/clock.js';
import { formatDuration } from '../core/duration.js';
import { ActionFailure, ConfigurationError } from '../core/errors.js';
import { explainGitHubError, githubContext, requireRepository } from '../core/github.js';
import type { Policy } from '../core/policy/load.js';
import type { ActionContext } from '../core/run.js';
import type { Summary } from '../core/summary.js';
import { link } from '../core/summary.js';
import { formatLocal, formatUtc, isoInstant, type Occurrence } from './calendar.js';
import { buildCalendar, parseAdHocWindows, type WindowSet } from './config.js';
import {
  type AnnouncementPlan,
  applyOverride,
  type Decision,
  decide,
  type Operation,
  planAnnouncements,
  type Rules,
  windowOverview,
} from './decision.js';
import type { Inputs } from './main.js';
import type { Notice } from './notice.js';
import { formatNotice, noticeBody, noticeTitle } from './notice.js';
import type { Opening } from './openings.js';

const NOTICE_LABEL_COLOR = 'fbca04';

/** Checks or announces, once the inputs are valid and the policy is loaded. */
export async function operate(ctx: ActionContext, inputs: Inputs, policy: Policy): Promise<void> {
  const calendar = buildCalendar(policy.maintenance, await parseAdHocWindows(inputs.windows), inputs.window);
  if (inputs.mode === 'announce') await announce(ctx, inputs, policy, calendar);
  else await check(ctx, inputs, policy, calendar);
}

/** GitHub, loaded only when a notice has to be read or posted. */
async function gitHub(ctx: ActionContext, inputs: Inputs) {
  const context = githubContext(ctx.env);
  const repository = requireRepository(context);
  const [{ createGitHubClient }, notices] = await Promise.all([import('../core/github.js'), import('./github.js')]);
  const client = await createGitHubClient({ token: inputs['github-token'] ?? '', context, log: ctx.log });
  return { client, repository, notices };
}

/** GitHub's refusals and outages are failures the user can act on, not bugs of this action. */
async function onGitHub<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const permission = explainGitHubError(error);
    if (permission) throw new ActionFailure(`${what} failed: ${permission}`);
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number')
      throw new ActionFailure(
        `${what} failed: GitHub answered ${status} (${(error as Error).message})`,
        'retry the job; if it persists, check githubstatus.com',
      );
    throw error;
  }
}

async function check(ctx: ActionContext, inputs: Inputs, policy: Policy, calendar: WindowSet): Promise<void> {
  const operation: Operation = inputs.operation ?? 'maintenance';
  const onBlocked = inputs['on-blocked'] ?? 'fail';
  if (onBlocked === 'wait' && inputs.at)
    throw new ConfigurationError([
      {
        field: 'input "on-blocked"',
        value: 'wait',
        message: 'cannot wait at a fixed instant: remove "at", or use fail or skip',
      },
    ]);
  const rules: Rules = {
    operation,
    noticeMs: policy.maintenance.notice,
    noticeLabel: policy.maintenance.noticeLabel,
    deploysOnlyInWindows: policy.maintenance.deploysOnlyInWindows,
  };
  const needsNotices = operation === 'maintenance' && rules.noticeMs > 0 && calendar.allow.length > 0;
  const github = needsNotices ? await gitHub(ctx, inputs) : undefined;
  const evaluate = async (at: number): Promise<Decision> => {
    const notices: Notice[] = github
      ? await onGitHub('reading the maintenance notices', () =>
          github.notices.listNotices(
            github.client,
            github.repository,
            rules.noticeLabel,
            at - github.notices.NOTICE_LOOKBACK_MS,
          ),
        )
      : [];
    return decide(calendar, rules, at, notices);
  };

  const clock = ctx.clock;
  const now = () => inputs.at?.getTime() ?? clock.now().getTime();
  let decision = await evaluate(now());
  if (!decision.allowed && onBlocked === 'wait' && inputs['override-reason'] === undefined)
    decision = await waitForOpening(decision, evaluate, clock, inputs['max-wait'] ?? 3_600_000, ctx);

  try {
    decision = applyOverride(decision, {
      reason: inputs['override-reason'],
      actor: githubContext(ctx.env).actor,
      allowedActors: policy.maintenance.overrideActors,
    });
  } catch (error) {
    report(ctx, decision, calendar, onBlocked, error instanceof ActionFailure ? error.message : undefined);
    throw error;
  }
  if (decision.override)
    ctx.log.warning(
      `maintenance-window: override by @${decision.override.actor}: ${decision.override.reason}${
        decision.override.applied ? '' : ' (not needed: the operation was allowed anyway)'
      }`,
    );
  report(ctx, decision, calendar, onBlocked);
  if (decision.allowed) {
    ctx.log.info(`${operation} allowed: ${decision.reason}`);
    return;
  }
  if (onBlocked === 'skip') {
    ctx.log.info(`${operation} not allowed now (${decision.reason}); on-blocked is skip: allowed=false`);
    return;
  }
  throw new ActionFailure(`${operation} not allowed now: ${decision.reason}`, hint(decision, policy));
}

/** Sleeps until the next opening (when it comes within max-wait) and decides again. */
async function waitForOpening(
  first: Decision,
  evaluate: (at: number) => Promise<Decision>,
  clock: Clock,
  maxWaitMs: number,
  ctx: ActionContext,
): Promise<Decision> {
  const deadline = clock.now().getTime() + maxWaitMs;
  let decision = first;
  while (!decision.allowed) {
    const opening = decision.next[0];
    const now = clock.now().getTime();
    if (!opening || opening.start > deadline) {
      ctx.log.info(
        opening
          ? `the next opening (${formatUtc(opening.start)}) is beyond max-wait (${formatUtc(deadline)}): not waiting`
          : 'no opening ahead: not waiting',
      );
      return decision;
    }
    ctx.log.info(`waiting ${formatDuration(opening.start - now)} for the opening at ${formatUtc(opening.start)}`);
    await clock.sleep(Math.max(0, opening.start - now));
    decision = await evaluate(clock.now().getTime());
  }
  return decision;
}

function hint(decision: Decision, policy: Policy): string {
  const parts: string[] = [];
  if (decision.operation === 'maintenance' && policy.maintenance.notice > 0)
    parts.push(
      `announce windows with mode: announce (label "${policy.maintenance.noticeLabel}", ${formatNotice(policy.maintenance.notice)} ahead)`,
    );
  parts.push(
    'use on-blocked: skip to carry on with allowed=false, or an override by one of maintenance.overrideActors',
  );
  return parts.join('; ');
}

function setDecisionOutputs(ctx: ActionContext, decision: Decision): void {
  const next = decision.next[0];
  ctx.setOutput('allowed', decision.allowed);
  ctx.setOutput('reason', decision.reason);
  ctx.setOutput('active-window', decision.activeWindow?.window.name ?? '');
  ctx.setOutput('active-window-end', finite(decision.allowed ? decision.openUntil : undefined));
  ctx.setOutput('next-window-start', finite(next?.start));
  ctx.setOutput('next-window-end', finite(next?.end));
  ctx.setOutput('seconds-until-next', next ? Math.ceil((next.start - decision.at) / 1000) : '');
  ctx.setOutput('overridden', decision.override?.applied === true);
  ctx.setOutput('override-actor', decision.override?.actor ?? '');
  ctx.setOutput('notice-url', decision.notice?.url ?? '');
}

function finite(instant: number | undefined): string {
  return instant === undefined || !Number.isFinite(instant) ? '' : isoInstant(instant);
}

function report(
  ctx: ActionContext,
  decision: Decision,
  calendar: WindowSet,
  onBlocked: string,
  refusal?: string,
): void {
  setDecisionOutputs(ctx, refusal ? { ...decision, allowed: false, reason: refusal } : decision);
  const s = ctx.summary;
  const verdict = refusal
    ? `❌ ${decision.operation}: override refused`
    : decision.allowed
      ? `✅ ${decision.operation} may run${decision.override?.applied ? ' (overridden)' : ''}`
      : `${onBlocked === 'skip' ? '⏭️' : '❌'} ${decision.operation} may not run now`;
  s.heading(`Maintenance window: ${verdict}`);
  s.paragraph(`Evaluated at ${formatUtc(decision.at)}: ${refusal ?? decision.reason}.`);
  if (decision.override)
    s.table(
      ['Override', ''],
      [
        ['Actor', `@${decision.override.actor}`],
        ['Reason', decision.override.reason],
        ['Applied', decision.override.applied ? 'yes: the operation was blocked' : 'no: it was allowed anyway'],
      ],
    );
  if (decision.notice) s.paragraph(`Announced in ${link(`#${decision.notice.number}`, decision.notice.url)}.`);
  windowsTable(s, calendar, decision.at, decision.activeWindow);
  opportunities(s, decision.next, calendar, decision.searchCutShort, decision.allowed && !decision.override?.applied);
}

function windowsTable(s: Summary, calendar: WindowSet, at: number, active: Occurrence | undefined): void {
  const inPlay = new Set([...calendar.allow, ...calendar.deny]);
  const rows = windowOverview(
    calendar.all.filter((w) => inPlay.has(w)),
    at,
  ).map(({ window, current, next }) => [
    window.name,
    window.kind === 'allow' ? 'allow' : 'deny',
    window.definition,
    current ? `${current.window === active?.window ? '▶ ' : ''}open until ${formatUtc(current.end)}` : 'closed',
    next ? `${formatUtc(next.start)} – ${formatUtc(next.end)}` : 'none',
    next ? formatLocal(next.start, window.timeZone) : '',
  ]);
  s.heading('Windows considered', 3).table(['Window', 'Kind', 'Definition', 'Now', 'Next (UTC)', 'Next (local)'], rows);
}

function opportunities(
  s: Summary,
  next: readonly Opening[],
  calendar: WindowSet,
  cutShort: boolean,
  openNow: boolean,
): void {
  s.heading('Next opportunities', 3);
  if (next.length === 0) {
    s.paragraph(
      cutShort
        ? 'None found within the search limits (9 years, 5000 occurrences).'
        : openNow
          ? 'Open now, and no window or freeze ahead closes this operation.'
          : 'None: no window ahead ever opens this operation.',
    );
    return;
  }
  const zoneOf = (o: Opening) => o.occurrences[0]?.window.timeZone ?? calendar.deny[0]?.timeZone ?? 'UTC';
  s.table(
    ['Start (UTC)', 'End (UTC)', 'Start (local)', 'End (local)', 'Windows'],
    next.map((o) => [
      formatUtc(o.start),
      Number.isFinite(o.end) ? formatUtc(o.end) : 'open-ended',
      formatLocal(o.start, zoneOf(o)),
      Number.isFinite(o.end) ? formatLocal(o.end, zoneOf(o)) : '',
      o.occurrences.map((x) => x.window.name).join(', ') || 'outside deny windows',
    ]),
  );
}

async function announce(ctx: ActionContext, inputs: Inputs, policy: Policy, calendar: WindowSet): Promise<void> {
  const missing = [
    ...(inputs['planned-operations'] === undefined
      ? [{ field: 'input "planned-operations"', message: 'is required with mode: announce (one operation per line)' }]
      : []),
    ...(inputs['rollback-plan'] === undefined
      ? [
          {
            field: 'input "rollback-plan"',
            message: 'is required with mode: announce: the runbook wants a rollback plan always prepared',
          },
        ]
      : []),
  ];
  if (missing.length) throw new ConfigurationError(missing);
  if (calendar.allow.length === 0)
    throw new ConfigurationError(
      [{ field: 'maintenance.windows', message: 'has no allow window to announce', value: undefined }],
      'policy',
    );
  const { notice: noticeMs, noticeLabel } = policy.maintenance;
  const at = inputs.at?.getTime() ?? ctx.clock.now().getTime();
  if (inputs.at)
    ctx.log.warning(`at is set: planning notices as of ${formatUtc(at)}; GitHub stamps them with the real time`);
  const github = await gitHub(ctx, inputs);
  const since = at - github.notices.NOTICE_LOOKBACK_MS;
  const notices = await onGitHub('reading the maintenance notices', () =>
    github.notices.listNotices(github.client, github.repository, noticeLabel, since),
  );
  const plans = planAnnouncements(calendar, noticeMs, at, notices);
  const statusPage = policy.incidents.statusPage;

  const posted: { plan: AnnouncementPlan; occurrence: Occurrence; notice: Notice; created: boolean }[] = [];
  for (const plan of plans) {
    const occurrence = plan.occurrence;
    if (!occurrence) continue;
    if (plan.existing) {
      posted.push({ plan, occurrence, notice: plan.existing, created: false });
      continue;
    }
    const result = await onGitHub('posting the maintenance notice', () =>
      github.notices.postNotice({
        client: github.client,
        repository: github.repository,
        label: noticeLabel,
        labelColor: NOTICE_LABEL_COLOR,
        occurrence,
        title: noticeTitle(occurrence),
        body: noticeBody({
          occurrence,
          noticeMs,
          plannedOperations: inputs['planned-operations'] ?? [],
          rollbackPlan: inputs['rollback-plan'] ?? '',
          statusPage,
        }),
        since,
        clock: ctx.clock,
        log: ctx.log,
      }),
    );
    ctx.log.info(
      `${result.created ? 'posted' : 'found'} notice #${result.notice.number} for ${occurrence.window.name} at ${formatUtc(occurrence.start)}`,
    );
    posted.push({ plan, occurrence, ...result });
  }
  for (const plan of plans)
    for (const late of plan.tooLate)
      ctx.log.warning(
        `window ${late.window.name} at ${formatUtc(late.start)} was not announced ${formatNotice(noticeMs)} ahead and can no longer be: maintenance cannot run in it`,
      );

  posted.sort((a, b) => a.occurrence.start - b.occurrence.start);
  const first = posted[0];
  ctx.setOutput('notice-url', first?.notice.url ?? '');
  ctx.setOutput(
    'notice-created',
    posted.some((p) => p.created),
  );
  ctx.setOutput('next-window-start', first ? isoInstant(first.occurrence.start) : '');
  ctx.setOutput('next-window-end', first ? isoInstant(first.occurrence.end) : '');
  ctx.setOutput('seconds-until-next', first ? Math.ceil((first.occurrence.start - at) / 1000) : '');

  const s = ctx.summary;
  s.heading(
    `Maintenance window: ${posted.some((p) => p.created) ? '📣 notice posted' : posted.length ? '✅ already announced' : '⚠️ nothing to announce'}`,
  );
  s.paragraph(`Planned at ${formatUtc(at)}; notices must be posted ${formatNotice(noticeMs)} before a window opens.`);
  s.table(
    ['Window', 'Occurrence (UTC)', 'Occurrence (local)', 'Notice', 'Status'],
    plans.map((plan) => {
      const done = posted.find((p) => p.plan === plan);
      const o = plan.occurrence;
      return [
        plan.window.name,
        o ? `${formatUtc(o.start)} – ${formatUtc(o.end)}` : 'none found',
        o ? formatLocal(o.start, plan.window.timeZone) : '',
        done ? link(`#${done.notice.number}`, done.notice.url) : '',
        done ? (done.created ? 'posted now' : 'already posted') : 'no occurrence can be announced on time',
      ];
    }),
  );
  const late = plans.flatMap((p) => p.tooLate);
  if (late.length)
    s.heading('Too late to announce', 3).list(
      late.map((o) => `${o.window.name} at ${formatUtc(o.start)}: maintenance cannot run in this occurrence`),
    );
}
