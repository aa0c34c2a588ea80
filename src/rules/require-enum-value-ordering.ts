import { strList } from '../load/sql/ast.js';
import { defineMigrationRule } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'require-enum-value-ordering',
  meta: {
    description: 'ALTER TYPE ... ADD VALUE says where the value goes (BEFORE or AFTER): an enum sorts in declaration order.',
    severity: 'warning',
    category: 'migration',
    messages: { order: "ADD VALUE {value} to {type} without BEFORE or AFTER appends it: enum values compare and sort in declaration order, so ORDER BY, <, > and ranges on {type} place it last. Say where it belongs, e.g. ADD VALUE {value} AFTER '...'." },
  },
  checkMigration(ctx) {
    for (const ms of ctx.statements) {
      const s = ms.stmt;
      if (s.kind !== 'AlterEnumStmt' || !s.ast.newVal || s.ast.oldVal || s.ast.newValNeighbor) continue;
      const type = strList(s.ast.typeName).join('.');
      ctx.report({ messageId: 'order', data: { value: `'${s.ast.newVal}'`, type }, loc: s.loc, object: type });
    }
  },
});
