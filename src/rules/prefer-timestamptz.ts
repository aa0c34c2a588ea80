import { defineRule } from './rule.js';
import { colObject, displayName, ownTables } from './util.js';

export default defineRule({
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
