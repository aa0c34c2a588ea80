import { defineRule } from '../engine/rule.js';
import { displayName, ownTables } from '../engine/util.js';

export default defineRule({
  id: 'rls-enabled-no-policy',
  meta: {
    description: 'A table with row-level security enabled has at least one policy.',
    severity: 'warning',
    category: 'schema',
    messages: { none: 'Table {table} has row-level security enabled but no policy: every role but the owner and superusers sees no rows and cannot write.' },
  },
  check(ctx) {
    for (const t of ownTables(ctx)) {
      if (t.rls && ctx.analyses.policiesOf(t.key).length === 0) ctx.report({ messageId: 'none', data: { table: displayName(t) }, loc: t.loc, object: displayName(t) });
    }
  },
});
