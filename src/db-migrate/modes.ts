import { performance } from 'node:perf_hooks';
import { ActionFailure } from '../core/errors.js';
import type { CommandRunner } from './commands.js';
import type { Database } from './database.js';
import { diffSchemas, type Fingerprint, fingerprint, type SchemaChange, without } from './fingerprint.js';
import {
  diffRows,
  findMigrationTable,
  type MigrationTable,
  quoteIdent,
  readMigrationTable,
  recordsOf,
  type TableDiff,
  type TableRef,
} from './migration-table.js';
import { type MigrationStatus, normaliseStatus } from './status.js';

export const MODES = ['dry-run', 'apply', 'rollback', 'status', 'verify'] as const;
export type Mode = (typeof MODES)[number];

export interface Commands {
  'dry-run': string[];
  apply: string[];
  rollback: string[];
  status: string[];
}

export interface ModeDeps {
  db: Database;
  runner: CommandRunner;
  commands: Commands;
  /** The `migrations-table` input: a table name, `schema.table`, or `auto`. */
  migrationsTable: string;
  /** Migration names found in the migrations directory, when it exists. */
  inDirectory: string[] | undefined;
  /** Monotonic milliseconds, for step timings. */
  now?: () => number;
}

export interface Step {
  name: string;
  durationMs: number;
  detail: string;
}

export interface ModeResult {
  mode: Mode;
  status: MigrationStatus;
  /** Schema differences made by the step that was run (dry-run, apply, rollback). */
  schemaChanges: SchemaChange[];
  /** Rows the step added to or removed from the migration table. */
  tableChanges: TableDiff;
  migrationTable: string | undefined;
  steps: Step[];
  /** Why the guarded operation must not proceed; empty when all is well. */
  problems: Problem[];
}

export interface Problem {
  message: string;
  /** Preformatted detail (a schema diff, rows). */
  detail?: string;
}

interface Snapshot {
  schema: Fingerprint;
  tableRef: TableRef | undefined;
  table: MigrationTable | undefined;
}

async function snapshot(deps: ModeDeps, knownTable?: TableRef): Promise<Snapshot> {
  const tableRef = knownTable ?? (await findMigrationTable(deps.db, deps.migrationsTable));
  const [schema, table] = [await fingerprint(deps.db), tableRef ? await readTable(deps.db, tableRef) : undefined];
  return { schema, tableRef, table };
}

/** The table may have been dropped by a rollback of everything (knex, node-pg-migrate keep it; others may not). */
async function readTable(db: Database, ref: TableRef): Promise<MigrationTable | undefined> {
  const still = await db.query(
    'SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2',
    [ref.schema, ref.name],
  );
  return still.length ? readMigrationTable(db, ref) : undefined;
}

function statusOf(deps: ModeDeps, snap: Snapshot, output = ''): MigrationStatus {
  return normaliseStatus(recordsOf(snap.table), deps.inDirectory, output);
}

/** The tool's bookkeeping tables, named as the fingerprint names their owner. */
function bookkeeping(ref: TableRef | undefined): string[] {
  if (!ref) return [];
  const schema = quoteIdent(ref.schema);
  return [`${schema}.${quoteIdent(ref.name)}`, `${schema}.${quoteIdent(`${ref.name}_lock`)}`];
}

export async function runMode(mode: Mode, deps: ModeDeps): Promise<ModeResult> {
  switch (mode) {
    case 'dry-run':
      return dryRun(deps);
    case 'apply':
    case 'rollback':
      return applyOrRollback(mode, deps);
    case 'status':
      return status(deps);
    case 'verify':
      return verify(deps);
  }
}

async function timed<T>(deps: ModeDeps, steps: Step[], name: string, fn: () => Promise<T>, detail: (t: T) => string) {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const value = await fn();
  steps.push({ name, durationMs: now() - started, detail: detail(value) });
  return value;
}

function describeRows(diff: TableDiff): string {
  const lines = [
    ...diff.added.map((r) => `+ ${JSON.stringify(r)}`),
    ...diff.removed.map((r) => `- ${JSON.stringify(r)}`),
  ];
  return lines.join('\n');
}

async function dryRun(deps: ModeDeps): Promise<ModeResult> {
  const steps: Step[] = [];
  const before = await timed(
    deps,
    steps,
    'fingerprint before',
    () => snapshot(deps),
    (s) => `schema ${s.schema.hash.slice(0, 12)}`,
  );
  await timed(
    deps,
    steps,
    'dry run',
    () => deps.runner.run('dry-run', deps.commands['dry-run']),
    () => 'exit 0',
  );
  // The dry run may have created the migration table: look for it again.
  const after = await timed(
    deps,
    steps,
    'fingerprint after',
    () => snapshot(deps),
    (s) => `schema ${s.schema.hash.slice(0, 12)}`,
  );
  const schemaChanges = diffSchemas(before.schema, after.schema);
  const tableChanges = diffRows(before.table, after.table);
  const problems: Problem[] = [];
  if (schemaChanges.length)
    problems.push({
      message: `the dry run changed the schema (${schemaChanges.length} object${schemaChanges.length === 1 ? '' : 's'})`,
    });
  if (tableChanges.added.length || tableChanges.removed.length)
    problems.push({
      message: `the dry run changed the migration table ${after.tableRef?.name ?? before.tableRef?.name}`,
      detail: describeRows(tableChanges),
    });
  return result('dry-run', deps, after, { schemaChanges, tableChanges, steps, problems });
}

async function applyOrRollback(mode: 'apply' | 'rollback', deps: ModeDeps): Promise<ModeResult> {
  const steps: Step[] = [];
  const before = await snapshot(deps);
  await timed(
    deps,
    steps,
    mode,
    () => deps.runner.run(mode, deps.commands[mode]),
    () => 'exit 0',
  );
  const after = await snapshot(deps);
  const tableChanges = diffRows(before.table, after.table);
  return result(mode, deps, after, {
    schemaChanges: diffSchemas(before.schema, after.schema),
    tableChanges,
    steps,
    problems: [],
  });
}

async function status(deps: ModeDeps): Promise<ModeResult> {
  const steps: Step[] = [];
  const output = await timed(
    deps,
    steps,
    'status',
    () => deps.runner.run('status', deps.commands.status),
    (r) => `exit ${r.exitCode}`,
  );
  const snap = await snapshot(deps);
  return result('status', deps, snap, {
    schemaChanges: [],
    tableChanges: { added: [], removed: [] },
    steps,
    problems: [],
    output: `${output.stdout}\n${output.stderr}`,
  });
}

/**
 * On a scratch database: apply → status → roll back → apply again. Rolling back repeats the rollback
 * command until the migration table is as it was before the apply (tools roll back one migration or
 * one batch at a time), at most once per migration the apply added. The schema after the rollback
 * must equal the schema before the apply, and the second apply must give the schema of the first;
 * the tool's own bookkeeping tables are left out of both comparisons.
 */
async function verify(deps: ModeDeps): Promise<ModeResult> {
  const steps: Step[] = [];
  const problems: Problem[] = [];
  const fp = (s: Snapshot) => `schema ${s.schema.hash.slice(0, 12)}`;
  const initial = await snapshot(deps);

  await timed(
    deps,
    steps,
    'apply',
    () => deps.runner.run('apply', deps.commands.apply),
    () => 'exit 0',
  );
  const applied = await snapshot(deps);
  const added = diffRows(initial.table, applied.table).added;
  steps[steps.length - 1]!.detail = `${added.length} migration${added.length === 1 ? '' : 's'} applied, ${fp(applied)}`;
  const ignore = bookkeeping(applied.tableRef);

  const statusRun = await timed(
    deps,
    steps,
    'status',
    () => deps.runner.run('status', deps.commands.status),
    () => '',
  );
  const afterApply = statusOf(deps, applied, `${statusRun.stdout}\n${statusRun.stderr}`);
  steps[steps.length - 1]!.detail =
    `${afterApply.applied.length} applied, ${afterApply.pending.length} pending, ${afterApply.failed.length} failed`;
  if (afterApply.pending.length || afterApply.failed.length)
    problems.push({
      message: `after apply, ${afterApply.pending.length} migration(s) are still pending and ${afterApply.failed.length} failed`,
      detail: [...afterApply.pending.map((p) => `pending ${p}`), ...afterApply.failed.map((f) => `failed ${f}`)].join(
        '\n',
      ),
    });

  if (added.length === 0) {
    problems.push({
      message: 'the apply command applied no migration, so there is nothing to roll back',
      detail:
        'verify runs every pending migration forward, back and forward again: run it on a scratch database (e.g. a services: postgres container) where the migrations are pending',
    });
    return result('verify', deps, applied, {
      schemaChanges: [],
      tableChanges: { added, removed: [] },
      steps,
      problems,
    });
  }

  let rolledBack = applied;
  let runs = 0;
  const initialRows = JSON.stringify(initial.table?.rows ?? []);
  await timed(
    deps,
    steps,
    'rollback',
    async () => {
      const limit = added.length;
      while (runs < limit) {
        runs++;
        await deps.runner.run('rollback', deps.commands.rollback);
        const next = await snapshot(deps, applied.tableRef);
        const removed = diffRows(rolledBack.table, next.table).removed.length;
        rolledBack = next;
        if (JSON.stringify(next.table?.rows ?? []) === initialRows) return;
        if (removed === 0 && next.table) {
          problems.push({
            message: `rollback run ${runs} did not remove any migration from ${applied.tableRef?.name}`,
          });
          return;
        }
      }
    },
    () => `${runs} rollback run${runs === 1 ? '' : 's'}, ${fp(rolledBack)}`,
  );
  const restored = diffSchemas(without(initial.schema, ignore), without(rolledBack.schema, ignore));
  if (restored.length)
    problems.push({
      message: `the rollback did not restore the schema (${restored.length} difference${restored.length === 1 ? '' : 's'} from before the apply)`,
    });

  // A rollback that left objects behind often makes the second apply fail on them: report both.
  let reapplyFailure: string | undefined;
  const reapplied = await timed(
    deps,
    steps,
    'apply again',
    async () => {
      try {
        await deps.runner.run('apply', deps.commands.apply);
      } catch (error) {
        if (!(error instanceof ActionFailure) || problems.length === 0) throw error;
        reapplyFailure = error.message;
        problems.push({ message: `applying again then failed: ${error.message}` });
      }
      return snapshot(deps);
    },
    (s) => (reapplyFailure ? 'failed' : fp(s)),
  );
  const repeat = reapplyFailure ? [] : diffSchemas(without(applied.schema, ignore), without(reapplied.schema, ignore));
  if (repeat.length)
    problems.push({
      message: `applying again gave a different schema from the first apply (${repeat.length} difference${repeat.length === 1 ? '' : 's'})`,
    });

  return result('verify', deps, reapplied, {
    schemaChanges: restored.length ? restored : repeat,
    tableChanges: diffRows(initial.table, reapplied.table),
    steps,
    problems,
  });
}

function result(
  mode: Mode,
  deps: ModeDeps,
  snap: Snapshot,
  parts: Pick<ModeResult, 'schemaChanges' | 'tableChanges' | 'steps' | 'problems'> & { output?: string },
): ModeResult {
  const status = statusOf(deps, snap, parts.output);
  const problems = [...parts.problems];
  if (status.failed.length)
    problems.push({
      message: `${status.failed.length} migration${status.failed.length === 1 ? ' is' : 's are'} recorded as failed: ${status.failed.join(', ')}`,
    });
  return {
    mode,
    status,
    schemaChanges: parts.schemaChanges,
    tableChanges: parts.tableChanges,
    migrationTable: snap.tableRef ? `${snap.tableRef.schema}.${snap.tableRef.name}` : undefined,
    steps: parts.steps,
    problems,
  };
}
