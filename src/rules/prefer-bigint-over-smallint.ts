import { columnDefs } from '../migrations/helpers.js';
import { defineMigrationRule, tableName } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'prefer-bigint-over-smallint',
  meta: {
    description: 'New integer columns are bigint: smallint (and smallserial) columns run out at 32,767.',
    severity: 'warning',
    category: 'migration',
    messages: { small: 'Column {column} is {type}: it overflows at 32,767, and widening it later rewrites the table. Use bigint (or integer with a CHECK if the range is a rule of the domain).' },
  },
  checkMigration(ctx) {
    for (const c of columnDefs(ctx)) {
      if (!c.added || c.type.name !== 'int2' || c.type.array) continue;
      const column = `${tableName(c.table)}.${c.name}`;
      ctx.report({ messageId: 'small', data: { column, type: c.type.display }, loc: c.loc, object: column, help: `${c.name} bigint` });
    }
  },
});
