import { type ItemContext, result, shortSha } from '../context.js';
import { pathMatcher } from '../glob.js';
import { type AlertRule, checkRuleFile, coversService, type RuleProblem } from '../prometheus-rules.js';
import type { ItemResult } from '../types.js';

/** More rule files than this is not a monitoring folder but a wrong pattern. */
const MAX_RULE_FILES = 100;

/**
 * At the commit being deployed, the repository holds Prometheus rule files (the policy's paths) that parse,
 * whose alerting rules are complete, and that cover every service being deployed.
 */
export async function monitoringAlerts(ctx: ItemContext): Promise<ItemResult> {
  const policy = ctx.deploy.checklist.monitoringAlerts;
  const tree = await ctx.evidence.tree(ctx.sha);
  const matches = pathMatcher(policy.paths);
  const paths = tree.paths.filter(matches).sort();
  const folder = ctx.url(`tree/${ctx.sha}`);
  if (paths.length === 0) {
    return result(
      'monitoring-alerts',
      'fail',
      `no alert rule file matching ${policy.paths.join(', ')} at ${shortSha(ctx.sha)}${tree.truncated ? ' (GitHub truncated the file list)' : ''}`,
      folder,
    );
  }
  if (paths.length > MAX_RULE_FILES) {
    return result(
      'monitoring-alerts',
      'fail',
      `${paths.length} files match ${policy.paths.join(', ')}: narrow deploy.checklist.monitoringAlerts.paths`,
      folder,
    );
  }
  const files = await Promise.all(paths.map((path) => ctx.evidence.file(path, ctx.sha)));
  const alerts: AlertRule[] = [];
  const problems: RuleProblem[] = [];
  for (const [i, file] of files.entries()) {
    if (!file) {
      problems.push({ file: paths[i] as string, line: undefined, message: 'listed in the tree but could not be read' });
      continue;
    }
    const report = checkRuleFile(file.path, file.text);
    alerts.push(...report.alerts);
    problems.push(...report.problems);
  }
  for (const p of problems)
    ctx.log.warning(p.message, { title: 'Alert rules', file: p.file, ...(p.line ? { startLine: p.line } : {}) });
  const firstFile = files.find((f) => f?.path === (problems[0]?.file ?? paths[0]))?.htmlUrl ?? folder;
  if (problems.length) {
    const shown = problems.slice(0, 5).map((p) => `${p.file}${p.line ? `:${p.line}` : ''} ${p.message}`);
    return result(
      'monitoring-alerts',
      'fail',
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in alert rules: ${shown.join('; ')}${problems.length > 5 ? '; …' : ''}`,
      firstFile,
    );
  }
  if (alerts.length === 0)
    return result(
      'monitoring-alerts',
      'fail',
      `${paths.join(', ')} define${paths.length === 1 ? 's' : ''} no alerting rule`,
      firstFile,
    );
  const uncovered = ctx.services.filter((s) => !alerts.some((rule) => coversService(rule, s)));
  if (uncovered.length) {
    return result(
      'monitoring-alerts',
      'fail',
      `no alert rule covers ${uncovered.join(', ')} (a rule covers a service through a service/app/job/deployment label or its expr)`,
      firstFile,
    );
  }
  const coverage = ctx.services.length
    ? ` covering ${ctx.services.join(', ')}`
    : ' (no services given: coverage not checked)';
  return result(
    'monitoring-alerts',
    'pass',
    `${alerts.length} alert rule${alerts.length === 1 ? '' : 's'} in ${paths.length} file${paths.length === 1 ? '' : 's'}${coverage}`,
    firstFile,
  );
}
