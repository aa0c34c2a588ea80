import { defineMigrationRule } from '../migrations/lint.js';
import { strList } from '../load/sql/ast.js';

export default defineMigrationRule({
  id: 'ban-alter-domain-with-add-constraint',
  meta: {
    description: 'No constraints are added to an existing domain.',
    severity: 'warning',
    category: 'migration',
    messages: { add: 'Adding a constraint to domain {name} checks every column of every table that uses it while holding locks on all of them.' },
  },
  checkMigration(ctx) {
    for (const ms of ctx.statements) {
      if (ms.stmt.kind !== 'AlterDomainStmt' || ms.stmt.ast.subtype !== 'C') continue;
      // NOT VALID skips the check of existing values: VALIDATE CONSTRAINT does it later, apart.
      if (ms.stmt.ast.def?.Constraint?.skip_validation) continue;
      const name = strList(ms.stmt.ast.typeName).join('.');
      ctx.report({ messageId: 'add', data: { name }, loc: ms.stmt.loc, object: name });
    }
  },
});
