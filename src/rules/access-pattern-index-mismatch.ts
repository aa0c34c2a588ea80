import type { Index } from '../catalog/model.js';
import { conjuncts, normalize, parseDesignSql, references, tableAccess } from '../analyses/query.js';
import { strList, stripCasts } from '../load/sql/ast.js';
import type { Ast } from '../types.js';
import { defineRule } from '../engine/rule.js';

function findIndex(indexes: Iterable<Index>, name: string): Index | undefined {
  for (const ix of indexes) if (ix.name === name || ix.key === name) return ix;
  return undefined;
}

/** `col IS NOT NULL` is implied by any strict comparison on col (=, <, IN ...), as the planner proves. */
function impliedNotNull(c: Ast, predicates: readonly { key: string; kind: string }[]): boolean {
  const nt = stripCasts(c)?.NullTest;
  if (!nt || nt.nulltesttype !== 'IS_NOT_NULL') return false;
  const fields = strList(stripCasts(nt.arg)?.ColumnRef?.fields);
  const col = fields[fields.length - 1];
  return predicates.some((p) => p.key === col && (p.kind === 'eq' || p.kind === 'range'));
}

function viewKey(views: ReadonlyMap<string, { key: string }>, name: string): string | undefined {
  return views.get(name)?.key ?? views.get(`public.${name}`)?.key;
}

function keyOf(k: Index['keys'][number]): string {
  return k.column ?? `expr:${normalize(stripCasts(k.expr?.ast), undefined)}`;
}

function keyLabel(k: string): string {
  return k.startsWith('expr:') ? 'an expression' : k;
}

export default defineRule({
  id: 'access-pattern-index-mismatch',
  meta: {
    description: 'The index an access pattern declares can serve its query: equality columns first, then a range, then the sort; a partial index\'s predicate is implied by the query; expression keys match.',
    severity: 'warning',
    category: 'design',
    messages: {
      wrongTable: 'Access pattern {id} declares index {index} on {table}, but its query does not read {table}.',
      leadingUnused: 'Access pattern {id}: the query does not constrain or sort by {column}, the first key of {index}, so the index cannot narrow the scan.',
      partialNotImplied: 'Access pattern {id}: {index} is partial (WHERE {predicate}) but the query does not say so, so the planner cannot use it.',
      equalityAfterRange: 'Access pattern {id}: in {index}, {range} (a range in the query) comes before {column} (an equality): put equality columns first so both narrow the scan.',
      sortNotServed: 'Access pattern {id}: the query orders by {orderBy}, which {index} does not provide after its equality columns ({keys}): rows are sorted after they are read.',
      orderOnly: 'Access pattern {id}: {index} only gives the order; the query\'s equality on {columns} is not an index key, so the scan walks the index and filters rows one by one.',
    },
  },
  check(ctx) {
    const loaded = ctx.loaded;
    if (!loaded) return;
    (ctx.design?.access_patterns ?? []).forEach((q, i) => {
      if (!q.index || q.index === 'none' || typeof q.sql !== 'string') return;
      const ix = findIndex(ctx.catalog.indexes.values(), q.index);
      if (!ix) return; // unknown-reference reports it
      const path = `/access_patterns/${i}`;
      const id = q.id ?? `access_patterns[${i}]`;
      const base = { loc: loaded.at(`${path}/index`), object: id, path };
      const parsed = parseDesignSql(q.sql);
      if (!parsed.ok) return; // design-sql-invalid reports it
      const stmt = parsed.stmts[0];
      if (stmt?.InsertStmt) return; // an insert maintains the index; nothing to serve
      const table = ctx.catalog.tables.get(ix.table);
      const refs = references(stmt);
      // Every place the query reads the index's table (a self-join, a recursive CTE's two arms): judge the one that uses its first key.
      const rels = refs.relations.filter((r) => {
        const name = r.schema ? `${r.schema}.${r.table}` : r.table;
        // An index on a materialized view: the relation is a view, not a table.
        return (ctx.analyses.table(name)?.key ?? viewKey(ctx.catalog.views, name)) === ix.table;
      });
      if (!rels.length) {
        ctx.report({ messageId: 'wrongTable', data: { id, index: ix.name, table: table?.name ?? ix.table }, ...base });
        return;
      }
      const first = ix.keys[0] ? keyOf(ix.keys[0]) : undefined;
      const accesses = rels.map((r) => tableAccess(stmt, r.alias, refs.relations.length === 1));
      const access = accesses.find((a) => a.predicates.some((p) => p.key === first) || a.orderBy[0]?.key === first) ?? accesses[0]!;
      if (ix.where) {
        const missing = conjuncts(ix.where.ast).filter((c) => !access.conjuncts.has(normalize(stripCasts(c), undefined)) && !impliedNotNull(c, access.predicates));
        if (missing.length) {
          ctx.report({ messageId: 'partialNotImplied', data: { id, index: ix.name, predicate: ix.where.text }, ...base });
          return;
        }
      }
      const kinds = new Map<string, Set<string>>();
      for (const p of access.predicates) kinds.set(p.key, (kinds.get(p.key) ?? new Set()).add(p.kind));
      const keys = ix.keys.map(keyOf);
      const has = (k: string, kind: string): boolean => kinds.get(k)?.has(kind) ?? false;
      if (ix.method !== 'btree') {
        if (!keys.some((k) => kinds.has(k))) ctx.report({ messageId: 'leadingUnused', data: { id, index: ix.name, column: keyLabel(keys[0] ?? '?') }, ...base });
        return;
      }
      let eq = 0;
      while (eq < keys.length && (has(keys[eq]!, 'eq') || has(keys[eq]!, 'null'))) eq++;
      const orderBy = access.orderBy.filter((o) => !(has(o.key, 'eq') || has(o.key, 'null')));
      if (eq === 0 && !has(keys[0]!, 'range')) {
        if (orderBy[0]?.key !== keys[0]) {
          ctx.report({ messageId: 'leadingUnused', data: { id, index: ix.name, column: keyLabel(keys[0] ?? '?') }, ...base });
          return;
        }
        const filters = [...kinds.entries()].filter(([k, v]) => v.has('eq') && !keys.includes(k)).map(([k]) => keyLabel(k));
        if (filters.length) {
          ctx.report({ messageId: 'orderOnly', data: { id, index: ix.name, columns: filters.join(', ') }, ...base });
          return;
        }
      }
      if (eq < keys.length && has(keys[eq]!, 'range')) {
        const later = keys.slice(eq + 1).find((k) => has(k, 'eq'));
        if (later) {
          ctx.report({ messageId: 'equalityAfterRange', data: { id, index: ix.name, range: keyLabel(keys[eq]!), column: keyLabel(later) }, ...base });
          return;
        }
      }
      if (orderBy.length) {
        const rest = keys.slice(eq);
        const dirs = ix.keys.slice(eq);
        let served = orderBy.length <= rest.length;
        let flip: boolean | undefined;
        for (let j = 0; served && j < orderBy.length; j++) {
          if (orderBy[j]!.key !== rest[j]) { served = false; break; }
          const f = orderBy[j]!.desc !== dirs[j]!.desc;
          if (flip === undefined) flip = f;
          else if (flip !== f) served = false;
        }
        if (!served) {
          ctx.report({
            messageId: 'sortNotServed',
            data: { id, index: ix.name, orderBy: access.orderBy.map((o) => `${keyLabel(o.key)}${o.desc ? ' DESC' : ''}`).join(', '), keys: keys.slice(0, eq).map(keyLabel).join(', ') || 'none' },
            ...base,
          });
        }
      }
    });
  },
});
