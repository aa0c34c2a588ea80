import { defineMigrationRule } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'validate-in-same-transaction',
  meta: {
    description: 'VALIDATE CONSTRAINT runs in a later transaction than the one that added the constraint NOT VALID.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { sameTx: 'VALIDATE CONSTRAINT {name} runs in the transaction that added it NOT VALID, so the ADD\'s lock is still held during the whole scan: validate in a separate transaction.' },
  },
  checkMigration(ctx) {
    let open = new Set<string>();
    for (const ms of ctx.statements) {
      const s = ms.stmt;
      if (s.kind === 'TransactionStmt' && /COMMIT|ROLLBACK|END/.test(String(s.ast.kind))) { open = new Set(); continue; }
      if (!ms.inTransaction) open = new Set();
      if (s.kind !== 'AlterTableStmt') continue;
      const table = ctx.relKey(s.ast.relation);
      for (const item of s.ast.cmds ?? []) {
        const cmd = item.AlterTableCmd;
        const con = cmd?.def?.Constraint;
        if (cmd?.subtype === 'AT_AddConstraint' && con?.skip_validation && ms.inTransaction) open.add(`${table}.${con.conname}`);
        if (cmd?.subtype === 'AT_ValidateConstraint' && ms.inTransaction && open.has(`${table}.${cmd.name}`)) {
          ctx.report({ messageId: 'sameTx', data: { name: cmd.name }, loc: s.loc, object: cmd.name, help: 'COMMIT after the NOT VALID add; VALIDATE in the next migration (or transaction)' });
        }
      }
    }
  },
});
