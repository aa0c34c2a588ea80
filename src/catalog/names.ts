/**
 * The names PostgreSQL chooses for what it creates unnamed: an index, a constraint, the
 * sequence of a serial or identity column. The catalog names them so, and `plan` names what it
 * builds the way PostgreSQL would have.
 */
import type { Ast } from '../types.js';

const LENIENT = new TextDecoder('utf-8', { fatal: false });

/** UTF-8 bytes as text; a cut never leaves half a character (an incomplete trailing sequence is dropped). */
function text(x: Buffer): string {
  return LENIENT.decode(x).replace(/\uFFFD$/, '');
}

/** A name as PostgreSQL stores it (truncate_identifier): cut to 63 bytes at a character's edge. */
export function truncateIdentifier(name: string): string {
  const b = Buffer.from(name);
  return b.length <= 63 ? name : text(b.subarray(0, 63));
}

/**
 * A name as PostgreSQL makes one from a name, an optional second one and a label
 * (makeObjectName): the longer of the two names is cut until `<a>[_<b>]_<label>` fits in 63 bytes.
 */
export function objectName(first: string, second: string | undefined, label: string): string {
  const room = 63 - label.length - 1 - (second === undefined ? 0 : 1);
  // Most names fit: nothing to cut (byteLength is only asked when the characters come close).
  const chars = first.length + (second?.length ?? 0);
  if (chars <= room / 3 || (chars <= room && Buffer.byteLength(first) + Buffer.byteLength(second ?? '') <= room)) {
    return second === undefined ? `${first}_${label}` : `${first}_${second}_${label}`;
  }
  let a = Buffer.from(first);
  let b = Buffer.from(second ?? '');
  while (a.length + b.length > room) { if (a.length > b.length) a = a.subarray(0, a.length - 1); else b = b.subarray(0, b.length - 1); }
  return second === undefined ? `${text(a)}_${label}` : `${text(a)}_${text(b)}_${label}`;
}

/** The name PostgreSQL gives the sequence of a serial or identity column. */
export function serialSequenceName(table: string, column: string): string {
  return objectName(table, column, 'seq');
}

/** An index key as written: a column, or an expression. */
export interface IndexKeyWritten { readonly column?: string; readonly expr?: Ast }

/**
 * The names PostgreSQL gives an index's keys when it names the index (ChooseIndexColumnNames):
 * a column's own, a function call's function, a cast's operand, else `expr`; repeats numbered.
 */
export function indexColumnNames(keys: readonly IndexKeyWritten[]): string[] {
  const figure = (n: Ast | undefined): string => {
    if (n?.ColumnRef) return String(n.ColumnRef.fields?.[n.ColumnRef.fields.length - 1]?.String?.sval ?? 'expr');
    if (n?.FuncCall) return String(n.FuncCall.funcname?.[n.FuncCall.funcname.length - 1]?.String?.sval ?? 'expr');
    if (n?.TypeCast) { const inner = figure(n.TypeCast.arg); return inner !== 'expr' ? inner : String(n.TypeCast.typeName?.names?.at(-1)?.String?.sval ?? 'expr'); }
    if (n?.CoalesceExpr) return 'coalesce';
    if (n?.CaseExpr) return 'case';
    return 'expr';
  };
  const seen = new Set<string>();
  return keys.map((k) => {
    const base = k.column ?? figure(k.expr);
    let name = base;
    for (let i = 1; seen.has(name); i++) name = `${base}${i}`;
    seen.add(name);
    return name;
  });
}

/** The name of an index created unnamed on `table` over `keys`. */
export function indexName(table: string, keys: readonly IndexKeyWritten[]): string {
  return objectName(table, indexColumnNames(keys).join('_'), 'idx');
}
