import { alterCommands } from '../migrations/helpers.js';
import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { lockPhrase } from '../migrations/locks.js';

export default defineMigrationRule({
  id: 'require-concurrent-partition-detach',
  meta: {
    description: 'DETACH PARTITION runs CONCURRENTLY (PostgreSQL 14+): the plain form locks the whole partitioned table.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { detach: 'DETACH PARTITION {partition} takes {lock}. Use DETACH PARTITION ... CONCURRENTLY (outside a transaction), which only takes SHARE UPDATE EXCLUSIVE on the parent.' },
  },
  checkMigration(ctx) {
    if (ctx.pgVersion < 14) return;
    for (const a of alterCommands(ctx)) {
      if (a.cmd.subtype !== 'AT_DetachPartition' || !ctx.existing(a.table)) continue;
      const part = a.cmd.def?.PartitionCmd;
      if (part?.concurrent) continue;
      const partition = tableName(ctx.relKey(part?.name));
      ctx.report({
        messageId: 'detach', data: { partition, lock: lockPhrase('ACCESS EXCLUSIVE', tableName(a.table), a.ms.inTransaction) }, loc: a.ms.stmt.loc, object: tableName(a.table),
        help: `ALTER TABLE ${tableName(a.table)} DETACH PARTITION ${partition} CONCURRENTLY;`,
      });
    }
  },
});
