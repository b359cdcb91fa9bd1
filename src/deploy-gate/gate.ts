import { errorMessage } from '../core/errors.js';
import { explainGitHubError } from '../core/github.js';
import {
  type Checklist,
  createItemContext,
  type GateOptions,
  type ItemCheck,
  type ItemContext,
  result,
} from './context.js';
import { codeReview } from './items/code-review.js';
import { migrationsTested } from './items/migrations-tested.js';
import { monitoringAlerts } from './items/monitoring-alerts.js';
import { rollbackPlan } from './items/rollback-plan.js';
import { securityScan } from './items/security-scan.js';
import { stakeholdersNotified } from './items/stakeholders-notified.js';
import { testsPassing } from './items/tests.js';
import { hasTickedCheckbox } from './markdown.js';
import { ITEM_IDS, ITEM_TITLES, type ItemId, type ItemResult } from './types.js';

/** Each checklist item: its policy key and its check. */
export const ITEMS: Record<ItemId, { key: keyof Checklist; check: ItemCheck }> = {
  'code-review': { key: 'codeReview', check: codeReview },
  tests: { key: 'tests', check: testsPassing },
  'security-scan': { key: 'securityScan', check: securityScan },
  'migrations-tested': { key: 'migrationsTested', check: migrationsTested },
  'rollback-plan': { key: 'rollbackPlan', check: rollbackPlan },
  'monitoring-alerts': { key: 'monitoringAlerts', check: monitoringAlerts },
  'stakeholders-notified': { key: 'stakeholdersNotified', check: stakeholdersNotified },
};

export interface GateReport {
  passed: boolean;
  failedItems: ItemId[];
  items: ItemResult[];
}

/** Runs one item: disabled → skip; a GitHub error → fail naming the permission; a failure may be overridden by a ticked box. */
async function evaluate(id: ItemId, ctx: ItemContext): Promise<ItemResult> {
  const { key, check } = ITEMS[id];
  const title = ITEM_TITLES[id];
  const policy = ctx.deploy.checklist[key];
  if (!policy.enabled) return result(id, 'skip', `disabled by the policy (deploy.checklist.${key}.enabled: false)`);
  let outcome: ItemResult;
  try {
    outcome = await check(ctx);
  } catch (error) {
    const advice = explainGitHubError(error);
    outcome = result(id, 'fail', advice ?? `could not be checked: ${errorMessage(error)}`);
    ctx.log.debug(`${id}: ${errorMessage(error)}`);
  }
  if (outcome.status !== 'fail' || !policy.allowCheckbox) return outcome;
  const pull = await ctx.pullRequest().catch(() => undefined);
  if (pull && hasTickedCheckbox(pull.body, title)) {
    return result(
      id,
      'pass',
      `"${title}" is ticked in PR #${pull.number} (the policy accepts the checkbox); evidence: ${outcome.reason}`,
      pull.htmlUrl,
    );
  }
  return outcome;
}

/** Checks every item of the production deployment checklist at once, against the commit being deployed. */
export async function runGate(options: GateOptions): Promise<GateReport> {
  const pending = new Map<ItemId, Promise<ItemResult>>();
  const others = ITEM_IDS.filter((id) => id !== 'stakeholders-notified');
  const ctx = createItemContext(options, () => Promise.all(others.map((id) => pending.get(id) as Promise<ItemResult>)));
  for (const id of ITEM_IDS) pending.set(id, evaluate(id, ctx));
  const items = await Promise.all(ITEM_IDS.map((id) => pending.get(id) as Promise<ItemResult>));
  const failedItems = items.filter((r) => r.status === 'fail').map((r) => r.item);
  return { passed: failedItems.length === 0, failedItems, items };
}
