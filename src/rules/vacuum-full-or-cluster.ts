import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { optionOn } from '../migrations/helpers.js';

/** From this PostgreSQL version on, prefer-repack reports these statements with REPACK's advice. */
export const REPACK_SINCE = 19;

export default defineMigrationRule({
  id: 'vacuum-full-or-cluster',
  meta: {
    description: 'Migrations do not run VACUUM FULL or CLUSTER.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { rewrite: '{what} rewrites {table} under ACCESS EXCLUSIVE: every read and write waits until it finishes.' },
  },
  checkMigration(ctx) {
    if (ctx.pgVersion >= REPACK_SINCE) return;
    for (const ms of ctx.statements) {
      const a = ms.stmt.ast;
      if (ms.stmt.kind === 'ClusterStmt') {
        const t = a.relation ? tableName(ctx.relKey(a.relation)) : 'every clustered table';
        ctx.report({ messageId: 'rewrite', data: { what: 'CLUSTER', table: t }, loc: ms.stmt.loc, object: t, help: 'use pg_repack (or pg_squeeze) to reorder online' });
      }
      if (ms.stmt.kind === 'VacuumStmt' && optionOn(a.options, 'full')) {
        const rels = (a.rels ?? []).map((r: { VacuumRelation?: { relation?: { relname?: string } } }) => r.VacuumRelation?.relation?.relname).filter(Boolean).join(', ') || 'every table';
        ctx.report({ messageId: 'rewrite', data: { what: 'VACUUM FULL', table: rels }, loc: ms.stmt.loc, object: rels, help: 'use plain VACUUM, or pg_repack to reclaim space online' });
      }
    }
  },
});
