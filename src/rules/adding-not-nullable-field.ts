import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { lockPhrase } from '../migrations/locks.js';
import { strList, stripCasts } from '../load/sql/ast.js';
import type { Ast } from '../types.js';

/** `col IS NOT NULL` checks: which column a check constraint guarantees. */
function notNullColumn(expr: Ast): string | undefined {
  const nt = stripCasts(expr)?.NullTest;
  if (!nt || nt.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const f = strList(stripCasts(nt.arg)?.ColumnRef?.fields);
  return f[f.length - 1];
}

export default defineMigrationRule({
  id: 'adding-not-nullable-field',
  meta: {
    description: 'SET NOT NULL on an existing table follows a validated CHECK (col IS NOT NULL) (PostgreSQL 12+), so it needs no full scan under the lock.',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { scan: 'SET NOT NULL on {column} scans the whole table under {lock}.' },
  },
  checkMigration(ctx) {
    // Checks added in this file, by name -> column; validated names.
    const checks = new Map<string, string | undefined>();
    const validated = new Set<string>();
    for (const ms of ctx.statements) {
      if (ms.stmt.kind !== 'AlterTableStmt') continue;
      const table = ctx.relKey(ms.stmt.ast.relation);
      for (const item of ms.stmt.ast.cmds ?? []) {
        const cmd = item.AlterTableCmd;
        const con = cmd?.def?.Constraint;
        if (cmd?.subtype === 'AT_AddConstraint' && con?.contype === 'CONSTR_CHECK') {
          checks.set(`${table}.${con.conname}`, notNullColumn(con.raw_expr));
          if (!con.skip_validation) validated.add(`${table}.${con.conname}`);
        }
        if (cmd?.subtype === 'AT_ValidateConstraint') validated.add(`${table}.${cmd.name}`);
        if (cmd?.subtype !== 'AT_SetNotNull' || !ctx.existing(table)) continue;
        const col = cmd.name as string;
        const proven = ctx.pgVersion >= 12 && [...validated].some((v) => {
          if (!v.startsWith(`${table}.`)) return false;
          const known = checks.has(v) ? checks.get(v) : undefined;
          // A constraint validated here but added elsewhere: trust a name that mentions the column.
          return known ? known === col : !checks.has(v) && v.slice(table.length + 1).includes(col);
        });
        if (!proven) {
          ctx.report({ messageId: 'scan', data: { column: `${tableName(table)}.${col}`, lock: lockPhrase('ACCESS EXCLUSIVE', tableName(table), ms.inTransaction) }, loc: ms.stmt.loc, object: `${tableName(table)}.${col}`, help: `ADD CONSTRAINT ${col}_not_null CHECK (${col} IS NOT NULL) NOT VALID; VALIDATE it in a separate transaction; then SET NOT NULL and drop the check` });
        }
      }
    }
  },
});
