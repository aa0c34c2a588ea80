import { defineRule } from '../engine/rule.js';
import { colObject, ownTables } from '../engine/util.js';

export default defineRule({
  id: 'large-object-column',
  meta: {
    description: 'No columns that point at PostgreSQL large objects (oid or lo).',
    severity: 'warning',
    category: 'schema',
    messages: { lo: 'Column {column} is {type}, a reference to a large object: large objects are not deleted with the row, escape row-level security and are awkward to dump and replicate. Store the bytes in bytea or in object storage with a key here.' },
  },
  check(ctx) {
    for (const t of ownTables(ctx)) {
      for (const c of t.columns) {
        if ((c.type.name === 'oid' || c.type.name === 'lo') && !c.type.array) ctx.report({ messageId: 'lo', data: { column: colObject(t, c), type: c.type.display }, loc: c.loc, object: colObject(t, c) });
      }
    }
  },
});
