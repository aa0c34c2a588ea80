import { defineRule } from '../engine/rule.js';
import { columnDefs } from '../migrations/helpers.js';
import type { MigrationContext } from '../migrations/lint.js';
import { colObject, ownTables } from '../engine/util.js';

export default defineRule({
  // In `schemaproof migrations`: the char columns a migration file writes.
  checkMigration(ctx: MigrationContext) {
    for (const c of columnDefs(ctx)) {
      const t = c.type;
      if (t.name === 'bpchar' && !t.schema) ctx.report({ messageId: 'char', data: { column: `${c.table.replace(/^public\./, '')}.${c.name}`, type: t.display }, loc: c.loc, object: `${c.table.replace(/^public\./, '')}.${c.name}` });
    }
  },
  id: 'ban-char-field',
  meta: {
    description: 'No char(n) columns.',
    severity: 'warning',
    category: 'schema',
    messages: { char: 'Column {column} is {type}: it pads with spaces, compares surprisingly and is no faster than text. Use text (with a CHECK on length if needed).' },
  },
  check(ctx) {
    for (const t of ownTables(ctx)) {
      for (const c of t.columns) {
        if (c.type.name === 'bpchar' && !c.type.schema) ctx.report({ messageId: 'char', data: { column: colObject(t, c), type: c.type.display }, loc: c.loc, object: colObject(t, c) });
      }
    }
  },
});
