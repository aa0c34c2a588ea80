import { defineMigrationRule } from '../migrations/lint.js';
import { takesStrongLock } from '../migrations/helpers.js';

export default defineMigrationRule({
  id: 'require-lock-timeout',
  meta: {
    description: 'A migration that takes strong locks sets lock_timeout first.',
    severity: 'warning',
    category: 'migration',
    messages: { missing: 'This statement waits for its lock with no lock_timeout: while it waits behind one long query, every new query on the table queues behind it.' },
  },
  checkMigration(ctx) {
    let set = false;
    for (const ms of ctx.statements) {
      if (ms.stmt.kind === 'VariableSetStmt' && ms.stmt.ast.name === 'lock_timeout') set = true;
      else if (!set && takesStrongLock(ms.stmt, ctx)) ctx.report({ messageId: 'missing', loc: ms.stmt.loc, object: ms.stmt.kind, help: "SET lock_timeout = '2s'; at the top of the migration, and retry on timeout" });
    }
  },
});
