import { randomUUID } from 'node:crypto';
import { z } from 'zod/mini';
import { ActionFailure, ConfigurationError, type ConfigurationIssue } from '../core/errors.js';
import type { GitHubClientOptions } from '../core/github.js';
import { input, required } from '../core/inputs.js';
import { SEVERITIES, type SeverityName } from '../core/policy/severities.js';
import { type ActionContext, type RunOptions, runAction } from '../core/run.js';
import { link } from '../core/summary.js';
import type { IncidentDeps, IncidentStatus, IssueData } from './incidents.js';
import { formatInstant, toIsoSeconds } from './instant.js';
import { DEDUPE_KEY_HELP, DEDUPE_KEY_PATTERN, deriveDedupeKey, type IncidentMarker } from './marker.js';
import type { IncidentLinks } from './render.js';

const MODES = ['open', 'update', 'escalate', 'resolve'] as const;
const STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;

export const inputSchema = z.object({
  mode: required(input.choice(MODES)),
  'github-token': required(input.secret()),
  'policy-file': input.text(),
  title: input.text({ maxLength: 200 }),
  service: input.text({
    pattern: /^[A-Za-z0-9][A-Za-z0-9._,/ -]{0,99}$/,
    allowed: 'a service name (or a comma-separated list) of up to 100 letters, digits, spaces and . _ , / -',
  }),
  severity: input.choice(SEVERITIES),
  'dedupe-key': input.text({ pattern: DEDUPE_KEY_PATTERN, allowed: DEDUPE_KEY_HELP }),
  impact: input.text({ maxLength: 10_000 }),
  'deploy-url': input.url(),
  'issue-number': input.integer({ min: 1 }),
  status: input.choice(STATUSES),
  message: input.text({ maxLength: 10_000 }),
  'next-update': input.duration({ min: 60_000, max: 7 * 86_400_000 }),
  resolution: input.text({ maxLength: 10_000 }),
  'post-mortem': input.boolean(),
});

type Inputs = z.output<typeof inputSchema>;

/** Inputs each mode needs beyond the schema (one error listing every problem). */
function checkModeInputs(inputs: Inputs): void {
  const issues: ConfigurationIssue[] = [];
  const need = (name: keyof Inputs, why: string) => {
    if (inputs[name] === undefined) issues.push({ field: `input "${name}"`, message: `is required ${why}` });
  };
  const locate = () => {
    if (inputs['issue-number'] === undefined && inputs['dedupe-key'] === undefined && inputs.title === undefined)
      issues.push({
        field: 'input "issue-number"',
        message: `is required when mode is ${inputs.mode}, unless dedupe-key (or the title and service the incident was opened with) is given`,
      });
  };
  switch (inputs.mode) {
    case 'open':
      need('title', 'when mode is open');
      need('severity', 'when mode is open (one of P0, P1, P2, P3)');
      break;
    case 'update':
      need('status', `when mode is update (one of ${STATUSES.join(', ')})`);
      locate();
      break;
    case 'resolve':
      need('resolution', 'when mode is resolve');
      locate();
      break;
    case 'escalate':
      break;
  }
  if (issues.length) throw new ConfigurationError(issues);
}

/** A GitHub API error (it carries an HTTP status) becomes a failure that says what to do, not an "internal error". */
function describeGitHubFailure(error: unknown, explain: (error: unknown) => string | undefined): unknown {
  const e = error as { status?: number; message?: string; request?: { method?: string; url?: string } };
  if (typeof e?.status !== 'number' || !e.request) return error;
  const what = `GitHub answered ${e.status} to ${e.request.method} ${(e.request.url ?? '').replace(/^https?:\/\/[^/]+/, '')}: ${e.message}`;
  const hint =
    e.status === 401
      ? 'the github-token input is not a valid token'
      : e.status >= 500
        ? 'GitHub is having problems; nothing was created twice, re-run the job'
        : (explain(error) ?? 'see the GitHub API message');
  return new ActionFailure(what, hint);
}

export interface IncidentRunOptions extends RunOptions {
  /** Client settings for tests against the local GitHub double (write pacing, back-off scale). */
  github?: Pick<GitHubClientOptions, 'paceWrites' | 'waitScale' | 'retries'>;
  /** Nonces for written objects (default: random UUIDs). */
  nonce?: () => string;
}

type Logic = typeof import('./incidents.js');

/** What every mode works with. */
interface Step {
  ctx: ActionContext;
  inputs: Inputs;
  deps: IncidentDeps;
  logic: Logic;
  links: IncidentLinks;
  key: string | undefined;
  tz: string;
}

export function run(options: IncidentRunOptions = {}) {
  return runAction(
    'incident',
    async (ctx) => {
      const inputs = ctx.inputs(inputSchema);
      checkModeInputs(inputs);
      const policy = await ctx.policy();
      const [github, logic] = await Promise.all([import('../core/github.js'), import('./incidents.js')]);
      const context = github.githubContext(ctx.env);
      const repo = github.requireRepository(context);
      const client = await github.createGitHubClient({
        token: inputs['github-token'],
        context,
        log: ctx.log,
        ...options.github,
      });
      const step: Step = {
        ctx,
        inputs,
        logic,
        deps: { github: client, repo, policy, clock: ctx.clock, log: ctx.log, nonce: options.nonce ?? randomUUID },
        links: {
          run: github.links.run(context),
          commit: github.links.commit(context),
          commitSha: context.sha,
          deploy: inputs['deploy-url']?.toString(),
          statusPage: policy.incidents.statusPage,
        },
        key: inputs['dedupe-key'] ?? (inputs.title ? deriveDedupeKey(inputs.title, inputs.service) : undefined),
        tz: policy.businessHours.timeZone,
      };
      try {
        await MODES_RUN[inputs.mode](step);
      } catch (error) {
        throw describeGitHubFailure(error, github.explainGitHubError);
      }
    },
    options,
  );
}

function outputIncident(ctx: ActionContext, incident: { issue: IssueData; marker: IncidentMarker }): void {
  ctx.setOutput('issue-number', incident.issue.number);
  ctx.setOutput('issue-url', incident.issue.html_url);
  ctx.setOutput('created', false);
  ctx.setOutput('severity', incident.marker.severity);
  ctx.setOutput('response-deadline', incident.marker.deadline);
  ctx.setOutput('occurrences', incident.marker.occurrences);
}

const MODES_RUN: Record<(typeof MODES)[number], (step: Step) => Promise<void>> = {
  async open({ ctx, inputs, deps, logic, links, key, tz }) {
    const result = await logic.openIncident(
      {
        title: inputs.title as string,
        severity: inputs.severity as SeverityName,
        key: key as string,
        service: inputs.service,
        impact: inputs.impact,
        links,
      },
      deps,
    );
    ctx.setOutput('issue-number', result.issue.number);
    ctx.setOutput('issue-url', result.issue.html_url);
    ctx.setOutput('created', result.created);
    ctx.setOutput('severity', result.severity);
    ctx.setOutput('response-deadline', toIsoSeconds(result.deadline));
    ctx.setOutput('occurrences', result.occurrences);
    const issueLink = link(`#${result.issue.number}`, result.issue.html_url);
    ctx.log.info(
      `${result.created ? 'opened' : 'recorded a recurrence on'} #${result.issue.number} (${result.severity}, occurrence ${result.occurrences}): ${result.issue.html_url}`,
    );
    ctx.summary
      .heading(`${result.created ? 'Incident opened' : 'Incident recurred'}: ${issueLink}`)
      .table(
        ['Severity', 'Response due', 'Occurrences', 'Dedupe key'],
        [[result.severity, formatInstant(result.deadline, tz), result.occurrences, `\`${key}\``]],
      );
    if (result.duplicateClosed)
      ctx.summary.paragraph(
        `Another run opened the same incident at the same time; #${result.duplicateClosed} was closed as its duplicate.`,
      );
    if (result.recovered)
      ctx.summary.paragraph('The create response was lost; the issue was found again instead of being created twice.');
  },

  async update({ ctx, inputs, deps, logic, key, tz }) {
    const result = await logic.updateIncident(
      {
        issueNumber: inputs['issue-number'],
        key,
        status: inputs.status as IncidentStatus,
        message: inputs.message,
        nextUpdateMs: inputs['next-update'] ?? 30 * 60_000,
      },
      deps,
    );
    outputIncident(ctx, result.incident);
    ctx.setOutput('next-update', result.nextUpdate ? toIsoSeconds(result.nextUpdate) : '');
    ctx.summary
      .heading(`Incident update: ${link(`#${result.incident.issue.number}`, result.incident.issue.html_url)}`)
      .table(
        ['Status', 'Next update', 'Comment'],
        [
          [
            inputs.status,
            result.nextUpdate ? formatInstant(result.nextUpdate, tz) : 'none',
            link('comment', result.commentUrl),
          ],
        ],
      );
  },

  async escalate({ ctx, deps, logic, tz }) {
    const report = await logic.escalateIncidents(deps);
    ctx.setOutput(
      'escalated',
      report.escalated.map((e) => ({
        number: e.number,
        url: e.url,
        severity: e.severity,
        level: e.level,
        role: e.to,
        mentions: e.mentions,
      })),
    );
    ctx.setOutput('escalated-count', report.escalated.length);
    ctx.log.info(
      report.escalated.length
        ? `escalated ${report.escalated.map((e) => `#${e.number} to ${e.to}`).join(', ')}`
        : 'no incident needed escalating',
    );
    ctx.summary.heading(`Incident escalation: ${report.escalated.length} escalated`);
    if (report.escalated.length)
      ctx.summary.table(
        ['Incident', 'Severity', 'From', 'To', 'Missed deadline', 'Next deadline'],
        report.escalated.map((e) => [
          link(`#${e.number}`, e.url),
          e.severity,
          e.from,
          `${e.to}${e.mentions.length ? ` (${e.mentions.join(' ')})` : ''}`,
          formatInstant(new Date(e.missedDeadline), tz),
          formatInstant(new Date(e.nextDeadline), tz),
        ]),
      );
    if (report.skipped.length)
      ctx.summary.details(
        `${report.skipped.length} open incident(s) not escalated`,
        report.skipped.map((s) => `#${s.number}: ${s.reason}`).join('\n'),
      );
  },

  async resolve({ ctx, inputs, deps, logic, key, tz }) {
    const result = await logic.resolveIncident(
      {
        issueNumber: inputs['issue-number'],
        key,
        resolution: inputs.resolution as string,
        postMortem: inputs['post-mortem'] ?? true,
      },
      deps,
    );
    const { incident, postMortem } = result;
    outputIncident(ctx, incident);
    ctx.setOutput('post-mortem-number', postMortem?.number ?? '');
    ctx.setOutput('post-mortem-url', postMortem?.url ?? '');
    ctx.setOutput('post-mortem-due', postMortem ? toIsoSeconds(postMortem.due) : '');
    ctx.summary
      .heading(`Incident resolved: ${link(`#${incident.issue.number}`, incident.issue.html_url)}`)
      .table(
        ['Severity', 'Post-mortem', 'Due'],
        [
          [
            incident.marker.severity,
            postMortem ? link(`#${postMortem.number}`, postMortem.url) : 'not requested',
            postMortem ? formatInstant(postMortem.due, tz) : undefined,
          ],
        ],
      );
    if (result.alreadyResolved)
      ctx.summary.paragraph('The incident had already been resolved by an earlier run; nothing was repeated.');
  },
};
