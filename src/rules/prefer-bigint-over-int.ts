import { columnDefs } from '../migrations/helpers.js';
import { defineMigrationRule, tableName } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'prefer-bigint-over-int',
  meta: {
    description: 'New integer columns are bigint: int (and serial) columns run out at 2,147,483,647.',
    severity: 'warning',
    category: 'migration',
    messages: { int: 'Column {column} is {type}: integers that grow (keys, counters, references to bigint keys) overflow at 2,147,483,647, and widening later rewrites the table. Use bigint.' },
  },
  checkMigration(ctx) {
    for (const c of columnDefs(ctx)) {
      if (!c.added) continue;
      const t = c.type;
      if (t.name !== 'int4' || t.array) continue;
      const column = `${tableName(c.table)}.${c.name}`;
      ctx.report({ messageId: 'int', data: { column, type: t.display }, loc: c.loc, object: column });
    }
  },
});
