import { findCheck } from '../checks.js';
import { type ItemContext, result, shortSha } from '../context.js';
import type { CodeScanningAlert, ItemResult } from '../types.js';

const RANK = { low: 1, medium: 2, high: 3, critical: 4 } as const;

/** Open alerts whose security severity is at or above `threshold`, worst first. */
export function alertsAtOrAbove(
  alerts: readonly CodeScanningAlert[],
  threshold: keyof typeof RANK,
): CodeScanningAlert[] {
  return alerts
    .filter((a) => a.securitySeverity !== undefined && RANK[a.securitySeverity] >= RANK[threshold])
    .sort((a, b) => RANK[b.securitySeverity ?? 'low'] - RANK[a.securitySeverity ?? 'low'] || a.number - b.number);
}

/**
 * The scan ran: a code-scanning analysis exists for the commit (or the policy's named security check passed
 * on it). Nothing serious is open: no open code-scanning alert on the ref at or above the policy's severity.
 * When code scanning is not enabled, `whenNotEnabled` decides, and the reason says so.
 */
export async function securityScan(ctx: ItemContext): Promise<ItemResult> {
  const policy = ctx.deploy.checklist.securityScan;
  const ref = ctx.ref;
  let scanned: { how: string; url: string | undefined } | undefined;

  if (policy.check) {
    const check = findCheck((await ctx.checks()).entries, policy.check);
    if (check && check.state !== 'success')
      return result(
        'security-scan',
        'fail',
        `security check "${check.name}" did not pass on ${shortSha(ctx.sha)} (${check.detail})`,
        check.url,
      );
    if (check) scanned = { how: `security check "${check.name}" passed`, url: check.url };
  }

  const analyses = await ctx.evidence.codeScanningAnalyses(ref);
  const codeScanningPage = ctx.url('security/code-scanning');
  if (!analyses.enabled) {
    if (scanned)
      return result('security-scan', 'pass', `${scanned.how}; alerts not checked: ${analyses.message}`, scanned.url);
    const named = policy.check ? `no check "${policy.check}" on ${shortSha(ctx.sha)} and ` : '';
    const decision = policy.whenNotEnabled === 'pass' ? 'pass' : 'fail';
    return result(
      'security-scan',
      decision,
      `${named}code scanning is not enabled (${analyses.message}); the policy says ${decision} (deploy.checklist.securityScan.whenNotEnabled)`,
      codeScanningPage,
    );
  }
  if (!scanned) {
    const analysis = analyses.analyses.find((a) => a.commitSha === ctx.sha);
    if (!analysis) {
      const latest = analyses.analyses[0];
      return result(
        'security-scan',
        'fail',
        `no code-scanning analysis for ${shortSha(ctx.sha)}${ref ? ` on ${ref}` : ''}${
          latest ? ` (latest analysed: ${shortSha(latest.commitSha)})` : ''
        }${policy.check ? ` and no check "${policy.check}"` : ''}`,
        codeScanningPage,
      );
    }
    scanned = {
      how: `code-scanning analysis ${analysis.id}${analysis.tool ? ` (${analysis.tool})` : ''} covers ${shortSha(ctx.sha)}`,
      url: codeScanningPage,
    };
  }

  const serious = alertsAtOrAbove(await ctx.evidence.openCodeScanningAlerts(ref), policy.severity);
  if (serious.length) {
    const shown = serious.slice(0, 5).map((a) => `#${a.number} ${a.rule} (${a.securitySeverity})`);
    return result(
      'security-scan',
      'fail',
      `${serious.length} open alert${serious.length === 1 ? '' : 's'} at or above ${policy.severity}: ${shown.join(', ')}${
        serious.length > 5 ? ', …' : ''
      }`,
      serious[0]?.htmlUrl,
    );
  }
  return result('security-scan', 'pass', `${scanned.how}; no open alert at or above ${policy.severity}`, scanned.url);
}
