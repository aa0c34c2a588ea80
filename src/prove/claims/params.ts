/**
 * Values for `:name` parameters, drawn from the generated data by each parameter's role in the
 * query: those compared for equality (and a row comparison's) come from one row, so that they
 * fit together; the two ends of a range from two quantiles of the column among those rows
 * (lower < upper); a parameter compared with no column from a column of its own type (a
 * domain's too), else a value of its type.
 */
import { prepareOf, type SafeStatement } from '../../analyses/design-sql.js';
import { references } from '../../analyses/query.js';
import { strList, stripCasts } from '../../load/sql/ast.js';
import type { Ast } from '../../types.js';
import type { Engine } from '../engine.js';
import { attempt, quoteIdent } from '../engine.js';

type Role = 'eq' | 'lower' | 'upper';

/** `table` as the statement names it (`schema.name`), `sqlName` quoted for the prover's own queries. */
interface ParamUse { table?: string; sqlName?: string; column?: string; role: Role }

function tableOf(r: { schema?: string; table: string } | undefined): Pick<ParamUse, 'table' | 'sqlName'> {
  if (!r?.table) return {};
  return { table: r.schema ? `${r.schema}.${r.table}` : r.table, sqlName: [r.schema, r.table].filter(Boolean).map((n) => quoteIdent(n!)).join('.') };
}

/** The role of a parameter compared by `op`, the parameter on the right (`col op $n`) or the left. */
function roleOf(op: string, paramOnRight: boolean): Role {
  const lowerOps = paramOnRight ? ['>', '>='] : ['<', '<='];
  const upperOps = paramOnRight ? ['<', '<='] : ['>', '>='];
  return lowerOps.includes(op) ? 'lower' : upperOps.includes(op) ? 'upper' : 'eq';
}

/** For each $n, the table column it is compared with and how, if any. */
function paramColumns(stmt: Ast): Map<number, ParamUse> {
  const refs = references(stmt);
  const aliasTable = new Map(refs.relations.filter((r) => r.table).map((r) => [r.alias, r]));
  const single = refs.relations.length === 1 ? refs.relations[0] : undefined;
  const out = new Map<number, ParamUse>();
  const record = (p: Ast, col: Ast, role: Role): void => {
    const f = strList(col.fields);
    if (!out.has(p.number)) out.set(p.number, { ...tableOf(f.length > 1 ? aliasTable.get(f[f.length - 2]!) : single), column: f[f.length - 1], role });
  };
  const visit = (n: Ast): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) { n.forEach(visit); return; }
    const a = n.A_Expr;
    if (a) {
      const op = strList(a.name)[0] ?? '=';
      const l = a.lexpr?.RowExpr?.args;
      const r = a.rexpr?.RowExpr?.args;
      // Keyset row comparison: (a, b) > ($1, $2), bound from one row.
      if (Array.isArray(l) && Array.isArray(r)) {
        l.forEach((x: Ast, i: number) => {
          const col = stripCasts(x)?.ColumnRef;
          const p = stripCasts(r[i])?.ParamRef;
          if (col && p) record(p, col, 'eq');
        });
      }
      for (const [x, y, right] of [[a.lexpr, a.rexpr, false], [a.rexpr, a.lexpr, true]] as [Ast, Ast, boolean][]) {
        const p = stripCasts(x)?.ParamRef;
        const items: Ast[] = Array.isArray(y) ? y : y?.List?.items ?? [y];
        const col = items.map((i) => stripCasts(i)?.ColumnRef).find(Boolean);
        if (p && col) record(p, col, a.kind === 'AEXPR_OP' ? roleOf(op, right) : 'eq');
      }
      // IN lists and BETWEEN: col IN ($1, $2), col BETWEEN $1 AND $2
      const col = stripCasts(a.lexpr)?.ColumnRef;
      const list: Ast[] = Array.isArray(a.rexpr) ? a.rexpr : a.rexpr?.List?.items ?? [];
      const between = a.kind === 'AEXPR_BETWEEN' || a.kind === 'AEXPR_BETWEEN_SYM';
      if (col) list.forEach((i, k) => { const p = stripCasts(i)?.ParamRef; if (p) record(p, col, between ? (k === 0 ? 'lower' : 'upper') : 'eq'); });
    }
    for (const v of Object.values(n)) if (v && typeof v === 'object') visit(v);
  };
  visit(stmt);
  return out;
}

async function paramTypes(db: Engine, safe: SafeStatement): Promise<string[]> {
  const prepare = prepareOf(safe, 'schemaproof_probe');
  if (safe.params.length === 0 || !prepare) return [];
  // Called inside the claim's transaction; prepared statements outlive it, so deallocate.
  const r = await attempt(db, prepare);
  if (!r.ok) return [];
  const t = await db.query(`SELECT parameter_types::text[] AS t FROM pg_prepared_statements WHERE name = 'schemaproof_probe'`);
  await db.exec('DEALLOCATE schemaproof_probe');
  const v = t.rows[0]?.t;
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.replace(/^\{|\}$/g, '').split(',') : [];
}

/** A value of a parameter's type: from a column of exactly that type (domains included), else typical for the base type. */
async function typedValue(db: Engine, type: string | undefined, name: string): Promise<{ value: unknown; source: string }> {
  if (type && type !== 'unknown') {
    const col = await attempt(db, `SELECT format('%I.%I', n.nspname, c.relname) AS tbl, quote_ident(a.attname) AS col, a.attname AS name
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE a.atttypid = $1::regtype AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'm')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY c.oid, a.attnum LIMIT 1`, [type]);
    const hit = col.ok ? col.result.rows[0] : undefined;
    if (hit) {
      const v = await attempt(db, `SELECT ${String(hit.col)}::text AS v FROM ${String(hit.tbl)} WHERE ${String(hit.col)} IS NOT NULL OFFSET 0 LIMIT 1`);
      if (v.ok && v.result.rows[0]) return { value: v.result.rows[0].v, source: `${String(hit.tbl)}.${String(hit.name)} (a column of type ${type})` };
    }
  }
  const base = type ? await attempt(db, `SELECT t.typcategory AS cat, format_type(coalesce(nullif(t.typbasetype, 0), t.oid), NULL) AS base FROM pg_type t WHERE t.oid = $1::regtype`, [type]) : undefined;
  const cat = base?.ok ? String(base.result.rows[0]?.cat ?? '') : '';
  const baseName = base?.ok ? String(base.result.rows[0]?.base ?? type) : String(type ?? '');
  return { value: fallbackValue(baseName, cat, name), source: `default for ${type ?? 'unknown type'}` };
}

function fallbackValue(type: string, category: string, name: string): unknown {
  const t = type.toLowerCase();
  if (/offset/.test(name)) return 0;
  if (/limit|count|size|page/.test(name) || category === 'N') return 50;
  if (t === 'jsonb' || t === 'json') return '{}';
  if (category === 'A') return '{}';
  if (category === 'D') return '2000-01-01T00:00:00Z';
  if (category === 'B') return true;
  if (t === 'uuid') return '00000000-0000-0000-0000-000000000000';
  return 'x';
}

/** Two quantiles of a column among the rows that match the equality values already bound. */
async function rangeValues(db: Engine, from: string, column: string, where: string, params: unknown[]): Promise<{ lower: unknown; upper: unknown } | undefined> {
  const c = quoteIdent(column);
  const r = await attempt(db, `SELECT percentile_disc(0.25) WITHIN GROUP (ORDER BY ${c}) AS lo, percentile_disc(0.75) WITHIN GROUP (ORDER BY ${c}) AS hi
    FROM ${from} WHERE ${c} IS NOT NULL${where ? ` AND ${where}` : ''}`, params);
  const row = r.ok ? r.result.rows[0] : undefined;
  return row && row.lo !== null && row.lo !== undefined ? { lower: row.lo, upper: row.hi } : undefined;
}

/**
 * Binds parameters (inside the caller's transaction): those compared for equality with a column of `preferTable` come
 * from one row of it (matching `rowFilter`, e.g. a partial index predicate), range ends from quantiles among such rows.
 */
export async function bindParams(db: Engine, safe: SafeStatement, preferTable: string | undefined, rowFilter: string | undefined): Promise<{ values: unknown[]; sources: Record<string, string> }> {
  const names = safe.params;
  const uses = paramColumns(safe.stmt);
  const types = await paramTypes(db, safe);
  const values: unknown[] = names.map(() => undefined);
  const sources: Record<string, string> = {};
  const byTable = new Map<string, number[]>();
  const sqlNames = new Map<string, string>();
  uses.forEach((u, n) => { if (u.table && u.column) { byTable.set(u.table, [...(byTable.get(u.table) ?? []), n]); sqlNames.set(u.table, u.sqlName!); } });
  const tables = [...byTable.keys()].sort((a, b) => Number(b === preferTable) - Number(a === preferTable));
  for (const table of tables) {
    const all = byTable.get(table)!;
    const eq = all.filter((n) => uses.get(n)!.role === 'eq');
    const cols = eq.map((n) => uses.get(n)!.column!);
    const filter = [table === preferTable && rowFilter ? `(${rowFilter})` : '', ...cols.map((c) => `${quoteIdent(c)} IS NOT NULL`)].filter(Boolean).join(' AND ') || 'true';
    const from = sqlNames.get(table)!;
    const count = await attempt(db, `SELECT count(*)::int AS n FROM ${from} WHERE ${filter}`);
    const n = count.ok ? Number(count.result.rows[0]?.n ?? 0) : 0;
    const row = n > 0 && eq.length ? await attempt(db, `SELECT ${cols.map((c, i) => `${quoteIdent(c)} AS c${i}`).join(', ')} FROM ${from} WHERE ${filter} OFFSET ${Math.floor(n / 2)} LIMIT 1`) : undefined;
    const bound: { column: string; value: unknown }[] = [];
    eq.forEach((pn, i) => {
      const v = row?.ok ? row.result.rows[0]?.[`c${i}`] : undefined;
      if (v !== undefined) { values[pn - 1] = v; sources[names[pn - 1]!] = `${table}.${cols[i]}`; if (v !== null) bound.push({ column: cols[i]!, value: v }); }
    });
    await bindRanges(db, { table, from, rowFilter: table === preferTable ? rowFilter : undefined, bound, ranged: all.filter((x) => uses.get(x)!.role !== 'eq'), uses, names, values, sources });
  }
  for (const [i, name] of names.entries()) {
    if (values[i] !== undefined) continue;
    const v = await typedValue(db, types[i], name);
    values[i] = v.value;
    sources[name] = v.source;
  }
  return { values, sources };
}

interface RangeJob {
  table: string; from: string; rowFilter?: string; bound: { column: string; value: unknown }[]; ranged: number[];
  uses: Map<number, ParamUse>; names: readonly string[]; values: unknown[]; sources: Record<string, string>;
}

/** Range ends of each column: the 25th and 75th percentile among the rows that match the equality values. */
async function bindRanges(db: Engine, j: RangeJob): Promise<void> {
  const where = [j.rowFilter ? `(${j.rowFilter})` : '', ...j.bound.map((b, i) => `${quoteIdent(b.column)} = $${i + 1}`)].filter(Boolean).join(' AND ');
  const params = j.bound.map((b) => (b.value instanceof Date ? b.value.toISOString() : b.value));
  for (const column of new Set(j.ranged.map((n) => j.uses.get(n)!.column!))) {
    const q = await rangeValues(db, j.from, column, where, params);
    if (!q) continue;
    for (const pn of j.ranged.filter((n) => j.uses.get(n)!.column === column)) {
      const role = j.uses.get(pn)!.role;
      j.values[pn - 1] = role === 'lower' ? q.lower : q.upper;
      j.sources[j.names[pn - 1]!] = `${j.table}.${column} (${role === 'lower' ? '25th' : '75th'} percentile)`;
    }
  }
}
