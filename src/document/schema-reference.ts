/**
 * The schema reference (seed templates 002/004): conventions in force, tables grouped by
 * domain (the design's `domain`, or clusters of tables joined by foreign keys), columns with
 * their constraints and meaning, indexes with their purpose, types, views, routines,
 * triggers, partitioning, and recovery targets.
 */
import type { Catalog, Table } from '../catalog/model.js';
import { displayName } from '../catalog/model.js';
import type { CheckResult } from '../check/run.js';
import { asList, type Design } from '../load/design/types.js';
import type { Block, Cell, DesignDocument, Section } from './model.js';

/** Groups of tables: by declared domain, else connected by foreign keys. */
function groups(catalog: Catalog, design: Design | undefined): Map<string, Table[]> {
  const tables = [...catalog.tables.values()].filter((t) => !t.partitionOf).sort((a, b) => (a.key < b.key ? -1 : 1));
  const parent = new Map(tables.map((t) => [t.key, t.key]));
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(k, r);
    return r;
  };
  for (const t of tables) for (const c of t.constraints) if (c.kind === 'foreign' && c.ref && parent.has(c.ref.table)) parent.set(find(t.key), find(c.ref.table));
  const out = new Map<string, Table[]>();
  for (const t of tables) {
    const declared = design?.entities?.[t.name]?.domain ?? design?.entities?.[t.key]?.domain;
    const root = catalog.tables.get(find(t.key))!;
    const name = declared ?? (tables.filter((x) => find(x.key) === find(t.key)).length > 1 ? `tables related to ${displayName(root)}` : 'standalone tables');
    out.set(name, [...(out.get(name) ?? []), t]);
  }
  return new Map([...out].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

function constraintsOf(t: Table, column: string): string {
  return t.constraints.filter((c) => c.columns.includes(column)).map((c) => {
    if (c.kind === 'primary') return 'PK';
    if (c.kind === 'unique') return c.columns.length > 1 ? `unique (${c.columns.join(', ')})` : 'unique';
    if (c.kind === 'foreign') return `FK → ${c.ref?.table.replace(/^public\./, '')}(${c.ref?.columns.join(', ')})`;
    if (c.kind === 'check') return `check ${c.name}`;
    return c.kind;
  }).join('; ');
}

export function buildSchemaReference(result: CheckResult): DesignDocument {
  const c = result.catalog;
  const design = result.design?.design;
  const sections: Section[] = [];
  const conv = design?.conventions;
  sections.push({
    id: 'conventions', number: '1', title: 'Conventions in force',
    blocks: [conv ? { kind: 'table', headers: ['Convention', 'Value'], rows: Object.entries(conv).filter(([k]) => k !== 'rules').map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]) }
      : { kind: 'paragraph', text: 'No conventions declared: snake_case names, timestamptz for points in time and exact numerics for money are checked.' }],
  });
  let n = 2;
  for (const [group, tables] of groups(c, design)) {
    const blocks: Block[] = [];
    for (const t of tables) {
      const e = design?.entities?.[t.name];
      blocks.push({ kind: 'heading', text: `${displayName(t)}${t.kind === 'partitioned' ? ` (partitioned by ${t.partitionKey})` : ''}` });
      const what = [t.comment ?? e?.meaning, e?.grain ? `One row: ${e.grain}.` : undefined].filter(Boolean).join(' ');
      if (what) blocks.push({ kind: 'paragraph', text: what });
      blocks.push({ kind: 'table', headers: ['Column', 'Type', 'Nullable', 'Default', 'Constraints', 'Description'], rows: t.columns.map((col) => [col.name, col.type.display, col.notNull ? 'no' : 'yes', col.default?.text ?? (col.identity ? `identity ${col.identity}` : ''), constraintsOf(t, col.name), col.comment ?? (e?.pii?.includes(col.name) ? 'personal data' : '')] as Cell[]) });
      const idx = [...c.indexes.values()].filter((ix) => ix.table === t.key);
      if (idx.length) {
        blocks.push({ kind: 'table', headers: ['Index', 'Definition', 'Purpose'], rows: idx.map((ix) => {
          const serves = [...(design?.access_patterns ?? []).filter((q) => q.index === ix.name).map((q) => `${q.id} ${q.name ?? ''}`.trim()), ...(design?.invariants ?? []).filter((i) => asList(i.enforced_by).includes(ix.name)).map((i) => i.id)];
          const fk = t.constraints.find((k) => k.kind === 'foreign' && k.columns.length <= ix.keys.length && k.columns.every((x) => ix.keys.slice(0, k.columns.length).some((y) => y.column === x)));
          const purpose = ix.primary ? 'primary key' : ix.constraint ? `constraint ${ix.constraint}` : serves.length ? serves.join('; ') : fk ? `serves foreign key ${fk.name}` : ix.comment ?? '';
          return [ix.name, `${ix.unique ? 'unique ' : ''}${ix.method} (${ix.keys.map((k) => (k.column ?? k.expr?.text ?? 'expr') + (k.desc ? ' DESC' : '')).join(', ')})${ix.where ? ` WHERE ${ix.where.text}` : ''}`, purpose];
        }) });
      }
      const trg = c.triggers.filter((x) => x.table === t.key);
      if (trg.length) blocks.push({ kind: 'list', items: trg.map((x) => `trigger ${x.name}: ${x.timing} ${x.events.join(' or ')}${x.forEachRow ? ' for each row' : ''} runs ${x.function}`) });
      const pol = c.policies.filter((x) => x.table === t.key);
      if (t.rls || pol.length) blocks.push({ kind: 'list', items: [`row-level security ${t.rls ? 'enabled' : 'NOT enabled'}${t.forceRls ? ' (forced)' : ''}`, ...pol.map((p) => `policy ${p.name} (${p.command}, ${p.permissive ? 'permissive' : 'restrictive'}, to ${p.roles.join(', ')}): using ${p.using?.text ?? '-'}${p.withCheck ? `, check ${p.withCheck.text}` : ''}`)] });
      const parts = [...c.tables.values()].filter((x) => x.partitionOf === t.key);
      if (parts.length) blocks.push({ kind: 'paragraph', text: `Partitions: ${parts.map((x) => displayName(x)).join(', ')}.` });
    }
    sections.push({ id: `group-${n}`, number: String(n++), title: group, blocks });
  }
  const enums = [...c.enums.values()];
  const domains = [...c.domains.values()];
  if (enums.length || domains.length) sections.push({ id: 'types', number: String(n++), title: 'Types', blocks: [{ kind: 'table', headers: ['Type', 'Kind', 'Values or definition'], rows: [...enums.map((e) => [e.key.replace(/^public\./, ''), 'enum', e.values.join(', ')]), ...domains.map((d) => [d.key.replace(/^public\./, ''), 'domain', `${d.baseType.display}${d.notNull ? ' NOT NULL' : ''}${d.checks.map((x) => ` CHECK (${x.text})`).join('')}`])] }] });
  const views = [...c.views.values()];
  if (views.length) sections.push({ id: 'views', number: String(n++), title: 'Views', blocks: [{ kind: 'table', headers: ['View', 'Kind', 'Reads', 'Description'], rows: views.map((v) => [v.key.replace(/^public\./, ''), v.materialized ? 'materialized' : 'view', v.dependsOn.map((x) => x.replace(/^public\./, '')).join(', '), v.comment ?? '']) }] });
  const fns = [...c.functions.values()];
  if (fns.length) sections.push({ id: 'functions', number: String(n++), title: 'Functions and procedures', blocks: [{ kind: 'table', headers: ['Function', 'Language', 'Volatility', 'Returns'], rows: fns.map((f) => [f.key.replace(/^public\./, ''), f.language, f.volatility, f.returns]) }] });
  const rec = design?.recovery ?? [];
  if (rec.length) sections.push({ id: 'recovery', number: String(n++), title: 'Backup and recovery targets', blocks: [{ kind: 'table', headers: ['Scope', 'RPO', 'RTO', 'Method', 'Tested'], rows: rec.map((r) => [r.scope, String(r.rpo ?? ''), String(r.rto ?? ''), String(r.method ?? ''), r.tested ? 'yes' : 'no']) }] });
  return {
    title: design?.design ? `Schema reference: ${design.design}` : `Schema reference: ${result.schemaFiles.join(', ')}`,
    subtitle: `${c.tables.size} tables, ${c.indexes.size} indexes, ${c.views.size} views, ${c.functions.size} functions`,
    layout: 'schema-reference',
    sections,
  };
}
