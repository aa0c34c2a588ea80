/**
 * Whether an index serves a foreign key's lookups (the referencing side: PostgreSQL's RI
 * checks on parent DELETE/UPDATE ask `WHERE fk_cols = $1`). Shared by unindexed-foreign-key
 * and speculative-index so the two rules never disagree.
 */
import type { Index } from '../catalog/model.js';
import { strList, stripCasts } from '../load/sql/ast.js';
import type { Ast } from '../types.js';

/** The predicate only asks for some of `columns` to be NOT NULL (ANDed): every lookup by key value implies it. */
export function onlyNotNull(expr: Ast, columns: readonly string[]): boolean {
  const e = stripCasts(expr);
  if (e?.BoolExpr?.boolop === 'AND_EXPR') return (e.BoolExpr.args ?? []).every((a: Ast) => onlyNotNull(a, columns));
  const nt = e?.NullTest;
  if (!nt || nt.nulltesttype !== 'IS_NOT_NULL') return false;
  const f = strList(stripCasts(nt.arg)?.ColumnRef?.fields);
  return columns.includes(f[f.length - 1] ?? '');
}

/**
 * The index's leading keys are the foreign key's columns (in any order), in a method whose
 * equality the planner uses for the lookup: btree, hash, or GiST (an exclusion constraint's
 * index `USING gist (room_id WITH =, during WITH &&)` with btree_gist). A partial index counts
 * only when its predicate asks nothing but NOT NULL of those columns.
 */
export function indexServesForeignKey(ix: Index, columns: readonly string[]): boolean {
  if (!['btree', 'hash', 'gist'].includes(ix.method)) return false;
  if (ix.method === 'hash' && columns.length !== 1) return false;
  if (ix.where && !onlyNotNull(ix.where.ast, columns)) return false;
  const n = columns.length;
  if (n === 0 || ix.keys.length < n) return false;
  const lead = new Set(ix.keys.slice(0, n).map((k) => k.column));
  return columns.every((c) => lead.has(c));
}
