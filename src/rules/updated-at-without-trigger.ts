import { defineRule } from '../engine/rule.js';
import { colObject, ownTables } from '../engine/util.js';

export default defineRule({
  id: 'updated-at-without-trigger',
  meta: {
    description: 'A table with an updated_at column has a BEFORE UPDATE row trigger that maintains it.',
    severity: 'warning',
    category: 'schema',
    messages: { noTrigger: 'Column {column} has no BEFORE UPDATE trigger on its table: it stays at its insert value unless every writer remembers to set it.' },
    options: { columns: { type: 'string[]', default: ['updated_at', 'modified_at', 'last_modified'], description: 'Column names that record the last change.' } },
  },
  check(ctx) {
    const names = ctx.options.columns as string[];
    for (const t of ownTables(ctx)) {
      const c = t.columns.find((x) => names.includes(x.name));
      if (!c) continue;
      const has = ctx.analyses.triggersOf(t.key).some((tr) => tr.timing === 'before' && tr.forEachRow && tr.events.includes('update'));
      if (!has) ctx.report({ messageId: 'noTrigger', data: { column: colObject(t, c) }, loc: c.loc, object: colObject(t, c) });
    }
  },
});
