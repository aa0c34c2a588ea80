import { locIn } from '../migrations/helpers.js';
import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { lockPhrase } from '../migrations/locks.js';

export default defineMigrationRule({
  id: 'constraint-missing-not-valid',
  meta: {
    description: 'CHECK and foreign-key constraints on existing tables are added NOT VALID (validating them in the adding transaction is validate-in-same-transaction).',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: {
      missing: 'Adding {name} without NOT VALID checks every row of {table} under {lock}.',
    },
  },
  checkMigration(ctx) {
    for (const ms of ctx.statements) {
      const s = ms.stmt;
      if (s.kind !== 'AlterTableStmt') continue;
      const table = ctx.relKey(s.ast.relation);
      for (const item of s.ast.cmds ?? []) {
        const cmd = item.AlterTableCmd;
        const con = cmd?.def?.Constraint;
        if (cmd?.subtype === 'AT_AddConstraint' && (con?.contype === 'CONSTR_CHECK' || con?.contype === 'CONSTR_FOREIGN') && ctx.existing(table)) {
          if (con.skip_validation) continue;
          const name = con.conname ?? 'constraint';
          ctx.report({ messageId: 'missing', data: { name, table: tableName(table), lock: lockPhrase(con.contype === 'CONSTR_FOREIGN' ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE', tableName(table), ms.inTransaction) }, loc: locIn(ms, con.location), object: name, help: `... ADD CONSTRAINT ${name} ... NOT VALID; then, in a new transaction, VALIDATE CONSTRAINT ${name}` });
        }
      }
    }
  },
});
