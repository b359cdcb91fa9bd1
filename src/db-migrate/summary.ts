import { formatDuration } from '../core/duration.js';
import type { Summary } from '../core/summary.js';
import { formatSchemaDiff } from './fingerprint.js';
import type { Mode, ModeResult } from './modes.js';
import type { LintReport } from './sources.js';

const MODE_TITLE: Record<Mode, string> = {
  'dry-run': 'dry run (proved to change nothing)',
  apply: 'apply',
  rollback: 'rollback',
  status: 'status',
  verify: 'verify (apply → status → roll back → apply again)',
};

export function writeSummary(
  summary: Summary,
  report: { mode: Mode; lint: LintReport; result?: ModeResult; database: string },
): void {
  const { result, lint } = report;
  const ok = result ? result.problems.length === 0 : false;
  summary.heading(`${ok ? '✅' : '❌'} Database migrations: ${MODE_TITLE[report.mode]}`);
  summary.paragraph(
    `Database: ${report.database}${result?.migrationTable ? `, migration table \`${result.migrationTable}\`` : ''}`,
  );

  if (result) {
    if (result.problems.length) summary.list(result.problems.map((p) => `**${p.message}**`));
    for (const p of result.problems) if (p.detail) summary.details(p.message, p.detail);
    const { pending, applied, failed } = result.status;
    summary.table(['Pending', 'Applied', 'Failed'], [[pending.length, applied.length, failed.length]]);
    if (pending.length) summary.heading('Pending migrations', 3).list(pending.map((p) => `\`${p}\``));
    if (failed.length) summary.heading('Failed migrations', 3).list(failed.map((p) => `\`${p}\``));
    if (result.steps.length)
      summary.heading('Steps', 3).table(
        ['Step', 'Time', 'Result'],
        result.steps.map((s) => [s.name, formatDuration(s.durationMs), s.detail]),
      );
    if (result.schemaChanges.length) {
      summary.heading(report.mode === 'verify' ? 'Schema difference' : 'Schema changes', 3);
      summary.code(formatSchemaDiff(result.schemaChanges), 'diff');
    }
    const { added, removed } = result.tableChanges;
    if (added.length || removed.length)
      summary.details(
        `Migration table: ${added.length} row(s) added, ${removed.length} removed`,
        [...added.map((r) => `+ ${JSON.stringify(r)}`), ...removed.map((r) => `- ${JSON.stringify(r)}`)].join('\n'),
      );
  }

  summary.heading('Migration lint', 3);
  if (lint.files.length === 0) summary.paragraph('No migration SQL files matched `lint-files`.');
  else if (lint.findings.length === 0) summary.paragraph(`${lint.files.length} file(s) checked: no findings.`);
  else
    summary.table(
      ['Severity', 'Rule', 'Where', 'Finding', 'Fix'],
      lint.findings.map((f) => [f.severity, `\`${f.rule}\``, `${f.file}:${f.line}`, f.message, f.hint]),
    );
}
