import { columnDefs } from '../migrations/helpers.js';
import { defineMigrationRule, tableName } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'prefer-text-field',
  meta: {
    description: 'Length limits are CHECK constraints on text, not varchar(n): changing a varchar limit is an ALTER COLUMN TYPE.',
    severity: 'warning',
    category: 'migration',
    messages: { varchar: 'Column {column} is {type}: changing that limit later is ALTER COLUMN TYPE, which takes ACCESS EXCLUSIVE on {table} (blocks reads and writes) and rewrites it when the limit shrinks. Use text with CHECK (length({name}) <= {limit}): a new limit is a NOT VALID check validated without blocking.' },
  },
  checkMigration(ctx) {
    for (const c of columnDefs(ctx)) {
      if (c.type.name !== 'varchar' || c.type.schema || c.type.mods.length === 0) continue;
      const column = `${tableName(c.table)}.${c.name}`;
      ctx.report({
        messageId: 'varchar', data: { column, type: c.type.display, table: tableName(c.table), name: c.name, limit: c.type.mods[0]! }, loc: c.loc, object: column,
        help: `${c.name} text CHECK (length(${c.name}) <= ${c.type.mods[0]})`,
      });
    }
  },
});
