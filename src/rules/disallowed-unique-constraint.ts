import { alterCommands, columnConstraints } from '../migrations/helpers.js';
import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { lockPhrase } from '../migrations/locks.js';

export default defineMigrationRule({
  id: 'disallowed-unique-constraint',
  meta: {
    description: 'A unique constraint on an existing table is added USING INDEX an index built CONCURRENTLY.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { building: 'Adding unique constraint {name} builds its index under {lock}.' },
  },
  checkMigration(ctx) {
    for (const a of alterCommands(ctx)) {
      if (!ctx.existing(a.table)) continue;
      const cons = a.cmd.subtype === 'AT_AddConstraint' ? [a.cmd.def?.Constraint] : a.cmd.subtype === 'AT_AddColumn' ? columnConstraints(a.cmd) : [];
      for (const c of cons) {
        if (c?.contype !== 'CONSTR_UNIQUE' || c.indexname) continue;
        const name = c.conname ?? `${tableName(a.table)} unique`;
        ctx.report({ messageId: 'building', data: { name, lock: lockPhrase('ACCESS EXCLUSIVE', tableName(a.table), a.ms.inTransaction) }, loc: a.loc, object: name, help: `CREATE UNIQUE INDEX CONCURRENTLY ${name}_idx ON ...; then ALTER TABLE ... ADD CONSTRAINT ${name} UNIQUE USING INDEX ${name}_idx` });
      }
    }
  },
});
