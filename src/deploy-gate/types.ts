/**
 * The shapes the deploy gate works with. Items see GitHub only through `Evidence`, a narrow interface
 * over the REST calls they need: unit tests pass plain fakes, integration tests the real client
 * (`github-evidence.ts`) against the GitHub double.
 */

export const ITEM_IDS = [
  'code-review',
  'tests',
  'security-scan',
  'migrations-tested',
  'rollback-plan',
  'monitoring-alerts',
  'stakeholders-notified',
] as const;
export type ItemId = (typeof ITEM_IDS)[number];

/** The runbook's wording of each item; also the text of its checkbox in a pull request body. */
export const ITEM_TITLES: Record<ItemId, string> = {
  'code-review': 'Code review completed',
  tests: 'All tests passing',
  'security-scan': 'Security scan completed',
  'migrations-tested': 'Database migrations tested',
  'rollback-plan': 'Rollback plan prepared',
  'monitoring-alerts': 'Monitoring alerts configured',
  'stakeholders-notified': 'Stakeholders notified',
};

export type ItemStatus = 'pass' | 'fail' | 'skip';

export interface ItemResult {
  item: ItemId;
  status: ItemStatus;
  reason: string;
  /** A page a human can open to see the evidence (pull request, check run, alert, comment…). */
  evidenceUrl?: string | undefined;
}

export interface PullRequest {
  number: number;
  title: string;
  body: string;
  state: string;
  author: string | undefined;
  headSha: string;
  mergeCommitSha: string | undefined;
  mergedAt: string | undefined;
  htmlUrl: string;
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface Review {
  id: number;
  reviewer: string | undefined;
  state: ReviewState | string;
  submittedAt: string | undefined;
  htmlUrl: string;
  /** GitHub's `author_association`: OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, NONE… */
  association: string | undefined;
}

export interface CheckRun {
  id: number;
  name: string;
  status: string;
  conclusion: string | null;
  startedAt: string | undefined;
  appId: number | undefined;
  appSlug: string | undefined;
  checkSuiteId: number | undefined;
  htmlUrl: string | undefined;
  detailsUrl: string | undefined;
}

export interface CommitStatus {
  id: number;
  context: string;
  state: string;
  description: string | undefined;
  targetUrl: string | undefined;
  createdAt: string;
}

export interface CodeScanningAnalysis {
  id: number;
  commitSha: string;
  ref: string;
  tool: string | undefined;
  createdAt: string;
}

export interface CodeScanningAlert {
  number: number;
  rule: string;
  securitySeverity: 'low' | 'medium' | 'high' | 'critical' | undefined;
  htmlUrl: string;
}

export type CodeScanningAnalyses =
  | { enabled: true; analyses: CodeScanningAnalysis[] }
  | { enabled: false; message: string };

export interface Deployment {
  id: number;
  sha: string;
  environment: string;
  createdAt: string;
}

export interface DeploymentStatus {
  id: number;
  state: string;
  createdAt: string;
  logUrl: string | undefined;
}

export interface Comparison {
  status: string;
  aheadBy: number;
  behindBy: number;
  files: string[];
  htmlUrl: string;
}

export interface FileText {
  path: string;
  text: string;
  htmlUrl: string;
}

export interface RepositoryTree {
  paths: string[];
  /** GitHub cut the listing short (very large repositories). */
  truncated: boolean;
}

export interface IssueComment {
  id: number;
  body: string;
  author: string | undefined;
  htmlUrl: string;
}

/** Every GitHub read and write the checklist makes. */
export interface Evidence {
  pullRequestsForCommit(sha: string): Promise<PullRequest[]>;
  reviews(pullNumber: number): Promise<Review[]>;
  checkRuns(sha: string): Promise<CheckRun[]>;
  statuses(sha: string): Promise<CommitStatus[]>;
  /** The check suite of a workflow run, to recognise the running job's own check run. */
  workflowRunCheckSuite(runId: number): Promise<number | undefined>;
  codeScanningAnalyses(ref: string | undefined): Promise<CodeScanningAnalyses>;
  openCodeScanningAlerts(ref: string | undefined): Promise<CodeScanningAlert[]>;
  /** Newest first. */
  deployments(environment: string, sha?: string): Promise<Deployment[]>;
  /** Newest first. */
  deploymentStatuses(deploymentId: number): Promise<DeploymentStatus[]>;
  compare(base: string, head: string): Promise<Comparison>;
  /** The file at a commit, or undefined when it does not exist there. */
  file(path: string, sha: string): Promise<FileText | undefined>;
  tree(sha: string): Promise<RepositoryTree>;
  issueComments(issueNumber: number): Promise<IssueComment[]>;
  createIssueComment(issueNumber: number, body: string): Promise<IssueComment>;
}
