/**
 * rls of a tenant_scoped entity that is a view or a materialized view. A view without
 * security_invoker reads its tables with its owner's rights (owners bypass RLS), and a
 * materialized view has no row-level security at all: what the application role may SELECT
 * there is what it sees. Proven only when, as the role, tenant A sees none of the other
 * tenants' rows and nothing with the setting unset or ''.
 */
import type { Loc } from '../../types.js';
import type { Engine, Session } from '../engine.js';
import { attempt, quoteIdent, withRollback } from '../engine.js';
import { asTenant, settingUndefined, tenantText, visibleRows } from './rls-probe.js';
import { settingsProblem, type TenantSettings } from './rls.js';
import type { Claim } from './types.js';

export interface LiveRelation {
  readonly oid: number;
  readonly kind: 'view' | 'materialized view';
  readonly sqlName: string;
  readonly securityInvoker: boolean;
}

/** A view or materialized view by the design's name (`name` on the search path, or `schema.name`). */
export async function findView(db: Session, name: string): Promise<LiveRelation | undefined> {
  const r = await db.query(`
    SELECT c.oid::int AS oid, c.relkind AS kind, format('%I.%I', n.nspname, c.relname) AS sql_name,
           coalesce((SELECT lower(option_value) IN ('true', 'on', '1', 'yes') FROM pg_options_to_table(c.reloptions) WHERE option_name = 'security_invoker'), false) AS invoker
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('v', 'm') AND ((c.relname = $1 AND pg_table_is_visible(c.oid)) OR n.nspname || '.' || c.relname = $1)
    ORDER BY 1 LIMIT 1`, [name]);
  const row = r.rows[0];
  if (!row) return undefined;
  return { oid: Number(row.oid), kind: row.kind === 'm' ? 'materialized view' : 'view', sqlName: String(row.sql_name), securityInvoker: row.invoker === true };
}

async function columnType(db: Session, rel: LiveRelation, column: string): Promise<string | undefined> {
  const r = await db.query('SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1 AND attname = $2 AND attnum > 0 AND NOT attisdropped', [rel.oid, column]);
  return r.rows[0] ? String(r.rows[0].type) : undefined;
}

/** Rows visible as the role with the setting never set, or a note why it was not tried. Run before anything sets it. */
export async function viewUnset(db: Engine, rel: LiveRelation, s: TenantSettings): Promise<number | string | undefined> {
  const type = await columnType(db, rel, s.column);
  if (!type || !s.role || !s.setting || await settingsProblem(db, s)) return undefined;
  return withRollback(db, () => asTenant(db, s.role!, s.setting!, { kind: 'unset' }, async () => {
    if (!(await settingUndefined(db, s.setting!))) return 'not tried: the setting was already defined in this session';
    const seen = await visibleRows(db, rel.sqlName, s.column, type, undefined);
    return seen.ok ? seen.seen.other : `${seen.error.code}: ${seen.error.message}`;
  }));
}

export async function proveViewRls(db: Engine, id: string, rel: LiveRelation, s: TenantSettings, loc: Loc, unset?: number | string): Promise<Claim> {
  const base = { kind: 'rls' as const, id, object: rel.sqlName, loc };
  const type = await columnType(db, rel, s.column);
  if (!type) return { ...base, status: 'refuted', reason: `the ${rel.kind} has no ${s.column} column`, evidence: { kind: rel.kind } };
  const problem = await settingsProblem(db, s);
  if (problem) return { ...base, ...problem };
  const role = s.role!;
  const granted = await db.query('SELECT has_table_privilege($1, $2::oid, \'SELECT\') AS p', [role, rel.oid]);
  const evidence: Record<string, unknown> = { kind: rel.kind, role, securityInvoker: rel.securityInvoker, selectGranted: granted.rows[0]!.p === true };
  if (!granted.rows[0]!.p) return { ...base, status: 'unproven', reason: `${role} has no SELECT on the ${rel.kind}: it cannot read it, so there is nothing to exercise`, evidence };
  return { ...base, ...await withRollback(db, () => probeView(db, rel, s, type, evidence, unset)) };
}

async function probeView(db: Engine, rel: LiveRelation, s: TenantSettings, type: string, evidence: Record<string, unknown>, given: number | string | undefined): Promise<Pick<Claim, 'status' | 'reason' | 'evidence'>> {
  const role = s.role!;
  const setting = s.setting!;
  // A materialized view was filled when the schema ran, before the generated data.
  if (rel.kind === 'materialized view') evidence.refresh = (await attempt(db, `REFRESH MATERIALIZED VIEW ${rel.sqlName}`)).ok ? 'refreshed on the generated data' : 'could not be refreshed';
  const unset = given ?? await asTenant(db, role, setting, { kind: 'unset' }, async () => {
    if (!(await settingUndefined(db, setting))) return 'not tried: the setting was already defined in this session';
    const seen = await visibleRows(db, rel.sqlName, s.column, type, undefined);
    return seen.ok ? seen.seen.other : `${seen.error.code}: ${seen.error.message}`;
  });
  const col = quoteIdent(s.column);
  const tenants = await db.query(`SELECT ${col} AS t FROM ${rel.sqlName} WHERE ${col} IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
  const a = tenants.rows[0]?.t;
  const [empty, seen] = [
    await asTenant(db, role, setting, { kind: 'empty' }, () => visibleRows(db, rel.sqlName, s.column, type, undefined)),
    a === undefined ? undefined : await asTenant(db, role, setting, { kind: 'tenant', value: tenantText(a) }, () => visibleRows(db, rel.sqlName, s.column, type, a)),
  ];
  Object.assign(evidence, { unset: { visibleRows: unset }, empty: { visibleRows: empty.ok ? empty.seen.other : `${empty.error.code}: ${empty.error.message}` } });
  if (seen?.ok) Object.assign(evidence, { visibleOwnRows: seen.seen.own, visibleOtherRows: seen.seen.other });
  const why = rel.kind === 'materialized view'
    ? 'a materialized view has no row-level security'
    : rel.securityInvoker ? 'the policies of the tables under it let them through' : 'the view has no security_invoker, so it reads its tables with its owner\'s rights and their policies do not apply';
  if (rel.kind === 'materialized view') {
    const n = seen?.ok ? `: with tenant A set it sees ${seen.seen.other} rows of other tenants` : '';
    return { status: 'refuted', reason: `${why}, and ${role} may SELECT it${n}`, evidence };
  }
  if (seen?.ok && seen.seen.other > 0) return { status: 'refuted', reason: `as ${role} with tenant A set, the view shows ${seen.seen.other} rows of other tenants: ${why}`, evidence };
  if (typeof unset === 'number' && unset > 0) return { status: 'refuted', reason: `as ${role} with ${setting} not set, the view shows ${unset} rows: ${why}`, evidence };
  if (empty.ok && empty.seen.other > 0) return { status: 'refuted', reason: `as ${role} with ${setting} set to '', the view shows ${empty.seen.other} rows: ${why}`, evidence };
  if (!seen?.ok || seen.seen.own === 0) return { status: 'unproven', reason: `as ${role} with tenant A set, the view shows no rows at all${seen && !seen.ok ? ` (${seen.error.message})` : ''}`, evidence };
  if (typeof unset === 'string' && unset.startsWith('not tried')) return { status: 'unproven', reason: `no other tenant's rows visible with tenant A set or with ${setting} set to '', but the unset state could not be tried: ${setting} was already defined in this session`, evidence };
  return { status: 'proven', reason: `as ${role} through the view: with tenant A set no rows of other tenants visible; with ${setting} unset or '' no rows visible`, evidence };
}
