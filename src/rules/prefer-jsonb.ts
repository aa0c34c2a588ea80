import { defineRule } from '../engine/rule.js';
import { colObject, ownTables } from '../engine/util.js';

export default defineRule({
  id: 'prefer-jsonb',
  meta: {
    description: 'Documents are stored as jsonb, not json.',
    severity: 'warning',
    category: 'schema',
    messages: { json: 'Column {column} is json: it is re-parsed on every access, cannot be indexed with GIN and has no equality operator. Use jsonb.' },
  },
  check(ctx) {
    for (const t of ownTables(ctx)) {
      for (const c of t.columns) {
        if (c.type.name === 'json' && !c.type.schema) ctx.report({ messageId: 'json', data: { column: colObject(t, c) }, loc: c.loc, object: colObject(t, c) });
      }
    }
  },
});
