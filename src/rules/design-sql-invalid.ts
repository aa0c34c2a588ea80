import type { Ast } from '../types.js';
import { designSqlPieces } from '../analyses/design-sql.js';
import { parseDesignSql, references } from '../analyses/query.js';
import { defineRule } from '../engine/rule.js';
import type { RuleContext } from '../engine/rule.js';

function lineCol(sql: string, charIndex: number): string {
  const before = sql.slice(0, Math.max(0, charIndex));
  const line = before.split('\n').length;
  const col = charIndex - before.lastIndexOf('\n');
  return `line ${line}, column ${col} of the query`;
}

export default defineRule({
  id: 'design-sql-invalid',
  meta: {
    description: 'Every SQL text in the design parses, and names only tables and columns that exist in the schema.',
    severity: 'error',
    category: 'design',
    messages: {
      syntax: 'SQL of {owner} does not parse: {message} ({where}).',
      table: 'SQL of {owner} reads table {name}, which is not in the schema.',
      column: 'SQL of {owner} names column {name}, which {scope} does not have.',
    },
  },
  check(ctx) {
    const loaded = ctx.loaded;
    if (!loaded || !ctx.design) return;
    for (const item of designSqlPieces(ctx.design)) {
      const loc = loaded.at(item.path);
      const parsed = parseDesignSql(item.sql);
      if (!parsed.ok) {
        ctx.report({ messageId: 'syntax', data: { owner: item.owner, message: parsed.message, where: parsed.position !== undefined ? lineCol(item.sql, parsed.position) : 'whole query' }, loc, object: item.owner, path: item.path });
        continue;
      }
      // Migration steps describe states before the final schema: parsed, not resolved.
      if (!item.purpose) continue;
      for (const stmt of parsed.stmts) checkNames(ctx, stmt, item, loc);
    }
  },
});

function checkNames(ctx: RuleContext, stmt: Ast, item: { owner: string; path: string }, loc: { file: string; line: number; column: number }): void {
  const A = ctx.analyses;
  const refs = references(stmt);
  const aliases = new Map<string, string[] | undefined>();
  const reported = new Set<string>();
  const report = (messageId: string, data: Record<string, string>): void => {
    const key = `${messageId}:${data.name}`;
    if (reported.has(key)) return;
    reported.add(key);
    ctx.report({ messageId, data: { owner: item.owner, ...data }, loc, object: item.owner, path: item.path });
  };
  for (const r of refs.relations) {
    if (!r.table) { aliases.set(r.alias, undefined); continue; }
    const name = r.schema ? `${r.schema}.${r.table}` : r.table;
    const t = A.table(name);
    if (t) aliases.set(r.alias, t.columns.map((c) => c.name));
    else if (A.relationExists(name)) aliases.set(r.alias, undefined);
    else { aliases.set(r.alias, undefined); report('table', { name }); }
  }
  const known = [...aliases.values()];
  for (const c of refs.columns) {
    if (c.qualifier) {
      if (!aliases.has(c.qualifier)) continue; // a correlation name we cannot see (e.g. a function alias)
      const cols = aliases.get(c.qualifier);
      if (cols && !cols.includes(c.column)) report('column', { name: `${c.qualifier}.${c.column}`, scope: c.qualifier });
      continue;
    }
    if (refs.opaque || known.some((k) => k === undefined)) continue;
    if (known.some((k) => k!.includes(c.column)) || refs.outputAliases.has(c.column)) continue;
    if (known.length === 0) continue;
    report('column', { name: c.column, scope: [...aliases.keys()].join(', ') });
  }
  // Target columns of INSERT and UPDATE.
  const dml = stmt.InsertStmt ?? stmt.UpdateStmt;
  if (dml?.relation) {
    const t = A.table(dml.relation.schemaname ? `${dml.relation.schemaname}.${dml.relation.relname}` : dml.relation.relname);
    const targets: Ast[] = stmt.InsertStmt ? dml.cols ?? [] : dml.targetList ?? [];
    for (const rt of targets) {
      const name = rt.ResTarget?.name;
      if (t && name && !t.columns.some((c) => c.name === name)) report('column', { name: `${t.name}.${name}`, scope: t.name });
    }
  }
}
