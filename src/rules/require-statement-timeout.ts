import { defineMigrationRule } from '../migrations/lint.js';
import { strongLockOf } from '../migrations/helpers.js';
import { BLOCKS } from '../migrations/locks.js';

export default defineMigrationRule({
  id: 'require-statement-timeout',
  meta: {
    description: 'A migration that takes strong locks sets statement_timeout first.',
    severity: 'warning',
    category: 'migration',
    messages: { missing: 'This statement runs with no statement_timeout while it holds {mode} on {table} ({blocks}): an unexpectedly slow step keeps that lock for as long as it runs.' },
  },
  checkMigration(ctx) {
    let set = false;
    for (const ms of ctx.statements) {
      if (ms.stmt.kind === 'VariableSetStmt' && ms.stmt.ast.name === 'statement_timeout') set = true;
      else if (!set) {
        const lock = strongLockOf(ms.stmt, ctx);
        if (lock) ctx.report({ messageId: 'missing', data: { mode: lock.mode, table: lock.on, blocks: BLOCKS[lock.mode] }, loc: ms.stmt.loc, object: lock.on, help: "SET statement_timeout = '5s'; at the top of the migration" });
      }
    }
  },
});
