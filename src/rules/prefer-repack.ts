import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { optionOn } from '../migrations/helpers.js';
import { REPACK_SINCE } from './vacuum-full-or-cluster.js';

export default defineMigrationRule({
  id: 'prefer-repack',
  meta: {
    description: 'On PostgreSQL 19 and later, tables are rewritten with REPACK (CONCURRENTLY), not VACUUM FULL or CLUSTER.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: {
      table: '{what} holds ACCESS EXCLUSIVE on {table} for the whole rewrite: every read and write waits until it finishes. On PostgreSQL {version}, REPACK (CONCURRENTLY) rewrites it while they go on, with ACCESS EXCLUSIVE only for the final swap.',
      all: '{what} rewrites every {which} under ACCESS EXCLUSIVE, one after the other: each is unusable while its turn lasts. REPACK (CONCURRENTLY) takes one table at a time: name the tables that need it.',
    },
  },
  checkMigration(ctx) {
    if (ctx.pgVersion < REPACK_SINCE) return;
    const version = String(ctx.pgVersion);
    for (const ms of ctx.statements) {
      const s = ms.stmt;
      const a = s.ast;
      if (s.kind === 'ClusterStmt') {
        if (!a.relation) { ctx.report({ messageId: 'all', data: { what: 'CLUSTER', which: 'clustered table' }, loc: s.loc, object: 'database', help: 'REPACK (CONCURRENTLY) <table> USING INDEX, per table' }); continue; }
        const t = tableName(ctx.relKey(a.relation));
        if (!ctx.existing(ctx.relKey(a.relation))) continue;
        ctx.report({ messageId: 'table', data: { what: 'CLUSTER', table: t, version }, loc: s.loc, object: t, help: `REPACK (CONCURRENTLY) ${t} USING INDEX${a.indexname ? ` ${a.indexname}` : ''}` });
      }
      if (s.kind === 'VacuumStmt' && optionOn(a.options, 'full')) {
        const rels: { relname?: string; schemaname?: string }[] = (a.rels ?? []).map((r: { VacuumRelation?: { relation?: { relname?: string } } }) => r.VacuumRelation?.relation).filter((r: unknown) => Boolean(r));
        if (!rels.length) { ctx.report({ messageId: 'all', data: { what: 'VACUUM FULL', which: 'table' }, loc: s.loc, object: 'database', help: 'REPACK (CONCURRENTLY) <table>, per table' }); continue; }
        for (const rv of rels) {
          if (!ctx.existing(ctx.relKey(rv))) continue;
          const t = tableName(ctx.relKey(rv));
          ctx.report({ messageId: 'table', data: { what: 'VACUUM FULL', table: t, version }, loc: s.loc, object: t, help: `REPACK (CONCURRENTLY) ${t}` });
        }
      }
    }
  },
});
