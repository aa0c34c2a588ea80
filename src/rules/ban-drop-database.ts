import { defineMigrationRule } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'ban-drop-database',
  meta: {
    description: 'Migrations do not drop databases.',
    severity: 'error',
    category: 'migration',
    messages: { drop: 'DROP DATABASE {name} in a migration destroys every table in it.' },
  },
  checkMigration(ctx) {
    for (const ms of ctx.statements) {
      if (ms.stmt.kind === 'DropdbStmt') ctx.report({ messageId: 'drop', data: { name: ms.stmt.ast.dbname }, loc: ms.stmt.loc, object: ms.stmt.ast.dbname });
    }
  },
});
