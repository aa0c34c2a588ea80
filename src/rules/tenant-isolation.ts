import { defineRule } from '../engine/rule.js';
import { displayName, seg } from '../engine/util.js';

export default defineRule({
  id: 'tenant-isolation',
  meta: {
    description: 'A tenant_scoped table carries the tenant column, has row-level security enabled with a policy, and its unique keys and foreign keys include the tenant column.',
    severity: 'error',
    category: 'design',
    messages: {
      noColumn: 'Table {table} is tenant_scoped but has no {column} column.',
      noRls: 'Table {table} is tenant_scoped but row-level security is not enabled: a query that forgets its tenant filter reads every tenant.',
      noPolicy: 'Table {table} is tenant_scoped and has row-level security enabled, but no policy names {column}.',
      uniqueWithoutTenant: 'Unique key {name} on tenant_scoped table {table} ({columns}) does not include {column}: one tenant\'s value blocks every other tenant.',
      fkWithoutTenant: 'Foreign key {name} from tenant_scoped table {table} to tenant_scoped table {ref} does not include {column}: a row can reference another tenant\'s row.',
    },
  },
  check(ctx) {
    const column = ctx.analyses.tenantColumn();
    const entities = ctx.design?.entities ?? {};
    const scoped = new Set(Object.entries(entities).filter(([, e]) => e.tenant_scoped).map(([n]) => n));
    for (const name of scoped) {
      const t = ctx.analyses.table(name);
      if (!t) continue; // unknown-reference reports it
      const path = `/entities/${seg(name)}`;
      const object = displayName(t);
      if (!t.columns.some((c) => c.name === column)) {
        ctx.report({ messageId: 'noColumn', data: { table: object, column }, loc: t.loc, object, path });
        continue;
      }
      if (!t.rls) ctx.report({ messageId: 'noRls', data: { table: object }, loc: t.loc, object, path, help: `ALTER TABLE ${object} ENABLE ROW LEVEL SECURITY;` });
      else if (!ctx.analyses.policiesOf(t.key).some((p) => [...(p.using?.columns ?? []), ...(p.withCheck?.columns ?? [])].includes(column))) {
        ctx.report({ messageId: 'noPolicy', data: { table: object, column }, loc: t.loc, object, path });
      }
      for (const ix of ctx.analyses.indexesOf(t.key)) {
        if (!ix.unique || ix.primary) continue;
        if (ix.keys.some((k) => k.column === column || k.expr?.columns.includes(column))) continue;
        ctx.report({ messageId: 'uniqueWithoutTenant', data: { name: ix.name, table: object, columns: ix.keys.map((k) => k.column ?? 'expr').join(', '), column }, loc: ix.loc, object: ix.name, path });
      }
      for (const fk of t.constraints) {
        if (fk.kind !== 'foreign' || !fk.ref) continue;
        const ref = ctx.catalog.tables.get(fk.ref.table);
        if (!ref) continue;
        const refScoped = [...scoped].some((n) => ctx.analyses.table(n)?.key === ref.key);
        if (!refScoped || fk.columns.includes(column)) continue;
        ctx.report({ messageId: 'fkWithoutTenant', data: { name: fk.name, table: object, ref: displayName(ref), column }, loc: fk.loc, object: fk.name, path });
      }
    }
  },
});
