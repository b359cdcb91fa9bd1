import { type ItemContext, result, shortSha } from '../context.js';
import type { ItemResult, Review } from '../types.js';

export interface ReviewTally {
  approvedBy: string[];
  changesRequestedBy: { reviewer: string; url: string }[];
  /** Reviewers left out because they are not owners, members or collaborators of the repository. */
  outsiders: string[];
}

/** Whose reviews count: people with a role in the repository, as branch protection counts them. */
const INSIDERS = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);

/**
 * Each reviewer's standing is their latest review that takes a position: APPROVED, CHANGES_REQUESTED or
 * DISMISSED. A later COMMENTED review does not withdraw an approval (GitHub counts it the same way); pending
 * (unsubmitted) reviews, the author's own reviews and reviews by people who are not owners, members or
 * collaborators (`author_association`) do not count. GraphQL `reviewDecision` is not used: it is null unless
 * branch protection requires reviews.
 */
export function tallyReviews(reviews: readonly Review[], author: string | undefined): ReviewTally {
  const ordered = [...reviews].sort((a, b) => {
    const ta = a.submittedAt ? Date.parse(a.submittedAt) : 0;
    const tb = b.submittedAt ? Date.parse(b.submittedAt) : 0;
    return ta !== tb ? ta - tb : a.id - b.id;
  });
  const standing = new Map<string, Review>();
  const outsiders = new Set<string>();
  for (const review of ordered) {
    if (!review.reviewer || review.reviewer === author) continue;
    if (review.association !== undefined && !INSIDERS.has(review.association)) {
      outsiders.add(review.reviewer);
      continue;
    }
    if (['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'].includes(review.state)) standing.set(review.reviewer, review);
  }
  const latest = [...standing.values()];
  return {
    approvedBy: latest.filter((r) => r.state === 'APPROVED').map((r) => r.reviewer as string),
    changesRequestedBy: latest
      .filter((r) => r.state === 'CHANGES_REQUESTED')
      .map((r) => ({ reviewer: r.reviewer as string, url: r.htmlUrl })),
    outsiders: [...outsiders].filter((login) => !standing.has(login)),
  };
}

export async function codeReview(ctx: ItemContext): Promise<ItemResult> {
  const policy = ctx.deploy.checklist.codeReview;
  const pull = await ctx.pullRequest();
  if (!pull) {
    const commitUrl = ctx.url(`commit/${ctx.sha}`);
    return policy.allowDirectPush
      ? result(
          'code-review',
          'pass',
          `${shortSha(ctx.sha)} was pushed directly, without a pull request; the policy allows it (allowDirectPush)`,
          commitUrl,
        )
      : result(
          'code-review',
          'fail',
          `${shortSha(ctx.sha)} belongs to no pull request (a direct push): nothing shows it was reviewed — merge it through a pull request, or set deploy.checklist.codeReview.allowDirectPush`,
          commitUrl,
        );
  }
  const tally = tallyReviews(await ctx.evidence.reviews(pull.number), pull.author);
  const first = tally.changesRequestedBy[0];
  if (first) {
    return result(
      'code-review',
      'fail',
      `PR #${pull.number}: changes requested by ${tally.changesRequestedBy.map((c) => `@${c.reviewer}`).join(', ')} and not withdrawn`,
      first.url,
    );
  }
  const approvers = tally.approvedBy.map((r) => `@${r}`).join(', ');
  if (tally.approvedBy.length < policy.approvals) {
    const outsiders = tally.outsiders.length
      ? `; not counted: ${tally.outsiders.map((r) => `@${r}`).join(', ')} (not an owner, member or collaborator)`
      : '';
    return result(
      'code-review',
      'fail',
      `PR #${pull.number}: ${tally.approvedBy.length} approval${tally.approvedBy.length === 1 ? '' : 's'}${
        approvers ? ` (${approvers})` : ''
      }, the policy requires ${policy.approvals}${outsiders}`,
      pull.htmlUrl,
    );
  }
  return result(
    'code-review',
    'pass',
    `PR #${pull.number}: ${tally.approvedBy.length} approval${tally.approvedBy.length === 1 ? '' : 's'}${
      approvers ? ` (${approvers})` : ''
    } of ${policy.approvals} required, no changes requested`,
    pull.htmlUrl,
  );
}
