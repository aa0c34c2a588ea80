import { defineRule } from '../engine/rule.js';
import { columnDefs } from '../migrations/helpers.js';
import type { MigrationContext } from '../migrations/lint.js';
import { colObject, displayName, ownTables } from '../engine/util.js';

export default defineRule({
  // In `schemaproof migrations`: the zone-less timestamp columns a migration file writes.
  checkMigration(ctx: MigrationContext) {
    for (const c of columnDefs(ctx)) {
      const t = c.type;
      const object = `${c.table.replace(/^public\./, '')}.${c.name}`;
      if (t.name === 'timestamp' && !t.schema) ctx.report({ messageId: 'timestamp', data: { column: object }, loc: c.loc, object });
    }
  },
  id: 'prefer-timestamptz',
  meta: {
    description: 'Points in time are stored as timestamptz, not timestamp without time zone.',
    severity: 'warning',
    category: 'schema',
    messages: { timestamp: 'Column {column} is timestamp without time zone: its values change meaning with the session time zone. Use timestamptz.' },
  },
  check(ctx) {
    for (const t of ownTables(ctx)) {
      for (const c of t.columns) {
        if (c.type.name === 'timestamp' && !c.type.schema) {
          ctx.report({ messageId: 'timestamp', data: { column: colObject(t, c) }, loc: c.loc, object: colObject(t, c), help: `ALTER TABLE ${displayName(t)} ALTER COLUMN ${c.name} TYPE timestamptz;` });
        }
      }
    }
  },
});
