import { type ItemContext, result, shortSha } from '../context.js';
import { isPlaceholder, sectionUnder } from '../markdown.js';
import type { ItemResult } from '../types.js';

/** A rollback plan is written down: a non-empty section under the policy's heading in the PR body, or the policy's file. */
export async function rollbackPlan(ctx: ItemContext): Promise<ItemResult> {
  const policy = ctx.deploy.checklist.rollbackPlan;
  const pull = await ctx.pullRequest();
  const section = pull ? sectionUnder(pull.body, policy.heading) : undefined;
  if (pull && section !== undefined && !isPlaceholder(section)) {
    const lines = section.split('\n').filter((l) => l.trim()).length;
    return result(
      'rollback-plan',
      'pass',
      `PR #${pull.number} has a "${policy.heading}" section (${lines} line${lines === 1 ? '' : 's'})`,
      pull.htmlUrl,
    );
  }
  const inPull = !pull
    ? `no pull request for ${shortSha(ctx.sha)}`
    : section === undefined
      ? `PR #${pull.number} has no "${policy.heading}" heading`
      : `the "${policy.heading}" section of PR #${pull.number} is empty or a placeholder`;

  if (policy.file) {
    const file = await ctx.evidence.file(policy.file, ctx.sha);
    if (file && !isPlaceholder(file.text))
      return result(
        'rollback-plan',
        'pass',
        `${policy.file} at ${shortSha(ctx.sha)} describes the rollback`,
        file.htmlUrl,
      );
    return result(
      'rollback-plan',
      'fail',
      `${inPull}, and ${policy.file} ${file ? 'is empty' : 'does not exist'} at ${shortSha(ctx.sha)}`,
      file?.htmlUrl ?? pull?.htmlUrl,
    );
  }
  return result(
    'rollback-plan',
    'fail',
    `${inPull}: write the rollback steps under "## ${policy.heading}"`,
    pull?.htmlUrl,
  );
}
