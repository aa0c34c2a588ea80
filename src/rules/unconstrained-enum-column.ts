import { defineRule } from './rule.js';
import { colObject, isTextLike, ownTables, words } from './util.js';

const ENUM_WORDS = new Set(['status', 'state', 'type', 'kind', 'category', 'priority', 'stage', 'phase', 'level', 'mode', 'severity']);

export default defineRule({
  id: 'unconstrained-enum-column',
  meta: {
    description: 'A text column holding a closed set of values (status, state, type, kind...) is limited by a CHECK, an enum type, a domain or a foreign key.',
    severity: 'warning',
    category: 'schema',
    messages: { open: 'Column {column} looks like a closed set of values but accepts any text: typos and retired values get stored. Add a CHECK ({name} IN (...)), an enum type or a foreign key to a lookup table.' },
  },
  check(ctx) {
    for (const t of ownTables(ctx)) {
      for (const c of t.columns) {
        if (!isTextLike(c)) continue;
        const w = words(c.name);
        if (!ENUM_WORDS.has(w[w.length - 1] ?? '')) continue;
        const constrained = t.constraints.some((k) => (k.kind === 'check' || k.kind === 'foreign') && k.columns.includes(c.name));
        if (!constrained) ctx.report({ messageId: 'open', data: { column: colObject(t, c), name: c.name }, loc: c.loc, object: colObject(t, c) });
      }
    }
  },
});
