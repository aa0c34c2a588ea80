import { defineMigrationRule } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'ban-truncate-cascade',
  meta: {
    description: 'TRUNCATE does not CASCADE.',
    severity: 'error',
    category: 'migration',
    affectsReaders: true,
    messages: { cascade: 'TRUNCATE ... CASCADE also empties every table that references {tables}, recursively, under ACCESS EXCLUSIVE locks.' },
  },
  checkMigration(ctx) {
    for (const ms of ctx.statements) {
      const a = ms.stmt.ast;
      if (ms.stmt.kind !== 'TruncateStmt' || a.behavior !== 'DROP_CASCADE') continue;
      const tables = (a.relations ?? []).map((r: { RangeVar?: { relname: string } }) => r.RangeVar?.relname).join(', ');
      ctx.report({ messageId: 'cascade', data: { tables }, loc: ms.stmt.loc, object: tables, help: 'name every table to truncate explicitly' });
    }
  },
});
