import { resolve } from 'node:path';
import { z } from 'zod/mini';
import { formatDuration } from '../core/duration.js';
import { ActionFailure } from '../core/errors.js';
import { type Exec, exec as realExec } from '../core/exec.js';
import { input, mapInput, required } from '../core/inputs.js';
import { type RunOptions, runAction } from '../core/run.js';
import { registerSecret } from '../core/secrets.js';
import { commandArgs, commandRunner } from './commands.js';
import { connect, describeDatabase } from './database.js';
import { formatSchemaDiff } from './fingerprint.js';
import { MODES, type ModeResult, runMode } from './modes.js';
import { changedFiles, findSqlFiles, type LintReport, lintFiles } from './sources.js';
import { migrationsInDirectory } from './status.js';
import { writeSummary } from './summary.js';

const command = () => mapInput(required(input.lines()), commandArgs);

export const inputSchema = z.object({
  'database-url': required(input.secretUrl(['postgres:', 'postgresql:'])),
  'database-url-env': required(
    input.text({ pattern: /^[A-Za-z_][A-Za-z0-9_]*$/, allowed: 'an environment variable name such as DATABASE_URL' }),
  ),
  mode: required(input.choice(MODES)),
  'dry-run-command': command(),
  'apply-command': command(),
  'rollback-command': command(),
  'status-command': command(),
  'working-directory': required(input.text()),
  'migrations-dir': required(input.text()),
  'migrations-table': required(
    input.text({
      pattern: /^(auto|([A-Za-z_][\w$]*\.)?[A-Za-z_][\w$]*)$/,
      allowed: 'auto, a table name or schema.table (letters, digits, _ and $)',
    }),
  ),
  'lint-files': required(input.list({ min: 1 })),
  'changed-since': input.text({
    pattern: /^[^\s-][^\s]*$/,
    allowed: 'a git ref such as origin/main (no spaces, not starting with -)',
  }),
  timeout: required(input.duration({ max: 6 * 3_600_000 })),
  'policy-file': input.text(),
});

export interface DbMigrateOptions extends RunOptions {
  exec?: Exec;
}

export function run(options: DbMigrateOptions = {}) {
  return runAction(
    'db-migrate',
    async (ctx) => {
      const inputs = ctx.inputs(inputSchema);
      const { database } = await ctx.policy();
      const exec = options.exec ?? realExec;
      const url = inputs['database-url'];
      registerSecret(url.href);
      const cwd = resolve(ctx.workspace, inputs['working-directory']);

      const lint = await lintStep(inputs, cwd, ctx.workspace, database.lint, exec);
      for (const f of lint.findings) {
        const annotate = f.severity === 'error' ? ctx.log.error : ctx.log.warning;
        annotate(`${f.rule}: ${f.message}. Fix: ${f.hint}`, {
          title: `db-migrate ${f.rule}`,
          file: f.file,
          startLine: f.line,
        });
      }
      ctx.setOutput('findings', lint.findings);
      const lintErrors = lint.findings.filter((f) => f.severity === 'error');
      if (inputs.mode === 'apply' && lintErrors.length) {
        writeSummary(ctx.summary, { mode: inputs.mode, lint, database: describeDatabase(url) });
        throw new ActionFailure(
          `${lintErrors.length} migration lint error${lintErrors.length === 1 ? '' : 's'}: nothing was applied`,
          'see the annotations for each rule and its fix, or lower the rule in the policy file (database.lint)',
        );
      }

      const db = await connect(url);
      let result: ModeResult;
      try {
        result = await runMode(inputs.mode, {
          db,
          runner: commandRunner({
            exec,
            cwd,
            env: { [inputs['database-url-env']]: url.href },
            timeoutMs: inputs.timeout,
            log: ctx.log,
          }),
          commands: {
            'dry-run': inputs['dry-run-command'],
            apply: inputs['apply-command'],
            rollback: inputs['rollback-command'],
            status: inputs['status-command'],
          },
          migrationsTable: inputs['migrations-table'],
          inDirectory: await migrationsInDirectory(resolve(cwd, inputs['migrations-dir'])),
        });
      } finally {
        await db.close().catch(() => {});
      }

      ctx.setOutput('pending', result.status.pending.length);
      ctx.setOutput('applied', result.status.applied.length);
      ctx.setOutput('schema-changed', result.schemaChanges.length > 0);
      ctx.setOutput('status', result.status);
      writeSummary(ctx.summary, { mode: inputs.mode, lint, result, database: describeDatabase(url) });
      for (const step of result.steps) ctx.log.info(`${step.name}: ${formatDuration(step.durationMs)} ${step.detail}`);
      if (result.schemaChanges.length) ctx.log.info(`schema difference:\n${formatSchemaDiff(result.schemaChanges)}`);

      const problems = result.problems.map((p) => p.message);
      if (lintErrors.length)
        problems.push(`${lintErrors.length} migration lint error${lintErrors.length === 1 ? '' : 's'}`);
      if (problems.length) {
        throw new ActionFailure(
          problems.join('; '),
          'see the job summary for the differences, and the annotations for lint findings',
        );
      }
    },
    options,
  );
}

async function lintStep(
  inputs: z.output<typeof inputSchema>,
  cwd: string,
  workspace: string,
  severities: Parameters<typeof lintFiles>[2],
  exec: Exec,
): Promise<LintReport> {
  let files = await findSqlFiles(inputs['lint-files'], cwd);
  const since = inputs['changed-since'];
  if (since) {
    const changed = await changedFiles(since, cwd, exec);
    files = files.filter((f) => changed.has(f));
  }
  return lintFiles(files, workspace, severities);
}
