import { defineMigrationRule } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'prefer-robust-stmts',
  meta: {
    description: 'A migration that runs outside a transaction can be re-run after a failure halfway: its DDL says IF [NOT] EXISTS (and an ADD CONSTRAINT follows a DROP CONSTRAINT IF EXISTS).',
    severity: 'warning',
    category: 'migration',
    messages: { fragile: 'Outside a transaction a failure leaves this migration half applied, and re-running it stops here: {fix}.' },
  },
  checkMigration(ctx) {
    const real = ctx.statements.filter((m) => m.stmt.kind !== 'TransactionStmt');
    if (real.length < 2) return; // a one-statement migration cannot be half applied
    const dropped = new Set<string>();
    for (const ms of ctx.statements) {
      const s = ms.stmt;
      const a = s.ast;
      if (s.kind === 'AlterTableStmt') {
        for (const item of a.cmds ?? []) {
          const c = item.AlterTableCmd;
          if (c?.subtype === 'AT_DropConstraint' && c.missing_ok) dropped.add(c.name);
        }
      }
      if (ms.inTransaction) continue;
      let fix: string | undefined;
      switch (s.kind) {
        case 'CreateStmt': {
          const onCommitDrop = a.oncommit === 'ONCOMMIT_DROP' && a.relation?.relpersistence === 't';
          if (!a.if_not_exists && !onCommitDrop) fix = 'use CREATE TABLE IF NOT EXISTS';
          break;
        }
        case 'IndexStmt':
          if (!a.if_not_exists && a.idxname) fix = 'use CREATE INDEX ... IF NOT EXISTS';
          break;
        case 'DropStmt':
          if (!a.missing_ok) fix = 'use DROP ... IF EXISTS';
          break;
        case 'AlterTableStmt':
          for (const item of a.cmds ?? []) {
            const c = item.AlterTableCmd;
            if (!c) continue;
            if (c.subtype === 'AT_AddColumn' && !c.missing_ok) fix = 'use ADD COLUMN IF NOT EXISTS';
            else if ((c.subtype === 'AT_DropColumn' || c.subtype === 'AT_DropConstraint') && !c.missing_ok) fix = 'use DROP ... IF EXISTS';
            else if (c.subtype === 'AT_AddConstraint') {
              // Each ADD needs its own preceding DROP ... IF EXISTS.
              if (!dropped.delete(c.def?.Constraint?.conname)) fix = 'precede it with DROP CONSTRAINT IF EXISTS of the same name';
            }
            else if (['AT_EnableRowSecurity', 'AT_DisableRowSecurity', 'AT_SetNotNull'].includes(c.subtype)) fix = 'run it in a transaction, or make the migration safe to re-run';
          }
          break;
        default:
          break;
      }
      if (fix) ctx.report({ messageId: 'fragile', data: { fix }, loc: s.loc, object: s.kind });
    }
  },
});
