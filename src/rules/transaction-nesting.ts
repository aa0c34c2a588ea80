import { defineMigrationRule } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'transaction-nesting',
  meta: {
    description: 'A migration does not open a transaction inside a transaction (its own, or the one its tool wraps it in).',
    severity: 'warning',
    category: 'migration',
    messages: {
      nested: 'BEGIN inside an open transaction: PostgreSQL warns and ignores it, and the COMMIT that follows ends the outer transaction early.',
      stray: 'COMMIT with no open transaction: PostgreSQL warns and does nothing; the statements before it were already committed one by one.',
      wrapped: '{what} in a migration that already runs inside a transaction: the tool\'s transaction and this one fight over the commit.',
    },
  },
  checkMigration(ctx) {
    let explicit = false;
    for (const ms of ctx.statements) {
      if (ms.stmt.kind !== 'TransactionStmt') continue;
      const k = String(ms.stmt.ast.kind);
      if (k === 'TRANS_STMT_BEGIN' || k === 'TRANS_STMT_START') {
        if (explicit) ctx.report({ messageId: 'nested', loc: ms.stmt.loc, object: 'BEGIN' });
        else if (ctx.assumedTransaction) ctx.report({ messageId: 'wrapped', data: { what: 'BEGIN' }, loc: ms.stmt.loc, object: 'BEGIN' });
        explicit = true;
      } else if (/COMMIT|ROLLBACK|END/.test(k) && !/PREPARED|SAVEPOINT|RELEASE/.test(k)) {
        if (ctx.assumedTransaction) ctx.report({ messageId: 'wrapped', data: { what: k.includes('ROLLBACK') ? 'ROLLBACK' : 'COMMIT' }, loc: ms.stmt.loc, object: 'COMMIT' });
        else if (!ms.inTransaction) ctx.report({ messageId: 'stray', loc: ms.stmt.loc, object: 'COMMIT' });
        explicit = false;
      }
    }
  },
});
