/**
 * The probes of the rls claim: a tenant B row built fresh from one of B's own rows (its
 * parents are B's, its constraints met; its keys made new), and what the application role
 * can see and write with the tenant setting unset, empty or set to a tenant. Every probe runs
 * in its own savepoint, rolled back, so one failure never leaks into the next.
 */
import type { DbError, Session } from '../engine.js';
import { attempt, quoteIdent, quoteLiteral } from '../engine.js';
import type { LiveColumn, LiveTable } from '../introspect.js';

/** The tenant setting's state for one probe: not set at all, set to '', or set to a tenant. */
export type TenantState = { kind: 'unset' } | { kind: 'empty' } | { kind: 'tenant'; value: string };

export type Outcome = { ok: true; rows: number } | { ok: false; error: DbError };

let probeSeq = 0;

export function tenantText(v: unknown): string {
  return v instanceof Date ? v.toISOString() : String(v);
}

/** `col = 'value'::type`, the value read from the database and quoted. */
export function tenantIs(column: string, type: string, value: unknown): string {
  return `${quoteIdent(column)} = ${quoteLiteral(tenantText(value))}::${type}`;
}

export function outcomeText(o: Outcome): string {
  return o.ok ? `${o.rows} rows` : `${o.error.code ?? 'error'}: ${o.error.message}`;
}

export function isRlsRejection(e: DbError): boolean {
  return e.code === '42501' && /row-level security/.test(e.message);
}

/**
 * Runs `fn` as `role` with the tenant setting in `state`, inside a savepoint that is always
 * rolled back (the role, the setting and every write go with it).
 */
export async function asTenant<T>(db: Session, role: string, setting: string, state: TenantState, fn: () => Promise<T>): Promise<T> {
  const sp = `schemaproof_rls_${++probeSeq}`;
  await db.exec(`SAVEPOINT ${sp}`);
  try {
    await db.query(`SET LOCAL ROLE ${quoteIdent(role)}`);
    // The parameter's name and value are bound, never written into SQL.
    if (state.kind !== 'unset') await db.query('SELECT set_config($1, $2, true)', [setting, state.kind === 'empty' ? '' : state.value]);
    return await fn();
  } finally {
    await db.exec(`ROLLBACK TO SAVEPOINT ${sp}`);
    await db.exec(`RELEASE SAVEPOINT ${sp}`);
  }
}

/** Whether the setting is undefined in this session (its unset state can be tried). */
export async function settingUndefined(db: Session, setting: string): Promise<boolean> {
  const r = await db.query('SELECT current_setting($1, true) IS NULL AS unset', [setting]);
  return r.rows[0]?.unset === true;
}

export interface Visible { own: number; other: number }

/** Rows the current role sees: of tenant `own` (none when undefined) and of every other tenant. */
export async function visibleRows(db: Session, sqlName: string, column: string, type: string, own: unknown): Promise<{ ok: true; seen: Visible } | { ok: false; error: DbError }> {
  const mine = own === undefined ? 'false' : tenantIs(column, type, own);
  const r = await attempt(db, `SELECT count(*) FILTER (WHERE ${mine})::int AS own, count(*) FILTER (WHERE NOT coalesce(${mine}, false))::int AS other FROM ${sqlName}`);
  if (!r.ok) return r;
  return { ok: true, seen: { own: Number(r.result.rows[0]!.own), other: Number(r.result.rows[0]!.other) } };
}

/** An UPDATE and a DELETE of tenant B's rows, each in its own savepoint. */
export async function writesOfB(db: Session, sqlName: string, column: string, type: string, b: unknown): Promise<{ update: Outcome; delete: Outcome }> {
  const where = tenantIs(column, type, b);
  const col = quoteIdent(column);
  const outcome = (r: Awaited<ReturnType<typeof attempt>>): Outcome => (r.ok ? { ok: true, rows: r.result.affectedRows ?? 0 } : { ok: false, error: r.error });
  return {
    update: outcome(await attempt(db, `UPDATE ${sqlName} SET ${col} = ${col} WHERE ${where}`)),
    delete: outcome(await attempt(db, `DELETE FROM ${sqlName} WHERE ${where}`)),
  };
}

interface UniqueKey { columns: string[]; predicate?: string }

async function uniqueKeys(db: Session, table: LiveTable): Promise<UniqueKey[]> {
  const r = await db.query(`
    SELECT pg_get_expr(i.indpred, i.indrelid) AS pred,
           (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS cols
    FROM pg_index i WHERE i.indrelid = $1 AND i.indisunique ORDER BY i.indexrelid`, [table.oid]);
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : String(v ?? '').replace(/^\{|\}$/g, '').split(',').filter(Boolean));
  return r.rows.map((x) => ({ columns: list(x.cols), predicate: x.pred ? String(x.pred) : undefined }));
}

/** A new value of the column's type that no existing row has, as SQL read by the owner; undefined when the type has none. */
function freshValue(c: LiveColumn, sqlName: string): string | undefined {
  const col = quoteIdent(c.name);
  if (c.isArray) return undefined;
  if (['int2', 'int4', 'int8', 'numeric', 'float4', 'float8'].includes(c.baseType)) return `(SELECT coalesce(max(${col}), 0) + 1 FROM ${sqlName})`;
  if (c.baseType === 'uuid') return 'gen_random_uuid()';
  if (['text', 'varchar', 'bpchar', 'citext', 'name'].includes(c.baseType)) return `'sp' || substr(md5(random()::text), 1, 10)`;
  if (c.baseType === 'date') return `(SELECT coalesce(max(${col}), current_date) + 1 FROM ${sqlName})`;
  if (c.baseType === 'timestamp' || c.baseType === 'timestamptz') return `(SELECT coalesce(max(${col}), now()) + interval '1 second' FROM ${sqlName})`;
  if (c.baseType === 'bytea') return `decode(md5(random()::text), 'hex')`;
  return undefined;
}

/** The column of a unique key to make new: filled by DEFAULT first, then one no foreign key or CHECK reads. */
function keyColumn(table: LiveTable, key: UniqueKey, tenantColumn: string): LiveColumn | undefined {
  const cols = key.columns.map((n) => table.columns.find((c) => c.name === n)).filter((c): c is LiveColumn => !!c && c.name !== tenantColumn && !c.generated);
  const bound = new Set(table.constraints.filter((k) => k.type === 'f' || k.type === 'c').flatMap((k) => k.columns));
  return cols.find((c) => c.identity) ?? cols.find((c) => c.hasDefault)
    ?? cols.find((c) => !bound.has(c.name) && freshValue(c, table.sqlName)) ?? cols.find((c) => freshValue(c, table.sqlName));
}

export interface ProbeRow {
  /** INSERT ... SELECT of the probe row, run as the application role. */
  readonly insert: string;
  readonly freshened: string[];
  readonly filledByDefault: string[];
}

/**
 * Copies one row of tenant B (one that no partial unique index covers, when there is one) into
 * a temporary table, as the owner; gives each unique key a new value (a DEFAULT-backed column
 * is left out so DEFAULT fills it); grants the copy to the role, so the insert carries every
 * value typed, in SQL. Undefined when B has no row.
 */
export async function buildProbeRow(db: Session, table: LiveTable, tenantColumn: string, type: string, b: unknown, role: string): Promise<ProbeRow | undefined> {
  const keys = await uniqueKeys(db, table);
  const covered = keys.filter((k) => k.predicate).map((k) => `coalesce((${k.predicate}), false)::int`);
  const tmp = `pg_temp.schemaproof_probe_${++probeSeq}`;
  const order = covered.length ? ` ORDER BY ${covered.join(' + ')}` : '';
  await db.query(`CREATE TEMP TABLE ${tmp.slice(8)} AS SELECT * FROM ${table.sqlName} WHERE ${tenantIs(tenantColumn, type, b)}${order} LIMIT 1`);
  const stillCovered = new Set<number>();
  for (const [i, k] of keys.entries()) {
    if (!k.predicate) continue;
    const r = await db.query(`SELECT count(*)::int AS n FROM ${tmp} WHERE coalesce((${k.predicate}), false)`);
    if (Number(r.rows[0]!.n) > 0) stillCovered.add(i);
  }
  if (!Number((await db.query(`SELECT count(*)::int AS n FROM ${tmp}`)).rows[0]!.n)) return undefined;
  const freshened = new Set<string>();
  const omitted = new Set<string>();
  for (const [i, k] of keys.entries()) {
    if (k.predicate && !stillCovered.has(i)) continue;
    if (k.columns.some((c) => freshened.has(c) || omitted.has(c))) continue;
    const c = keyColumn(table, k, tenantColumn);
    if (!c) continue;
    if (c.identity || c.hasDefault) { omitted.add(c.name); continue; }
    await db.query(`UPDATE ${tmp} SET ${quoteIdent(c.name)} = (${freshValue(c, table.sqlName)})::${c.type}`);
    freshened.add(c.name);
  }
  await db.query(`GRANT SELECT ON ${tmp} TO ${quoteIdent(role)}`);
  const cols = table.columns.filter((c) => !c.generated && !c.identity && !omitted.has(c.name)).map((c) => quoteIdent(c.name)).join(', ');
  return {
    insert: `INSERT INTO ${table.sqlName} (${cols}) SELECT ${cols} FROM ${tmp}`,
    freshened: [...freshened], filledByDefault: [...omitted],
  };
}

/** The probe row's INSERT, in a savepoint. */
export async function insertProbe(db: Session, row: ProbeRow): Promise<Outcome> {
  const r = await attempt(db, row.insert);
  return r.ok ? { ok: true, rows: r.result.affectedRows ?? 1 } : { ok: false, error: r.error };
}
