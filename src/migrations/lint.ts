/**
 * Migration linting: each migration file is checked against the catalog built from the files
 * before it, so a rule knows whether a table is new (created in the same file: no hazard),
 * big (from the design's volumes) or read by access patterns; and it knows, per statement,
 * whether a transaction is open (from BEGIN/COMMIT in the file or the layout's default).
 */
import { relative, resolve } from 'node:path';
import { CatalogBuilder } from '../catalog/build.js';
import type { Catalog, ColumnType, Table } from '../catalog/model.js';
import type { MigrationFormat } from '../load/migrations/detect.js';
import { readMigrationInputs } from '../load/migrations/inputs.js';
import type { Design } from '../load/design/types.js';
import { loadSqlText, SQL_PROBLEM_MESSAGE, type SqlLoadResult, type SqlProblem, type Statement } from '../load/sql/parse.js';
import type { SourceText } from '../load/sql/source.js';
import { sortFindings, summarize, type Summary } from '../report/findings.js';
import { findingOf, severityOf, type RuleConfig } from '../engine/run.js';
import type { Rule } from '../engine/rule.js';
import type { Ast, Finding, Loc, Severity } from '../types.js';
import { parseDesignSql, references } from '../analyses/query.js';
import { strList } from '../load/sql/ast.js';
import { initParser } from '../load/sql/pg.js';
import { runsOutsideTransaction } from './helpers.js';

export interface MigrationStatement {
  readonly stmt: Statement;
  /** A transaction is open when this statement runs. */
  readonly inTransaction: boolean;
}

export interface MigrationContext {
  readonly file: string;
  /** The file runs inside a transaction its tool opens (layout default, header or option). */
  readonly assumedTransaction: boolean;
  readonly statements: readonly MigrationStatement[];
  /** Types before this file of the columns it alters with ALTER COLUMN TYPE, by `schema.table.column`. */
  readonly typesBefore: ReadonlyMap<string, ColumnType>;
  /** Tables created by this file. */
  readonly createdHere: ReadonlySet<string>;
  /** The catalog after this file. */
  readonly catalog: Catalog;
  readonly pgVersion: number;
  readonly design: Design | undefined;
  /** Resolves a RangeVar to a table key, as the catalog does. */
  relKey(rv: { relname?: string; schemaname?: string } | undefined): string;
  /** The table existed before this file (unknown tables are assumed to exist). */
  existing(key: string): boolean;
  report(r: { messageId: string; data?: Record<string, string | number>; loc: Loc; object: string; help?: string }): void;
}

export interface MigrationRule extends Rule {
  checkMigration(ctx: MigrationContext): void;
}

export function isMigrationRule(r: Rule): r is MigrationRule {
  return typeof (r as MigrationRule).checkMigration === 'function';
}

export interface LintOptions {
  /** Migration folders or files, in order. */
  readonly paths: readonly string[];
  readonly pgVersion?: number;
  /** Treat every file as running inside a transaction (as most migration tools do). */
  readonly assumeInTransaction?: boolean;
  readonly format?: MigrationFormat | 'auto';
  readonly design?: Design;
  readonly config?: RuleConfig;
  readonly cwd?: string;
  /** Files already parsed, by display name (relative to cwd); used when the text is the same. */
  readonly preloaded?: ReadonlyMap<string, SqlLoadResult>;
}

export interface LintResult {
  readonly ok: true;
  readonly findings: Finding[];
  readonly summary: Summary;
  readonly files: string[];
  readonly sources: ReadonlyMap<string, SourceText>;
  readonly problems: SqlProblem[];
}

/** Table key of a RangeVar as migration rules see it: the schema written, else public. */
function relKeyOf(rv: { relname?: string; schemaname?: string } | undefined): string {
  return `${rv?.schemaname ?? 'public'}.${rv?.relname ?? ''}`;
}

/** Access pattern ids by the table keys their SQL reads or writes. */
function readersByTable(design: Design | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const ap of design?.access_patterns ?? []) {
    if (typeof ap?.sql !== 'string' || !ap.id) continue;
    const parsed = parseDesignSql(ap.sql);
    if (!parsed.ok) continue;
    const tables = new Set(parsed.stmts.flatMap((st) => references(st).relations).filter((r) => r.table).map((r) => `${r.schema ?? 'public'}.${r.table}`));
    for (const t of tables) out.set(t, [...(out.get(t) ?? []), ap.id]);
  }
  return out;
}

/** Tables a statement acts on, as table keys. */
function statementTables(s: Statement): string[] {
  const key = (rv: Ast | undefined): string | undefined => (rv?.relname ? relKeyOf(rv) : undefined);
  const a = s.ast;
  let keys: (string | undefined)[] = [];
  switch (s.kind) {
    case 'AlterTableStmt': case 'IndexStmt': case 'CreateTrigStmt': case 'UpdateStmt': case 'DeleteStmt': case 'InsertStmt':
    case 'ClusterStmt': case 'RefreshMatViewStmt': case 'RenameStmt': case 'ReindexStmt':
      keys = [key(a.relation)]; break;
    case 'TruncateStmt': keys = (a.relations ?? []).map((r: Ast) => key(r.RangeVar)); break;
    case 'VacuumStmt': keys = (a.rels ?? []).map((r: Ast) => key(r.VacuumRelation?.relation)); break;
    case 'DropStmt':
      if (a.removeType === 'OBJECT_TABLE') keys = (a.objects ?? []).map((o: Ast) => { const n = strList(o.List?.items ?? o); return n.length ? `${n.length > 1 ? n[n.length - 2] : 'public'}.${n[n.length - 1]}` : undefined; });
      break;
    default: break;
  }
  return keys.filter((k): k is string => Boolean(k));
}

/** The statement a line falls in (statements in file order). */
function statementAt(statements: readonly Statement[], line: number): Statement | undefined {
  let lo = 0;
  let hi = statements.length - 1;
  let found: Statement | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (statements[mid]!.loc.line <= line) { found = statements[mid]; lo = mid + 1; } else hi = mid - 1;
  }
  return found;
}

/** Records the types of the columns an ALTER TABLE changes, before it applies. */
function rememberTypes(tables: ReadonlyMap<string, Table>, s: Statement, into: Map<string, ColumnType>): void {
  const key = relKeyOf(s.ast.relation);
  const table = tables.get(key);
  if (!table) return;
  for (const c of s.ast.cmds ?? []) {
    const cmd = c.AlterTableCmd;
    if (cmd?.subtype !== 'AT_AlterColumnType') continue;
    const k = `${key}.${cmd.name}`;
    const column = table.columns.find((x) => x.name === cmd.name);
    if (column && !into.has(k)) into.set(k, column.type);
  }
}

/** Layouts whose tools run each file in a transaction unless told otherwise. */
const TRANSACTIONAL: Partial<Record<MigrationFormat, boolean>> = { flyway: true, dbmate: true, prisma: false, diesel: true, 'golang-migrate': false, plain: false };

function filesOf(paths: readonly string[], cwd: string, format: MigrationFormat | 'auto'): { files: { path: string; text: string; transactional: boolean }[]; error?: string } {
  const r = readMigrationInputs(paths, cwd, format);
  if (!r.ok) return { files: [], error: r.message };
  return { files: r.files.map((f) => ({ path: f.path, text: f.text, transactional: f.format ? TRANSACTIONAL[f.format] ?? false : false })) };
}

/** A `-- schemaproof: transaction=off|on` header overrides the layout's default. */
function headerTransaction(text: string): boolean | undefined {
  const head = text.slice(0, 1000);
  const m = /^\s*--\s*schemaproof:\s*transaction\s*=\s*(on|off)/im.exec(head);
  if (m) return m[1] === 'on';
  // dbmate's and squawk's spellings of the same instruction.
  if (/^\s*--\s*migrate:up\s+transaction:false/im.test(head) || /^\s*--\s*squawk-disable-assume-in-transaction/im.test(head)) return false;
  return undefined;
}

export async function lintMigrations(rules: readonly Rule[], options: LintOptions): Promise<LintResult | { ok: false; message: string }> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const { files, error } = filesOf(options.paths, cwd, options.format ?? 'auto');
  if (error) return { ok: false, message: error };
  const display = (p: string): string => { const r = relative(cwd, p); return r.startsWith('..') ? p : r; };
  const builder = new CatalogBuilder();
  const findings: Finding[] = [];
  const sources = new Map<string, SourceText>();
  const problems: SqlProblem[] = [];
  const config = options.config ?? {};
  await initParser();
  const readers = readersByTable(options.design);
  const mrules = rules.filter(isMigrationRule).map((r) => ({ rule: r, level: severityOf(r, config) })).filter((x) => x.level !== 'off');
  for (const [index, f] of files.entries()) {
    const name = display(f.path);
    const pre = options.preloaded?.get(name);
    const loaded = pre && pre.source.text === f.text ? pre : await loadSqlText(name, f.text);
    builder.resetSession();
    const createdHere = new Set<string>();
    for (const s of loaded.statements) {
      if (s.kind === 'CreateStmt' || s.kind === 'CreateTableAsStmt') {
        const rv = s.ast.relation ?? s.ast.into?.rel;
        if (rv) createdHere.add(relKeyOf(rv));
      }
    }
    // The file goes into the catalog when a rule first asks for the catalog after it or for
    // the types before it, and before the next file in any case: the last file's catalog is
    // often never asked for (most rules read the statements alone).
    let typesBefore: Map<string, ColumnType> | undefined;
    let catalog: Catalog | undefined;
    const applyFile = (): Map<string, ColumnType> => {
      if (typesBefore) return typesBefore;
      typesBefore = new Map();
      for (const s of loaded.statements) {
        if (s.kind === 'TransactionStmt') continue;
        if (s.kind === 'AlterTableStmt') rememberTypes(builder.tables, s, typesBefore);
        builder.apply(s);
      }
      return typesBefore;
    };
    const catalogAfter = (): Catalog => { applyFile(); return (catalog ??= builder.peek()); };
    if (index < files.length - 1) applyFile();
    sources.set(name, loaded.source);
    for (const p of loaded.problems) problems.push(p);
    const statements: MigrationStatement[] = [];
    const onlyNonTx = loaded.statements.length > 0 && loaded.statements.every(runsOutsideTransaction);
    const assumed = headerTransaction(f.text) ?? ((options.assumeInTransaction || f.transactional) && !onlyNonTx);
    // The tool's transaction is open from the start when assumed; BEGIN opens one, COMMIT ends either.
    let open = assumed;
    for (const s of loaded.statements) {
      statements.push({ stmt: s, inTransaction: open });
      if (s.kind !== 'TransactionStmt') continue;
      const k = String(s.ast.kind);
      if (k === 'TRANS_STMT_BEGIN' || k === 'TRANS_STMT_START') open = true;
      if (k === 'TRANS_STMT_COMMIT' || k === 'TRANS_STMT_ROLLBACK' || k === 'TRANS_STMT_END') open = false;
    }
    // The design's access patterns that read the tables of the statement at a location.
    const readersAt = (loc: Loc): string => {
      const s = statementAt(loaded.statements, loc.line);
      if (!s) return '';
      const parts = statementTables(s).map((t) => [t, readers.get(t)] as const).filter((x): x is readonly [string, string[]] => Boolean(x[1]));
      return parts.map(([t, ids]) => `The design's access pattern${ids.length > 1 ? `s ${ids.join(', ')} use` : ` ${ids[0]} uses`} ${tableName(t)}.`).join(' ');
    };
    // Only statements with a suppression comment can silence anything: look at those alone.
    const withSuppressions = loaded.statements.filter((s) => s.suppressions.length).map((s) => ({ s, end: s.source.locAt(s.end).line }));
    for (const { rule, level } of mrules) {
      const suppressed = (loc: Loc): boolean => withSuppressions.some(({ s, end }) => s.suppressions.some((x) => x.rules.includes(rule.id) && x.reason) && loc.line >= s.loc.line && loc.line <= end);
      rule.checkMigration({
        file: name, assumedTransaction: assumed, statements, createdHere, pgVersion: options.pgVersion ?? 15, design: options.design, relKey: relKeyOf,
        get typesBefore() { return applyFile(); },
        get catalog() { return catalogAfter(); },
        existing: (key) => !createdHere.has(key),
        report: (r) => {
          if (suppressed(r.loc)) return;
          const f = findingOf(rule, level as Severity, r);
          const read = rule.meta.affectsReaders && readers.size ? readersAt(r.loc) : '';
          findings.push(read ? { ...f, message: `${f.message} ${read}` } : f);
        },
      });
    }
  }
  // Statements that do not parse are findings of sql-syntax-error, when that rule is asked for.
  const syntax = rules.find((r) => r.id === 'sql-syntax-error');
  const syntaxLevel = syntax ? severityOf(syntax, config) : 'off';
  if (syntax && syntaxLevel !== 'off') for (const p of problems) findings.push(findingOf(syntax, syntaxLevel, { messageId: SQL_PROBLEM_MESSAGE[p.kind], data: { message: p.message }, loc: p.loc, object: 'sql' }));
  const sorted = sortFindings(findings);
  return { ok: true, findings: sorted, summary: summarize(sorted), files: files.map((f) => display(f.path)), sources, problems };
}

/** A migration rule: `check` does nothing in `schemaproof check`; `checkMigration` does the work. */
export function defineMigrationRule(rule: Omit<MigrationRule, 'check'>): MigrationRule {
  return Object.freeze({ ...rule, check: () => undefined });
}

/** Display name of a table key. */
export function tableName(key: string): string {
  return key.startsWith('public.') ? key.slice(7) : key;
}
