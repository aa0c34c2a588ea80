import { alterCommands } from '../migrations/helpers.js';
import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { lockPhrase } from '../migrations/locks.js';

export default defineMigrationRule({
  id: 'exclusion-constraint-on-existing-table',
  meta: {
    description: 'No exclusion constraint is added to an existing, populated table in a migration.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { build: 'Adding exclusion constraint {name} builds its index and checks every row of {table} under {lock}; exclusion constraints have no NOT VALID and no USING INDEX path.' },
  },
  checkMigration(ctx) {
    for (const a of alterCommands(ctx)) {
      const con = a.cmd.def?.Constraint;
      if (a.cmd.subtype !== 'AT_AddConstraint' || con?.contype !== 'CONSTR_EXCLUSION' || !ctx.existing(a.table)) continue;
      const name = con.conname ?? `${tableName(a.table)} exclusion`;
      ctx.report({ messageId: 'build', data: { name, table: tableName(a.table), lock: lockPhrase('ACCESS EXCLUSIVE', tableName(a.table), a.ms.inTransaction) }, loc: a.loc, object: name, help: 'create it with the table, or add it in a maintenance window after measuring the build time (schemaproof migrations --trace)' });
    }
  },
});
