import { defineMigrationRule, tableName } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'renaming-column',
  meta: {
    description: 'Columns are not renamed in place; a rename breaks every running client that uses the old name.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { rename: 'Renaming {column} to {to} breaks every deployed client that still reads or writes {from} the moment it commits.' },
  },
  checkMigration(ctx) {
    for (const ms of ctx.statements) {
      const a = ms.stmt.ast;
      if (ms.stmt.kind !== 'RenameStmt' || a.renameType !== 'OBJECT_COLUMN') continue;
      const table = ctx.relKey(a.relation);
      if (!ctx.existing(table)) continue;
      ctx.report({ messageId: 'rename', data: { column: `${tableName(table)}.${a.subname}`, to: a.newname, from: a.subname }, loc: ms.stmt.loc, object: `${tableName(table)}.${a.subname}`, help: 'add the new column, write both, backfill, switch reads, then drop the old one after the compatibility window' });
    }
  },
});
