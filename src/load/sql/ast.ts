/** Small typed readers over the parser's JSON AST. */
import type { Ast } from '../../types.js';

export function str(node: Ast): string {
  return node?.String?.sval ?? node?.sval ?? '';
}

export function strList(list: Ast[] | undefined): string[] {
  return (list ?? []).map(str);
}

/** Items of a `{List: {items}}` node or a plain array. */
export function listItems(node: Ast): Ast[] {
  if (Array.isArray(node)) return node;
  return node?.List?.items ?? [];
}

const TYPE_ALIASES = new Map<string, string>(Object.entries({
  int: 'int4', integer: 'int4', smallint: 'int2', bigint: 'int8', int4: 'int4', int2: 'int2', int8: 'int8',
  serial: 'int4', serial4: 'int4', bigserial: 'int8', serial8: 'int8', smallserial: 'int2', serial2: 'int2',
  float8: 'float8', float4: 'float4', real: 'float4', 'double precision': 'float8', float: 'float8',
  bool: 'bool', boolean: 'bool', decimal: 'numeric', numeric: 'numeric',
  varchar: 'varchar', 'character varying': 'varchar', bpchar: 'bpchar', char: 'bpchar', character: 'bpchar',
  timestamp: 'timestamp', timestamptz: 'timestamptz', time: 'time', timetz: 'timetz',
}));

const DISPLAY = new Map<string, string>(Object.entries({
  int2: 'smallint', int4: 'integer', int8: 'bigint', float4: 'real', float8: 'double precision',
  bool: 'boolean', varchar: 'varchar', bpchar: 'char', timestamp: 'timestamp', timestamptz: 'timestamptz',
  timetz: 'timetz',
}));

export interface ColumnType {
  /** Canonical name: int4, int8, text, varchar, bpchar, timestamptz, numeric, jsonb, or the user type. */
  readonly name: string;
  readonly schema?: string;
  readonly mods: readonly number[];
  readonly array: boolean;
  readonly serial: boolean;
  readonly display: string;
}

const SERIALS = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);
/** The computed type, kept on its TypeName node: the catalog and several rules read the same one. */
const TYPE = Symbol('columnType');

/** The column type of a TypeName node. */
export function columnType(typeName: Ast): ColumnType {
  const cached = typeName?.[TYPE] as ColumnType | undefined;
  if (cached) return cached;
  const list: Ast[] = typeName?.names ?? [];
  const n = list.length;
  const raw = n ? str(list[n - 1]) : 'unknown';
  const first = n > 1 ? str(list[0]) : undefined;
  const isCatalog = n === 2 && first === 'pg_catalog';
  const schema = n > 1 && !isCatalog ? first : undefined;
  const lower = raw.toLowerCase();
  const name = schema ? raw : TYPE_ALIASES.get(lower) ?? raw;
  const serial = !schema && !isCatalog && SERIALS.has(lower);
  const mods: number[] = [];
  for (const m of typeName?.typmods ?? []) {
    const c = m?.A_Const;
    if (c?.ival !== undefined) mods.push(Number(c.ival.ival ?? 0));
  }
  const array = Array.isArray(typeName?.arrayBounds) && typeName.arrayBounds.length > 0;
  const display = withModifiers((schema ? `${schema}.` : '') + (serial ? lower : DISPLAY.get(name) ?? name), mods, array);
  const type: ColumnType = { name, schema, mods, array, serial, display };
  if (typeName && typeof typeName === 'object') typeName[TYPE] = type;
  return type;
}

/** A type name with its modifiers and array mark: `varchar(20)`, `int[]`. */
function withModifiers(base: string, mods: readonly number[], array: boolean): string {
  return `${base}${mods.length ? `(${mods.join(',')})` : ''}${array ? '[]' : ''}`;
}

/** A serial column's values as a query outputs them: the plain integer type, no sequence. */
export function withoutSerial(t: ColumnType): ColumnType {
  return t.serial ? { ...t, serial: false, display: withModifiers(DISPLAY.get(t.name) ?? t.name, t.mods, t.array) } : t;
}

/** The same type under another name (a user type renamed): modifiers and array kept. */
export function renamedType(t: ColumnType, name: string): ColumnType {
  return { ...t, name, display: withModifiers(`${t.schema ? `${t.schema}.` : ''}${name}`, t.mods, t.array) };
}

const PLAIN_IDENT = /^[a-z_][a-z0-9_$]*$/;

/** A name as SQL, quoted only when it must be (upper case, spaces, quotes). */
export function identSql(name: string): string {
  return PLAIN_IDENT.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** A column type as SQL: built-in names as displayed, a user type's name quoted where it must be. */
export function typeSql(t: ColumnType): string {
  if (t.serial || DISPLAY.has(t.name) || (!t.schema && PLAIN_IDENT.test(t.name))) return t.display;
  return withModifiers(`${t.schema ? `${identSql(t.schema)}.` : ''}${identSql(t.name)}`, t.mods, t.array);
}

/** A stable key for an expression: its AST without source positions. */
export function exprKey(node: Ast): string {
  return JSON.stringify(node, (k, v) => (POSITION_FIELDS.has(k) ? undefined : v));
}

/** Fields that say where a node stands in the text, not what it is (an ARRAY[...]'s brackets too). */
const POSITION_FIELDS = new Set(['location', 'list_start', 'list_end', 'stmt_location', 'stmt_len']);

/** Every column name an expression mentions (last field of each ColumnRef). */
export function columnsIn(node: Ast, out: Set<string> = new Set()): Set<string> {
  if (node === null || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    for (const n of node) columnsIn(n, out);
    return out;
  }
  if (node.ColumnRef) {
    const fields = node.ColumnRef.fields ?? [];
    const last = fields[fields.length - 1];
    if (last?.String) out.add(last.String.sval);
    return out;
  }
  for (const v of Object.values(node)) if (v && typeof v === 'object') columnsIn(v, out);
  return out;
}

/** Walks every node object in an AST, depth first. */
export function walk(node: Ast, visit: (key: string, value: Ast) => void): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  for (const [k, v] of Object.entries(node)) {
    if (v && typeof v === 'object') {
      visit(k, v);
      walk(v, visit);
    }
  }
}

/** A constant's value from an A_Const node (strings, integers, floats, booleans). */
export function constValue(node: Ast): string | number | boolean | null | undefined {
  const c = node?.A_Const;
  if (!c) return undefined;
  if (c.isnull) return null;
  if (c.sval) return c.sval.sval ?? '';
  if (c.ival) return Number(c.ival.ival ?? 0);
  if (c.fval) return Number(c.fval.fval);
  if (c.boolval) return Boolean(c.boolval.boolval);
  return undefined;
}

/** The terms of an AND chain (`a AND (b AND c)` -> a, b, c); one term for anything else. */
export function conjuncts(expr: Ast): Ast[] {
  if (!expr) return [];
  if (expr.BoolExpr?.boolop === 'AND_EXPR') return (expr.BoolExpr.args ?? []).flatMap(conjuncts);
  return [expr];
}

/** Unwraps type casts: `'a'::text` -> `'a'`. */
export function stripCasts(node: Ast): Ast {
  let n = node;
  while (n?.TypeCast) n = n.TypeCast.arg;
  return n;
}

export function funcName(node: Ast): string | undefined {
  const f = node?.FuncCall;
  if (!f) return undefined;
  const names = strList(f.funcname);
  return names[names.length - 1]?.toLowerCase();
}

export function isTrueConst(node: Ast): boolean {
  return constValue(stripCasts(node)) === true;
}

/**
 * The name PostgreSQL gives an output column written without AS (its FigureColname), for the
 * expression kinds where that name is certain; undefined otherwise.
 */
export function outputName(val: Ast): string | undefined {
  if (val?.ColumnRef) { const f: Ast[] = val.ColumnRef.fields ?? []; const last = f[f.length - 1]; return last?.A_Star ? undefined : str(last); }
  if (val?.A_Indirection) {
    const ind: Ast[] = val.A_Indirection.indirection ?? [];
    const last = ind[ind.length - 1];
    if (last?.A_Star) return undefined;
    return last?.String ? str(last) : outputName(val.A_Indirection.arg);
  }
  if (val?.FuncCall) { const n: Ast[] = val.FuncCall.funcname ?? []; return str(n[n.length - 1]); }
  if (val?.TypeCast) {
    const inner = outputName(val.TypeCast.arg);
    if (inner !== '?column?') return inner;
    const n: Ast[] = val.TypeCast.typeName?.names ?? [];
    return str(n[n.length - 1]);
  }
  if (val?.CaseExpr) return 'case';
  if (val?.CoalesceExpr) return 'coalesce';
  if (val?.A_ArrayExpr) return 'array';
  if (val?.RowExpr) return 'row';
  if (val?.A_Const || val?.A_Expr || val?.BoolExpr || val?.NullTest || val?.BooleanTest) return '?column?';
  return undefined;
}

/**
 * The output columns of a query (of the leftmost branch of a set operation, which names them):
 * each ResTarget's name, or the name PostgreSQL gives it where that is certain (else undefined),
 * with its location.
 */
export function queryOutputs(query: Ast): { name?: string; location?: number }[] {
  let sel = query?.SelectStmt;
  while (sel && sel.op && sel.op !== 'SETOP_NONE' && sel.larg) sel = sel.larg.SelectStmt ?? sel.larg;
  return (sel?.targetList ?? []).map((t: Ast) => t.ResTarget).filter(Boolean)
    .map((rt: Ast) => ({ name: rt.name ?? outputName(rt.val), location: rt.location }));
}

/** The first source position (smallest `location`) inside an AST node. */
export function minLocation(ast: Ast): number | undefined {
  let min: number | undefined;
  const visit = (n: Ast): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) { n.forEach(visit); return; }
    for (const [k, v] of Object.entries(n)) {
      if (k === 'location' && typeof v === 'number' && v >= 0) min = min === undefined ? v : Math.min(min, v);
      else if (v && typeof v === 'object') visit(v);
    }
  };
  visit(ast);
  return min;
}
