import { links } from '../../core/github.js';
import { type ItemContext, result, shortSha } from '../context.js';
import type { IssueComment, ItemResult } from '../types.js';

export function noticeMarker(sha: string, environment: string): string {
  return `<!-- runbook-actions:deploy-gate notice sha=${sha} environment=${environment} -->`;
}

/** A comment is a notice of this deploy when it carries our marker, or mentions the commit (7+ hex characters of its SHA). */
export function isNotice(comment: IssueComment, sha: string, environment: string): boolean {
  if (comment.body.includes(noticeMarker(sha, environment))) return true;
  return (comment.body.match(/\b[0-9a-f]{7,40}\b/gi) ?? []).some((token) =>
    sha.toLowerCase().startsWith(token.toLowerCase()),
  );
}

export function noticeBody(ctx: ItemContext, pullNumber: number | undefined): string {
  const run = links.run(ctx.github);
  return [
    `Deploying [\`${shortSha(ctx.sha)}\`](${ctx.url(`commit/${ctx.sha}`)}) to **${ctx.environment}**${pullNumber ? ` (#${pullNumber})` : ''}.`,
    '',
    `Every item of the production deployment checklist passed${run ? ` — [deploy-gate run](${run})` : ''}.`,
    '',
    noticeMarker(ctx.sha, ctx.environment),
  ].join('\n');
}

/**
 * Stakeholders were told: a comment on the policy's tracking issue names this commit, or a GitHub Deployment
 * of this commit to the environment exists (one not created by this very workflow run). With `notify`, the gate
 * posts the comment itself — only when every other item passed, and once (a marker makes it idempotent).
 */
export async function stakeholdersNotified(ctx: ItemContext): Promise<ItemResult> {
  const issue = ctx.deploy.checklist.stakeholdersNotified.trackingIssue;
  const find = async () =>
    issue ? (await ctx.evidence.issueComments(issue)).find((c) => isNotice(c, ctx.sha, ctx.environment)) : undefined;

  const comment = await find();
  if (comment)
    return result(
      'stakeholders-notified',
      'pass',
      `notice on tracking issue #${issue}${comment.author ? ` by @${comment.author}` : ''}`,
      comment.htmlUrl,
    );

  const deployment = await deploymentNotice(ctx);
  if (deployment) return deployment;

  if (!issue) {
    return result(
      'stakeholders-notified',
      'fail',
      `no ${ctx.environment} deployment of ${shortSha(ctx.sha)} and no tracking issue in the policy: set deploy.checklist.stakeholdersNotified.trackingIssue (with notify: true the gate posts the notice)`,
      ctx.url('deployments'),
    );
  }
  const where = `no comment on tracking issue #${issue} mentions ${shortSha(ctx.sha)}, no ${ctx.environment} deployment of it`;
  if (!ctx.notify)
    return result(
      'stakeholders-notified',
      'fail',
      `${where}: notify stakeholders on #${issue}, or set notify: true`,
      links.issue(ctx.github, issue),
    );

  const blocking = (await ctx.otherItems()).filter((r) => r.status === 'fail');
  if (blocking.length) {
    return result(
      'stakeholders-notified',
      'fail',
      `${where}; not posted because ${blocking.map((r) => r.item).join(', ')} failed`,
      links.issue(ctx.github, issue),
    );
  }
  const body = noticeBody(ctx, (await ctx.pullRequest())?.number);
  let posted: IssueComment;
  try {
    posted = await ctx.evidence.createIssueComment(issue, body);
  } catch (error) {
    // The request may have reached GitHub even though the response was lost: look before posting again.
    ctx.log.warning(`posting the notice on #${issue} failed (${(error as Error).message}); checking whether it landed`);
    posted = (await find()) ?? (await ctx.evidence.createIssueComment(issue, body));
  }
  return result('stakeholders-notified', 'pass', `posted the notice on tracking issue #${issue}`, posted.htmlUrl);
}

async function deploymentNotice(ctx: ItemContext): Promise<ItemResult | undefined> {
  const runId = ctx.runningJob.runId;
  for (const deployment of (await ctx.evidence.deployments(ctx.environment, ctx.sha)).slice(0, 10)) {
    const statuses = await ctx.evidence.deploymentStatuses(deployment.id);
    // A job with `environment:` creates a deployment when it starts: this run's own does not tell anyone anything.
    if (runId !== undefined && statuses.some((s) => s.logUrl?.includes(`/actions/runs/${runId}`))) continue;
    return result(
      'stakeholders-notified',
      'pass',
      `deployment ${deployment.id} of ${shortSha(ctx.sha)} to ${ctx.environment} (created ${deployment.createdAt})`,
      statuses.find((s) => s.logUrl)?.logUrl ?? ctx.url('deployments'),
    );
  }
  return undefined;
}
