import type { Ast } from '../types.js';
import { exprKey, queryOutputs, str } from '../load/sql/ast.js';
import { locIn } from '../migrations/helpers.js';
import { defineMigrationRule, type MigrationStatement } from '../migrations/lint.js';

interface Target { readonly name: string; readonly path?: string; readonly location?: number }

/** Assignments that clash: the same column twice, unless both set different parts of it (a.x and a.y, a[1] and a[2]). */
function clashes(targets: readonly Target[]): Target[] {
  if (new Set(targets.map((t) => t.name)).size === targets.length) return [];
  const out = new Set<Target>();
  for (let i = 0; i < targets.length; i++) {
    for (let j = i + 1; j < targets.length; j++) {
      const a = targets[i]!;
      const b = targets[j]!;
      if (a.name !== b.name) continue;
      if (a.path === undefined || b.path === undefined || a.path === b.path) { out.add(a); out.add(b); }
    }
  }
  return targets.filter((t) => out.has(t));
}

function assignments(list: Ast[] | undefined): Target[] {
  return (list ?? []).map((t: Ast) => t.ResTarget).filter(Boolean).map((rt: Ast) => ({
    name: rt.name as string,
    path: rt.indirection?.length ? exprKey(rt.indirection) : undefined,
    location: rt.location,
  }));
}

function outputs(query: Ast | undefined): Target[] {
  return queryOutputs(query).filter((t): t is Target => t.name !== undefined);
}

export default defineMigrationRule({
  id: 'ban-duplicate-column-assignments',
  meta: {
    description: 'A statement names each column once: PostgreSQL rejects the same column twice in SET, an INSERT column list, a table or a view.',
    severity: 'error',
    category: 'migration',
    messages: {
      assign: 'Column {column} is assigned more than once in this {statement}: PostgreSQL rejects it ("multiple assignments to same column") and the migration stops here.',
      column: 'Column {column} is specified more than once in {object}: PostgreSQL rejects the statement and the migration stops here.',
    },
  },
  checkMigration(ctx) {
    const report = (ms: MigrationStatement, messageId: 'assign' | 'column', targets: Target[], statement: string, object: string): void => {
      for (const t of clashes(targets)) ctx.report({ messageId, data: { column: t.name, statement, object }, loc: locIn(ms, t.location), object: `${object}.${t.name}` });
    };
    for (const ms of ctx.statements) {
      const s = ms.stmt;
      const a = s.ast;
      const rel = (rv: Ast | undefined): string => rv?.relname ?? '';
      switch (s.kind) {
        case 'UpdateStmt': report(ms, 'assign', assignments(a.targetList), 'UPDATE', rel(a.relation)); break;
        case 'InsertStmt':
          report(ms, 'assign', assignments(a.cols), 'INSERT', rel(a.relation));
          report(ms, 'assign', assignments(a.onConflictClause?.targetList), 'ON CONFLICT DO UPDATE', rel(a.relation));
          break;
        case 'MergeStmt':
          for (const w of a.mergeWhenClauses ?? []) report(ms, 'assign', assignments(w.MergeWhenClause?.targetList), 'MERGE', rel(a.relation));
          break;
        case 'CreateStmt': case 'CreateForeignTableStmt': {
          const base = s.kind === 'CreateStmt' ? a : a.base;
          const cols = (base?.tableElts ?? []).map((e: Ast) => e.ColumnDef).filter(Boolean).map((d: Ast) => ({ name: d.colname, location: d.location }));
          report(ms, 'column', cols, 'CREATE TABLE', rel(base?.relation));
          break;
        }
        case 'ViewStmt': {
          // Column names in the view's own list win over the query's output names.
          const names: Target[] = a.aliases?.length ? a.aliases.map((x: Ast) => ({ name: str(x) })) : outputs(a.query);
          report(ms, 'column', names, 'the view', rel(a.view));
          break;
        }
        case 'CreateTableAsStmt': report(ms, 'column', a.into?.colNames?.length ? a.into.colNames.map((x: Ast) => ({ name: str(x) })) : outputs(a.query), 'the new table', rel(a.into?.rel)); break;
        case 'SelectStmt': if (a.intoClause) report(ms, 'column', outputs({ SelectStmt: a }), 'the new table', rel(a.intoClause.rel)); break;
        default: break;
      }
    }
  },
});
