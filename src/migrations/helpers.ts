/** Shared readers for migration rules: ALTER TABLE subcommands with locations, volatility of defaults. */
import type { Ast, Loc } from '../types.js';
import { columnType, funcName, listItems, strList, walk, type ColumnType } from '../load/sql/ast.js';
import type { MigrationContext, MigrationStatement } from './lint.js';
import { alterTableLock, BLOCKS, LOCK_MODES, STRENGTH, type LockMode } from './locks.js';

export interface AlterCmd {
  readonly ms: MigrationStatement;
  readonly table: string;
  readonly cmd: Ast;
  readonly loc: Loc;
}

export function locIn(ms: MigrationStatement, location: number | undefined): Loc {
  const s = ms.stmt;
  return typeof location === 'number' && location >= 0 ? s.source.locAt(s.astBase + location) : s.loc;
}

/**
 * A reading of a migration file that many rules share, computed once per file (keyed by its
 * statements array, which lives as long as the file's lint).
 */
function oncePerFile<T>(read: (ctx: MigrationContext) => T): (ctx: MigrationContext) => T {
  const cache = new WeakMap<readonly MigrationStatement[], T>();
  return (ctx) => {
    if (cache.has(ctx.statements)) return cache.get(ctx.statements)!;
    const value = read(ctx);
    cache.set(ctx.statements, value);
    return value;
  };
}

/** Every ALTER TABLE subcommand of the file, located at its column or constraint where known. */
export const alterCommands = oncePerFile((ctx): readonly AlterCmd[] => {
  const out: AlterCmd[] = [];
  for (const ms of ctx.statements) {
    if (ms.stmt.kind !== 'AlterTableStmt') continue;
    const a = ms.stmt.ast;
    if (a.objtype && a.objtype !== 'OBJECT_TABLE') continue;
    const table = ctx.relKey(a.relation);
    for (const c of a.cmds ?? []) {
      const cmd = c.AlterTableCmd;
      if (!cmd) continue;
      const location = cmd.def?.ColumnDef?.location ?? cmd.def?.Constraint?.location;
      out.push({ ms, table, cmd, loc: locIn(ms, location) });
    }
  }
  return out;
});

/** Built-in functions that are not volatile, so a DEFAULT using them does not rewrite (PG 11+). */
const NON_VOLATILE: Record<string, number[]> = {
  now: [0], transaction_timestamp: [0], statement_timestamp: [0], current_setting: [1, 2], date_trunc: [2, 3],
  make_interval: [0, 1, 2, 3, 4, 5, 6, 7], make_date: [3], make_timestamptz: [6, 7], to_timestamp: [1, 2], to_char: [2],
  lower: [1], upper: [1], length: [1], abs: [1], round: [1, 2], concat: [1, 2, 3, 4, 5], format: [1, 2, 3, 4, 5],
  jsonb_build_object: [0, 2, 4, 6, 8], json_build_object: [0, 2, 4, 6, 8], jsonb_build_array: [0, 1, 2, 3], to_jsonb: [1],
  array_fill: [2, 3], greatest: [2, 3, 4], least: [2, 3, 4], md5: [1], timezone: [2], pg_catalog_now: [0],
};

/** Whether a default expression calls a volatile (or unknown) function. */
export function isVolatileDefault(expr: Ast): boolean {
  let volatile = false;
  walk({ e: expr }, (_k, v) => {
    if (volatile || !v || typeof v !== 'object' || !('FuncCall' in v)) return;
    const name = funcName(v);
    const args = (v.FuncCall.args ?? []).length;
    const known = name ? NON_VOLATILE[name] : undefined;
    if (!known || !known.includes(args)) volatile = true;
  });
  return volatile;
}

export function constraintOf(cmd: Ast): Ast | undefined {
  return cmd.def?.Constraint;
}

export function columnConstraints(cmd: Ast): Ast[] {
  return (cmd.def?.ColumnDef?.constraints ?? []).map((c: Ast) => c.Constraint).filter(Boolean);
}

export function typeNameOf(def: Ast): string {
  return strList(def?.typeName?.names).pop()?.toLowerCase() ?? '';
}

/** COMMENT ON objects whose table the comment locks (SHARE UPDATE EXCLUSIVE), and how many trailing names are not the table's. */
const COMMENT_ON_TABLE: Readonly<Record<string, number>> = {
  OBJECT_TABLE: 0, OBJECT_VIEW: 0, OBJECT_MATVIEW: 0, OBJECT_FOREIGN_TABLE: 0,
  OBJECT_COLUMN: 1, OBJECT_TABCONSTRAINT: 1, OBJECT_TRIGGER: 1, OBJECT_POLICY: 1, OBJECT_RULE: 1,
};

/** The RangeVar-like name of the table a COMMENT ON locks, when it locks one. */
function commentedTable(a: Ast): { relname: string; schemaname?: string } | undefined {
  const drop = COMMENT_ON_TABLE[a.objtype];
  if (drop === undefined) return undefined;
  const names = strList(listItems(a.object));
  const rel = names.slice(0, names.length - drop);
  if (!rel.length) return undefined;
  return { relname: rel[rel.length - 1]!, schemaname: rel.length > 1 ? rel[rel.length - 2] : undefined };
}

/** A lock a statement waits for, and the table (or index, view) it is on. */
export interface TableLock { readonly mode: LockMode; readonly on: string }

/**
 * The lock stronger than ROW EXCLUSIVE a statement waits for on something that existed before
 * the file (or, for an explicit LOCK TABLE, any lock): what a lock_timeout and a
 * statement_timeout must bound. Undefined for the rest.
 */
export function strongLockOf(s: import('../load/sql/parse.js').Statement, ctx?: MigrationContext): TableLock | undefined {
  const existing = (rv: { relname?: string; schemaname?: string } | undefined): boolean => !ctx || !rv?.relname || ctx.existing(ctx.relKey(rv));
  const name = (rv: { relname?: string; schemaname?: string } | undefined): string => (rv?.relname ? (rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname) : 'its table');
  const a = s.ast;
  switch (s.kind) {
    // LOCK TABLE waits for the mode it names, whichever it is: that wait is what a timeout bounds.
    case 'LockStmt': {
      const rv = (a.relations ?? []).map((r: Ast) => r.RangeVar).find(existing);
      return rv ? { mode: LOCK_MODES[a.mode ?? 8] ?? 'ACCESS EXCLUSIVE', on: name(rv) } : undefined;
    }
    case 'TruncateStmt': {
      const rv = (a.relations ?? []).map((r: Ast) => r.RangeVar).find(existing);
      return rv ? { mode: 'ACCESS EXCLUSIVE', on: name(rv) } : undefined;
    }
    // COMMENT ON a table or what is on it takes SHARE UPDATE EXCLUSIVE on the table.
    case 'CommentStmt': { const rv = commentedTable(a); return rv && existing(rv) ? { mode: 'SHARE UPDATE EXCLUSIVE', on: name(rv) } : undefined; }
    // VACUUM and ANALYZE take SHARE UPDATE EXCLUSIVE, VACUUM FULL ACCESS EXCLUSIVE.
    case 'VacuumStmt': {
      const rels: Ast[] = (a.rels ?? []).map((r: Ast) => r.VacuumRelation?.relation);
      const rv = rels.find(existing);
      if (rels.length && !rv) return undefined;
      return { mode: optionOn(a.options, 'full') ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE', on: rv ? name(rv) : 'every table' };
    }
    default: break;
  }
  if (!existing(a?.relation)) return undefined;
  const on = name(a?.relation);
  switch (s.kind) {
    case 'AlterTableStmt': return { mode: alterTableLock(a), on };
    case 'RenameStmt': case 'ClusterStmt': return { mode: 'ACCESS EXCLUSIVE', on };
    case 'RefreshMatViewStmt': return { mode: a.concurrent ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE', on };
    case 'CreateTrigStmt': return { mode: 'SHARE ROW EXCLUSIVE', on };
    case 'AlterDomainStmt': return { mode: 'SHARE', on: 'the tables whose columns use the domain' };
    // REINDEX holds SHARE on the table (and ACCESS EXCLUSIVE on each index it rebuilds).
    case 'ReindexStmt': return { mode: 'SHARE', on: a.kind === 'REINDEX_OBJECT_INDEX' ? `the table of index ${on}` : on };
    case 'IndexStmt': return a.concurrent ? undefined : { mode: 'SHARE', on };
    case 'DropStmt': {
      if (a.concurrent || !['OBJECT_TABLE', 'OBJECT_INDEX', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_TRIGGER'].includes(a.removeType)) return undefined;
      const names = strList(listItems(a.objects?.[0]));
      // DROP INDEX locks the index's table too; DROP TRIGGER names the table before the trigger.
      if (a.removeType === 'OBJECT_INDEX') return { mode: 'ACCESS EXCLUSIVE', on: `the table of index ${names.join('.')}` };
      if (a.removeType === 'OBJECT_TRIGGER') return { mode: 'ACCESS EXCLUSIVE', on: names.slice(0, -1).join('.') || on };
      return { mode: 'ACCESS EXCLUSIVE', on: names.join('.') || on };
    }
    default: return undefined;
  }
}

/** What waiting for `lock` does to the application, for the timeout rules' messages. */
export function waitEffect(lock: TableLock): string {
  const queues = STRENGTH.indexOf(lock.mode) >= STRENGTH.indexOf('SHARE')
    ? `every new ${lock.mode === 'ACCESS EXCLUSIVE' ? 'query' : 'write'} on ${lock.on} queues behind it while it waits behind one long query`
    : `the migration stalls while it waits behind one long transaction (${BLOCKS[lock.mode]})`;
  return `${lock.mode} on ${lock.on}: ${queues}`;
}

/**
 * Whether a VACUUM (or similar) option list turns `name` on: written bare, or with a value
 * PostgreSQL reads as true (true, on, yes, 1), as defGetBoolean does.
 */
export function optionOn(options: Ast[] | undefined, name: string): boolean {
  const d = (options ?? []).map((o) => o.DefElem).find((x) => x?.defname === name);
  if (!d) return false;
  const arg = d.arg;
  if (!arg) return true;
  if (arg.Integer) return (arg.Integer.ival ?? 0) !== 0;
  if (arg.Boolean) return Boolean(arg.Boolean.boolval);
  const text = String(arg.String?.sval ?? '').toLowerCase();
  return !['false', 'off', 'no', '0'].includes(text);
}

/** A statement that rewrites whole tables under ACCESS EXCLUSIVE: CLUSTER or VACUUM FULL. */
export interface TableRewrite {
  readonly what: 'CLUSTER' | 'VACUUM FULL';
  /** The tables it names; none means every table (every clustered one for CLUSTER). */
  readonly tables: readonly Ast[];
  /** CLUSTER ... USING this index. */
  readonly index?: string;
}

export function tableRewriteOf(s: import('../load/sql/parse.js').Statement): TableRewrite | undefined {
  const a = s.ast;
  if (s.kind === 'ClusterStmt') return { what: 'CLUSTER', tables: a.relation ? [a.relation] : [], index: a.indexname };
  if (s.kind === 'VacuumStmt' && optionOn(a.options, 'full')) return { what: 'VACUUM FULL', tables: (a.rels ?? []).map((r: Ast) => r.VacuumRelation?.relation).filter(Boolean) };
  return undefined;
}

/**
 * Statements PostgreSQL refuses inside a transaction block: the CONCURRENTLY forms, VACUUM (not
 * ANALYZE), CREATE and DROP DATABASE. Tools run a file made only of them outside one.
 */
export function runsOutsideTransaction(s: import('../load/sql/parse.js').Statement): boolean {
  if (s.kind === 'IndexStmt' || s.kind === 'DropStmt') return Boolean(s.ast.concurrent);
  if (s.kind === 'ReindexStmt') return optionOn(s.ast.params, 'concurrently');
  if (s.kind === 'VacuumStmt') return Boolean(s.ast.is_vacuumcmd);
  return s.kind === 'CreatedbStmt' || s.kind === 'DropdbStmt';
}

/** Column definitions a migration file writes: CREATE TABLE columns, ADD COLUMN, ALTER COLUMN TYPE. */
export interface MigrationColumnDef {
  readonly table: string; readonly name: string; readonly typeName: Ast; readonly type: ColumnType; readonly loc: Loc;
  /** True when the column is new (CREATE TABLE, ADD COLUMN), false for ALTER COLUMN TYPE. */
  readonly added: boolean;
}

/** A column definition whose location is found when a rule reports it (most are never reported). */
class ColumnDefAt implements MigrationColumnDef {
  private at: Loc | undefined;
  readonly type: ColumnType;
  constructor(readonly table: string, readonly name: string, readonly typeName: Ast, private readonly ms: MigrationStatement, private readonly location: number | undefined, readonly added: boolean) {
    this.type = columnType(typeName);
  }

  get loc(): Loc {
    return (this.at ??= locIn(this.ms, this.location));
  }
}

/** The column definitions a file writes, read by several rules. */
export const columnDefs = oncePerFile((ctx): readonly MigrationColumnDef[] => {
  const out: MigrationColumnDef[] = [];
  for (const ms of ctx.statements) {
    const s = ms.stmt;
    if (s.kind === 'CreateStmt') {
      const table = ctx.relKey(s.ast.relation);
      for (const el of s.ast.tableElts ?? []) if (el.ColumnDef) out.push(new ColumnDefAt(table, el.ColumnDef.colname, el.ColumnDef.typeName, ms, el.ColumnDef.location, true));
    }
    if (s.kind === 'AlterTableStmt') {
      for (const c of s.ast.cmds ?? []) {
        const d = c.AlterTableCmd;
        const def = d?.def?.ColumnDef;
        if (!def) continue;
        if (d.subtype === 'AT_AddColumn') out.push(new ColumnDefAt(ctx.relKey(s.ast.relation), def.colname, def.typeName, ms, def.location, true));
        if (d.subtype === 'AT_AlterColumnType') out.push(new ColumnDefAt(ctx.relKey(s.ast.relation), d.name, def.typeName, ms, def.typeName?.location, false));
      }
    }
  }
  return out;
});
