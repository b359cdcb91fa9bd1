import { formatDuration } from '../../core/duration.js';
import { type CheckEntry, missingRequired } from '../checks.js';
import { type ItemContext, result, shortSha } from '../context.js';
import type { ItemResult } from '../types.js';

function list(entries: readonly CheckEntry[], max = 5): string {
  const shown = entries.slice(0, max).map((e) => `${e.name} (${e.detail})`);
  return entries.length > max ? `${shown.join(', ')} and ${entries.length - max} more` : shown.join(', ');
}

/**
 * Every check run (latest per app and name) and every commit status (latest per context) on the commit must
 * have succeeded; neutral and skipped count as passed when the policy says so; required checks must be there.
 */
export async function testsPassing(ctx: ItemContext): Promise<ItemResult> {
  const policy = ctx.deploy.checklist.tests;
  const snapshot = await ctx.checks();
  const checksPage = ctx.url(`commit/${ctx.sha}/checks`);
  const accepted = (e: CheckEntry) =>
    e.state === 'success' ||
    (e.state === 'neutral' && policy.allowNeutral) ||
    (e.state === 'skipped' && policy.allowSkipped);
  const failed = snapshot.entries.filter((e) => e.state !== 'pending' && !accepted(e));
  const pending = snapshot.entries.filter((e) => e.state === 'pending');
  const missing = missingRequired(snapshot.entries, policy.requiredChecks);
  const waited = snapshot.waitedMs > 0 ? ` after waiting ${formatDuration(snapshot.waitedMs)}` : '';

  const problems: string[] = [];
  if (failed.length) problems.push(`${failed.length} failed: ${list(failed)}`);
  if (pending.length) problems.push(`${pending.length} still pending${waited}: ${list(pending)}`);
  if (missing.length)
    problems.push(`required check${missing.length === 1 ? '' : 's'} missing${waited}: ${missing.join(', ')}`);
  if (problems.length) {
    return result('tests', 'fail', problems.join('; '), (failed[0] ?? pending[0])?.url ?? checksPage);
  }
  if (snapshot.entries.length === 0) {
    return result(
      'tests',
      'fail',
      `no check runs or commit statuses on ${shortSha(ctx.sha)}${
        snapshot.excluded.length ? ' besides this job' : ''
      }: nothing shows the tests ran`,
      checksPage,
    );
  }
  const runs = snapshot.entries.filter((e) => e.kind === 'check-run').length;
  const statuses = snapshot.entries.length - runs;
  const lenient = snapshot.entries.filter((e) => e.state !== 'success').length;
  return result(
    'tests',
    'pass',
    `${runs} check run${runs === 1 ? '' : 's'} and ${statuses} status${statuses === 1 ? '' : 'es'} passed${
      lenient ? ` (${lenient} neutral or skipped)` : ''
    }${snapshot.excluded.length ? '; this job itself excluded' : ''}`,
    checksPage,
  );
}
