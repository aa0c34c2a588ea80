import { columnDefs } from '../migrations/helpers.js';
import { defineMigrationRule, tableName } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'prefer-identity',
  meta: {
    description: 'Generated keys use GENERATED ... AS IDENTITY, not serial.',
    severity: 'warning',
    category: 'migration',
    messages: { serial: 'Column {column} is {type}: its sequence is a separate object with its own permissions and ownership quirks, and inserts can bypass it. Use bigint GENERATED ALWAYS AS IDENTITY.' },
  },
  checkMigration(ctx) {
    for (const c of columnDefs(ctx)) {
      if (!c.added) continue;
      const t = c.type;
      if (!t.serial) continue;
      const column = `${tableName(c.table)}.${c.name}`;
      ctx.report({ messageId: 'serial', data: { column, type: t.display }, loc: c.loc, object: column, help: `${c.name} bigint GENERATED ALWAYS AS IDENTITY` });
    }
  },
});
