import { defineRule } from '../engine/rule.js';
import { displayName } from '../engine/util.js';

export default defineRule({
  id: 'policy-without-rls',
  meta: {
    description: 'A table with policies has row-level security enabled, or the policies do nothing.',
    severity: 'error',
    category: 'schema',
    messages: { inert: 'Policy {policy} is defined on {table}, but row-level security is not enabled there: the policy is ignored and every row is visible.' },
  },
  check(ctx) {
    for (const p of ctx.catalog.policies) {
      const t = ctx.catalog.tables.get(p.table);
      if (t && !t.rls) ctx.report({ messageId: 'inert', data: { policy: p.name, table: displayName(t) }, loc: p.loc, object: p.name, help: `ALTER TABLE ${displayName(t)} ENABLE ROW LEVEL SECURITY;` });
    }
  },
});
