import { defineMigrationRule } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'ban-concurrent-index-creation-in-transaction',
  meta: {
    description: 'CREATE INDEX CONCURRENTLY does not run inside a transaction.',
    severity: 'error',
    category: 'migration',
    messages: { inTx: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block: the migration fails here. Put it in its own migration that runs outside a transaction.' },
  },
  checkMigration(ctx) {
    for (const ms of ctx.statements) {
      if (ms.stmt.kind === 'IndexStmt' && ms.stmt.ast.concurrent && ms.inTransaction) {
        ctx.report({ messageId: 'inTx', loc: ms.stmt.loc, object: ms.stmt.ast.idxname ?? 'index' });
      }
    }
  },
});
