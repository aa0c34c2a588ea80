import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { strList } from '../load/sql/ast.js';

export default defineMigrationRule({
  id: 'ban-drop-table',
  meta: {
    description: 'Dropping a table is a contract step that needs every client to have stopped using it.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { drop: 'Dropping table {table} breaks any client that still uses it, and its data is gone.' },
  },
  checkMigration(ctx) {
    for (const ms of ctx.statements) {
      const a = ms.stmt.ast;
      if (ms.stmt.kind !== 'DropStmt' || a.removeType !== 'OBJECT_TABLE') continue;
      for (const o of a.objects ?? []) {
        const names = strList(o.List?.items);
        const key = names.length > 1 ? names.join('.') : `public.${names[0]}`;
        if (ctx.createdHere.has(key)) continue;
        ctx.report({ messageId: 'drop', data: { table: tableName(key) }, loc: ms.stmt.loc, object: tableName(key) });
      }
    }
  },
});
