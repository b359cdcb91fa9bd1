import { findCheck } from '../checks.js';
import { type ItemContext, result, shortSha } from '../context.js';
import { pathMatcher } from '../glob.js';
import type { Deployment, Evidence, ItemResult } from '../types.js';

/** GitHub lists at most this many files in a comparison: a list this long may be cut short. */
export const COMPARE_FILE_LIMIT = 300;
/** How many recent deployments are searched for the last successful one. */
const DEPLOYMENT_SEARCH_LIMIT = 30;

/** The newest deployment to `environment` that ever reported `success` (later ones may be `inactive`). */
export async function lastSuccessfulDeployment(
  evidence: Evidence,
  environment: string,
): Promise<{ deployment: Deployment; logUrl: string | undefined } | undefined> {
  const deployments = (await evidence.deployments(environment)).slice(0, DEPLOYMENT_SEARCH_LIMIT);
  for (const deployment of deployments) {
    const success = (await evidence.deploymentStatuses(deployment.id)).find((s) => s.state === 'success');
    if (success) return { deployment, logUrl: success.logUrl };
  }
  return undefined;
}

/**
 * The migration dry-run check passed on this very commit; or, failing that evidence, the deploy changes no
 * migration file since the last successful deployment to the environment (nothing new to test).
 */
export async function migrationsTested(ctx: ItemContext): Promise<ItemResult> {
  const policy = ctx.deploy.checklist.migrationsTested;
  const check = findCheck((await ctx.checks()).entries, policy.check);
  if (check?.state === 'success')
    return result('migrations-tested', 'pass', `check "${check.name}" passed on ${shortSha(ctx.sha)}`, check.url);
  if (check)
    return result(
      'migrations-tested',
      'fail',
      `check "${check.name}" did not pass on ${shortSha(ctx.sha)} (${check.detail})`,
      check.url,
    );

  const last = await lastSuccessfulDeployment(ctx.evidence, ctx.environment);
  if (!last) {
    return result(
      'migrations-tested',
      'fail',
      `no check "${policy.check}" on ${shortSha(ctx.sha)}, and no successful ${ctx.environment} deployment to compare with: run the migration dry-run on this commit`,
      ctx.url(`commit/${ctx.sha}/checks`),
    );
  }
  const base = last.deployment.sha;
  const since = `since the last successful ${ctx.environment} deployment (${shortSha(base)})`;
  if (base === ctx.sha)
    return result(
      'migrations-tested',
      'pass',
      `${shortSha(ctx.sha)} is already deployed to ${ctx.environment}: no new migrations`,
      last.logUrl,
    );

  const comparison = await ctx.evidence.compare(base, ctx.sha);
  const isMigration = pathMatcher(policy.paths);
  const changed = comparison.files.filter(isMigration);
  if (changed.length) {
    return result(
      'migrations-tested',
      'fail',
      `${changed.length} migration file${changed.length === 1 ? '' : 's'} changed ${since}: ${changed.slice(0, 5).join(', ')}${
        changed.length > 5 ? ', …' : ''
      } — and no check "${policy.check}" on ${shortSha(ctx.sha)}`,
      comparison.htmlUrl,
    );
  }
  if (comparison.files.length >= COMPARE_FILE_LIMIT) {
    return result(
      'migrations-tested',
      'fail',
      `${comparison.files.length} files changed ${since}, more than GitHub lists in a comparison: cannot rule out migration changes — run check "${policy.check}"`,
      comparison.htmlUrl,
    );
  }
  const behind =
    comparison.status === 'behind'
      ? ` (${shortSha(ctx.sha)} is ${comparison.behindBy} commits behind it: a rollback)`
      : '';
  return result(
    'migrations-tested',
    'pass',
    `no file matching ${policy.paths.join(', ')} changed ${since}; ${comparison.files.length} file${comparison.files.length === 1 ? '' : 's'} changed${behind}`,
    comparison.htmlUrl,
  );
}
