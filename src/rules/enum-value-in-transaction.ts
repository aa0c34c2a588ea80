import { defineMigrationRule } from '../migrations/lint.js';
import { strList, walk } from '../load/sql/ast.js';

export default defineMigrationRule({
  id: 'enum-value-in-transaction',
  meta: {
    description: 'A value added to an enum with ALTER TYPE ... ADD VALUE is not used in the same transaction.',
    severity: 'error',
    category: 'migration',
    messages: {
      used: 'Enum value \'{value}\' is added and then used in the same transaction: PostgreSQL rejects the use ("unsafe use of new value") until the ADD VALUE commits.',
      oldVersion: 'Before PostgreSQL 12, ALTER TYPE ... ADD VALUE cannot run inside a transaction block.',
    },
  },
  checkMigration(ctx) {
    let added: { value: string; type: string }[] = [];
    for (const ms of ctx.statements) {
      const s = ms.stmt;
      if (s.kind === 'TransactionStmt' && /COMMIT|ROLLBACK|END/.test(String(s.ast.kind))) { added = []; continue; }
      if (!ms.inTransaction) { added = []; }
      if (s.kind === 'AlterEnumStmt' && s.ast.newVal && !s.ast.oldVal) {
        if (ms.inTransaction && ctx.pgVersion < 12) ctx.report({ messageId: 'oldVersion', loc: s.loc, object: strList(s.ast.typeName).join('.') });
        if (ms.inTransaction) added.push({ value: s.ast.newVal, type: strList(s.ast.typeName).join('.') });
        continue;
      }
      if (!added.length) continue;
      const strings = new Set<string>();
      walk(s.ast, (_k, v) => { const sv = (v as { sval?: unknown })?.sval; if (typeof sv === 'string') strings.add(sv); });
      for (const a of added) if (strings.has(a.value)) ctx.report({ messageId: 'used', data: { value: a.value }, loc: s.loc, object: a.type, help: 'commit the ADD VALUE in its own migration (or transaction) before using the value' });
    }
  },
});
