import { defineMigrationRule } from '../migrations/lint.js';
import { strongLockOf, waitEffect } from '../migrations/helpers.js';

export default defineMigrationRule({
  id: 'require-lock-timeout',
  meta: {
    description: 'A migration that takes strong locks sets lock_timeout first.',
    severity: 'warning',
    category: 'migration',
    messages: { missing: 'This statement waits with no lock_timeout for {lock}. A lock timeout turns the wait into a quick failure to retry.' },
  },
  checkMigration(ctx) {
    let set = false;
    for (const ms of ctx.statements) {
      if (ms.stmt.kind === 'VariableSetStmt' && ms.stmt.ast.name === 'lock_timeout') set = true;
      else if (!set) {
        const lock = strongLockOf(ms.stmt, ctx);
        if (lock) ctx.report({ messageId: 'missing', data: { lock: waitEffect(lock) }, loc: ms.stmt.loc, object: lock.on, help: "SET lock_timeout = '2s'; at the top of the migration, and retry on timeout" });
      }
    }
  },
});
