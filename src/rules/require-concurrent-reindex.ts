import { defineMigrationRule, tableName } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'require-concurrent-reindex',
  meta: {
    description: 'REINDEX runs with CONCURRENTLY.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { plain: 'REINDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on each index (and SHARE on its table): reads that use the index and all writes wait.' },
  },
  checkMigration(ctx) {
    for (const ms of ctx.statements) {
      const a = ms.stmt.ast;
      // REINDEX SYSTEM cannot run concurrently at all.
      if (ms.stmt.kind !== 'ReindexStmt' || a.kind === 'REINDEX_OBJECT_SYSTEM') continue;
      const concurrent = (a.params ?? []).some((p: { DefElem?: { defname?: string } }) => p.DefElem?.defname === 'concurrently');
      if (concurrent) continue;
      ctx.report({ messageId: 'plain', loc: ms.stmt.loc, object: a.relation?.relname ? tableName(ctx.relKey(a.relation)) : a.name ?? 'reindex', help: 'REINDEX ... CONCURRENTLY' });
    }
  },
});
