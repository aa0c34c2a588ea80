import { alterCommands, columnConstraints } from '../migrations/helpers.js';
import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { lockPhrase } from '../migrations/locks.js';

export default defineMigrationRule({
  id: 'adding-serial-primary-key-field',
  meta: {
    description: 'A primary key is not added to an existing table by a new serial column or a plain ADD PRIMARY KEY; build the unique index concurrently and add the key USING INDEX.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { blocking: 'Adding a primary key to {table} this way builds its index (and for a serial column, rewrites the table) under {lock}.' },
  },
  checkMigration(ctx) {
    for (const a of alterCommands(ctx)) {
      if (!ctx.existing(a.table)) continue;
      const lock = lockPhrase('ACCESS EXCLUSIVE', tableName(a.table), a.ms.inTransaction);
      const help = 'CREATE UNIQUE INDEX CONCURRENTLY ...; ALTER TABLE ... ADD CONSTRAINT ..._pkey PRIMARY KEY USING INDEX ...';
      if (a.cmd.subtype === 'AT_AddColumn' && columnConstraints(a.cmd).some((c) => c.contype === 'CONSTR_PRIMARY')) {
        ctx.report({ messageId: 'blocking', data: { table: tableName(a.table), lock }, loc: a.loc, object: tableName(a.table), help });
      }
      const con = a.cmd.def?.Constraint;
      if (a.cmd.subtype === 'AT_AddConstraint' && con?.contype === 'CONSTR_PRIMARY' && !con.indexname) {
        ctx.report({ messageId: 'blocking', data: { table: tableName(a.table), lock }, loc: a.loc, object: tableName(a.table), help });
      }
    }
  },
});
