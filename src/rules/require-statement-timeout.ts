import { defineMigrationRule } from '../migrations/lint.js';
import { takesStrongLock } from '../migrations/helpers.js';

export default defineMigrationRule({
  id: 'require-statement-timeout',
  meta: {
    description: 'A migration that takes strong locks sets statement_timeout first.',
    severity: 'warning',
    category: 'migration',
    messages: { missing: 'This statement can hold its lock with no statement_timeout: an unexpectedly slow step blocks the table for as long as it runs.' },
  },
  checkMigration(ctx) {
    let set = false;
    for (const ms of ctx.statements) {
      if (ms.stmt.kind === 'VariableSetStmt' && ms.stmt.ast.name === 'statement_timeout') set = true;
      else if (!set && takesStrongLock(ms.stmt, ctx)) ctx.report({ messageId: 'missing', loc: ms.stmt.loc, object: ms.stmt.kind, help: "SET statement_timeout = '5s'; at the top of the migration" });
    }
  },
});
