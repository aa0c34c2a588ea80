import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { strList, stripCasts } from '../load/sql/ast.js';
import type { Ast } from '../types.js';
import { parseCount } from '../load/design/counts.js';

/** Large: the design's volume says 100k rows or more; without volumes every existing table counts. */
const LARGE = 100_000;

/** The WHERE bounds a key column (equality, IN, range or BETWEEN). */
function boundsKey(where: Ast, keys: string[]): boolean {
  let found = false;
  const visit = (n: Ast): void => {
    if (found || n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) { n.forEach(visit); return; }
    const a = n.A_Expr;
    if (a && ['AEXPR_OP', 'AEXPR_IN', 'AEXPR_BETWEEN', 'AEXPR_OP_ANY'].includes(a.kind)) {
      for (const side of [a.lexpr, a.rexpr]) {
        const f = strList(stripCasts(side)?.ColumnRef?.fields);
        if (f.length && keys.includes(f[f.length - 1]!) && (a.kind !== 'AEXPR_OP' || ['=', '<', '>', '<=', '>='].includes(strList(a.name)[0] ?? ''))) found = true;
      }
    }
    for (const v of Object.values(n)) if (v && typeof v === 'object') visit(v);
  };
  visit(where);
  return found;
}

export default defineMigrationRule({
  id: 'unbatched-backfill',
  meta: {
    description: 'UPDATE and DELETE on large existing tables are batched by a key range.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { unbatched: '{verb} on {table} touches every matching row in one transaction: row locks on all of them, one huge WAL burst, replica lag and bloat. Batch it by a key range.' },
  },
  checkMigration(ctx) {
    for (const ms of ctx.statements) {
      const s = ms.stmt;
      if (s.kind !== 'UpdateStmt' && s.kind !== 'DeleteStmt') continue;
      const table = ctx.relKey(s.ast.relation);
      if (!ctx.existing(table)) continue;
      const vol = ctx.design?.volumes?.[tableName(table)] ?? ctx.design?.volumes?.[table];
      const rows = parseCount(vol?.rows);
      if (ctx.design?.volumes && (rows === undefined || rows < LARGE)) continue;
      const t = ctx.catalog.tables.get(table);
      const keys = t?.constraints.find((c) => c.kind === 'primary')?.columns ?? ['id'];
      if (s.ast.whereClause && boundsKey(s.ast.whereClause, keys)) continue;
      ctx.report({ messageId: 'unbatched', data: { verb: s.kind === 'UpdateStmt' ? 'UPDATE' : 'DELETE', table: tableName(table) }, loc: s.loc, object: tableName(table), help: `loop over ${keys.join(', ')} ranges: ... WHERE ${keys[0]} > :last AND ${keys[0]} <= :last + 5000, committing each batch` });
    }
  },
});
