import type { Ast } from '../types.js';
import { strList, stripCasts } from '../load/sql/ast.js';
import { defineRule } from '../engine/rule.js';

function onlyNotNull(expr: Ast, columns: readonly string[]): boolean {
  const e = stripCasts(expr);
  if (e?.BoolExpr?.boolop === 'AND_EXPR') return (e.BoolExpr.args ?? []).every((a: Ast) => onlyNotNull(a, columns));
  const nt = e?.NullTest;
  if (!nt || nt.nulltesttype !== 'IS_NOT_NULL') return false;
  const f = strList(stripCasts(nt.arg)?.ColumnRef?.fields);
  return columns.includes(f[f.length - 1] ?? '');
}
import { displayName, ownTables } from '../engine/util.js';

export default defineRule({
  id: 'unindexed-foreign-key',
  meta: {
    description: 'Every foreign key has an index whose leading columns are its columns.',
    severity: 'warning',
    category: 'schema',
    messages: {
      unindexed: 'Foreign key {constraint} on {table} ({columns}) has no index leading with those columns: deletes and updates of the parent scan {table}, and joins from the parent cannot use an index.',
    },
  },
  check(ctx) {
    for (const t of ownTables(ctx)) {
      for (const fk of t.constraints) {
        if (fk.kind !== 'foreign' || fk.columns.length === 0) continue;
        const n = fk.columns.length;
        const covered = ctx.analyses.indexesOf(t.key).some((ix) => {
          if (ix.method !== 'btree' && ix.method !== 'hash') return false;
          // A partial index does not count, unless its predicate only asks for the foreign
          // key columns to be NOT NULL: every lookup by key value implies that.
          if (ix.where && !onlyNotNull(ix.where.ast, fk.columns)) return false;
          if (ix.keys.length < n) return false;
          const lead = new Set(ix.keys.slice(0, n).map((k) => k.column));
          return fk.columns.every((c) => lead.has(c));
        });
        if (!covered) {
          ctx.report({
            messageId: 'unindexed',
            data: { constraint: fk.name, table: displayName(t), columns: fk.columns.join(', ') },
            loc: fk.loc,
            object: fk.name,
            help: `CREATE INDEX CONCURRENTLY ON ${displayName(t)} (${fk.columns.join(', ')});`,
          });
        }
      }
    }
  },
});
