import { asList } from '../load/design/types.js';
import { defineRule } from '../engine/rule.js';

export default defineRule({
  id: 'enforcement-object-missing',
  meta: {
    description: 'Every name in an invariant\'s enforced_by exists in the schema.',
    severity: 'error',
    category: 'design',
    messages: { missing: 'Invariant {id} is enforced_by {name}, which is not in the schema: the invariant is not enforced.' },
  },
  check(ctx) {
    const loaded = ctx.loaded;
    if (!loaded) return;
    (ctx.design?.invariants ?? []).forEach((inv, i) => {
      const list = asList(inv.enforced_by);
      list.forEach((name, j) => {
        if (ctx.analyses.named(name).length) return;
        const path = Array.isArray(inv.enforced_by) ? `/invariants/${i}/enforced_by/${j}` : `/invariants/${i}/enforced_by`;
        ctx.report({ messageId: 'missing', data: { id: inv.id ?? `invariants[${i}]`, name }, loc: loaded.at(path), object: inv.id ?? name, path: `/invariants/${i}` });
      });
    });
  },
});
