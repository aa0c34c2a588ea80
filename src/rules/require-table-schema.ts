import type { Ast } from '../types.js';
import { listItems, strList } from '../load/sql/ast.js';
import { locIn } from '../migrations/helpers.js';
import { defineMigrationRule } from '../migrations/lint.js';

/** The table names a statement writes without a schema: [name, parser location]. */
function unqualified(kind: string, a: Ast): [string, number | undefined][] {
  const rv = (r: Ast | undefined): [string, number | undefined][] =>
    r?.relname && !r.schemaname && r.relpersistence !== 't' ? [[r.relname, r.location]] : [];
  switch (kind) {
    case 'CreateStmt': return rv(a.relation);
    case 'CreateTableAsStmt': return a.objtype === 'OBJECT_TABLE' ? rv(a.into?.rel) : [];
    case 'AlterTableStmt': return !a.objtype || a.objtype === 'OBJECT_TABLE' ? rv(a.relation) : [];
    case 'DropStmt':
      if (a.removeType !== 'OBJECT_TABLE') return [];
      return (a.objects ?? []).flatMap((o: Ast) => { const n = strList(listItems(o)); return n.length === 1 ? [[n[0]!, undefined] as [string, undefined]] : []; });
    default: return [];
  }
}

export default defineMigrationRule({
  id: 'require-table-schema',
  meta: {
    description: 'Tables are named with their schema (public.orders) in CREATE, ALTER and DROP TABLE.',
    severity: 'warning',
    category: 'migration',
    optIn: true,
    messages: { unqualified: 'Table {table} is named without its schema: the statement acts on whichever schema comes first in the search_path of the session that runs it.' },
  },
  checkMigration(ctx) {
    for (const ms of ctx.statements) {
      for (const [table, location] of unqualified(ms.stmt.kind, ms.stmt.ast)) {
        ctx.report({ messageId: 'unqualified', data: { table }, loc: locIn(ms, location), object: table, help: `name it with its schema: public.${table} (or the schema it belongs to)` });
      }
    }
  },
});
