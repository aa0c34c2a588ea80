import { locIn } from '../migrations/helpers.js';
import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { columnType } from '../load/sql/ast.js';
import type { Ast } from '../types.js';

export default defineMigrationRule({
  id: 'prefer-identity',
  meta: {
    description: 'Generated keys use GENERATED ... AS IDENTITY, not serial.',
    severity: 'warning',
    category: 'migration',
    messages: { serial: 'Column {column} is {type}: its sequence is a separate object with its own permissions and ownership quirks, and inserts can bypass it. Use bigint GENERATED ALWAYS AS IDENTITY.' },
  },
  checkMigration(ctx) {
    for (const ms of ctx.statements) {
      const s = ms.stmt;
      const defs: { table: string; def: Ast }[] = [];
      if (s.kind === 'CreateStmt') for (const el of s.ast.tableElts ?? []) { if (el.ColumnDef) defs.push({ table: ctx.relKey(s.ast.relation), def: el.ColumnDef }); }
      if (s.kind === 'AlterTableStmt') for (const c of s.ast.cmds ?? []) { const d = c.AlterTableCmd; if (d?.subtype === 'AT_AddColumn' && d.def?.ColumnDef) defs.push({ table: ctx.relKey(s.ast.relation), def: d.def.ColumnDef }); }
      for (const { table, def } of defs) {
        const t = columnType(def.typeName);
        if (!t.serial) continue;
        ctx.report({ messageId: 'serial', data: { column: `${tableName(table)}.${def.colname}`, type: t.display }, loc: locIn(ms, def.location), object: `${tableName(table)}.${def.colname}`, help: `${def.colname} bigint GENERATED ALWAYS AS IDENTITY` });
      }
    }
  },
});
