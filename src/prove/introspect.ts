/** What the live database says about tables after the schema is applied (the generator's input). */
import type { Session } from './engine.js';

export interface LiveColumn {
  name: string;
  /** format_type() text, e.g. `character varying(200)`, `numeric(14,2)`, `public.mood`. */
  type: string;
  /** The base type's name for domains; the type name otherwise (typname). */
  baseType: string;
  typmod: number;
  isArray: boolean;
  notNull: boolean;
  hasDefault: boolean;
  identity: boolean;
  generated: boolean;
  /** For enum types (or domains over them): the labels in order. */
  enumValues?: string[];
}

export interface LiveConstraint {
  name: string;
  type: 'p' | 'u' | 'f' | 'c' | 'x';
  columns: string[];
  refTable?: string;
  refColumns?: string[];
  /** pg_get_constraintdef text. */
  def: string;
  /** CHECK: the boolean expression alone. */
  expr?: string;
}

export interface LiveTable {
  /** Qualified and quoted name usable in SQL. */
  sqlName: string;
  schema: string;
  name: string;
  oid: number;
  partitioned: boolean;
  isPartition: boolean;
  columns: LiveColumn[];
  constraints: LiveConstraint[];
  /** Unique indexes that are not constraints (partial ones included), as column lists. */
  uniqueIndexes: string[][];
}

/** Tables of every non-system schema. */
export async function introspect(db: Session): Promise<LiveTable[]> {
  const tables = await db.query(`
    SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind, c.relispartition AS is_partition,
           format('%I.%I', n.nspname, c.relname) AS sql_name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
    ORDER BY n.nspname, c.relname`);
  const cols = await db.query(`
    SELECT a.attrelid::int AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.atttypmod AS typmod,
           a.attnotnull AS not_null, a.atthasdef AS has_default, a.attidentity <> '' AS identity, a.attgenerated <> '' AS generated,
           t.typcategory = 'A' AS is_array,
           coalesce(bt.typname, t.typname) AS base_type,
           (SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = coalesce(nullif(t.typbasetype, 0), t.oid)) AS enum_values
    FROM pg_attribute a
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_type bt ON bt.oid = nullif(t.typbasetype, 0)
    WHERE a.attnum > 0 AND NOT a.attisdropped
      AND a.attrelid IN (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema'))
    ORDER BY a.attrelid, a.attnum`);
  const cons = await db.query(`
    SELECT c.conrelid::int AS oid, c.conname AS name, c.contype AS type, pg_get_constraintdef(c.oid) AS def,
           (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,
           CASE WHEN c.contype = 'f' THEN format('%I.%I', rn.nspname, rc.relname) END AS ref_table,
           (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS ref_columns
    FROM pg_constraint c
    LEFT JOIN pg_class rc ON rc.oid = c.confrelid LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
    WHERE c.contype IN ('p', 'u', 'f', 'c', 'x') AND c.conrelid <> 0
    ORDER BY c.conrelid, c.conname`);
  const uniq = await db.query(`
    SELECT i.indrelid::int AS oid,
           (SELECT array_agg(a.attname ORDER BY k.ord) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS columns
    FROM pg_index i
    WHERE i.indisunique AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`);
  const byOid = new Map<number, LiveTable>();
  for (const t of tables.rows) {
    byOid.set(Number(t.oid), {
      sqlName: String(t.sql_name), schema: String(t.schema), name: String(t.name), oid: Number(t.oid),
      partitioned: t.kind === 'p', isPartition: Boolean(t.is_partition), columns: [], constraints: [], uniqueIndexes: [],
    });
  }
  const arr = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.replace(/^\{|\}$/g, '').split(',').filter(Boolean).map((x) => x.replace(/^"|"$/g, '')) : []);
  for (const c of cols.rows) {
    const t = byOid.get(Number(c.oid));
    if (!t) continue;
    t.columns.push({
      name: String(c.name), type: String(c.type), baseType: String(c.base_type), typmod: Number(c.typmod),
      isArray: Boolean(c.is_array), notNull: Boolean(c.not_null), hasDefault: Boolean(c.has_default),
      identity: Boolean(c.identity), generated: Boolean(c.generated),
      enumValues: c.enum_values ? arr(c.enum_values) : undefined,
    });
  }
  for (const c of cons.rows) {
    const t = byOid.get(Number(c.oid));
    if (!t) continue;
    const def = String(c.def);
    const type = String(c.type) as LiveConstraint['type'];
    t.constraints.push({
      name: String(c.name), type, columns: arr(c.columns), def,
      refTable: c.ref_table ? String(c.ref_table) : undefined,
      refColumns: c.ref_columns ? arr(c.ref_columns) : undefined,
      expr: type === 'c' ? def.replace(/^CHECK\s*/, '').replace(/\s+NOT VALID$/, '') : undefined,
    });
  }
  for (const u of uniq.rows) {
    const t = byOid.get(Number(u.oid));
    if (t && u.columns) t.uniqueIndexes.push(arr(u.columns));
  }
  return [...byOid.values()];
}
