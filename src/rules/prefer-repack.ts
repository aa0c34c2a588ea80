import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { tableRewriteOf } from '../migrations/helpers.js';
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
      const r = tableRewriteOf(ms.stmt);
      if (!r) continue;
      const using = r.what === 'CLUSTER' ? ' USING INDEX' : '';
      if (!r.tables.length) {
        ctx.report({ messageId: 'all', data: { what: r.what, which: r.what === 'CLUSTER' ? 'clustered table' : 'table' }, loc: ms.stmt.loc, object: 'database', help: `REPACK (CONCURRENTLY) <table>${using}, per table` });
        continue;
      }
      for (const rv of r.tables) {
        if (!ctx.existing(ctx.relKey(rv))) continue;
        const t = tableName(ctx.relKey(rv));
        ctx.report({ messageId: 'table', data: { what: r.what, table: t, version }, loc: ms.stmt.loc, object: t, help: `REPACK (CONCURRENTLY) ${t}${using}${r.index ? ` ${r.index}` : ''}` });
      }
    }
  },
});
