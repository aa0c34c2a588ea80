/**
 * rls (per tenant_scoped entity): as the application role with tenant A's setting, a SELECT
 * sees none of tenant B's rows (and some of A's), an UPDATE of B's rows touches nothing, and
 * an INSERT of a B row is rejected. All inside a rolled-back transaction.
 */
import { refusalText, settingNameProblem } from '../../analyses/design-sql.js';
import type { Loc } from '../../types.js';
import type { Engine } from '../engine.js';
import { attempt, quoteIdent, quoteLiteral, withRollback } from '../engine.js';
import type { LiveTable } from '../introspect.js';
import type { Claim } from './types.js';

export interface TenantSettings { column: string; setting?: string; role?: string }

function lit(v: unknown): string {
  return quoteLiteral(v instanceof Date ? v.toISOString() : String(v));
}

export async function proveRls(db: Engine, table: LiveTable, s: TenantSettings, loc: Loc): Promise<Claim> {
  const base = { kind: 'rls' as const, id: table.name, object: table.sqlName, loc };
  const col = table.columns.find((c) => c.name === s.column);
  if (!col) return { ...base, status: 'refuted', reason: `no ${s.column} column`, evidence: {} };
  const rls = await db.query(`SELECT relrowsecurity AS on, relforcerowsecurity AS force, (SELECT count(*)::int FROM pg_policy WHERE polrelid = c.oid) AS policies FROM pg_class c WHERE oid = $1`, [table.oid]);
  const info = rls.rows[0] ?? {};
  if (!info.on) return { ...base, status: 'refuted', reason: 'row-level security is not enabled on the table', evidence: { policies: info.policies } };
  if (!s.role) return { ...base, status: 'unproven', reason: 'security.tenant_isolation.role is not set: the policies cannot be exercised as the application', evidence: {} };
  if (!s.setting) return { ...base, status: 'unproven', reason: 'security.tenant_isolation.setting is not set (e.g. app.tenant_id)', evidence: {} };
  const badSetting = settingNameProblem(s.setting);
  if (badSetting) return { ...base, status: 'unproven', reason: `not run: security.tenant_isolation.setting ${refusalText(badSetting)}`, evidence: { refused: badSetting.messageId } };
  const role = await db.query('SELECT rolsuper OR rolbypassrls AS bypass FROM pg_roles WHERE rolname = $1', [s.role]);
  if (!role.rows.length) return { ...base, status: 'unproven', reason: `role ${s.role} does not exist in the schema`, evidence: {} };
  if (role.rows[0]!.bypass) return { ...base, status: 'refuted', reason: `role ${s.role} is a superuser or has BYPASSRLS: policies do not apply to it`, evidence: {} };

  return withRollback(db, async () => {
    const tenants = await db.query(`SELECT ${quoteIdent(s.column)} AS t, count(*)::int AS n FROM ${table.sqlName} WHERE ${quoteIdent(s.column)} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 2`);
    if (tenants.rows.length < 2) return { ...base, status: 'unproven', reason: 'the generated data has fewer than two tenants in this table', evidence: {} };
    const a = tenants.rows[0]!.t;
    const b = tenants.rows[1]!.t;
    const bRows = Number(tenants.rows[1]!.n);
    // A row of B to copy for the INSERT attempt, read as owner before switching role.
    const sample = await db.query(`SELECT * FROM ${table.sqlName} WHERE ${quoteIdent(s.column)} = ${lit(a)}::${col.type} LIMIT 1`);
    await db.query(`SET LOCAL ROLE ${quoteIdent(s.role!)}`);
    // The parameter's name and value are bound, never written into SQL.
    await db.query('SELECT set_config($1, $2, true)', [s.setting, a instanceof Date ? a.toISOString() : String(a)]);
    const evidence: Record<string, unknown> = { role: s.role, setting: `${s.setting} = tenant A`, tenantRowsOfB: bRows };
    const seen = await attempt(db, `SELECT count(*) FILTER (WHERE ${quoteIdent(s.column)} = ${lit(a)}::${col.type})::int AS a, count(*) FILTER (WHERE ${quoteIdent(s.column)} <> ${lit(a)}::${col.type})::int AS other FROM ${table.sqlName}`);
    if (!seen.ok) return { ...base, status: 'unproven', reason: `SELECT as ${s.role} failed: ${seen.error.message}`, evidence };
    evidence.visibleOwnRows = seen.result.rows[0]!.a;
    evidence.visibleOtherRows = seen.result.rows[0]!.other;
    if (Number(seen.result.rows[0]!.other) > 0) return { ...base, status: 'refuted', reason: `as ${s.role} with tenant A set, a SELECT sees ${seen.result.rows[0]!.other} rows of other tenants`, evidence };
    if (Number(seen.result.rows[0]!.a) === 0) return { ...base, status: 'unproven', reason: `as ${s.role} with tenant A set, no rows are visible at all: the policy denies everything (or the role lacks a policy)`, evidence };
    const upd = await attempt(db, `UPDATE ${table.sqlName} SET ${quoteIdent(s.column)} = ${quoteIdent(s.column)} WHERE ${quoteIdent(s.column)} = ${lit(b)}::${col.type}`);
    evidence.updateOfB = upd.ok ? `${upd.result.affectedRows ?? 0} rows` : `${upd.error.code}: ${upd.error.message}`;
    if (upd.ok && (upd.result.affectedRows ?? 0) > 0) return { ...base, status: 'refuted', reason: `as ${s.role}, an UPDATE changed ${upd.result.affectedRows} rows of another tenant`, evidence };
    const row = sample.rows[0];
    if (row) {
      const cols = table.columns.filter((c) => !c.generated && !c.identity);
      const values = cols.map((c) => (c.name === s.column ? `${lit(b)}::${c.type}` : row[c.name] === null || row[c.name] === undefined ? 'NULL' : `${lit(typeof row[c.name] === 'object' && !(row[c.name] instanceof Date) ? JSON.stringify(row[c.name]) : row[c.name])}::${c.type}`));
      const ins = await attempt(db, `INSERT INTO ${table.sqlName} (${cols.map((c) => quoteIdent(c.name)).join(', ')}) VALUES (${values.join(', ')})`);
      evidence.insertOfB = ins.ok ? 'accepted' : `${ins.error.code}: ${ins.error.message}`;
      if (ins.ok) return { ...base, status: 'refuted', reason: `as ${s.role} with tenant A set, an INSERT of a tenant B row was accepted`, evidence };
      if (ins.error.code !== '42501' || !/row-level security/.test(ins.error.message)) {
        return { ...base, status: 'proven', reason: `tenant B rows are invisible and untouchable; the B insert failed with ${ins.error.code} before the policy check`, evidence };
      }
    }
    return { ...base, status: 'proven', reason: `as ${s.role} with tenant A set: no rows of B visible, none updated, B insert rejected by the policy`, evidence };
  });
}
