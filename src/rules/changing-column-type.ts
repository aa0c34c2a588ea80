import type { ColumnType } from '../catalog/model.js';
import { alterCommands } from '../migrations/helpers.js';
import { defineMigrationRule, tableName } from '../migrations/lint.js';
import { lockPhrase } from '../migrations/locks.js';
import { columnType } from '../load/sql/ast.js';

/** Type changes PostgreSQL does without a rewrite (binary-coercible or wider). */
function safeChange(from: ColumnType | undefined, to: ColumnType): boolean {
  if (!from) return false;
  if (to.name === 'text' && (from.name === 'varchar' || from.name === 'text')) return true;
  if (from.name === 'varchar' && to.name === 'varchar') return !to.mods.length || (from.mods.length > 0 && to.mods[0]! >= from.mods[0]!);
  if (from.name === 'numeric' && to.name === 'numeric') {
    if (!to.mods.length) return true;
    const [fp, fs = 0] = from.mods;
    const [tp, ts = 0] = to.mods;
    return fp !== undefined && tp! >= fp && ts === fs;
  }
  if (from.name === 'timestamp' && to.name === 'timestamptz') return false;
  if ((from.name === 'bit' || from.name === 'varbit') && to.name === 'varbit') return true;
  return false;
}

export default defineMigrationRule({
  id: 'changing-column-type',
  meta: {
    description: 'Column types of existing tables change only where PostgreSQL needs no rewrite (varchar to text, a longer varchar, wider numeric precision).',
    severity: 'warning',
    category: 'migration',
    affectsReaders: true,
    messages: { rewrite: 'Changing {column} to {to} rewrites {table} and its indexes under {lock}.' },
  },
  checkMigration(ctx) {
    for (const a of alterCommands(ctx)) {
      if (a.cmd.subtype !== 'AT_AlterColumnType' || !ctx.existing(a.table)) continue;
      const to = columnType(a.cmd.def?.ColumnDef?.typeName);
      const prior = ctx.typesBefore.get(`${a.table}.${a.cmd.name}`);
      if (!a.cmd.def?.ColumnDef?.raw_default && safeChange(prior, to)) continue;
      const column = `${tableName(a.table)}.${a.cmd.name}`;
      ctx.report({ messageId: 'rewrite', data: { column, to: to.display, table: tableName(a.table), lock: lockPhrase('ACCESS EXCLUSIVE', tableName(a.table), a.ms.inTransaction) }, loc: a.ms.stmt.loc, object: column, help: 'add a new column of the new type, backfill in batches, switch reads, then drop the old column' });
    }
  },
});

