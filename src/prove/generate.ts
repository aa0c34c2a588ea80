/**
 * Synthetic data that honours the schema: types, NOT NULL, CHECKs (rows that fail one are
 * filtered out and topped up), foreign keys (parents first; values drawn from the parent's
 * actual keys, composite keys taken from one parent row), unique keys (ON CONFLICT DO NOTHING
 * plus row-number based values), and the design's volumes scaled to a cap. Values are SQL
 * expressions of the row number and the seed, computed in the database, so the same seed
 * gives the same data on the same engine.
 */
import { parseExpression } from '../load/sql/parse.js';
import { inListValues } from '../analyses/index.js';
import { constValue, strList, stripCasts } from '../load/sql/ast.js';
import type { Ast } from '../types.js';
import type { Engine } from './engine.js';
import { attemptTop, quoteIdent, quoteLiteral } from './engine.js';
import type { LiveColumn, LiveConstraint, LiveTable } from './introspect.js';
import { parseCount } from '../load/design/counts.js';

export interface GenerateOptions {
  readonly seed: string;
  /** Most rows in any table (default 100k); volumes are scaled so the largest table hits it. */
  readonly cap: number;
  /** Design volumes by table name: rows and distinct counts per column. */
  readonly volumes: Record<string, { rows?: number; distinct?: Record<string, number> }>;
  /** Rows for a table the design gives no volume (default 1000, never above the cap). */
  readonly defaultRows?: number;
  /** The tenant column: without a declared distinct count it gets 10 tenants, shared by all tables. */
  readonly tenantColumn?: string;
}

export interface TableFill {
  readonly table: string;
  readonly target: number;
  readonly rows: number;
  readonly status: 'filled' | 'partial' | 'skipped';
  readonly reason?: string;
  readonly ms: number;
}

/** Parents before children; a cycle is broken where it is found. */
function fkOrder(tables: LiveTable[]): LiveTable[] {
  const byName = new Map(tables.map((t) => [t.sqlName, t]));
  const out: LiveTable[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: LiveTable): void => {
    const s = state.get(t.sqlName);
    if (s) return;
    state.set(t.sqlName, 'visiting');
    for (const c of t.constraints) {
      if (c.type !== 'f' || !c.refTable || c.refTable === t.sqlName) continue;
      const p = byName.get(c.refTable);
      if (p && !state.has(p.sqlName)) visit(p);
    }
    state.set(t.sqlName, 'done');
    out.push(t);
  };
  for (const t of tables) visit(t);
  return out;
}

/** A 31-bit salt per (seed, column), computed here so the database hashes integers only. */
function salt(seed: string, key: string): number {
  let x = 2166136261;
  for (const ch of `${seed}:${key}`) x = Math.imul(x ^ ch.codePointAt(0)!, 16777619) >>> 0;
  return x & 0x7fffffff;
}

/** A deterministic non-negative pseudo-random bigint per row and column. */
const h = (seed: string, key: string): string => `abs(hashint8extended(g, ${salt(seed, key)}))`;

/** A CHECK expression from pg_get_constraintdef, parsed by the real parser. */
const checkAsts = new WeakMap<LiveConstraint, Ast | null>();
function checkAst(k: LiveConstraint): Ast | null {
  if (!checkAsts.has(k)) {
    checkAsts.set(k, parseExpression(k.expr ?? 'true') ?? null);
  }
  return checkAsts.get(k)!;
}

function isCol(node: Ast, column: string): boolean {
  const f = strList(stripCasts(node)?.ColumnRef?.fields);
  return f.length > 0 && f[f.length - 1] === column;
}

/** Bounds written as `col >= N`, `col < N`, `col BETWEEN a AND b` (inside ANDs). */
function numericBounds(c: LiveColumn, checks: LiveConstraint[]): { lo?: number; hi?: number } {
  let lo: number | undefined;
  let hi: number | undefined;
  const visit = (e: Ast): void => {
    const n = stripCasts(e);
    if (n?.BoolExpr?.boolop === 'AND_EXPR') { (n.BoolExpr.args ?? []).forEach(visit); return; }
    const a = n?.A_Expr;
    if (!a) return;
    const op = strList(a.name)[0];
    if (a.kind === 'AEXPR_BETWEEN' && isCol(a.lexpr, c.name)) {
      const [x, y] = (a.rexpr?.List?.items ?? a.rexpr ?? []).map((v: Ast) => constValue(stripCasts(v)));
      if (typeof x === 'number') lo = Math.max(lo ?? -Infinity, Math.ceil(x));
      if (typeof y === 'number') hi = Math.min(hi ?? Infinity, Math.floor(y));
      return;
    }
    if (a.kind !== 'AEXPR_OP' || !op) return;
    const flip: Record<string, string> = { '<': '>', '>': '<', '<=': '>=', '>=': '<=' };
    let o = op;
    let v: unknown;
    if (isCol(a.lexpr, c.name)) v = constValue(stripCasts(a.rexpr));
    else if (isCol(a.rexpr, c.name)) { v = constValue(stripCasts(a.lexpr)); o = flip[op] ?? op; }
    if (typeof v !== 'number') return;
    if (o === '>=') lo = Math.max(lo ?? -Infinity, Math.ceil(v));
    if (o === '>') lo = Math.max(lo ?? -Infinity, Math.floor(v) + 1);
    if (o === '<=') hi = Math.min(hi ?? Infinity, Math.floor(v));
    if (o === '<') hi = Math.min(hi ?? Infinity, Math.ceil(v) - 1);
  };
  for (const k of checks) { const ast = checkAst(k); if (ast) visit(ast); }
  return { lo, hi };
}

function inList(c: LiveColumn, checks: LiveConstraint[]): string[] | undefined {
  for (const k of checks) {
    const ast = checkAst(k);
    const values = ast ? inListValues(ast, c.name) : undefined;
    if (values) return values;
  }
  return undefined;
}

/** The value expression for a column that no foreign key provides. */
function valueExpr(t: LiveTable, c: LiveColumn, opts: GenerateOptions, unique: boolean, distinct: number | undefined, checks: LiveConstraint[]): string {
  const H = h(opts.seed, `${t.sqlName}.${c.name}`);
  const key = distinct ? `(${H} % ${distinct})` : unique ? 'g' : H;
  const typed = (expr: string): string => `(${expr})::${c.type}`;
  if (c.isArray) return c.notNull ? `'{}'::${c.type}` : 'NULL';
  if (c.enumValues?.length) {
    const list = `ARRAY[${c.enumValues.map(quoteLiteral).join(', ')}]`;
    return typed(`(${list})[1 + ${key} % ${c.enumValues.length}]`);
  }
  const allowed = inList(c, checks);
  if (allowed) return typed(`(ARRAY[${allowed.map(quoteLiteral).join(', ')}])[1 + ${key} % ${allowed.length}]`);
  const base = c.baseType;
  const { lo, hi } = numericBounds(c, checks);
  const ranged = (defLo: number, defHi: number): string => {
    const a = lo ?? defLo;
    const b = Math.max(a, hi ?? defHi);
    return unique && !distinct ? `(${a} + g % ${b - a + 1})` : `(${a} + ${key} % ${b - a + 1})`;
  };
  switch (base) {
    case 'int2': return typed(ranged(0, 32000));
    case 'int4': return typed(unique && lo === undefined && hi === undefined ? 'g' : ranged(0, 1_000_000));
    case 'int8': return typed(unique && lo === undefined && hi === undefined ? 'g' : ranged(0, 1_000_000_000));
    case 'numeric': {
      const scale = c.typmod > 0 ? (c.typmod - 4) & 0xffff : 2;
      const precision = c.typmod > 0 ? ((c.typmod - 4) >> 16) & 0xffff : 12;
      const intDigits = Math.max(0, Math.min(9, precision - scale));
      const max = intDigits === 0 ? 0 : 10 ** intDigits - 1;
      return typed(`${ranged(0, max)} + (${H} % 100) / 100.0 * ${scale > 0 ? 1 : 0}`);
    }
    case 'float4': case 'float8': return typed(`${ranged(0, 100000)} / 7.0`);
    case 'bool': return typed(`${key} % 2 = 0`);
    case 'uuid': {
      // Non-key uuids with a distinct count share their domain across tables (tenant_id).
      const domain = distinct && !unique ? `col:${c.name}` : `${t.sqlName}.${c.name}`;
      return `md5(${quoteLiteral(`${opts.seed}:${domain}:`)} || ${distinct ? `(${H} % ${distinct})` : 'g'}::text)::uuid`;
    }
    case 'date': return typed(`date '2026-01-01' - (${key} % 3650)::int`);
    case 'timestamptz': case 'timestamp': {
      // created_at is the earliest moment of a row; every other time is at or after it.
      const created = /^(created|inserted)(_at|_on)?$/.test(c.name);
      const offset = created ? '' : ` + (${H} % 86400) * interval '1 second'`;
      return typed(`timestamptz '2026-06-01 00:00:00+00' - ${distinct ? `(${H} % ${distinct})` : 'g'} * interval '1 minute'${offset}`);
    }
    case 'time': case 'timetz': return typed(`time '00:00' + (${H} % 86400) * interval '1 second'`);
    case 'interval': return `(${H} % 10000) * interval '1 minute'`;
    case 'json': case 'jsonb': return typed(`jsonb_build_object('n', g)`);
    case 'bytea': return `decode(md5(${quoteLiteral(opts.seed)} || g::text), 'hex')`;
    case 'inet': case 'cidr': return typed(`'10.' || (g / 65536 % 256) || '.' || (g / 256 % 256) || '.' || (g % 256)`);
    case 'text': case 'varchar': case 'bpchar': case 'citext': case 'name': {
      const len = c.typmod > 4 ? c.typmod - 4 : undefined;
      let expr = /email/.test(c.name)
        ? `'user' || ${unique ? 'g' : key} || '@example.test'`
        : `${quoteLiteral(`${c.name}_`)} || ${unique ? 'g' : key}`;
      if (len) expr = `right(${expr}, ${len})`;
      return typed(expr);
    }
    default:
      return c.notNull ? (c.hasDefault ? 'DEFAULT' : 'NULL') : 'NULL';
  }
}

interface Plan {
  insertColumns: string[];
  sql: (from: number, to: number, limit: number) => string;
}

function planTable(t: LiveTable, opts: GenerateOptions): Plan | { skip: string } {
  const vol = opts.volumes[t.name] ?? opts.volumes[`${t.schema}.${t.name}`];
  const checks = t.constraints.filter((c) => c.type === 'c');
  const uniqueCols = new Set<string>();
  for (const c of t.constraints) if (c.type === 'p' || c.type === 'u') c.columns.forEach((x) => uniqueCols.add(x));
  for (const u of t.uniqueIndexes) u.forEach((x) => uniqueCols.add(x));
  const singleUnique = new Set<string>();
  for (const c of t.constraints) if ((c.type === 'p' || c.type === 'u') && c.columns.length === 1) singleUnique.add(c.columns[0]!);
  for (const u of t.uniqueIndexes) if (u.length === 1) singleUnique.add(u[0]!);

  const fks = t.constraints.filter((c) => c.type === 'f' && c.refTable && c.refColumns?.length === c.columns.length);
  const colByName = new Map(t.columns.map((c) => [c.name, c]));
  // Foreign keys whose columns are all NOT NULL pick first; they own their columns.
  fks.sort((a, b) => Number(b.columns.every((x) => colByName.get(x)?.notNull)) - Number(a.columns.every((x) => colByName.get(x)?.notNull)));
  const owner = new Map<string, LiveConstraint>();
  const ctes: string[] = [];
  const joins: string[] = [];
  const baseExprs = new Map<string, string>();
  const lateExprs = new Map<string, string>();
  fks.forEach((fk, i) => {
    const self = fk.refTable === t.sqlName;
    const nullable = fk.columns.some((x) => !colByName.get(x)?.notNull);
    const alias = `fk${i}`;
    const free = fk.columns.filter((x) => !owner.has(x));
    const shared = fk.columns.filter((x) => owner.has(x));
    if (self) {
      // A nullable self reference stays NULL; a required one points at its own row.
      for (const x of free) {
        const rc = fk.refColumns![fk.columns.indexOf(x)]!;
        baseExprs.set(x, nullable ? `NULL::${colByName.get(x)?.type ?? 'text'}` : `__self__${rc}`);
        owner.set(x, fk);
      }
      return;
    }
    const pick = `(${h(opts.seed, `${t.sqlName}#${fk.name}`)} % greatest(${alias}.n, 1)) + 1`;
    const nullGate = nullable ? `CASE WHEN ${h(opts.seed, `${t.sqlName}#${fk.name}#null`)} % 4 = 0 THEN NULL ELSE ` : '';
    const gateEnd = nullable ? ' END' : '';
    if (shared.length === 0) {
      const aggs = fk.refColumns!.map((rc, j) => `array_agg(${quoteIdent(rc)} ORDER BY ${fk.refColumns!.map(quoteIdent).join(', ')}) AS a${j}`).join(', ');
      const notNulls = fk.refColumns!.map((rc) => `${quoteIdent(rc)} IS NOT NULL`).join(' AND ');
      ctes.push(`${alias} AS (SELECT ${aggs}, count(*) AS n FROM ${fk.refTable} WHERE ${notNulls})`);
      joins.push(alias);
      fk.columns.forEach((x, j) => {
        owner.set(x, fk);
        baseExprs.set(x, `${nullGate}${alias}.a${j}[${pick}]${gateEnd}`);
      });
    } else {
      // Columns shared with an earlier key (a tenant column): find a parent row that agrees.
      const where = shared.map((x) => `p.${quoteIdent(fk.refColumns![fk.columns.indexOf(x)]!)} = b.${quoteIdent(x)}`).join(' AND ');
      for (const x of free) {
        const rc = fk.refColumns![fk.columns.indexOf(x)]!;
        owner.set(x, fk);
        lateExprs.set(x, `${nullGate}(SELECT p.${quoteIdent(rc)} FROM ${fk.refTable} p WHERE ${where} ORDER BY p.${quoteIdent(rc)} LIMIT 1)${gateEnd}`);
      }
    }
  });
  const insertColumns: string[] = [];
  for (const c of t.columns) {
    if (c.identity || c.generated) continue;
    if (!baseExprs.has(c.name) && !lateExprs.has(c.name)) {
      if (c.hasDefault && !c.notNull) continue;
      const distinct = vol?.distinct?.[c.name] ?? (c.name === opts.tenantColumn ? 10 : undefined);
      const unique = singleUnique.has(c.name) || (uniqueCols.has(c.name) && !distinct);
      let expr = valueExpr(t, c, opts, unique, distinct, checks);
      if (expr === 'DEFAULT') continue;
      if (expr === 'NULL' && c.notNull) return { skip: `no generator for type ${c.type} of NOT NULL column ${c.name}` };
      if (!c.notNull && !uniqueCols.has(c.name) && expr !== 'NULL') expr = `CASE WHEN ${h(opts.seed, `${t.sqlName}.${c.name}#null`)} % 4 = 0 THEN NULL ELSE ${expr} END`;
      baseExprs.set(c.name, expr);
    }
    insertColumns.push(c.name);
  }
  for (const [x, e] of [...baseExprs]) {
    if (e.startsWith('__self__')) {
      const target = baseExprs.get(e.slice('__self__'.length));
      baseExprs.set(x, target && !target.startsWith('__self__') ? target : `NULL::${colByName.get(x)?.type ?? 'text'}`);
    }
  }
  const cols = insertColumns.map(quoteIdent);
  const notNull = t.columns.filter((c) => c.notNull && insertColumns.includes(c.name)).map((c) => `${quoteIdent(c.name)} IS NOT NULL`);
  const filters = [...notNull, ...checks.map((k) => `(${k.expr}) IS NOT FALSE`)];
  return {
    insertColumns,
    sql: (from, to, limit) => {
      const baseCols = insertColumns.filter((x) => baseExprs.has(x));
      const base = `SELECT g, ${baseCols.map((x) => `${baseExprs.get(x)} AS ${quoteIdent(x)}`).join(', ') || '1 AS schemaproof_none'} FROM generate_series(${from}, ${to}) g${joins.map((j) => `, ${j}`).join('')}`;
      const full = `SELECT ${insertColumns.map((x) => (lateExprs.has(x) ? `${lateExprs.get(x)} AS ${quoteIdent(x)}` : `b.${quoteIdent(x)}`)).join(', ')} FROM base b`;
      return `WITH ${[...ctes, `base AS (${base})`, `full_rows AS (${full})`].join(', ')} `
        + `INSERT INTO ${t.sqlName} (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM full_rows`
        + `${filters.length ? ` WHERE ${filters.join(' AND ')}` : ''} LIMIT ${limit} ON CONFLICT DO NOTHING`;
    },
  };
}

/** Disables the RI check triggers (insert/update on referencing tables), where the role may; returns what to re-enable. */
async function pauseForeignKeyChecks(db: Engine): Promise<{ table: string; trigger: string }[]> {
  const r = await db.query(`SELECT format('%I.%I', n.nspname, c.relname) AS tbl, quote_ident(t.tgname) AS trg
    FROM pg_trigger t JOIN pg_constraint k ON k.oid = t.tgconstraint JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE t.tgisinternal AND k.contype = 'f' AND k.conrelid = t.tgrelid AND t.tgenabled <> 'D'
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')`);
  const paused: { table: string; trigger: string }[] = [];
  for (const row of r.rows) {
    const p = { table: String(row.tbl), trigger: String(row.trg) };
    if ((await attemptTop(db, `ALTER TABLE ${p.table} DISABLE TRIGGER ${p.trigger}`)).ok) paused.push(p);
    else break; // not a superuser: every other would be refused too
  }
  return paused;
}

/**
 * On a server the tables' owner (the throwaway role, or a schema role it is a member of) fills
 * them; FORCE ROW LEVEL SECURITY would hold it to the policies and leave the tables empty, so
 * FORCE is lifted while filling and put back after. Returns the tables to put it back on.
 */
async function liftForcedRowSecurity(db: Engine): Promise<string[]> {
  const r = await db.query(`SELECT format('%I.%I', n.nspname, c.relname) AS tbl FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relforcerowsecurity AND c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')`);
  const lifted: string[] = [];
  for (const row of r.rows) {
    const t = String(row.tbl);
    if ((await attemptTop(db, `ALTER TABLE ${t} NO FORCE ROW LEVEL SECURITY`)).ok) lifted.push(t);
  }
  return lifted;
}

/**
 * Materialized views are filled from the generated rows (a claim on one never refreshed, or
 * created WITH NO DATA, would read nothing), dependencies first, then analysed.
 */
async function refreshMaterializedViews(db: Engine): Promise<void> {
  const mvs = await db.query(`SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'm' AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY c.oid`);
  for (const m of mvs.rows) {
    const r = await attemptTop(db, `REFRESH MATERIALIZED VIEW ${String(m.name)}`);
    if (r.ok) await attemptTop(db, `ANALYZE ${String(m.name)}`);
  }
}

/** Design volumes (strings such as 5M) to numbers. */
export function volumesOf(design: { volumes?: Record<string, { rows?: number | string; distinct?: Record<string, number | string> }> } | undefined): GenerateOptions['volumes'] {
  const out: GenerateOptions['volumes'] = {};
  for (const [name, v] of Object.entries(design?.volumes ?? {})) {
    const distinct: Record<string, number> = {};
    for (const [c, d] of Object.entries(v?.distinct ?? {})) { const n = parseCount(d); if (n) distinct[c] = n; }
    out[name] = { rows: parseCount(v?.rows), distinct };
  }
  return out;
}

/** Row targets: the largest declared volume scales to the cap; the rest keep their proportion. */
export function targets(tables: LiveTable[], opts: GenerateOptions): Map<string, number> {
  const declared = tables.map((t) => opts.volumes[t.name]?.rows ?? opts.volumes[`${t.schema}.${t.name}`]?.rows).filter((x): x is number => typeof x === 'number');
  const largest = Math.max(0, ...declared);
  const factor = largest > opts.cap ? opts.cap / largest : 1;
  const out = new Map<string, number>();
  for (const t of tables) {
    const v = opts.volumes[t.name]?.rows ?? opts.volumes[`${t.schema}.${t.name}`]?.rows;
    out.set(t.sqlName, v === undefined ? Math.min(opts.defaultRows ?? 1000, opts.cap) : Math.max(10, Math.min(opts.cap, Math.round(v * factor))));
  }
  return out;
}

export async function generate(db: Engine, tables: LiveTable[], opts: GenerateOptions): Promise<TableFill[]> {
  const fills: TableFill[] = [];
  const wanted = targets(tables, opts);
  // User triggers are part of the design and stay on while filling (session_replication_role
  // = replica would silence them too, and a trigger-kept rule would then look broken). Only the
  // foreign-key check triggers of the referencing tables are paused where the role may (values
  // are drawn from the parents' keys, valid by construction); elsewhere the checks just run.
  const paused = await pauseForeignKeyChecks(db);
  const unforced = await liftForcedRowSecurity(db);
  for (const t of fkOrder(tables)) {
    const t0 = performance.now();
    const target = wanted.get(t.sqlName) ?? 0;
    if (t.partitioned || t.isPartition) {
      fills.push({ table: t.sqlName, target, rows: 0, status: 'skipped', reason: 'partitioned tables are not filled yet', ms: 0 });
      continue;
    }
  
    let rows = 0;
    let reason: string | undefined;
    let next = 1;
    // Rows filtered out by a CHECK or a unique key are topped up, a few times at most.
    for (let pass = 0; pass < 4 && rows < target; pass++) {
      const plan = planTable(t, opts);
      if ('skip' in plan) { reason = plan.skip; break; }
      const want = target - rows;
      // Over-generate so that rows dropped by CHECK filters still leave enough; LIMIT keeps the count.
      const batch = Math.ceil(want * (pass === 0 ? 1.3 : 2));
      const r = await attemptTop(db, plan.sql(next, next + batch - 1, want));
      next += batch;
      if (!r.ok) { reason = `${r.error.message}${r.error.code ? ` (${r.error.code})` : ''}`; break; }
      rows += r.result.affectedRows ?? 0;
      if ((r.result.affectedRows ?? 0) === 0 && pass > 0) break;
    }
    // Unique keys and CHECKs may leave a few percent of a table unfilled: that is still filled.
    const status = rows >= target * 0.95 ? 'filled' : rows > 0 ? 'partial' : reason ? 'skipped' : 'partial';
    fills.push({ table: t.sqlName, target, rows, status, reason: status === 'filled' ? undefined : reason ?? 'rows were rejected by CHECK or unique constraints after retries', ms: performance.now() - t0 });
  }
  // Statistics for the planner, on the user's tables only (a bare ANALYZE also walks the catalogs).
  const filled = fills.filter((f) => f.rows > 0).map((f) => f.table);
  for (const p of paused) await attemptTop(db, `ALTER TABLE ${p.table} ENABLE TRIGGER ${p.trigger}`);
  for (const t of unforced) await attemptTop(db, `ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`);
  if (filled.length) await db.exec(`ANALYZE ${filled.join(', ')}`);
  await refreshMaterializedViews(db);
  return fills;
}
