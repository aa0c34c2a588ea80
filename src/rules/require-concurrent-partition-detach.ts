import { alterCommands } from '../migrations/helpers.js';
import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { lockPhrase } from '../migrations/locks.js';
import { defaultPartitionOf } from '../catalog/model.js';

export default defineMigrationRule({
  id: 'require-concurrent-partition-detach',
  meta: {
    description: 'DETACH PARTITION runs CONCURRENTLY (PostgreSQL 14+): the plain form locks the whole partitioned table.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: {
      detach: 'DETACH PARTITION {partition} takes {lock}. Use DETACH PARTITION ... CONCURRENTLY (outside a transaction), which only takes SHARE UPDATE EXCLUSIVE on the parent.',
      detachWithDefault: 'DETACH PARTITION {partition} takes {lock}, and CONCURRENTLY is refused while {table} has a DEFAULT partition ({default}): detach that one first, or keep the lock short (lock_timeout) at a quiet moment.',
    },
  },
  checkMigration(ctx) {
    if (ctx.pgVersion < 14) return;
    for (const a of alterCommands(ctx)) {
      if (a.cmd.subtype !== 'AT_DetachPartition' || !ctx.existing(a.table)) continue;
      const part = a.cmd.def?.PartitionCmd;
      if (part?.concurrent) continue;
      const partition = tableName(ctx.relKey(part?.name));
      const lock = lockPhrase('ACCESS EXCLUSIVE', tableName(a.table), a.ms.inTransaction);
      // PostgreSQL refuses the concurrent form while the parent has a DEFAULT partition (other than this one).
      const dflt = defaultPartitionOf(ctx.catalog, a.table, ctx.relKey(part?.name));
      if (dflt) {
        ctx.report({ messageId: 'detachWithDefault', data: { partition, lock, table: tableName(a.table), default: tableName(dflt.key) }, loc: a.ms.stmt.loc, object: tableName(a.table) });
        continue;
      }
      ctx.report({
        messageId: 'detach', data: { partition, lock }, loc: a.ms.stmt.loc, object: tableName(a.table),
        help: `ALTER TABLE ${tableName(a.table)} DETACH PARTITION ${partition} CONCURRENTLY;`,
      });
    }
  },
});
