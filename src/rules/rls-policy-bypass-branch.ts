import { bypassBranches, locInClause, readsSetting } from '../analyses/tenant-policy.js';
import { isTrueConst } from '../load/sql/ast.js';
import { defineRule } from '../engine/rule.js';
import { declaredTenantSetting, policiesWithTable } from '../engine/util.js';

export default defineRule({
  id: 'rls-policy-bypass-branch',
  meta: {
    description: 'No OR branch of a tenant policy\'s USING or WITH CHECK admits rows without reading the tenant setting, and a policy whose USING reads it checks writes by it too.',
    severity: 'error',
    category: 'schema',
    messages: {
      bypass: 'Policy {policy} on {table}: a branch of its {clause} does not read {setting}, so every row that branch matches {what} for every tenant.',
      checkIgnoresTenant: 'Policy {policy} on {table}: its USING reads {setting} but its WITH CHECK does not, so its roles may write rows of any tenant.',
    },
  },
  check(ctx) {
    const setting = declaredTenantSetting(ctx);
    for (const { policy: p, table } of policiesWithTable(ctx)) {
      const clauses = [{ clause: 'USING', expr: p.using, what: 'is visible' }, { clause: 'WITH CHECK', expr: p.withCheck, what: 'can be written' }];
      // WITH CHECK (true) itself is rls-policy-always-true's finding.
      if (p.using && p.withCheck && readsSetting(p.using.ast, setting) && !readsSetting(p.withCheck.ast, setting) && !(p.permissive && isTrueConst(p.withCheck.ast))) {
        ctx.report({ messageId: 'checkIgnoresTenant', data: { policy: p.name, table, setting: setting ?? 'the tenant setting' }, loc: locInClause(ctx.statements, p.withCheck.ast, p.withCheck.ast, p.loc), object: p.name });
      }
      for (const c of clauses) {
        if (!c.expr) continue;
        for (const branch of bypassBranches(c.expr.ast, setting)) {
          const data = { policy: p.name, table, clause: c.clause, setting: setting ?? 'the tenant setting', what: c.what };
          ctx.report({ messageId: 'bypass', data, loc: locInClause(ctx.statements, c.expr.ast, branch, p.loc), object: p.name });
        }
      }
    }
  },
});
