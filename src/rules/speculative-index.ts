import { indexServesForeignKey } from '../analyses/fk-index.js';
import { asList } from '../load/design/types.js';
import { defineRule } from '../engine/rule.js';
import { indexKeyText } from '../engine/util.js';

export default defineRule({
  id: 'speculative-index',
  meta: {
    description: 'Every index that backs no constraint is justified by an access pattern, a foreign key it serves, or an invariant it enforces.',
    severity: 'warning',
    category: 'design',
    messages: { unjustified: 'Index {index} on {table} ({keys}) is named by no access pattern or invariant and serves no foreign key: every write pays for it. Add the access pattern that needs it, or drop it.' },
  },
  check(ctx) {
    const d = ctx.design;
    if (!d || !ctx.loaded) return;
    // Only a design that lists its access patterns can judge what an index is for.
    if (!d.access_patterns?.length) return;
    const named = new Set<string>();
    for (const q of d.access_patterns) if (q.index) named.add(q.index);
    for (const inv of d.invariants ?? []) for (const n of asList(inv.enforced_by)) named.add(n);
    for (const ix of ctx.catalog.indexes.values()) {
      if (ix.constraint || named.has(ix.name) || named.has(ix.key)) continue;
      const t = ctx.catalog.tables.get(ix.table);
      if (!t || t.partitionOf) continue;
      const servesFk = t.constraints.some((fk) => fk.kind === 'foreign' && indexServesForeignKey(ix, fk.columns));
      if (servesFk) continue;
      ctx.report({ messageId: 'unjustified', data: { index: ix.name, table: t.name, keys: indexKeyText(ix) }, loc: ix.loc, object: ix.name });
    }
  },
});
