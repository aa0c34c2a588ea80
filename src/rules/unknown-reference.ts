import type { Table } from '../catalog/model.js';
import { asList } from '../load/design/types.js';
import { defineRule } from '../engine/rule.js';
import type { RuleContext } from '../engine/rule.js';
import { seg } from '../engine/util.js';

export default defineRule({
  id: 'unknown-reference',
  meta: {
    description: 'Every table, column, index and id the design names exists in the schema (and ids are unique).',
    severity: 'error',
    category: 'design',
    messages: {
      table: '{where} names table {name}, which is not in the schema.',
      column: '{where} names column {name}, which table {table} does not have.',
      index: '{where} names index {name}, which is not in the schema.',
      duplicateId: 'Id {id} is used twice in {section}: later references to it are ambiguous.',
    },
  },
  check(ctx) {
    const d = ctx.design;
    const loaded = ctx.loaded;
    if (!d || !loaded) return;
    const A = ctx.analyses;
    const table = (name: string, path: string, where: string): Table | undefined => {
      const t = A.table(name);
      if (!t && !A.relationExists(name)) ctx.report({ messageId: 'table', data: { where, name }, loc: loaded.at(path), object: name, path });
      return t;
    };
    const column = (t: Table | undefined, col: string, path: string, where: string): void => {
      if (!t || t.columns.some((c) => c.name === col)) return;
      ctx.report({ messageId: 'column', data: { where, name: `${t.name}.${col}`, table: t.name }, loc: loaded.at(path), object: `${t.name}.${col}`, path });
    };
    const tableColumn = (ref: string, path: string, where: string): void => {
      if (typeof ref !== 'string') return;
      const dot = ref.lastIndexOf('.');
      if (dot <= 0) return;
      const t = table(ref.slice(0, dot), path, where);
      column(t, ref.slice(dot + 1), path, where);
    };

    for (const [name, e] of Object.entries(d.entities ?? {})) {
      const p = `/entities/${seg(name)}`;
      const t = A.table(name);
      if (!t) {
        if (!A.relationExists(name)) ctx.report({ messageId: 'table', data: { where: 'entities', name }, loc: loaded.keyAt(p), object: name, path: p });
        continue;
      }
      (e.pii ?? []).forEach((c, i) => column(t, c, `${p}/pii/${i}`, `entities.${name}.pii`));
      if (e.lifecycle?.column) column(t, e.lifecycle.column, `${p}/lifecycle/column`, `entities.${name}.lifecycle`);
      for (const k of ['primary', 'natural', 'public'] as const) {
        asList(e.keys?.[k]).forEach((c, i) => {
          const path = Array.isArray(e.keys?.[k]) ? `${p}/keys/${k}/${i}` : `${p}/keys/${k}`;
          for (const part of String(c).split(',').map((x) => x.trim()).filter(Boolean)) column(t, part, path, `entities.${name}.keys.${k}`);
        });
      }
    }
    for (const [name, v] of Object.entries(d.volumes ?? {})) {
      const p = `/volumes/${seg(name)}`;
      const t = A.table(name);
      if (!t) { if (!A.relationExists(name)) ctx.report({ messageId: 'table', data: { where: 'volumes', name }, loc: loaded.keyAt(p), object: name, path: p }); continue; }
      for (const c of Object.keys(v?.distinct ?? {})) column(t, c, `${p}/distinct/${seg(c)}`, `volumes.${name}.distinct`);
    }
    (d.access_patterns ?? []).forEach((q, i) => {
      if (q.index && q.index !== 'none' && A.named(q.index).every((o) => o.kind !== 'index' && o.kind !== 'constraint')) {
        const exists = [...ctx.catalog.indexes.values()].some((ix) => ix.name === q.index || ix.key === q.index);
        if (!exists) ctx.report({ messageId: 'index', data: { where: `access pattern ${q.id}`, name: q.index }, loc: loaded.at(`/access_patterns/${i}/index`), object: q.index, path: `/access_patterns/${i}` });
      }
    });
    (d.security?.classification ?? []).forEach((c, i) => tableColumn(c?.column, `/security/classification/${i}/column`, 'security.classification'));
    (d.security?.retention ?? []).forEach((r, i) => table(r.table, `/security/retention/${i}/table`, 'security.retention'));
    (d.transactions as { tables?: string | string[] }[] | undefined ?? []).forEach((tx, i) => {
      const list = asList(tx?.tables);
      list.forEach((name, j) => table(name, Array.isArray(tx?.tables) ? `/transactions/${i}/tables/${j}` : `/transactions/${i}/tables`, `transactions[${i}]`));
    });
    const audit = d.audit as { tables?: string | string[] } | undefined;
    asList(audit?.tables).forEach((name, j) => table(name, Array.isArray(audit?.tables) ? `/audit/tables/${j}` : '/audit/tables', 'audit.tables'));
    duplicates(ctx, 'invariants', (d.invariants ?? []).map((x) => x.id));
    duplicates(ctx, 'access_patterns', (d.access_patterns ?? []).map((x) => x.id));
  },
});

function duplicates(ctx: RuleContext, section: string, ids: (string | undefined)[]): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (!id) return;
    if (seen.has(id)) ctx.report({ messageId: 'duplicateId', data: { id, section }, loc: ctx.loaded!.at(`/${section}/${i}/id`), object: id, path: `/${section}/${i}` });
    seen.add(id);
  });
}
