import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { lockPhrase } from '../migrations/locks.js';

export default defineMigrationRule({
  id: 'require-concurrent-index-creation',
  meta: {
    description: 'Indexes on existing tables are built with CREATE INDEX CONCURRENTLY.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { plain: 'CREATE INDEX without CONCURRENTLY takes {lock}, for as long as the index takes to build.' },
  },
  checkMigration(ctx) {
    for (const ms of ctx.statements) {
      if (ms.stmt.kind !== 'IndexStmt' || ms.stmt.ast.concurrent) continue;
      const table = ctx.relKey(ms.stmt.ast.relation);
      if (!ctx.existing(table)) continue;
      ctx.report({ messageId: 'plain', data: { lock: lockPhrase('SHARE', tableName(table), ms.inTransaction) }, loc: ms.stmt.loc, object: ms.stmt.ast.idxname ?? tableName(table), help: 'CREATE INDEX CONCURRENTLY ... (outside a transaction), then check that the index is valid' });
    }
  },
});
