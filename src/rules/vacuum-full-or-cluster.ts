import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { tableRewriteOf } from '../migrations/helpers.js';

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
      const r = tableRewriteOf(ms.stmt);
      if (!r) continue;
      const cluster = r.what === 'CLUSTER';
      const table = r.tables.map((rv) => (cluster ? tableName(ctx.relKey(rv)) : rv.relname)).join(', ') || (cluster ? 'every clustered table' : 'every table');
      ctx.report({ messageId: 'rewrite', data: { what: r.what, table }, loc: ms.stmt.loc, object: table, help: cluster ? 'use pg_repack (or pg_squeeze) to reorder online' : 'use plain VACUUM, or pg_repack to reclaim space online' });
    }
  },
});
