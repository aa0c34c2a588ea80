/**
 * Static analysis of the SQL written in a design: `:name` parameters, tables and columns
 * referenced, and the predicate shape per table (equality, range, sort) that decides whether
 * a B-tree index can serve a query.
 */
import { parseSync, scanSync } from '../load/sql/pg.js';
import type { Ast } from '../types.js';
import { conjuncts, exprKey, strList, stripCasts } from '../load/sql/ast.js';

export interface PreparedSql {
  /** The SQL with `:name` replaced by `$n`, same length where possible. */
  readonly text: string;
  readonly params: readonly string[];
}

/**
 * Replaces `:name` parameters with `$n` using the real scanner, so `::type` casts, strings
 * and dollar-quoted bodies are left alone.
 */
export function prepareParams(sql: string): PreparedSql {
  let tokens;
  try {
    tokens = scanSync(sql).tokens;
  } catch {
    return { text: sql, params: [] };
  }
  const bytes = Buffer.from(sql, 'utf8');
  const params: string[] = [];
  const parts: Buffer[] = [];
  let last = 0;
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i]!;
    const n = tokens[i + 1]!;
    if (t.text === ':' && n.start === t.end && /^[A-Za-z_][A-Za-z0-9_]*$/.test(n.text)) {
      const prev = tokens[i - 1];
      // `arr[1:2]` slices keep their colon.
      if (prev && prev.end === t.start && /^[\w\])]$/.test(prev.text.slice(-1)) && prev.text !== ')') continue;
      let idx = params.indexOf(n.text);
      if (idx === -1) { params.push(n.text); idx = params.length - 1; }
      parts.push(bytes.subarray(last, t.start), Buffer.from(`$${idx + 1}`));
      last = n.end;
      i++;
    }
  }
  parts.push(bytes.subarray(last));
  return { text: Buffer.concat(parts).toString('utf8'), params };
}

export interface ParsedSql {
  readonly ok: true;
  readonly stmts: Ast[];
  /** Where each statement is in `prepared.text`, in UTF-8 bytes (`length` 0: to the end). */
  readonly spans: readonly { readonly start: number; readonly length: number }[];
  readonly prepared: PreparedSql;
}
export interface SqlError { readonly ok: false; readonly message: string; /** character index in the original SQL */ readonly position?: number }

export function parseDesignSql(sql: string): ParsedSql | SqlError {
  const prepared = prepareParams(sql);
  try {
    const r = parseSync(prepared.text);
    const raw = r.stmts ?? [];
    if (!raw.length) return { ok: false, message: 'no SQL statement' };
    const spans = raw.map((s) => ({ start: s.stmt_location ?? 0, length: s.stmt_len ?? 0 }));
    return { ok: true, stmts: raw.map((s) => s.stmt as Ast), spans, prepared };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/cannot be empty/i.test(msg)) return { ok: false, message: 'no SQL statement' };
    const pos = (e as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition;
    return { ok: false, message: msg, position: pos };
  }
}

export interface RelationRef { readonly table: string; readonly schema?: string; readonly alias: string }
export interface ColumnRefInfo { readonly qualifier?: string; readonly column: string; readonly location: number }

/** Names of CTEs, tables (with aliases) and column references in a statement. */
export function references(stmt: Ast): { relations: RelationRef[]; columns: ColumnRefInfo[]; ctes: Set<string>; outputAliases: Set<string>; opaque: boolean } {
  const relations: RelationRef[] = [];
  const columns: ColumnRefInfo[] = [];
  const ctes = new Set<string>();
  const outputAliases = new Set<string>();
  let opaque = false;
  const visit = (n: Ast): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) { n.forEach(visit); return; }
    for (const [k, v] of Object.entries(n)) {
      if (k === 'CommonTableExpr') ctes.add((v as Ast).ctename);
      // FROM items are wrapped ({RangeVar}); INSERT/UPDATE/DELETE targets are bare `relation`s.
      if (k === 'RangeVar' || (k === 'relation' && (v as Ast)?.relname)) {
        const rv = v as Ast;
        relations.push({ table: rv.relname, schema: rv.schemaname, alias: rv.alias?.aliasname ?? rv.relname });
      }
      if (k === 'RangeSubselect' || k === 'RangeFunction' || k === 'RangeTableFunc') {
        opaque = true;
        const alias = (v as Ast).alias?.aliasname;
        if (alias) relations.push({ table: '', alias });
      }
      if (k === 'ResTarget' && (v as Ast).name) outputAliases.add((v as Ast).name);
      if (k === 'ColumnRef') {
        const fields = (v as Ast).fields ?? [];
        if (fields.some((f: Ast) => f.A_Star)) continue;
        const names = strList(fields);
        if (names.length === 0) continue;
        columns.push({ qualifier: names.length > 1 ? names[names.length - 2] : undefined, column: names[names.length - 1]!, location: (v as Ast).location ?? -1 });
        continue;
      }
      if (v && typeof v === 'object') visit(v);
    }
  };
  visit(stmt);
  // Column names a CTE exposes cannot be checked against tables.
  if (ctes.size) opaque = true;
  return { relations: relations.filter((r) => !ctes.has(r.table) || r.schema), columns, ctes, outputAliases, opaque };
}

export type PredicateKind = 'eq' | 'range' | 'null';

export interface ColumnPredicate {
  /** Column name, or `expr:<key>` for an expression over the table's columns. */
  readonly key: string;
  readonly kind: PredicateKind;
}

export interface SortKey { readonly key: string; readonly desc: boolean }

export interface TableAccess {
  readonly alias: string;
  readonly predicates: ColumnPredicate[];
  /** Conjunct keys with the table's qualifier removed, to test partial-index implication. */
  readonly conjuncts: Set<string>;
  readonly orderBy: SortKey[];
  readonly hasLimit: boolean;
}

/** Rewrites an expression so `alias.col` and `col` compare equal, and positions vanish. */
export function normalizeExpr(node: Ast, alias: string | undefined): string {
  const strip = (n: Ast): Ast => {
    if (n === null || typeof n !== 'object') return n;
    if (Array.isArray(n)) return n.map(strip);
    if (n.ColumnRef) {
      const names = strList(n.ColumnRef.fields);
      if (names.length === 2 && (alias === undefined || names[0] === alias)) return { ColumnRef: { fields: [{ String: { sval: names[1] } }] } };
      return { ColumnRef: { fields: n.ColumnRef.fields } };
    }
    const out: Record<string, Ast> = {};
    for (const [k, v] of Object.entries(n)) if (k !== 'location') out[k] = strip(v);
    return out;
  };
  return exprKey(strip(node));
}

function refersOnlyTo(node: Ast, alias: string, single: boolean): boolean {
  let ok = true;
  let any = false;
  const visit = (n: Ast): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) { n.forEach(visit); return; }
    if (n.ColumnRef) {
      any = true;
      const names = strList(n.ColumnRef.fields);
      if (names.length >= 2 ? names[names.length - 2] !== alias : !single) ok = false;
      return;
    }
    for (const v of Object.values(n)) if (v && typeof v === 'object') visit(v);
  };
  visit(node);
  return ok && any;
}

function mentionsAlias(node: Ast, alias: string, single: boolean): boolean {
  let found = false;
  const visit = (n: Ast): void => {
    if (found || n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) { n.forEach(visit); return; }
    if (n.ColumnRef) {
      const names = strList(n.ColumnRef.fields);
      if (names.length >= 2 ? names[names.length - 2] === alias : single) found = true;
      return;
    }
    for (const v of Object.values(n)) if (v && typeof v === 'object') visit(v);
  };
  visit(node);
  return found;
}

/** The key for one side of a comparison on the table: a column name or an expression key. */
function sideKey(node: Ast, alias: string, single: boolean): string | undefined {
  const n = stripCasts(node);
  if (n?.ColumnRef) {
    const names = strList(n.ColumnRef.fields);
    if (names.length >= 2 && names[names.length - 2] !== alias) return undefined;
    if (names.length === 1 && !single) return undefined;
    return names[names.length - 1];
  }
  if (refersOnlyTo(n, alias, single)) return `expr:${normalizeExpr(n, alias)}`;
  return undefined;
}

const RANGE_OPS = new Set(['<', '>', '<=', '>=']);

function classify(c: Ast, alias: string, single: boolean): ColumnPredicate[] {
  const e = stripCasts(c);
  if (e?.NullTest) {
    const key = sideKey(e.NullTest.arg, alias, single);
    return key ? [{ key, kind: e.NullTest.nulltesttype === 'IS_NULL' ? 'null' : 'range' }] : [];
  }
  const a = e?.A_Expr;
  if (!a) return [];
  const op = strList(a.name)[0];
  const out: ColumnPredicate[] = [];
  const sides: Array<[Ast, Ast]> = [[a.lexpr, a.rexpr], [a.rexpr, a.lexpr]];
  for (const [mine, other] of sides) {
    const key = mine ? sideKey(mine, alias, single) : undefined;
    if (!key || (other && mentionsAlias(other, alias, single) && !Array.isArray(other))) continue;
    if (a.kind === 'AEXPR_OP' && op === '=') out.push({ key, kind: 'eq' });
    else if (a.kind === 'AEXPR_IN' && op === '=') out.push({ key, kind: 'eq' });
    else if (a.kind === 'AEXPR_OP_ANY' && op === '=') out.push({ key, kind: 'eq' });
    else if (a.kind === 'AEXPR_OP' && op && RANGE_OPS.has(op)) out.push({ key, kind: 'range' });
    else if (a.kind === 'AEXPR_BETWEEN' || a.kind === 'AEXPR_BETWEEN_SYM') out.push({ key, kind: 'range' });
    else if (a.kind === 'AEXPR_LIKE' && mine === a.lexpr) out.push({ key, kind: 'range' });
    break;
  }
  return out;
}

function selectOf(stmt: Ast): Ast | undefined {
  if (stmt?.SelectStmt) {
    const s = stmt.SelectStmt;
    if (s.op && s.op !== 'SETOP_NONE') return undefined;
    return s;
  }
  return undefined;
}

/** Join conditions live in JoinExpr.quals inside FROM; collect them as extra conjuncts. */
function joinQuals(from: Ast): Ast[] {
  const out: Ast[] = [];
  const visit = (n: Ast): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) { n.forEach(visit); return; }
    if (n.JoinExpr) {
      if (n.JoinExpr.jointype === 'JOIN_INNER' || !n.JoinExpr.jointype) out.push(...conjuncts(n.JoinExpr.quals));
      visit(n.JoinExpr.larg);
      visit(n.JoinExpr.rarg);
    }
  };
  visit(from);
  return out;
}

/** How a statement reads one table (by alias): the predicates and sort an index could serve. */
export function tableAccess(stmt: Ast, alias: string, singleTable: boolean): TableAccess {
  const sel = selectOf(stmt);
  const upd = stmt?.UpdateStmt ?? stmt?.DeleteStmt;
  const where = sel?.whereClause ?? upd?.whereClause;
  const all = [...conjuncts(where), ...(sel ? joinQuals(sel.fromClause) : [])];
  const predicates = all.flatMap((c) => classify(c, alias, singleTable));
  const conj = new Set(all.map((c) => normalizeExpr(stripCasts(c), alias)));
  const orderBy: SortKey[] = [];
  for (const s of sel?.sortClause ?? []) {
    const sb = s.SortBy;
    const key = sb ? sideKey(sb.node, alias, singleTable) : undefined;
    if (!key) { orderBy.push({ key: '?', desc: false }); continue; }
    orderBy.push({ key, desc: sb.sortby_dir === 'SORTBY_DESC' });
  }
  return { alias, predicates, conjuncts: conj, orderBy, hasLimit: Boolean(sel?.limitCount) };
}

export { conjuncts, normalizeExpr as normalize };
