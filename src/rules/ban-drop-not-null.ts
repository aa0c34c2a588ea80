import { alterCommands } from '../migrations/helpers.js';
import { defineMigrationRule, tableName } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'ban-drop-not-null',
  meta: {
    description: 'DROP NOT NULL is a compatibility change: readers that assumed a value now get NULLs.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { drop: 'Dropping NOT NULL on {column} lets writers store NULL, which deployed readers may not handle.' },
  },
  checkMigration(ctx) {
    for (const a of alterCommands(ctx)) {
      if (a.cmd.subtype !== 'AT_DropNotNull' || !ctx.existing(a.table)) continue;
      const column = `${tableName(a.table)}.${a.cmd.name}`;
      ctx.report({ messageId: 'drop', data: { column }, loc: a.ms.stmt.loc, object: column });
    }
  },
});
