import type { Clock } from '../core/clock.js';
import { errorMessage } from '../core/errors.js';
import type { GitHubClient } from '../core/github.js';
import type { Logger } from '../core/logger.js';
import type { Occurrence } from './calendar.js';
import { type Notice, noticesFor, parseNoticeMarkers } from './notice.js';

/**
 * The only part of this action that talks to GitHub: reading maintenance notices and posting one.
 * Notices are listed with issues.listForRepo (consistent, unlike search) filtered by the notice label.
 */

export interface Repository {
  owner: string;
  repo: string;
}

/** How far back notices are read: a notice older than this cannot announce a window that matters now. */
export const NOTICE_LOOKBACK_MS = 400 * 86_400_000;

interface IssueJson {
  number: number;
  html_url: string;
  created_at: string;
  body?: string | null;
  state?: string;
  state_reason?: string | null;
  pull_request?: unknown;
}

/**
 * Every notice with the label created after `since`, newest first. An issue closed as not planned
 * (cancelled) or as a duplicate announces nothing; one closed as completed still does.
 */
export async function listNotices(
  client: GitHubClient,
  repository: Repository,
  label: string,
  since: number,
): Promise<Notice[]> {
  const issues = (await client.paginate(
    client.rest.issues.listForRepo,
    { ...repository, labels: label, state: 'all', sort: 'created', direction: 'desc', per_page: 100 },
    (response, done) => {
      const page = response.data as IssueJson[];
      if (page.some((i) => Date.parse(i.created_at) < since)) done();
      return page;
    },
  )) as IssueJson[];
  return issues
    .filter((i) => !i.pull_request && Date.parse(i.created_at) >= since)
    .filter((i) => !(i.state === 'closed' && (i.state_reason === 'not_planned' || i.state_reason === 'duplicate')))
    .flatMap((i) =>
      parseNoticeMarkers(i.body).map((m) => ({
        number: i.number,
        url: i.html_url,
        createdAt: Date.parse(i.created_at),
        window: m.window,
        start: m.start,
      })),
    );
}

export interface PostedNotice {
  notice: Notice;
  /** False when an existing notice was found (announcing twice posts once). */
  created: boolean;
}

/**
 * Posts the notice for `occurrence` unless one exists. The create is never retried blindly: a POST whose
 * response was lost may have created the issue, so each retry first looks for the marker again. If a
 * concurrent run posted the same notice, the later issue is closed as a duplicate of the earlier one.
 */
export async function postNotice(options: {
  client: GitHubClient;
  repository: Repository;
  label: string;
  labelColor: string;
  occurrence: Occurrence;
  title: string;
  body: string;
  since: number;
  clock: Clock;
  log: Logger;
  attempts?: number;
}): Promise<PostedNotice> {
  const { client, repository, label, occurrence } = options;
  const find = async () => noticesFor(occurrence, await listNotices(client, repository, label, options.since));
  await ensureLabel(client, repository, label, options.labelColor);
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    const existing = (await find())[0];
    if (existing) return { notice: existing, created: false };
    let created: IssueJson;
    try {
      const response = await client.rest.issues.create({
        ...repository,
        title: options.title,
        body: options.body,
        labels: [label],
        request: { retries: 0 },
      });
      created = response.data as IssueJson;
    } catch (error) {
      const status = (error as { status?: number }).status;
      const transient = status === undefined || status >= 500;
      if (!transient || attempt >= attempts) throw error;
      options.log.warning(
        `creating the maintenance notice failed (${errorMessage(error)}); checking whether it was created before retrying`,
      );
      await options.clock.sleep(1000 * attempt);
      continue;
    }
    const posted: Notice = {
      number: created.number,
      url: created.html_url,
      createdAt: Date.parse(created.created_at),
      window: occurrence.window.name,
      start: occurrence.start,
    };
    const first = (await find())[0];
    if (first && first.number < posted.number) {
      await client.rest.issues.update({
        ...repository,
        issue_number: posted.number,
        state: 'closed',
        state_reason: 'duplicate',
      });
      options.log.info(
        `#${posted.number} duplicated #${first.number}, posted at the same time by another run: closed it`,
      );
      return { notice: first, created: false };
    }
    return { notice: posted, created: true };
  }
}

async function ensureLabel(client: GitHubClient, repository: Repository, name: string, color: string): Promise<void> {
  try {
    await client.rest.issues.getLabel({ ...repository, name });
  } catch (error) {
    if ((error as { status?: number }).status !== 404) throw error;
    try {
      await client.rest.issues.createLabel({
        ...repository,
        name,
        color,
        description: 'Announces a maintenance window (runbook-actions maintenance-window)',
      });
    } catch (createError) {
      // Another run created it in the meantime.
      if ((createError as { status?: number }).status !== 422) throw createError;
    }
  }
}
