import { alterCommands, columnConstraints, isVolatileDefault, locIn } from '../migrations/helpers.js';
import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { lockPhrase } from '../migrations/locks.js';

export default defineMigrationRule({
  id: 'adding-field-with-default',
  meta: {
    description: 'A column added to an existing table has no volatile default and is not a stored generated column (before PostgreSQL 11: no default at all).',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: {
      volatile: 'Adding {column} with a volatile default rewrites {table} under {lock}.',
      generated: 'Adding the generated column {column} rewrites {table} under {lock}.',
      oldVersion: 'Before PostgreSQL 11, adding {column} with a default rewrites {table} under {lock}.',
    },
  },
  checkMigration(ctx) {
    for (const a of alterCommands(ctx)) {
      if (a.cmd.subtype !== 'AT_AddColumn' || !ctx.existing(a.table)) continue;
      const col = a.cmd.def?.ColumnDef;
      const cons = columnConstraints(a.cmd);
      const def = cons.find((c) => c.contype === 'CONSTR_DEFAULT');
      const gen = cons.find((c) => c.contype === 'CONSTR_GENERATED');
      const data = { column: `${tableName(a.table)}.${col?.colname}`, table: tableName(a.table), lock: lockPhrase('ACCESS EXCLUSIVE', tableName(a.table), a.ms.inTransaction) };
      const base = { object: data.column, help: 'add the column without a default, set the default separately, then backfill in batches' };
      if (gen) ctx.report({ messageId: 'generated', data, loc: locIn(a.ms, gen.location), ...base });
      else if (def && ctx.pgVersion < 11) ctx.report({ messageId: 'oldVersion', data, loc: locIn(a.ms, def.location), ...base });
      else if (def && isVolatileDefault(def.raw_expr)) ctx.report({ messageId: 'volatile', data, loc: locIn(a.ms, def.location), ...base });
    }
  },
});
