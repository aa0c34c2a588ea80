import type { Index } from '../catalog/model.js';
import { defineRule } from '../engine/rule.js';
import { colObject, displayName, ownTables } from '../engine/util.js';

const SNAKE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
/** Words whose plural and singular are one spelling, or plurals without a trailing s. */
const INVARIANT = new Set(['data', 'metadata', 'media', 'people', 'children', 'criteria', 'series', 'species', 'news', 'sheep', 'feedback', 'equipment', 'information', 'staff', 'audit', 'history', 'inventory']);

function lastWord(name: string): string {
  const parts = name.split('_');
  return parts[parts.length - 1] ?? name;
}

export function isPlural(name: string): boolean {
  const w = lastWord(name);
  if (INVARIANT.has(w)) return true;
  return /s$/.test(w) && !/(ss|us|is)$/.test(w);
}

/** A template such as `idx_{table}_{columns}`: {table} must match, {columns} is any suffix. */
export function matchesTemplate(template: string, table: string, name: string): boolean {
  const parts = template.split(/(\{table\}|\{columns\})/);
  let re = '^';
  for (const p of parts) {
    if (p === '{table}') re += table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (p === '{columns}') re += '[a-z0-9_]+';
    else re += p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`).test(name);
}

export default defineRule({
  id: 'naming-convention',
  meta: {
    description: 'Names are snake_case; tables and index names follow the declared conventions.',
    severity: 'warning',
    category: 'schema',
    messages: {
      notSnake: '{what} name "{name}" is not snake_case: quoted mixed-case names must be quoted in every query forever.',
      plural: 'Table {name} should be plural (conventions.tables: snake_case_plural).',
      singular: 'Table {name} should be singular (conventions.tables: snake_case_singular).',
      indexName: 'Index {name} does not follow the template "{template}" declared in conventions.index_names.',
      primaryKeyName: 'The primary key of {table} is ({columns}); conventions.primary_key names it {expected}.',
    },
  },
  check(ctx) {
    const conv = ctx.conventions;
    for (const t of ownTables(ctx)) {
      if (!SNAKE.test(t.name)) ctx.report({ messageId: 'notSnake', data: { what: 'Table', name: t.name }, loc: t.loc, object: displayName(t) });
      else if (conv.tables === 'snake_case_plural' && !isPlural(t.name)) ctx.report({ messageId: 'plural', data: { name: t.name }, loc: t.loc, object: displayName(t) });
      else if (conv.tables === 'snake_case_singular' && isPlural(t.name) && !INVARIANT.has(lastWord(t.name))) ctx.report({ messageId: 'singular', data: { name: t.name }, loc: t.loc, object: displayName(t) });
      for (const c of t.columns) {
        if (!SNAKE.test(c.name)) ctx.report({ messageId: 'notSnake', data: { what: 'Column', name: c.name }, loc: c.loc, object: colObject(t, c) });
      }
    }
    const pkColumn = conv.primary_key?.column;
    if (pkColumn) {
      for (const t of ownTables(ctx)) {
        const pk = t.constraints.find((c) => c.kind === 'primary');
        // Composite keys (join tables) are exempt: the convention is about surrogate keys.
        if (!pk || pk.columns.length !== 1 || pk.columns[0] === pkColumn) continue;
        ctx.report({ messageId: 'primaryKeyName', data: { table: displayName(t), columns: pk.columns.join(', '), expected: pkColumn }, loc: pk.loc, object: displayName(t) });
      }
    }
    const templates = conv.index_names;
    if (!templates) return;
    for (const ix of ctx.catalog.indexes.values() as Iterable<Index>) {
      if (ix.constraint) continue;
      const table = ctx.catalog.tables.get(ix.table);
      if (!table || table.partitionOf) continue;
      const template = ix.unique ? templates.unique ?? templates.index : templates.index;
      if (typeof template === 'string' && template && !matchesTemplate(template, table.name, ix.name)) {
        ctx.report({ messageId: 'indexName', data: { name: ix.name, template }, loc: ix.loc, object: ix.name });
      }
    }
  },
});
