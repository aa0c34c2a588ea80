import { defineRule } from '../engine/rule.js';
import { displayName, ownTables } from '../engine/util.js';

export default defineRule({
  id: 'require-primary-key',
  meta: {
    description: 'Every table has a primary key.',
    severity: 'error',
    category: 'schema',
    messages: { missing: 'Table {table} has no primary key: rows cannot be addressed, deduplicated or replicated reliably.' },
  },
  check(ctx) {
    for (const t of ownTables(ctx)) {
      if (t.inherits.length) continue;
      if (!t.constraints.some((c) => c.kind === 'primary')) {
        ctx.report({ messageId: 'missing', data: { table: displayName(t) }, loc: t.loc, object: displayName(t) });
      }
    }
  },
});
