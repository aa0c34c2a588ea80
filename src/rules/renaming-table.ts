import { defineMigrationRule, tableName } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'renaming-table',
  meta: {
    description: 'Tables are not renamed in place; a rename breaks every running client that uses the old name.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { rename: 'Renaming {table} to {to} breaks every deployed client that still uses {table} the moment it commits.' },
  },
  checkMigration(ctx) {
    for (const ms of ctx.statements) {
      const a = ms.stmt.ast;
      if (ms.stmt.kind !== 'RenameStmt' || a.renameType !== 'OBJECT_TABLE') continue;
      const table = ctx.relKey(a.relation);
      if (!ctx.existing(table)) continue;
      ctx.report({ messageId: 'rename', data: { table: tableName(table), to: a.newname }, loc: ms.stmt.loc, object: tableName(table), help: 'create the new table (or a view with the new name), dual-write, switch, then drop the old name after the compatibility window' });
    }
  },
});
