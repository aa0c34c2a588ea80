import { defineMigrationRule } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'ban-uncommitted-transaction',
  meta: {
    description: 'Every BEGIN in a migration has its COMMIT.',
    severity: 'error',
    category: 'migration',
    messages: { open: 'This transaction is never committed: the changes after it are rolled back (or left open, holding their locks) when the migration ends.' },
  },
  checkMigration(ctx) {
    let begin: (typeof ctx.statements)[number] | undefined;
    for (const ms of ctx.statements) {
      if (ms.stmt.kind !== 'TransactionStmt') continue;
      const k = String(ms.stmt.ast.kind);
      if (k === 'TRANS_STMT_BEGIN' || k === 'TRANS_STMT_START') begin = ms;
      else if (/COMMIT|ROLLBACK|END/.test(k) && !/SAVEPOINT|RELEASE/.test(k)) begin = undefined;
    }
    if (begin) ctx.report({ messageId: 'open', loc: begin.stmt.loc, object: 'BEGIN', help: 'add COMMIT; at the end of the migration' });
  },
});
