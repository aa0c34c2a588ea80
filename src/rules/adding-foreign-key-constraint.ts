import { alterCommands, columnConstraints } from '../migrations/helpers.js';
import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { lockPhrase } from '../migrations/locks.js';

export default defineMigrationRule({
  id: 'adding-foreign-key-constraint',
  meta: {
    description: 'A foreign key on an existing table is added NOT VALID and validated separately.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { validating: 'Adding foreign key {name} validates every row of {table} while holding {lock}, and SHARE ROW EXCLUSIVE on the referenced table.' },
  },
  checkMigration(ctx) {
    for (const a of alterCommands(ctx)) {
      if (!ctx.existing(a.table)) continue;
      const cons = a.cmd.subtype === 'AT_AddConstraint' ? [a.cmd.def?.Constraint] : a.cmd.subtype === 'AT_AddColumn' ? columnConstraints(a.cmd) : [];
      for (const c of cons) {
        if (c?.contype !== 'CONSTR_FOREIGN' || c.skip_validation) continue;
        const name = c.conname ?? `${tableName(a.table)} foreign key`;
        ctx.report({ messageId: 'validating', data: { name, table: tableName(a.table), lock: lockPhrase('SHARE ROW EXCLUSIVE', tableName(a.table), a.ms.inTransaction) }, loc: a.loc, object: name, help: 'ADD CONSTRAINT ... FOREIGN KEY ... NOT VALID; then VALIDATE CONSTRAINT in a separate transaction' });
      }
    }
  },
});
