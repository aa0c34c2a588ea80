import { alterCommands, columnConstraints } from '../migrations/helpers.js';
import { defineMigrationRule, tableName } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'adding-required-field',
  meta: {
    description: 'A NOT NULL column added to an existing table has a default.',
    severity: 'error',
    category: 'migration',
    affectsReaders: true,
    messages: { required: 'Adding {column} as NOT NULL without a default fails as soon as {table} has a row.' },
  },
  checkMigration(ctx) {
    for (const a of alterCommands(ctx)) {
      if (a.cmd.subtype !== 'AT_AddColumn' || !ctx.existing(a.table)) continue;
      const cons = columnConstraints(a.cmd);
      const notNull = cons.some((c) => c.contype === 'CONSTR_NOTNULL' || c.contype === 'CONSTR_PRIMARY');
      const filled = cons.some((c) => ['CONSTR_DEFAULT', 'CONSTR_GENERATED', 'CONSTR_IDENTITY'].includes(c.contype));
      const serial = /serial/i.test(JSON.stringify(a.cmd.def?.ColumnDef?.typeName?.names ?? []));
      if (notNull && !filled && !serial) {
        const column = `${tableName(a.table)}.${a.cmd.def.ColumnDef.colname}`;
        ctx.report({ messageId: 'required', data: { column, table: tableName(a.table) }, loc: a.loc, object: column, help: 'add it nullable (or with a default), backfill, then add NOT NULL through a validated CHECK' });
      }
    }
  },
});
