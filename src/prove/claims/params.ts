/** Values for `:name` parameters, drawn from the generated data. */
import { prepareOf, type SafeStatement } from '../../analyses/design-sql.js';
import { references } from '../../analyses/query.js';
import { strList, stripCasts } from '../../load/sql/ast.js';
import type { Ast } from '../../types.js';
import type { Engine } from '../engine.js';
import { attempt, quoteIdent } from '../engine.js';

/** `table` as the statement names it (`schema.name`), `sqlName` quoted for the prover's own queries. */
interface ParamUse { table?: string; sqlName?: string; column?: string }

function tableOf(r: { schema?: string; table: string } | undefined): Pick<ParamUse, 'table' | 'sqlName'> {
  if (!r?.table) return {};
  return { table: r.schema ? `${r.schema}.${r.table}` : r.table, sqlName: [r.schema, r.table].filter(Boolean).map((n) => quoteIdent(n!)).join('.') };
}

/** For each $n, the table column it is compared with, if any. */
function paramColumns(stmt: Ast): Map<number, ParamUse> {
  const refs = references(stmt);
  const aliasTable = new Map(refs.relations.filter((r) => r.table).map((r) => [r.alias, r]));
  const single = refs.relations.length === 1 ? refs.relations[0] : undefined;
  const out = new Map<number, ParamUse>();
  const visit = (n: Ast): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) { n.forEach(visit); return; }
    const a = n.A_Expr;
    if (a) {
      for (const [x, y] of [[a.lexpr, a.rexpr], [a.rexpr, a.lexpr]] as Ast[][]) {
        const p = stripCasts(x)?.ParamRef;
        const items: Ast[] = Array.isArray(y) ? y : y?.List?.items ?? [y];
        const col = items.map((i) => stripCasts(i)?.ColumnRef).find(Boolean);
        if (p && col) {
          const f = strList(col.fields);
          const table = tableOf(f.length > 1 ? aliasTable.get(f[f.length - 2]!) : single);
          if (!out.has(p.number)) out.set(p.number, { ...table, column: f[f.length - 1] });
        }
      }
      // IN lists: col IN ($1, $2)
      const col = stripCasts(a.lexpr)?.ColumnRef;
      const list: Ast[] = Array.isArray(a.rexpr) ? a.rexpr : a.rexpr?.List?.items ?? [];
      if (col) for (const i of list) {
        const p = stripCasts(i)?.ParamRef;
        const f = strList(col.fields);
        if (p && !out.has(p.number)) out.set(p.number, { ...tableOf(f.length > 1 ? aliasTable.get(f[f.length - 2]!) : single), column: f[f.length - 1] });
      }
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

function fallbackValue(type: string | undefined, name: string): unknown {
  const t = (type ?? '').toLowerCase();
  if (/limit|count|size|page/.test(name) || /int|numeric/.test(t)) return /offset/.test(name) ? 0 : 50;
  if (/timestamp|date/.test(t)) return '2000-01-01T00:00:00Z';
  if (t === 'boolean') return true;
  if (t === 'uuid') return '00000000-0000-0000-0000-000000000000';
  return 'x';
}

/**
 * Binds parameters (inside the caller's transaction): those compared with a column of `preferTable` come from one row of it
 * (matching `rowFilter`, e.g. a partial index predicate), so that they fit together.
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
    const ns = byTable.get(table)!;
    const cols = ns.map((n) => uses.get(n)!.column!);
    const filter = [table === preferTable && rowFilter ? `(${rowFilter})` : '', ...cols.map((c) => `${quoteIdent(c)} IS NOT NULL`)].filter(Boolean).join(' AND ');
    const from = sqlNames.get(table)!;
    const count = await attempt(db, `SELECT count(*)::int AS n FROM ${from} WHERE ${filter}`);
    const n = count.ok ? Number(count.result.rows[0]?.n ?? 0) : 0;
    const row = n > 0 ? await attempt(db, `SELECT ${cols.map((c, i) => `${quoteIdent(c)} AS c${i}`).join(', ')} FROM ${from} WHERE ${filter} OFFSET ${Math.floor(n / 2)} LIMIT 1`) : undefined;
    ns.forEach((pn, i) => {
      const v = row?.ok ? row.result.rows[0]?.[`c${i}`] : undefined;
      if (v !== undefined) { values[pn - 1] = v; sources[names[pn - 1]!] = `${table}.${cols[i]}`; }
    });
  }
  names.forEach((name, i) => {
    if (values[i] === undefined) { values[i] = fallbackValue(types[i], name); sources[name] = `default for ${types[i] ?? 'unknown type'}`; }
  });
  return { values, sources };
}
