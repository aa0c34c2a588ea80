import { defineRule } from '../engine/rule.js';
import { colObject, isTextLike, ownTables, words } from '../engine/util.js';

const ENUM_WORDS = new Set(['status', 'state', 'type', 'kind', 'category', 'priority', 'stage', 'phase', 'level', 'mode', 'severity']);

export default defineRule({
  id: 'unconstrained-enum-column',
  meta: {
    description: 'A text column holding a closed set of values (status, state, type, kind...) is limited by a CHECK, an enum type, a domain or a foreign key.',
    severity: 'warning',
    category: 'schema',
    messages: {
      open: 'Column {column} looks like a closed set of values but accepts any text: typos and retired values get stored. Add a CHECK ({name} IN (...)), an enum type or a foreign key to a lookup table.',
      mechanism: 'Column {column} is limited by {used}, but conventions.enums asks for {wanted}.',
    },
  },
  check(ctx) {
    const wanted = ctx.conventions.enums;
    const enumTypes = new Set([...ctx.catalog.enums.values()].flatMap((e) => [e.name, e.key]));
    for (const t of ownTables(ctx)) {
      for (const c of t.columns) {
        if (wanted) {
          const used = enumTypes.has(c.type.schema ? `${c.type.schema}.${c.type.name}` : c.type.name) ? 'enum-type'
            : t.constraints.some((k) => k.kind === 'foreign' && k.columns.length === 1 && k.columns[0] === c.name) && ENUM_WORDS.has(words(c.name).pop() ?? '') ? 'lookup-table'
              : t.constraints.some((k) => k.kind === 'check' && k.columns.includes(c.name)) && ctx.analyses.allowedValues(t, c.name) ? 'check' : undefined;
          if (used && used !== wanted) {
            ctx.report({ messageId: 'mechanism', data: { column: colObject(t, c), used: used === 'check' ? 'a CHECK list' : used === 'enum-type' ? `the enum type ${c.type.display}` : 'a lookup table', wanted }, loc: c.loc, object: colObject(t, c) });
            continue;
          }
        }
        if (!isTextLike(c)) continue;
        const w = words(c.name);
        if (!ENUM_WORDS.has(w[w.length - 1] ?? '')) continue;
        const constrained = t.constraints.some((k) => (k.kind === 'check' || k.kind === 'foreign') && k.columns.includes(c.name));
        if (!constrained) ctx.report({ messageId: 'open', data: { column: colObject(t, c), name: c.name }, loc: c.loc, object: colObject(t, c) });
      }
    }
  },
});
