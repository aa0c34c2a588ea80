import { asList } from '../load/design/types.js';
import { defineRule } from '../engine/rule.js';

export default defineRule({
  id: 'enforcement-object-wrong-kind',
  meta: {
    description: 'Every enforced_by names an object that can enforce a rule: a constraint (a domain\'s too), a unique index, a trigger, a policy, or table.column for NOT NULL.',
    severity: 'error',
    category: 'design',
    messages: {
      plainIndex: 'Invariant {id} is enforced_by {name}, a non-unique index: an index that is not unique rejects nothing.',
      nullable: 'Invariant {id} is enforced_by {name}, a column that accepts NULL: only NOT NULL enforces anything by naming a column.',
      other: 'Invariant {id} is enforced_by {name}, which is a {what}: a {what} cannot reject a write.',
    },
  },
  check(ctx) {
    const loaded = ctx.loaded;
    if (!loaded) return;
    (ctx.design?.invariants ?? []).forEach((inv, i) => {
      asList(inv.enforced_by).forEach((name, j) => {
        const found = ctx.analyses.named(name);
        if (!found.length) return;
        const path = Array.isArray(inv.enforced_by) ? `/invariants/${i}/enforced_by/${j}` : `/invariants/${i}/enforced_by`;
        const id = inv.id ?? `invariants[${i}]`;
        const enforcing = found.find((o) => o.kind === 'constraint' || o.kind === 'trigger' || o.kind === 'policy' || (o.kind === 'index' && (o.index.unique || o.index.method !== 'btree' && o.index.constraint)) || (o.kind === 'column-not-null' && o.column.notNull)
          || (o.kind === 'other' && (o.what === 'domain constraint' || o.what === 'domain')));
        if (enforcing) return;
        const o = found[0]!;
        const base = { loc: loaded.at(path), object: id, path: `/invariants/${i}` };
        if (o.kind === 'index') ctx.report({ messageId: 'plainIndex', data: { id, name }, ...base });
        else if (o.kind === 'column-not-null') ctx.report({ messageId: 'nullable', data: { id, name }, ...base });
        else if (o.kind === 'other') ctx.report({ messageId: 'other', data: { id, name, what: o.what }, ...base });
      });
    });
  },
});
