import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Static lint of migration SQL with the real PostgreSQL parser (libpg-query, WebAssembly). Each rule
 * looks at one statement with what the file said before it: tables created earlier in the file are new
 * (no rows, no readers), BEGIN … COMMIT is tracked for the CONCURRENTLY rule, and SET lock_timeout
 * for the lock rule. Findings carry a 1-based line computed from the parser's byte offsets.
 */

export const LINT_RULES = {
  'syntax-error': 'Fix the statement so PostgreSQL can parse it (psql meta-commands such as \\set are not SQL).',
  'drop-table':
    'Stop using the table in a release first, then drop it in a later migration (expand/contract); or set database.lint.drop-table to warning if this is intended.',
  'drop-column':
    'Deploy code that no longer reads the column first, then drop it in a later migration (expand/contract).',
  'not-null-without-default':
    'Add the column as NULL (or with a constant DEFAULT), backfill it in batches, then SET NOT NULL via a NOT VALID CHECK constraint.',
  'index-not-concurrent':
    'Use CREATE INDEX CONCURRENTLY (outside a transaction) so writes are not blocked while the index builds.',
  'concurrently-in-transaction':
    'Move the CONCURRENTLY statement out of BEGIN … COMMIT into a migration of its own that the tool runs without a transaction.',
  'table-rewrite':
    'Add a new column, backfill it, and switch over; or change to a binary-compatible type (varchar(n) → text or a longer varchar).',
  rename:
    'Add the new name alongside the old one (a view or a new column kept in sync), deploy, then remove the old name later.',
  'missing-lock-timeout':
    "Start the migration with SET lock_timeout = '5s' so a blocked lock fails fast instead of queueing every query behind it.",
} as const;

export type LintRule = keyof typeof LINT_RULES;
export type LintSeverity = 'error' | 'warning' | 'off';

export interface LintFinding {
  rule: LintRule;
  severity: Exclude<LintSeverity, 'off'>;
  file: string;
  line: number;
  message: string;
  hint: string;
}

/** What the parser gives back, reduced to what the rules read. */
type Node = Record<string, unknown>;
interface RawStatement {
  stmt: Node;
  stmt_location?: number;
  stmt_len?: number;
}
export interface Parser {
  parse(sql: string): { stmts?: RawStatement[] };
}

const WASM = 'libpg-query.wasm';

/**
 * Loads libpg-query on the code path that needs it: it is 1.7 MB of WebAssembly. Its Emscripten loader
 * reads `libpg-query.wasm` from `__dirname`, which an ESM bundle does not define: for the duration of
 * the load, `__dirname` is the directory holding the file (see wasmDirectory).
 */
export async function loadParser(): Promise<Parser> {
  const global = globalThis as { __dirname?: string };
  const provided = global.__dirname === undefined;
  if (provided) global.__dirname = wasmDirectory();
  let pgQuery: typeof import('libpg-query');
  try {
    pgQuery = await import('libpg-query');
    await pgQuery.loadModule();
  } finally {
    if (provided) delete global.__dirname;
  }
  return {
    parse: (sql) => pgQuery.parseSync(sql) as unknown as { stmts?: RawStatement[] },
  };
}

/**
 * Where `libpg-query.wasm` is. ncc cannot carry it into the bundle (its loaders read every asset as text,
 * which corrupts a binary), so the action folder holds a copy next to `dist/` (a test keeps it identical to
 * the installed package's): from the bundle `actions/db-migrate/dist/*.js` that is `../libpg-query.wasm`.
 * Run from source, the installed package's own file is used.
 */
export function wasmDirectory(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  if (existsSync(join(here, '..', WASM))) return join(here, '..');
  return dirname(createRequire(import.meta.url).resolve(`libpg-query/wasm/${WASM}`));
}

/** Markers after which a migration file holds its down migration (node-pg-migrate, dbmate, goose). */
const DOWN_MARKER = /^[ \t]*--[ \t]*(?:Down Migration|migrate:down|\+goose Down)\b.*$/im;

/** The part of a migration file that runs on apply: a separate `*.down.sql` file has none. */
export function upSection(file: string, text: string): string {
  if (/[._-]down\.sql$/i.test(file)) return '';
  const marker = DOWN_MARKER.exec(text);
  return marker ? text.slice(0, marker.index) : text;
}

export function lintSql(
  file: string,
  text: string,
  parser: Parser,
  severities: Readonly<Record<LintRule, LintSeverity>>,
): LintFinding[] {
  const sql = upSection(file, text);
  const findings: LintFinding[] = [];
  const lines = new LineIndex(sql);
  const report = (rule: LintRule, byteOffset: number, message: string) => {
    const severity = severities[rule];
    if (severity === 'off') return;
    findings.push({ rule, severity, file, line: lines.lineAt(byteOffset), message, hint: LINT_RULES[rule] });
  };
  if (!sql.trim()) return findings;

  let statements: RawStatement[];
  try {
    statements = parser.parse(sql).stmts ?? [];
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    // The parser reports a character position here (not bytes): convert it.
    const at = Buffer.byteLength(sql.slice(0, details?.cursorPosition ?? 0));
    report('syntax-error', at, `the PostgreSQL parser rejects this file: ${(error as Error).message}`);
    return findings;
  }

  const state: FileState = {
    createdTables: new Set(),
    inTransaction: false,
    lockTimeout: 'unset',
    lockTimeoutReported: false,
  };
  for (const raw of statements) {
    const start = lines.skipBlank(raw.stmt_location ?? 0);
    const [kind, body] = Object.entries(raw.stmt)[0] as [string, Node];
    checkStatement(kind, body, start, state, report);
  }
  return findings;
}

interface FileState {
  /** Tables created earlier in this file: empty and unused, so locks and rewrites on them are harmless. */
  createdTables: Set<string>;
  inTransaction: boolean;
  /** `local` lasts until the transaction ends. */
  lockTimeout: 'unset' | 'session' | 'local';
  lockTimeoutReported: boolean;
}

type Report = (rule: LintRule, byteOffset: number, message: string) => void;

function checkStatement(kind: string, node: Node, start: number, state: FileState, report: Report): void {
  const requireLockTimeout = (what: string) => {
    if (state.lockTimeout !== 'unset' || state.lockTimeoutReported) return;
    state.lockTimeoutReported = true;
    report(
      'missing-lock-timeout',
      start,
      `${what} takes a lock on an existing table with no lock_timeout set before it`,
    );
  };

  switch (kind) {
    case 'TransactionStmt': {
      const k = String(node.kind);
      if (k === 'TRANS_STMT_BEGIN' || k === 'TRANS_STMT_START') state.inTransaction = true;
      if (['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE'].includes(k)) {
        state.inTransaction = false;
        if (state.lockTimeout === 'local') state.lockTimeout = 'unset';
      }
      return;
    }
    case 'VariableSetStmt': {
      if (String(node.name).toLowerCase() !== 'lock_timeout') return;
      const disabled = node.kind === 'VAR_RESET' || node.kind === 'VAR_SET_DEFAULT' || isZero(firstConst(node.args));
      state.lockTimeout = disabled ? 'unset' : node.is_local ? 'local' : 'session';
      return;
    }
    case 'SelectStmt': {
      // SELECT set_config('lock_timeout', '5s', is_local)
      for (const call of findAll(node, 'FuncCall')) {
        if (lastName(call.funcname) !== 'set_config') continue;
        const args = (call.args as Node[] | undefined) ?? [];
        if (String(constValue(args[0])).toLowerCase() !== 'lock_timeout') continue;
        const local = constValue(args[2]) === true;
        state.lockTimeout = isZero(constValue(args[1])) ? 'unset' : local ? 'local' : 'session';
      }
      return;
    }
    case 'CreateStmt':
      state.createdTables.add(tableKey(node.relation as Node));
      return;
    case 'IndexStmt': {
      const table = tableKey(node.relation as Node);
      const at = locationOf(node.relation) ?? start;
      if (node.concurrent) {
        if (state.inTransaction)
          report(
            'concurrently-in-transaction',
            start,
            'CREATE INDEX CONCURRENTLY cannot run inside a transaction block',
          );
        return;
      }
      if (state.createdTables.has(table)) return;
      report('index-not-concurrent', at, `CREATE INDEX on existing table ${table} without CONCURRENTLY blocks writes`);
      requireLockTimeout('CREATE INDEX');
      return;
    }
    case 'ReindexStmt':
      if (hasConcurrentOption(node) && state.inTransaction)
        report('concurrently-in-transaction', start, 'REINDEX CONCURRENTLY cannot run inside a transaction block');
      return;
    case 'DropStmt': {
      const type = String(node.removeType);
      if (type === 'OBJECT_INDEX' && node.concurrent && state.inTransaction)
        report('concurrently-in-transaction', start, 'DROP INDEX CONCURRENTLY cannot run inside a transaction block');
      if (type !== 'OBJECT_TABLE') return;
      const names = ((node.objects as Node[] | undefined) ?? []).map(qualifiedName);
      const existing = names.filter((n) => !state.createdTables.has(n));
      if (existing.length === 0) return;
      report('drop-table', start, `DROP TABLE ${existing.join(', ')} destroys the table and its data`);
      requireLockTimeout('DROP TABLE');
      return;
    }
    case 'RenameStmt': {
      const type = String(node.renameType);
      const table = node.relation ? tableKey(node.relation as Node) : qualifiedName(node.object as Node);
      if (state.createdTables.has(table)) return;
      if (type === 'OBJECT_COLUMN')
        report(
          'rename',
          start,
          `renaming column ${table}.${String(node.subname)} to ${String(node.newname)} breaks the running version`,
        );
      else if (type === 'OBJECT_TABLE' || type === 'OBJECT_VIEW')
        report('rename', start, `renaming ${table} to ${String(node.newname)} breaks the running version`);
      else return;
      requireLockTimeout('RENAME');
      return;
    }
    case 'AlterTableStmt': {
      if (node.objtype !== undefined && node.objtype !== 'OBJECT_TABLE') return;
      const table = tableKey(node.relation as Node);
      if (state.createdTables.has(table)) return;
      for (const entry of (node.cmds as Node[] | undefined) ?? []) {
        const cmd = (entry.AlterTableCmd ?? {}) as Node;
        const def = ((cmd.def as Node | undefined)?.ColumnDef ?? undefined) as Node | undefined;
        const at = locationOf(def) ?? start;
        switch (cmd.subtype) {
          case 'AT_DropColumn':
            report('drop-column', start, `DROP COLUMN ${table}.${String(cmd.name)} destroys the column and its data`);
            break;
          case 'AT_AddColumn': {
            const constraints = constraintsOf(def);
            const notNull = constraints.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
            const defaultExpr = constraints.find((c) => c.contype === 'CONSTR_DEFAULT')?.raw_expr as Node | undefined;
            const identity = constraints.some(
              (c) => c.contype === 'CONSTR_IDENTITY' || c.contype === 'CONSTR_GENERATED',
            );
            const column = `${table}.${String(def?.colname)}`;
            if (notNull && defaultExpr === undefined && !identity && !isSerial(def))
              report(
                'not-null-without-default',
                at,
                `ADD COLUMN ${column} NOT NULL without a DEFAULT fails when the table has rows`,
              );
            const volatile = defaultExpr && volatileCall(defaultExpr);
            if (volatile)
              report(
                'table-rewrite',
                at,
                `ADD COLUMN ${column} with the volatile default ${volatile}() rewrites the whole table`,
              );
            break;
          }
          case 'AT_AlterColumnType':
            if (!binaryCompatibleTarget(def))
              report(
                'table-rewrite',
                at,
                `changing the type of ${table}.${String(cmd.name)} to ${typeText(def)} rewrites the table under an exclusive lock`,
              );
            break;
        }
      }
      requireLockTimeout('ALTER TABLE');
      return;
    }
    case 'CreateTrigStmt':
    case 'TruncateStmt': {
      const relations =
        kind === 'TruncateStmt' ? ((node.relations as Node[] | undefined) ?? []) : [{ RangeVar: node.relation }];
      const existing = relations.some((r) => !state.createdTables.has(tableKey(((r as Node).RangeVar ?? r) as Node)));
      if (existing) requireLockTimeout(kind === 'TruncateStmt' ? 'TRUNCATE' : 'CREATE TRIGGER');
      return;
    }
  }
}

const VOLATILE_FUNCTIONS = new Set([
  'random',
  'gen_random_uuid',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'uuidv4',
  'uuidv7',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'txid_current',
]);

function volatileCall(expr: Node): string | undefined {
  for (const call of findAll(expr, 'FuncCall')) {
    const name = lastName(call.funcname);
    if (name && VOLATILE_FUNCTIONS.has(name)) return name;
  }
  return undefined;
}

/** Types PostgreSQL can switch to without rewriting when coming from varchar: text and unbounded varchar. */
function binaryCompatibleTarget(def: Node | undefined): boolean {
  const typeName = def?.typeName as Node | undefined;
  const name = lastName(typeName?.names);
  if (name === 'text') return true;
  return name === 'varchar' && !typeName?.typmods && def?.raw_default === undefined;
}

function isSerial(def: Node | undefined): boolean {
  const name = lastName((def?.typeName as Node | undefined)?.names);
  return name !== undefined && /^(small|big)?serial[248]?$/.test(name);
}

function typeText(def: Node | undefined): string {
  const typeName = def?.typeName as Node | undefined;
  const name = lastName(typeName?.names) ?? 'a new type';
  const mods = ((typeName?.typmods as Node[] | undefined) ?? []).map((m) => String(constValue(m)));
  return mods.length ? `${name}(${mods.join(',')})` : name;
}

function constraintsOf(def: Node | undefined): Node[] {
  return ((def?.constraints as Node[] | undefined) ?? []).map((c) => (c.Constraint ?? {}) as Node);
}

function hasConcurrentOption(node: Node): boolean {
  return ((node.params as Node[] | undefined) ?? []).some(
    (p) => String((p.DefElem as Node | undefined)?.defname).toLowerCase() === 'concurrently',
  );
}

function tableKey(relation: Node | undefined): string {
  if (!relation) return '?';
  const name = String(relation.relname).toLowerCase();
  return relation.schemaname ? `${String(relation.schemaname).toLowerCase()}.${name}` : name;
}

/** A `List` of `String` nodes (DROP's object names) as schema.name. */
function qualifiedName(node: Node | undefined): string {
  const items = ((node?.List as Node | undefined)?.items as Node[] | undefined) ?? [];
  const parts = items.map((i) => String((i.String as Node | undefined)?.sval).toLowerCase());
  return parts.length === 1 ? (parts[0] as string) : parts.slice(-2).join('.');
}

function lastName(names: unknown): string | undefined {
  const list = (names as Node[] | undefined) ?? [];
  const last = list[list.length - 1]?.String as Node | undefined;
  return last ? String(last.sval).toLowerCase() : undefined;
}

function firstConst(args: unknown): unknown {
  return constValue((args as Node[] | undefined)?.[0]);
}

function constValue(node: Node | undefined): unknown {
  const c = (node?.A_Const ?? node?.TypeCast) as Node | undefined;
  if (!c) return undefined;
  if (node?.TypeCast) return constValue(c.arg as Node);
  if (c.sval) return (c.sval as Node).sval;
  if (c.ival) return (c.ival as Node).ival ?? 0;
  if (c.fval) return (c.fval as Node).fval;
  if (c.boolval) return (c.boolval as Node).boolval === true;
  return undefined;
}

function isZero(value: unknown): boolean {
  return value === 0 || (typeof value === 'string' && /^\s*0+(\.0*)?\s*(ms|s|min)?\s*$/i.test(value));
}

function locationOf(node: unknown): number | undefined {
  const loc = (node as Node | undefined)?.location;
  return typeof loc === 'number' && loc >= 0 ? loc : undefined;
}

/** Every `{ [key]: … }` wrapper node below `root`, depth first. */
function findAll(root: unknown, key: string): Node[] {
  const out: Node[] = [];
  const walk = (value: unknown) => {
    if (Array.isArray(value)) for (const v of value) walk(v);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === key && v && typeof v === 'object') out.push(v as Node);
        walk(v);
      }
    }
  };
  walk(root);
  return out;
}

/** Byte offsets (what the parser reports) to 1-based line numbers, skipping blanks and comments before a statement. */
export class LineIndex {
  private readonly bytes: Buffer;
  private readonly newlines: number[] = [];
  constructor(text: string) {
    this.bytes = Buffer.from(text, 'utf8');
    for (let i = 0; i < this.bytes.length; i++) if (this.bytes[i] === 0x0a) this.newlines.push(i);
  }

  lineAt(byteOffset: number): number {
    let lo = 0;
    let hi = this.newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.newlines[mid] as number) < byteOffset) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  }

  /** The offset of the first byte at or after `offset` that is neither whitespace nor inside a comment. */
  skipBlank(offset: number): number {
    const b = this.bytes;
    let i = offset;
    for (;;) {
      while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
      if (b[i] === 0x2d && b[i + 1] === 0x2d) {
        while (i < b.length && b[i] !== 0x0a) i++;
      } else if (b[i] === 0x2f && b[i + 1] === 0x2a) {
        const end = b.indexOf('*/', i + 2);
        i = end < 0 ? b.length : end + 2;
      } else return i;
    }
  }
}
