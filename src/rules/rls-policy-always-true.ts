import { isTrueConst } from '../load/sql/ast.js';
import { defineRule } from '../engine/rule.js';
import { displayName } from '../engine/util.js';

export default defineRule({
  id: 'rls-policy-always-true',
  meta: {
    description: 'No permissive policy whose USING or WITH CHECK is the constant true.',
    severity: 'error',
    category: 'schema',
    messages: { always: 'Policy {policy} on {table} has {clause} (true): being permissive, it lets its roles {what} every row and cancels the other policies.' },
  },
  check(ctx) {
    for (const p of ctx.catalog.policies) {
      if (!p.permissive) continue;
      const t = ctx.catalog.tables.get(p.table);
      const table = t ? displayName(t) : p.table;
      if (p.using && isTrueConst(p.using.ast)) ctx.report({ messageId: 'always', data: { policy: p.name, table, clause: 'USING', what: 'see' }, loc: p.loc, object: p.name });
      else if (p.withCheck && isTrueConst(p.withCheck.ast) && p.command !== 'select') ctx.report({ messageId: 'always', data: { policy: p.name, table, clause: 'WITH CHECK', what: 'write' }, loc: p.loc, object: p.name });
    }
  },
});
