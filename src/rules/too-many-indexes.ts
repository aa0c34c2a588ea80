import { defineRule } from '../engine/rule.js';
import { displayName, ownTables } from '../engine/util.js';

export default defineRule({
  id: 'too-many-indexes',
  meta: {
    description: 'A table has no more indexes than a set maximum.',
    severity: 'warning',
    category: 'schema',
    messages: { many: 'Table {table} has {count} indexes (more than {max}): every write updates each one. Check which access patterns need them.' },
    options: { max: { type: 'number', default: 10, description: 'Most indexes a table may have, constraint indexes included.' } },
  },
  check(ctx) {
    const max = Number(ctx.options.max);
    for (const t of ownTables(ctx)) {
      const count = ctx.analyses.indexesOf(t.key).length;
      if (count > max) ctx.report({ messageId: 'many', data: { table: displayName(t), count, max }, loc: t.loc, object: displayName(t) });
    }
  },
});
