import { type MissingState, locInClause, trueWhenMissing } from '../analyses/tenant-policy.js';
import { defineRule } from '../engine/rule.js';
import { declaredTenantSetting, policiesWithTable } from '../engine/util.js';

const STATES: Record<'unset' | 'empty' | 'both', string> = { unset: 'not set', empty: "set to ''", both: "not set or set to ''" };

export default defineRule({
  id: 'rls-policy-fails-open',
  meta: {
    description: 'A policy is not true for every row when the tenant setting is missing (never set on the connection, or reset to an empty string).',
    severity: 'error',
    category: 'schema',
    messages: {
      failsOpen: 'Policy {policy} on {table}: its {clause} is true for every row when {setting} is {state}, so a connection that has not set its tenant {what} every tenant\'s rows.',
    },
  },
  check(ctx) {
    const setting = declaredTenantSetting(ctx);
    for (const { policy: p, table } of policiesWithTable(ctx)) {
      const clauses = [{ clause: 'USING', expr: p.using, what: 'sees' }, { clause: 'WITH CHECK', expr: p.withCheck, what: 'writes' }];
      for (const c of clauses) {
        if (!c.expr) continue;
        const open = (['unset', 'empty'] as MissingState[]).filter((s) => trueWhenMissing(c.expr!.ast, setting, s));
        if (!open.length) continue;
        const state = STATES[open.length === 2 ? 'both' : open[0]!];
        const data = { policy: p.name, table, clause: c.clause, setting: setting ?? 'the setting it reads', state, what: c.what };
        ctx.report({ messageId: 'failsOpen', data, loc: locInClause(ctx.statements, c.expr.ast, c.expr.ast, p.loc), object: p.name });
      }
    }
  },
});
