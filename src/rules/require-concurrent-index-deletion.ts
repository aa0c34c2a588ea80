import { defineMigrationRule } from '../migrations/lint.js';
import { strList } from '../load/sql/ast.js';

export default defineMigrationRule({
  id: 'require-concurrent-index-deletion',
  meta: {
    description: 'Indexes are dropped with DROP INDEX CONCURRENTLY.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { plain: 'DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the index\'s table: blocks reads and writes while it waits for and runs the drop.' },
  },
  checkMigration(ctx) {
    for (const ms of ctx.statements) {
      const a = ms.stmt.ast;
      if (ms.stmt.kind !== 'DropStmt' || a.removeType !== 'OBJECT_INDEX' || a.concurrent) continue;
      const names = (a.objects ?? []).map((o: { List?: { items: unknown[] } }) => strList(o.List?.items as never).join('.'));
      ctx.report({ messageId: 'plain', loc: ms.stmt.loc, object: names.join(', '), help: `DROP INDEX CONCURRENTLY ${names.join(', ')}` });
    }
  },
});
