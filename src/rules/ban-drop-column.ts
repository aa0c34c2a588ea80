import { alterCommands } from '../migrations/helpers.js';
import { defineMigrationRule, tableName } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'ban-drop-column',
  meta: {
    description: 'Dropping a column is a contract step that needs every client to have stopped using it.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { drop: 'Dropping {column} breaks any deployed client that still selects or writes it, and its data is gone.' },
  },
  checkMigration(ctx) {
    for (const a of alterCommands(ctx)) {
      if (a.cmd.subtype !== 'AT_DropColumn' || !ctx.existing(a.table)) continue;
      const column = `${tableName(a.table)}.${a.cmd.name}`;
      ctx.report({ messageId: 'drop', data: { column }, loc: a.ms.stmt.loc, object: column, help: 'stop reading and writing the column in a release first; drop it after the compatibility window (roll-forward only)' });
    }
  },
});
