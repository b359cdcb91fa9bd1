import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { z } from 'zod/mini';
import { formatDuration } from '../core/duration.js';
import { ActionFailure, ConfigurationError, type ConfigurationIssue } from '../core/errors.js';
import { exec } from '../core/exec.js';
import { input, required } from '../core/inputs.js';
import type { Policy } from '../core/policy/load.js';
import { type RunOptions, runAction } from '../core/run.js';
import { registerSecret } from '../core/secrets.js';
import type { Summary } from '../core/summary.js';
import { CHECKSUM_MODES } from './checksum.js';
import { missingDays, retentionWindow } from './schedule.js';
import { type Candidate, listLocal, newestFirst, type SourceListing } from './source.js';
import { type BackupReport, LEVELS, type Level, verifyBackup } from './verify.js';

export const inputSchema = z.object({
  source: required(input.text()),
  all: input.boolean(),
  level: required(input.choice(LEVELS)),
  'scratch-database-url': input.secretUrl(['postgres:', 'postgresql:']),
  checksum: required(input.choice(CHECKSUM_MODES)),
  'max-age': input.duration(),
  timeout: input.duration(),
  'evidence-file': required(input.text()),
  'pg-bin-dir': input.text(),
  's3-endpoint': input.url(['http:', 'https:']),
  's3-force-path-style': input.boolean(),
  'policy-file': input.text(),
});
export type Inputs = z.output<typeof inputSchema>;

export interface Freshness {
  newest?: string;
  newestTime?: string;
  ageSeconds?: number;
  maxAgeSeconds: number;
  /** Where the limit came from: the max-age input, backups.maxAge, or backups.rpo. */
  limitFrom: string;
  rpoSeconds: number;
  ok: boolean;
  /** The RPO is not met by these backups alone (honest note when maxAge > rpo). */
  rpoNote?: string;
}

export interface Retention {
  checked: boolean;
  days: number;
  window?: { from: string; to: string };
  missing: string[];
  backupsListed: number;
  ok: boolean;
  reason?: string;
}

export interface Evidence {
  action: 'backup-verify';
  checkedAt: string;
  source: string;
  level: Level;
  result: 'verified' | 'failed';
  policy: {
    rpoSeconds: number;
    rtoSeconds: number;
    retentionDays: number;
    maxAgeSeconds: number;
    file?: string | undefined;
  };
  backups: BackupReport[];
  freshness: Freshness;
  retention: Retention;
  problems: string[];
}

export function run(options?: RunOptions) {
  return runAction(
    'backup-verify',
    async (ctx) => {
      const inputs = ctx.inputs(inputSchema);
      checkCombinations(inputs);
      const policy = await ctx.policy();
      // The AWS SDK reads these itself; masking them keeps them out of anything we print.
      registerSecret(ctx.env.AWS_SECRET_ACCESS_KEY);
      registerSecret(ctx.env.AWS_SESSION_TOKEN);
      const level: Level = inputs.level;
      const source = inputs.source;
      const now = ctx.clock.now();
      const limits = freshnessLimit(inputs, policy.backups);

      // A source that is not there is a finding (yesterday's backup was never written), reported like the others.
      let listing: SourceListing = { candidates: [], isCollection: false };
      let listProblem: string | undefined;
      try {
        listing = await list(source, inputs, ctx.workspace, ctx.env);
      } catch (error) {
        if (!(error instanceof ActionFailure)) throw error;
        listProblem = `${error.message}${error.hint ? ` (${error.hint})` : ''}`;
      }
      const ordered = newestFirst(listing.candidates);
      const chosen = inputs.all ? ordered : ordered.slice(0, 1);
      ctx.log.info(
        `${ordered.length} backup${ordered.length === 1 ? '' : 's'} at ${source}; verifying ${chosen.length} at level ${level}`,
      );

      const tempDir = await mkdtemp(join(ctx.env.RUNNER_TEMP || tmpdir(), 'backup-verify-'));
      const reports: BackupReport[] = [];
      try {
        for (const candidate of chosen) {
          const report = await ctx.log.group(`Verify ${candidate.location}`, () =>
            verifyBackup(candidate, {
              level,
              checksum: inputs.checksum,
              tools: { exec, binDir: inputs['pg-bin-dir'], timeoutMs: inputs.timeout ?? policy.backups.rto },
              scratch: inputs['scratch-database-url'],
              expectations: policy.backups.expectations,
              rtoMs: policy.backups.rto,
              tempDir,
              now,
              log: ctx.log,
            }),
          );
          for (const c of report.checks) ctx.log.info(`${mark(c.result)} ${c.name}: ${c.detail} (${c.how})`);
          if (!report.ok) ctx.log.error(`${report.location}: ${report.problem}`, { title: 'Backup verification' });
          reports.push(report);
        }
      } finally {
        await rm(tempDir, { recursive: true, force: true });
      }

      const freshness = judgeFreshness(ordered, now, limits, policy.backups.rpo);
      if (freshness.rpoNote) ctx.log.warning(freshness.rpoNote, { title: 'RPO' });
      const retention = judgeRetention(listing, ordered, now, policy.backups.retentionDays);
      const problems = [
        ...(listProblem ? [listProblem] : ordered.length === 0 ? [`no backups found at ${source}`] : []),
        ...reports.filter((r) => !r.ok).map((r) => `${r.location}: ${r.problem}${r.hint ? ` (${r.hint})` : ''}`),
        ...(freshness.ok || ordered.length === 0
          ? []
          : [
              `the newest backup (${freshness.newest}) is ${formatDuration((freshness.ageSeconds ?? 0) * 1000)} old, more than the allowed ${formatDuration(freshness.maxAgeSeconds * 1000)} (${freshness.limitFrom})`,
            ]),
        ...(retention.ok
          ? []
          : [
              `${retention.missing.length} of the last ${retention.days} days have no backup: ${retention.missing.join(', ')}`,
            ]),
      ];
      const result = problems.length === 0 ? 'verified' : 'failed';

      const evidence: Evidence = {
        action: 'backup-verify',
        checkedAt: now.toISOString(),
        source,
        level,
        result,
        policy: {
          rpoSeconds: policy.backups.rpo / 1000,
          rtoSeconds: policy.backups.rto / 1000,
          retentionDays: policy.backups.retentionDays,
          maxAgeSeconds: limits.maxAgeMs / 1000,
          file: (policy as Policy & { file?: string }).file,
        },
        backups: reports,
        freshness,
        retention,
        problems,
      };
      const evidencePath = resolvePath(inputs['evidence-file'], ctx.workspace);
      await mkdir(dirname(evidencePath), { recursive: true });
      await writeFile(evidencePath, `${JSON.stringify(evidence, null, 2)}\n`, 'utf8');

      const first = reports[0];
      ctx.setOutput('result', result);
      ctx.setOutput('backup', first?.location ?? '');
      ctx.setOutput('format', first?.format ?? '');
      ctx.setOutput('size-bytes', first?.sizeBytes ?? '');
      ctx.setOutput('tables', first?.tables ?? '');
      ctx.setOutput('rows', first?.rows ?? '');
      ctx.setOutput('age-seconds', freshness.ageSeconds ?? '');
      ctx.setOutput('restore-seconds', first?.restoreSeconds ?? '');
      ctx.setOutput('missing-days', retention.missing.join(','));
      ctx.setOutput('sha256', first?.sha256 ?? '');
      ctx.setOutput('evidence-file', evidencePath);

      writeSummary(ctx.summary, evidence);
      if (result === 'failed')
        throw new ActionFailure(
          problems.length === 1 ? (problems[0] as string) : `${problems.length} problems: ${problems.join('; ')}`,
          ordered.length === 0
            ? 'the backup job wrote nothing there, or the source input points elsewhere'
            : 'see the job summary and the evidence file for every check',
        );
    },
    options,
  );
}

function checkCombinations(inputs: Inputs): void {
  const issues: ConfigurationIssue[] = [];
  const s3 = inputs.source.startsWith('s3://');
  if (inputs.level === 'restore' && !inputs['scratch-database-url'])
    issues.push({
      field: 'input "scratch-database-url"',
      message: 'is required with level: restore (a throwaway server, e.g. a services: postgres container)',
    });
  if (inputs.checksum === 'write' && s3)
    issues.push({
      field: 'input "checksum"',
      value: 'write',
      message:
        'write is for local files; for s3:// sources the SHA-256 is in the evidence file (use auto, require or off)',
    });
  const bin = inputs['pg-bin-dir'];
  if (bin && !existsSync(join(bin, 'pg_restore')))
    issues.push({ field: 'input "pg-bin-dir"', value: bin, message: 'expected a folder holding pg_restore and psql' });
  if (!s3 && (inputs['s3-endpoint'] || inputs['s3-force-path-style'] !== undefined))
    issues.push({ field: 'input "s3-endpoint"', message: 'only applies to s3:// sources' });
  if (issues.length) throw new ConfigurationError(issues, 'inputs');
}

function freshnessLimit(inputs: Inputs, backups: Policy['backups']): { maxAgeMs: number; from: string } {
  if (inputs['max-age'] !== undefined) return { maxAgeMs: inputs['max-age'], from: 'max-age input' };
  if (backups.maxAge !== undefined) return { maxAgeMs: backups.maxAge, from: 'backups.maxAge' };
  return { maxAgeMs: backups.rpo, from: 'backups.rpo' };
}

async function list(
  source: string,
  inputs: Inputs,
  workspace: string,
  env: Record<string, string | undefined>,
): Promise<SourceListing> {
  if (!source.startsWith('s3://')) return listLocal(source, workspace);
  const { createS3Client, listS3, parseS3Url } = await import('./s3.js');
  const location = parseS3Url(source);
  const endpoint = inputs['s3-endpoint']?.toString() || env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
  const client = await createS3Client({
    endpoint,
    forcePathStyle: inputs['s3-force-path-style'] ?? endpoint !== undefined,
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION,
    credentials:
      env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
        ? {
            accessKeyId: env.AWS_ACCESS_KEY_ID,
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          }
        : undefined,
  });
  return listS3(client, location);
}

export function judgeFreshness(
  ordered: readonly Candidate[],
  now: Date,
  limits: { maxAgeMs: number; from: string },
  rpoMs: number,
): Freshness {
  const newest = ordered[0];
  const base = { maxAgeSeconds: limits.maxAgeMs / 1000, limitFrom: limits.from, rpoSeconds: rpoMs / 1000 };
  const rpoNote =
    limits.maxAgeMs > rpoMs
      ? `logical dumps up to ${formatDuration(limits.maxAgeMs)} old are accepted (${limits.from}), so these backups alone do not meet the RPO of ${formatDuration(rpoMs)}: pg_dump makes full dumps only, and an RPO shorter than the dump interval needs WAL archiving (point-in-time recovery)`
      : undefined;
  if (!newest) return { ...base, ok: false, ...(rpoNote ? { rpoNote } : {}) };
  const ageMs = Math.max(0, now.getTime() - newest.when.time.getTime());
  const ok = ageMs <= limits.maxAgeMs;
  const note =
    rpoNote ??
    (ok
      ? undefined
      : `pg_dump makes full dumps only: daily dumps can never meet an RPO of ${formatDuration(rpoMs)}. Set backups.maxAge (e.g. 26h) or the max-age input for this check, and cover the RPO with WAL archiving`);
  return {
    ...base,
    newest: newest.location,
    newestTime: newest.when.time.toISOString(),
    ageSeconds: Math.round(ageMs / 1000),
    ok,
    ...(note ? { rpoNote: note } : {}),
  };
}

export function judgeRetention(
  listing: SourceListing,
  ordered: readonly Candidate[],
  now: Date,
  days: number,
): Retention {
  if (!listing.isCollection)
    return {
      checked: false,
      days,
      missing: [],
      backupsListed: ordered.length,
      ok: true,
      reason: 'the source names one backup',
    };
  // An empty file is not a backup: it does not cover its day.
  const times = ordered.filter((c) => c.sizeBytes > 0).map((c) => c.when.time);
  const missing = missingDays(times, now, days);
  return {
    checked: true,
    days,
    window: retentionWindow(now, days),
    missing,
    backupsListed: ordered.length,
    ok: missing.length === 0,
  };
}

function resolvePath(path: string, workspace: string): string {
  return isAbsolute(path) ? path : join(workspace, path);
}

function mark(result: string): string {
  return result === 'passed' ? '✓' : result === 'failed' ? '✗' : '–';
}

function writeSummary(summary: Summary, evidence: Evidence): void {
  const ok = evidence.result === 'verified';
  summary.heading(`${ok ? '✅' : '❌'} Backup verification: ${evidence.result}`);
  summary.paragraph(
    `Source \`${evidence.source}\`, level **${evidence.level}**${
      evidence.level === 'list'
        ? ' — ⚠️ weak: the table of contents only; truncated or corrupt data passes it. Use `read` or `restore`.'
        : evidence.level === 'read'
          ? ' (every byte of every data block read; no database)'
          : ' (restored into a scratch database, then counted)'
    }.`,
  );
  if (evidence.problems.length) summary.list(evidence.problems);
  if (evidence.backups.length)
    summary.table(
      ['Backup', 'Format', 'Size (bytes)', 'Made (from)', 'Tables', 'Rows', 'Restore', 'Result'],
      evidence.backups.map((b) => [
        b.location,
        b.format,
        b.sizeBytes,
        `${b.time} (${b.timeSource})`,
        b.tables,
        b.rows,
        b.restoreSeconds === undefined ? undefined : `${b.restoreSeconds}s`,
        b.ok ? '✅ verified' : `❌ ${b.problem}`,
      ]),
    );
  for (const b of evidence.backups) {
    summary.heading(`Checks: ${b.name}`, 3);
    summary.table(
      ['Check', 'How', 'Result', 'Detail'],
      b.checks.map((c) => [c.name, c.how, `${mark(c.result)} ${c.result}`, c.detail]),
    );
  }
  const f = evidence.freshness;
  const r = evidence.retention;
  summary.heading('Freshness and retention', 3);
  summary.list([
    f.newest
      ? `${f.ok ? '✅' : '❌'} Newest backup ${f.newest}: made ${f.newestTime}, ${formatDuration((f.ageSeconds ?? 0) * 1000)} old; allowed ${formatDuration(f.maxAgeSeconds * 1000)} (${f.limitFrom})`
      : '❌ No backup found',
    r.checked
      ? `${r.ok ? '✅' : '❌'} Retention: each of the ${r.days} days ${r.window?.from} … ${r.window?.to} (UTC) ${r.ok ? 'has a backup' : `— missing: ${r.missing.join(', ')}`} (${r.backupsListed} listed)`
      : `– Retention not checked: ${r.reason}`,
    `RTO ${formatDuration(evidence.policy.rtoSeconds * 1000)}: ${
      evidence.backups.some((b) => b.restoreSeconds !== undefined)
        ? 'restore time measured above'
        : 'not measured (level restore measures it)'
    }`,
  ]);
  if (f.rpoNote) summary.paragraph(`⚠️ RPO: ${f.rpoNote}.`);
}
