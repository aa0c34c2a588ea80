import { defineRule } from './rule.js';
import { colObject, ownTables } from './util.js';

export default defineRule({
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
