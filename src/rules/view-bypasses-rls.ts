import type { View } from '../catalog/model.js';
import { defineRule, type RuleContext } from '../engine/rule.js';
import { displayName } from '../engine/util.js';
import type { Ast } from '../types.js';

function optionOn(d: Ast): boolean {
  const a = d.arg;
  if (a === undefined || a === null) return true;
  if (a.Boolean) return a.Boolean.boolval === true;
  if (a.Integer) return Number(a.Integer.ival ?? 0) !== 0;
  const s = a.String?.sval ?? a.TypeName?.names?.[0]?.String?.sval;
  return typeof s === 'string' && /^(true|on|yes|1)$/i.test(s);
}

/** Per view name: whether security_invoker is on after every CREATE VIEW and ALTER VIEW SET/RESET. */
function invokerViews(ctx: RuleContext): Map<string, boolean> {
  const on = new Map<string, boolean>();
  const opt = (list: Ast[] | undefined): Ast | undefined => (list ?? []).map((o) => o.DefElem).find((d) => d?.defname === 'security_invoker');
  for (const s of ctx.statements) {
    if (s.kind === 'ViewStmt') {
      const d = opt(s.ast.options);
      on.set(s.ast.view?.relname, d ? optionOn(d) : false);
    } else if (s.kind === 'AlterTableStmt' && s.ast.objtype === 'OBJECT_VIEW') {
      for (const c of (s.ast.cmds ?? []).map((x: Ast) => x.AlterTableCmd)) {
        const d = opt(c?.def?.List?.items);
        if (c?.subtype === 'AT_SetRelOptions' && d) on.set(s.ast.relation?.relname, optionOn(d));
        if (c?.subtype === 'AT_ResetRelOptions' && d) on.set(s.ast.relation?.relname, false);
      }
    }
  }
  return on;
}

/** The row-level-security table a view reads, directly or through other views. */
function rlsTableUnder(ctx: RuleContext, v: View, seen = new Set<string>()): string | undefined {
  for (const key of v.dependsOn) {
    if (seen.has(key)) continue;
    seen.add(key);
    const t = ctx.catalog.tables.get(key);
    if (t?.rls) return displayName(t);
    const inner = ctx.catalog.views.get(key);
    const found = inner ? rlsTableUnder(ctx, inner, seen) : undefined;
    if (found) return found;
  }
  return undefined;
}

function selectGrantees(ctx: RuleContext, v: View): string[] {
  return [...(ctx.catalog.acl.get(`table:${v.key}`) ?? [])].map((e) => e.split('\t')).filter(([, p]) => p === 'SELECT').map(([g]) => g!);
}

export default defineRule({
  id: 'view-bypasses-rls',
  meta: {
    description: 'A view over a row-level-security table reads it with the caller\'s rights (security_invoker), and no materialized view of such a table is granted to the application role.',
    severity: 'error',
    category: 'schema',
    messages: {
      definerView: 'View {view} reads {table}, which has row-level security, without security_invoker: it runs with its owner\'s rights, who bypasses the policies, so whoever may read the view sees every tenant\'s rows.',
      matviewGranted: 'Materialized view {view} holds rows of {table}, which has row-level security, and is granted to {role}: a materialized view has no row-level security, so {role} reads every tenant\'s rows.',
    },
  },
  check(ctx) {
    const ti = ctx.design?.security?.tenant_isolation;
    const appRole = typeof ti?.role === 'string' ? ti.role : undefined;
    const scoped = new Set(Object.entries(ctx.design?.entities ?? {}).filter(([, e]) => e.tenant_scoped).map(([n]) => n));
    const invoker = invokerViews(ctx);
    for (const v of ctx.catalog.views.values()) {
      const view = displayName(v);
      const table = rlsTableUnder(ctx, v) ?? (scoped.has(view) || scoped.has(v.key) ? view : undefined);
      if (!table) continue;
      const grantees = selectGrantees(ctx, v);
      if (v.materialized) {
        const role = grantees.find((g) => g === appRole || g === 'public') ?? (appRole ? undefined : grantees[0]);
        if (role) ctx.report({ messageId: 'matviewGranted', data: { view, table, role }, loc: v.loc, object: view });
      } else if (!invoker.get(v.name) && (grantees.length || scoped.has(view) || scoped.has(v.key))) {
        ctx.report({ messageId: 'definerView', data: { view, table }, loc: v.loc, object: view, help: `ALTER VIEW ${view} SET (security_invoker = true);` });
      }
    }
  },
});
