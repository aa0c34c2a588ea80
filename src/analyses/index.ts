/** Facts several rules share, computed once per run on first use. */
import type { Catalog, Column, Constraint, Index, Policy, Table, Trigger } from '../catalog/model.js';
import type { Design } from '../load/design/types.js';
import { constValue, stripCasts, strList } from '../load/sql/ast.js';
import type { Ast } from '../types.js';

export type NamedObject =
  | { kind: 'constraint'; constraint: Constraint; table: Table }
  | { kind: 'index'; index: Index; table: Table | undefined }
  | { kind: 'trigger'; trigger: Trigger }
  | { kind: 'policy'; policy: Policy }
  | { kind: 'column-not-null'; table: Table; column: Column }
  | { kind: 'other'; what: string; name: string };

export class Analyses {
  private byTable?: Map<string, Index[]>;
  private polByTable?: Map<string, Policy[]>;
  private trgByTable?: Map<string, Trigger[]>;
  private names?: Map<string, NamedObject[]>;

  constructor(readonly catalog: Catalog, readonly design: Design | undefined) {}

  indexesOf(table: string): Index[] {
    if (!this.byTable) {
      this.byTable = new Map();
      for (const ix of this.catalog.indexes.values()) {
        const list = this.byTable.get(ix.table) ?? [];
        list.push(ix);
        this.byTable.set(ix.table, list);
      }
    }
    return this.byTable.get(table) ?? [];
  }

  policiesOf(table: string): Policy[] {
    if (!this.polByTable) {
      this.polByTable = new Map();
      for (const p of this.catalog.policies) this.polByTable.set(p.table, [...(this.polByTable.get(p.table) ?? []), p]);
    }
    return this.polByTable.get(table) ?? [];
  }

  triggersOf(table: string): Trigger[] {
    if (!this.trgByTable) {
      this.trgByTable = new Map();
      for (const t of this.catalog.triggers) this.trgByTable.set(t.table, [...(this.trgByTable.get(t.table) ?? []), t]);
    }
    return this.trgByTable.get(table) ?? [];
  }

  /** A table named in the design: `orders`, `public.orders` or `billing.invoices`. */
  table(name: string): Table | undefined {
    if (typeof name !== 'string') return undefined;
    const t = this.catalog.tables;
    if (name.includes('.')) return t.get(name);
    const pub = t.get(`public.${name}`);
    if (pub) return pub;
    for (const table of t.values()) if (table.name === name) return table;
    return undefined;
  }

  /** Tables and views, for design references that may name either. */
  relationExists(name: string): boolean {
    if (this.table(name)) return true;
    for (const v of this.catalog.views.values()) if (v.name === name || v.key === name) return true;
    return false;
  }

  /** Objects an `enforced_by` may name: constraints, indexes, triggers, policies, `table.column` (NOT NULL). */
  named(name: string): NamedObject[] {
    if (typeof name !== 'string') return [];
    if (!this.names) {
      const m = new Map<string, NamedObject[]>();
      const add = (k: string, o: NamedObject): void => { m.set(k, [...(m.get(k) ?? []), o]); };
      for (const t of this.catalog.tables.values()) {
        for (const c of t.constraints) add(c.name, { kind: 'constraint', constraint: c, table: t });
      }
      for (const ix of this.catalog.indexes.values()) {
        if (ix.constraint && ix.constraint === ix.name) continue;
        add(ix.name, { kind: 'index', index: ix, table: this.catalog.tables.get(ix.table) });
      }
      for (const tr of this.catalog.triggers) add(tr.name, { kind: 'trigger', trigger: tr });
      for (const p of this.catalog.policies) add(p.name, { kind: 'policy', policy: p });
      for (const t of this.catalog.tables.values()) add(t.name, { kind: 'other', what: 'table', name: t.name });
      for (const v of this.catalog.views.values()) add(v.name, { kind: 'other', what: v.materialized ? 'materialized view' : 'view', name: v.name });
      for (const f of this.catalog.functions.values()) add(f.name, { kind: 'other', what: 'function', name: f.name });
      for (const q of this.catalog.sequences.values()) add(q.name, { kind: 'other', what: 'sequence', name: q.name });
      for (const e of this.catalog.enums.values()) add(e.name, { kind: 'other', what: 'enum type', name: e.name });
      // A domain's CHECK and NOT NULL hold on every column of the domain: they enforce too.
      for (const d of this.catalog.domains.values()) {
        add(d.name, { kind: 'other', what: 'domain', name: d.name });
        for (const c of d.checkNames) add(c, { kind: 'other', what: 'domain constraint', name: c });
      }
      this.names = m;
    }
    const direct = this.names.get(name) ?? this.names.get(name.split('.').pop()!);
    if (direct) return direct;
    const dot = name.lastIndexOf('.');
    if (dot > 0) {
      const t = this.table(name.slice(0, dot));
      const c = t?.columns.find((x) => x.name === name.slice(dot + 1));
      if (t && c) return [{ kind: 'column-not-null', table: t, column: c }];
    }
    return [];
  }

  tenantColumn(): string {
    return this.design?.security?.tenant_isolation?.column ?? 'tenant_id';
  }

  /** Values a column is limited to, from CHECK (col IN (...)), CHECK (col = ANY (ARRAY[...])) or an enum type. */
  allowedValues(table: Table, column: string): string[] | undefined {
    const col = table.columns.find((c) => c.name === column);
    if (!col) return undefined;
    for (const e of this.catalog.enums.values()) {
      if (e.name === col.type.name && (!col.type.schema || col.type.schema === e.schema)) return e.values;
    }
    for (const con of table.constraints) {
      if (con.kind !== 'check' || !con.check) continue;
      const values = inListValues(con.check.ast, column);
      if (values) return values;
    }
    const dom = [...this.catalog.domains.values()].find((d) => d.name === col.type.name);
    for (const chk of dom?.checks ?? []) {
      const values = inListValues(chk.ast, 'value') ?? inListValues(chk.ast, 'VALUE');
      if (values) return values;
    }
    return undefined;
  }
}

function isColumn(node: Ast, column: string): boolean {
  const n = stripCasts(node);
  const fields = strList(n?.ColumnRef?.fields);
  return fields.length > 0 && fields[fields.length - 1]!.toLowerCase() === column.toLowerCase();
}

function constList(node: Ast): string[] | undefined {
  const n = stripCasts(node);
  const items: Ast[] | undefined = n?.List?.items ?? n?.A_ArrayExpr?.elements ?? (Array.isArray(n) ? n : undefined);
  if (!items) return undefined;
  const out: string[] = [];
  for (const it of items) {
    const v = constValue(stripCasts(it));
    if (typeof v !== 'string' && typeof v !== 'number') return undefined;
    out.push(String(v));
  }
  return out;
}

/** `col IN ('a','b')`, `col = ANY (ARRAY['a','b'])`, possibly inside an AND. */
export function inListValues(expr: Ast, column: string): string[] | undefined {
  const e = stripCasts(expr);
  if (e?.BoolExpr?.boolop === 'AND_EXPR') {
    for (const arg of e.BoolExpr.args ?? []) {
      const v = inListValues(arg, column);
      if (v) return v;
    }
    return undefined;
  }
  const a = e?.A_Expr;
  if (!a) return undefined;
  if (a.kind === 'AEXPR_IN' && isColumn(a.lexpr, column) && strList(a.name)[0] === '=') return constList(a.rexpr);
  if (a.kind === 'AEXPR_OP_ANY' && isColumn(a.lexpr, column) && strList(a.name)[0] === '=') return constList(a.rexpr);
  return undefined;
}
