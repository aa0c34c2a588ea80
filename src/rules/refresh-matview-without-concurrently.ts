import { defineMigrationRule, tableName } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'refresh-matview-without-concurrently',
  meta: {
    description: 'Materialized views that are read while they refresh are refreshed CONCURRENTLY.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { plain: 'REFRESH MATERIALIZED VIEW {view} without CONCURRENTLY takes ACCESS EXCLUSIVE on it: every read waits for the whole refresh.' },
  },
  checkMigration(ctx) {
    for (const ms of ctx.statements) {
      if (ms.stmt.kind !== 'RefreshMatViewStmt' || ms.stmt.ast.concurrent) continue;
      const view = tableName(ctx.relKey(ms.stmt.ast.relation));
      ctx.report({ messageId: 'plain', data: { view }, loc: ms.stmt.loc, object: view, help: `REFRESH MATERIALIZED VIEW CONCURRENTLY ${view} (needs a unique index on the view)` });
    }
  },
});
