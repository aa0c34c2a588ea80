/**
 * The columns a query produces, with their types where they can be told from the catalog:
 * what CREATE TABLE ... AS creates. Types follow PostgreSQL's rules for the common shapes
 * (columns of tables, views and subqueries in FROM, casts, constants, comparisons, the usual
 * aggregates, and a set operation's first branch that knows a column's type); anything else
 * is `unknown`.
 */
import type { Ast } from '../../types.js';
import { columnType, outputName, str, strList, withoutSerial, type ColumnType } from '../../load/sql/ast.js';
import type { Draft } from '../draft.js';

export interface QueryColumn { readonly name: string; readonly type: ColumnType }

const UNKNOWN: ColumnType = { name: 'unknown', mods: [], array: false, serial: false, display: 'unknown' };
/** An untyped NULL: takes another branch's type in a set operation, else becomes text. */
const NULL_LITERAL: ColumnType = { ...UNKNOWN };

function named(name: string, display = name): ColumnType {
  return { name, mods: [], array: false, serial: false, display };
}

const BOOL = named('bool', 'boolean');
const INT4 = named('int4', 'integer');
const INT8 = named('int8', 'bigint');
const NUMERIC = named('numeric');
const TEXT = named('text');
const TIMESTAMPTZ = named('timestamptz');

/** A relation in FROM: its alias (or name) and columns. */
interface Source { readonly alias: string; readonly columns: readonly QueryColumn[] }

function known(t: ColumnType | undefined): t is ColumnType {
  return Boolean(t) && t!.name !== 'unknown';
}

/** Functions whose result has their first known argument's type. */
const SAME_AS_ARGUMENT = new Set(['max', 'min', 'coalesce', 'greatest', 'least', 'nullif', 'abs', 'first_value', 'last_value', 'lag', 'lead']);

function funcType(name: string, args: ColumnType[]): ColumnType {
  if (SAME_AS_ARGUMENT.has(name)) return args.find(known) ?? UNKNOWN;
  switch (name) {
    case 'count': case 'row_number': case 'rank': case 'dense_rank': return INT8;
    case 'sum': {
      const a = args[0];
      if (a?.name === 'int2' || a?.name === 'int4') return INT8;
      if (a?.name === 'int8') return NUMERIC;
      return a && known(a) ? a : UNKNOWN;
    }
    case 'avg': return args[0]?.name === 'float4' || args[0]?.name === 'float8' ? named('float8', 'double precision') : NUMERIC;
    case 'bool_and': case 'bool_or': case 'every': return BOOL;
    case 'string_agg': case 'concat': case 'lower': case 'upper': case 'trim': case 'substr': case 'substring': case 'replace': case 'format': return TEXT;
    case 'now': case 'transaction_timestamp': case 'statement_timestamp': case 'clock_timestamp': return TIMESTAMPTZ;
    case 'length': case 'char_length': case 'position': return INT4;
    case 'array_agg': { const a = args[0]; return a && known(a) ? { ...a, array: true, display: `${a.display}[]` } : UNKNOWN; }
    default: return UNKNOWN;
  }
}

function exprType(node: Ast, sources: readonly Source[]): ColumnType {
  if (!node || typeof node !== 'object') return UNKNOWN;
  if (node.TypeCast) return columnType(node.TypeCast.typeName);
  if (node.ColumnRef) {
    const fields: string[] = (node.ColumnRef.fields ?? []).map(str);
    const col = fields[fields.length - 1];
    const scope = fields.length > 1 ? sources.filter((s) => s.alias === fields[fields.length - 2]) : sources;
    return scope.flatMap((s) => s.columns).find((c) => c.name === col)?.type ?? UNKNOWN;
  }
  if (node.A_Const) {
    const c = node.A_Const;
    if (c.ival) return INT4;
    if (c.fval) return NUMERIC;
    if (c.boolval) return BOOL;
    if (c.sval) return TEXT;
    return c.isnull ? NULL_LITERAL : UNKNOWN;
  }
  if (node.BoolExpr || node.NullTest || node.BooleanTest || node.SubLink?.subLinkType === 'EXISTS_SUBLINK') return BOOL;
  if (node.A_Expr) {
    if (node.A_Expr.kind === 'AEXPR_NULLIF') return exprType(node.A_Expr.lexpr, sources);
    const op = strList(node.A_Expr.name).join('');
    if (['=', '<>', '!=', '<', '>', '<=', '>=', '~~', '!~~', '~~*', '!~~*', '~', '~*'].includes(op) || node.A_Expr.kind !== 'AEXPR_OP') return BOOL;
    if (op === '||') return TEXT;
    const l = exprType(node.A_Expr.lexpr, sources);
    const r = exprType(node.A_Expr.rexpr, sources);
    return known(l) && known(r) && l.name === r.name ? l : UNKNOWN;
  }
  const firstKnown = (list: Ast[]): ColumnType => list.map((a) => exprType(a, sources)).find(known) ?? UNKNOWN;
  if (node.CoalesceExpr) return firstKnown(node.CoalesceExpr.args ?? []);
  if (node.MinMaxExpr) return firstKnown(node.MinMaxExpr.args ?? []);
  if (node.CaseExpr) return firstKnown([...(node.CaseExpr.args ?? []).map((w: Ast) => w.CaseWhen?.result), node.CaseExpr.defresult]);
  if (node.FuncCall) {
    const name = strList(node.FuncCall.funcname).pop()?.toLowerCase() ?? '';
    return funcType(name, (node.FuncCall.args ?? []).map((a: Ast) => exprType(a, sources)));
  }
  return UNKNOWN;
}

/** The relations a FROM clause brings into scope. */
function sourcesOf(d: Draft, from: readonly Ast[], depth: number): Source[] {
  const out: Source[] = [];
  const visit = (f: Ast): void => {
    if (f?.RangeVar) {
      const rv = f.RangeVar;
      const key = d.relKey(rv);
      const alias: string = rv.alias?.aliasname ?? rv.relname;
      const table = d.tables.get(key);
      if (table) { out.push({ alias, columns: table.columns.map((c) => ({ name: c.name, type: withoutSerial(c.type) })) }); return; }
      const view = d.views.get(key);
      if (view) out.push({ alias, columns: queryColumns(d, view.query, depth + 1) });
      return;
    }
    if (f?.RangeSubselect) {
      const cols = queryColumns(d, f.RangeSubselect.subquery, depth + 1);
      const names: string[] = strList(f.RangeSubselect.alias?.colnames);
      out.push({ alias: f.RangeSubselect.alias?.aliasname ?? '', columns: cols.map((c, i) => ({ name: names[i] ?? c.name, type: c.type })) });
      return;
    }
    if (f?.JoinExpr) { visit(f.JoinExpr.larg); visit(f.JoinExpr.rarg); }
  };
  for (const f of from) visit(f);
  return out;
}

function selectOf(node: Ast): Ast | undefined {
  return node?.SelectStmt ?? (node?.targetList || node?.op ? node : undefined);
}

/** The branches of a set operation, leftmost first (a plain SELECT is its own one branch). */
function branches(sel: Ast): Ast[] {
  if (sel?.op && sel.op !== 'SETOP_NONE') return [...branches(selectOf(sel.larg)), ...branches(selectOf(sel.rarg))];
  return sel ? [sel] : [];
}

/** Output columns of a query, named as PostgreSQL names them, typed where the catalog tells. */
export function queryColumns(d: Draft, query: Ast, depth = 0): QueryColumn[] {
  const all = branches(selectOf(query));
  // Views over views: deep enough for real schemas, and never endless.
  if (!all.length || depth > 16) return [];
  const typed = all.map((sel) => {
    const sources = sourcesOf(d, sel.fromClause ?? [], depth);
    const out: { name?: string; type: ColumnType }[] = [];
    for (const t of sel.targetList ?? []) {
      const rt = t.ResTarget;
      const fields: Ast[] = rt?.val?.ColumnRef?.fields ?? [];
      if (fields.some((f) => f.A_Star)) {
        const scope = fields.length > 1 ? sources.filter((s) => s.alias === str(fields[fields.length - 2])) : sources;
        for (const s of scope) for (const c of s.columns) out.push({ name: c.name, type: c.type });
        continue;
      }
      out.push({ name: rt?.name ?? outputName(rt?.val), type: exprType(rt?.val, sources) });
    }
    return out;
  });
  // Names come from the first branch; a type from the first branch that knows it (NULL in one
  // branch takes the others' type, as PostgreSQL resolves a UNION's columns).
  return typed[0]!.map((c, i) => {
    const type = known(c.type) ? c.type : typed.map((b) => b[i]?.type).find(known);
    const nullOnly = typed.every((b) => b[i]?.type === NULL_LITERAL);
    return { name: c.name ?? '?column?', type: type ?? (nullOnly ? TEXT : UNKNOWN) };
  });
}
