import { indexServesForeignKey } from '../analyses/fk-index.js';
import { defineRule } from '../engine/rule.js';

import { displayName, ownTables } from '../engine/util.js';

export default defineRule({
  id: 'unindexed-foreign-key',
  meta: {
    description: 'Every foreign key has an index whose leading columns are its columns.',
    severity: 'warning',
    category: 'schema',
    messages: {
      unindexed: 'Foreign key {constraint} on {table} ({columns}) has no index leading with those columns: deletes and updates of the parent scan {table}, and joins from the parent cannot use an index.',
    },
  },
  check(ctx) {
    for (const t of ownTables(ctx)) {
      for (const fk of t.constraints) {
        if (fk.kind !== 'foreign' || fk.columns.length === 0) continue;
        const covered = ctx.analyses.indexesOf(t.key).some((ix) => indexServesForeignKey(ix, fk.columns));
        if (!covered) {
          ctx.report({
            messageId: 'unindexed',
            data: { constraint: fk.name, table: displayName(t), columns: fk.columns.join(', ') },
            loc: fk.loc,
            object: fk.name,
            help: `CREATE INDEX CONCURRENTLY ON ${displayName(t)} (${fk.columns.join(', ')});`,
          });
        }
      }
    }
  },
});
