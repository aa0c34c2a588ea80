import type { Index } from '../catalog/model.js';
import type { Ast } from '../types.js';
import { strList, stripCasts } from '../load/sql/ast.js';
import { defineRule } from '../engine/rule.js';
import { displayName, indexKeyText } from '../engine/util.js';

/** Whether a predicate says `col IS NULL`, alone or as one arm of an AND. */
export function requiresNull(expr: Ast, column: string): boolean {
  const e = stripCasts(expr);
  if (e?.BoolExpr?.boolop === 'AND_EXPR') return (e.BoolExpr.args ?? []).some((a: Ast) => requiresNull(a, column));
  const nt = e?.NullTest;
  if (!nt || nt.nulltesttype !== 'IS_NULL') return false;
  const f = strList(stripCasts(nt.arg)?.ColumnRef?.fields);
  return f[f.length - 1] === column;
}

/**
 * A unique key that holds every column of the table's primary key can never see a repeat, live
 * or deleted (UNIQUE (tenant_id, id), there as a composite foreign-key target): nothing to reuse.
 */
function containsPrimaryKey(ix: Index, all: Iterable<Index>): boolean {
  const cols = new Set(ix.keys.map((k) => k.column).filter(Boolean));
  for (const pk of all) {
    if (pk.table !== ix.table || !pk.primary || pk.where) continue;
    if (pk.keys.length && pk.keys.every((k) => k.column && cols.has(k.column))) return true;
  }
  return false;
}

export default defineRule({
  id: 'soft-delete-unique',
  meta: {
    description: 'On a soft-delete table, unique indexes apply only to live rows (WHERE deleted_at IS NULL).',
    severity: 'warning',
    category: 'schema',
    messages: { global: 'Unique index {index} on soft-delete table {table} ({keys}) also counts deleted rows: a deleted value can never be reused. Add WHERE {column} IS NULL.' },
  },
  check(ctx) {
    const column = ctx.conventions.soft_delete ?? 'deleted_at';
    for (const ix of ctx.catalog.indexes.values()) {
      if (!ix.unique || ix.primary) continue;
      const t = ctx.catalog.tables.get(ix.table);
      if (!t || t.partitionOf || !t.columns.some((c) => c.name === column)) continue;
      if (ix.keys.some((k) => k.column === column)) continue;
      if (ix.where && requiresNull(ix.where.ast, column)) continue;
      if (containsPrimaryKey(ix, ctx.catalog.indexes.values())) continue;
      ctx.report({ messageId: 'global', data: { index: ix.name, table: displayName(t), keys: indexKeyText(ix), column }, loc: ix.loc, object: ix.name });
    }
  },
});
