import { locIn } from '../migrations/helpers.js';
import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { columnType } from '../load/sql/ast.js';
import type { Ast } from '../types.js';

export default defineMigrationRule({
  id: 'prefer-bigint-over-int',
  meta: {
    description: 'New integer columns are bigint: int (and serial) columns run out at 2,147,483,647.',
    severity: 'warning',
    category: 'migration',
    messages: { int: 'Column {column} is {type}: integers that grow (keys, counters, references to bigint keys) overflow at 2,147,483,647, and widening later rewrites the table. Use bigint.' },
  },
  checkMigration(ctx) {
    for (const ms of ctx.statements) {
      const s = ms.stmt;
      const defs: { table: string; def: Ast }[] = [];
      if (s.kind === 'CreateStmt') for (const el of s.ast.tableElts ?? []) { if (el.ColumnDef) defs.push({ table: ctx.relKey(s.ast.relation), def: el.ColumnDef }); }
      if (s.kind === 'AlterTableStmt') for (const c of s.ast.cmds ?? []) { const d = c.AlterTableCmd; if (d?.subtype === 'AT_AddColumn' && d.def?.ColumnDef) defs.push({ table: ctx.relKey(s.ast.relation), def: d.def.ColumnDef }); }
      for (const { table, def } of defs) {
        const t = columnType(def.typeName);
        if (t.name !== 'int4' || t.array) continue;
        ctx.report({ messageId: 'int', data: { column: `${tableName(table)}.${def.colname}`, type: t.display }, loc: locIn(ms, def.location), object: `${tableName(table)}.${def.colname}` });
      }
    }
  },
});
