import type { Table } from '../catalog/model.js';
import { defineRule, type RuleContext } from '../engine/rule.js';
import { displayName, ownTables } from '../engine/util.js';
import type { Ast, Loc } from '../types.js';

/** The last ALTER TABLE ... OWNER TO `role` of the table, else where the table was made. */
function ownerLoc(ctx: RuleContext, t: Table, role: string): Loc {
  let loc = t.loc;
  for (const s of ctx.statements) {
    if (s.kind !== 'AlterTableStmt') continue;
    const rel = s.ast.relation;
    if (rel?.relname !== t.name || (rel.schemaname && rel.schemaname !== t.schema)) continue;
    const cmd = (s.ast.cmds ?? []).map((c: Ast) => c.AlterTableCmd).find((c: Ast) => c?.subtype === 'AT_ChangeOwner' && c.newowner?.rolename === role);
    if (cmd) loc = s.loc;
  }
  return loc;
}

export default defineRule({
  id: 'rls-owner-without-force',
  meta: {
    description: 'A table with row-level security is not owned by the application role, unless it also forces row-level security.',
    severity: 'error',
    category: 'schema',
    messages: {
      ownerBypasses: 'Table {table} is owned by {role}, the application role, and does not FORCE ROW LEVEL SECURITY: a table\'s owner bypasses its policies, so {role} sees and writes every tenant\'s rows.',
    },
  },
  check(ctx) {
    const role = ctx.design?.security?.tenant_isolation?.role;
    if (typeof role !== 'string') return;
    for (const t of ownTables(ctx)) {
      if (!t.rls || t.forceRls || t.owner !== role) continue;
      const table = displayName(t);
      ctx.report({ messageId: 'ownerBypasses', data: { table, role }, loc: ownerLoc(ctx, t, role), object: table, help: `ALTER TABLE ${table} FORCE ROW LEVEL SECURITY; (or let another role own it)` });
    }
  },
});
