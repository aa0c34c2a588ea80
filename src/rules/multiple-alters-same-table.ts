import { defineMigrationRule, tableName } from '../migrations/lint.js';

export default defineMigrationRule({
  id: 'multiple-alters-same-table',
  meta: {
    description: 'One migration changes an existing table with one ALTER TABLE, not several.',
    severity: 'info',
    category: 'migration',
    affectsReaders: true,
    messages: { several: 'ALTER TABLE {table} appears {count} times in this migration: each statement queues for the ACCESS EXCLUSIVE lock again (and may rewrite again). Combine the subcommands into one statement.' },
  },
  checkMigration(ctx) {
    const seen = new Map<string, typeof ctx.statements[number][]>();
    for (const ms of ctx.statements) {
      if (ms.stmt.kind !== 'AlterTableStmt') continue;
      const cmds = (ms.stmt.ast.cmds ?? []).map((c: { AlterTableCmd?: { subtype?: string } }) => c.AlterTableCmd?.subtype);
      // VALIDATE belongs in its own statement (and transaction), by design.
      if (cmds.every((c: string | undefined) => c === 'AT_ValidateConstraint')) continue;
      const table = ctx.relKey(ms.stmt.ast.relation);
      if (!ctx.existing(table)) continue;
      seen.set(table, [...(seen.get(table) ?? []), ms]);
    }
    for (const [table, list] of seen) {
      if (list.length < 2) continue;
      ctx.report({ messageId: 'several', data: { table: tableName(table), count: list.length }, loc: list[1]!.stmt.loc, object: tableName(table) });
    }
  },
});
