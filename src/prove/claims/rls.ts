/**
 * rls (per tenant_scoped table): as the application role, inside a rolled-back transaction and
 * each probe in its own savepoint:
 *  - with tenant A set, a SELECT sees none of tenant B's rows (and some of A's), an UPDATE and a
 *    DELETE of B's rows touch nothing, and a fresh, valid row of tenant B (accepted with tenant B
 *    set: the positive control) is rejected by the policy (42501, row-level security);
 *  - with the setting unset and set to '', no row is visible and nothing can be written.
 * A table the role owns (or inherits the owner of) without FORCE ROW LEVEL SECURITY is refuted:
 * owners bypass their table's policies.
 */
import { refusalText, settingNameProblem } from '../../analyses/design-sql.js';
import type { Loc } from '../../types.js';
import type { Engine, Session } from '../engine.js';
import { attempt, quoteIdent, withRollback } from '../engine.js';
import type { LiveColumn, LiveTable } from '../introspect.js';
import {
  asTenant, buildProbeRow, insertProbe, isRlsRejection, type Outcome, outcomeText, type ProbeRow, settingUndefined,
  type TenantState, tenantIs, tenantText, visibleRows, writesOfB,
} from './rls-probe.js';
import type { Claim } from './types.js';

export interface TenantSettings { column: string; setting?: string; role?: string }

type Base = Pick<Claim, 'kind' | 'id' | 'object' | 'loc'>;
type Verdict = Pick<Claim, 'status' | 'reason' | 'evidence'>;

interface Ready { col: LiveColumn; role: string; setting: string }

/** What the role could do with the setting unset or empty. */
export type MissingProbe =
  | { reachable: false }
  | { reachable: true; visible: number | string; update: Outcome; delete: Outcome; insert?: Outcome; insertStored?: number };

/** The design's role and setting usable, and the role not bypassing every policy; undefined when they are. */
export async function settingsProblem(db: Session, s: TenantSettings): Promise<Verdict | undefined> {
  if (!s.role) return { status: 'unproven', reason: 'security.tenant_isolation.role is not set: the policies cannot be exercised as the application', evidence: {} };
  if (!s.setting) return { status: 'unproven', reason: 'security.tenant_isolation.setting is not set (e.g. app.tenant_id)', evidence: {} };
  const badSetting = settingNameProblem(s.setting);
  if (badSetting) return { status: 'unproven', reason: `not run: security.tenant_isolation.setting ${refusalText(badSetting)}`, evidence: { refused: badSetting.messageId } };
  const role = await db.query('SELECT rolsuper OR rolbypassrls AS bypass FROM pg_roles WHERE rolname = $1', [s.role]);
  if (!role.rows.length) return { status: 'unproven', reason: `role ${s.role} does not exist in the schema`, evidence: {} };
  if (role.rows[0]!.bypass) return { status: 'refuted', reason: `role ${s.role} is a superuser or has BYPASSRLS: policies do not apply to it`, evidence: {} };
  return undefined;
}

/** The checks that need no data: RLS on, role and setting usable, the role not owning the table. */
async function preflight(db: Session, table: LiveTable, s: TenantSettings): Promise<Ready | Verdict> {
  const col = table.columns.find((c) => c.name === s.column);
  if (!col) return { status: 'refuted', reason: `no ${s.column} column`, evidence: {} };
  const rls = await db.query(`SELECT relrowsecurity AS on, relforcerowsecurity AS force, pg_get_userbyid(relowner) AS owner, (SELECT count(*)::int FROM pg_policy WHERE polrelid = c.oid) AS policies FROM pg_class c WHERE oid = $1`, [table.oid]);
  const info = rls.rows[0] ?? {};
  if (!info.on) return { status: 'refuted', reason: 'row-level security is not enabled on the table', evidence: { policies: info.policies } };
  const problem = await settingsProblem(db, s);
  if (problem) return problem;
  const owns = await db.query('SELECT pg_has_role($1, relowner, \'USAGE\') AS owns FROM pg_class WHERE oid = $2', [s.role, table.oid]);
  if (owns.rows[0]!.owns && !info.force) {
    const how = info.owner === s.role ? 'owns the table' : `is a member of ${String(info.owner)}, the table's owner`;
    return { status: 'refuted', reason: `role ${s.role} ${how} and the table does not FORCE ROW LEVEL SECURITY: owners bypass its policies`, evidence: { owner: info.owner, force: false } };
  }
  return { col, role: s.role!, setting: s.setting! };
}

interface Tenants { a: unknown; b: unknown; bRows: number }

async function pickTenants(db: Session, table: LiveTable, column: string): Promise<Tenants | undefined> {
  const col = quoteIdent(column);
  const r = await db.query(`SELECT ${col} AS t, count(*)::int AS n FROM ${table.sqlName} WHERE ${col} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 2`);
  if (r.rows.length < 2) return undefined;
  return { a: r.rows[0]!.t, b: r.rows[1]!.t, bRows: Number(r.rows[1]!.n) };
}

/** The probe row of tenant B, when the role may insert at all. */
async function probeRowFor(db: Session, table: LiveTable, r: Ready, t: Tenants): Promise<ProbeRow | 'not granted' | undefined> {
  const priv = await db.query('SELECT has_any_column_privilege($1, $2::oid, \'INSERT\') AS p', [r.role, table.oid]);
  if (!priv.rows[0]!.p) return 'not granted';
  return buildProbeRow(db, table, r.col.name, r.col.type, t.b, r.role);
}

/**
 * The probe row's INSERT as the current role; `stored` counts the rows of tenant B it added,
 * read back as the owner: a trigger may have stamped the row with another tenant, and only a
 * row stored as B's is a write into B.
 */
async function insertAsRole(db: Session, table: LiveTable, r: Ready, t: Tenants, row: ProbeRow): Promise<{ ins: Outcome; stored: number }> {
  const ins = await insertProbe(db, row);
  if (!ins.ok) return { ins, stored: 0 };
  await db.query('RESET ROLE');
  const n = await db.query(`SELECT count(*)::int AS n FROM ${table.sqlName} WHERE ${tenantIs(r.col.name, r.col.type, t.b)}`);
  return { ins, stored: Number(n.rows[0]!.n) - t.bRows };
}

async function probeMissing(db: Session, table: LiveTable, r: Ready, t: Tenants, row: ProbeRow | undefined, state: TenantState): Promise<MissingProbe> {
  return asTenant(db, r.role, r.setting, state, async () => {
    if (state.kind === 'unset' && !(await settingUndefined(db, r.setting))) return { reachable: false };
    const seen = await visibleRows(db, table.sqlName, r.col.name, r.col.type, undefined);
    const writes = await writesOfB(db, table.sqlName, r.col.name, r.col.type, t.b);
    const insert = row ? await insertAsRole(db, table, r, t, row) : undefined;
    return { reachable: true, visible: seen.ok ? seen.seen.other : `${seen.error.code}: ${seen.error.message}`, ...writes, insert: insert?.ins, insertStored: insert?.stored };
  });
}

/**
 * The unset state, tried before anything sets the parameter in this session (once set, even in
 * a rolled-back transaction, it stays defined as ''). Undefined when the table is not probed.
 */
export async function probeUnset(db: Engine, table: LiveTable, s: TenantSettings): Promise<MissingProbe | undefined> {
  const ready = await preflight(db, table, s);
  if ('status' in ready) return undefined;
  // Defined here already (a design statement set it): a server's fresh connection has it unset.
  const fresh = !(await settingUndefined(db, ready.setting)) && db.openSession ? await db.openSession() : undefined;
  const session: Session = fresh ?? db;
  try {
    return await withRollback(session, async () => {
      const picked = await unforced(session, table, async () => {
        const t = await pickTenants(session, table, ready.col.name);
        return t ? { t, row: await probeRowFor(session, table, ready, t) } : undefined;
      });
      if (!picked) return undefined;
      const { t, row } = picked;
      return probeMissing(session, table, ready, t, typeof row === 'object' ? row : undefined, { kind: 'unset' });
    });
  } finally {
    await fresh?.close();
  }
}

function missingText(p: MissingProbe): Record<string, unknown> | string {
  if (!p.reachable) return 'not tried: the setting was already defined in this session';
  return { visibleRows: p.visible, updateOfB: outcomeText(p.update), deleteOfB: outcomeText(p.delete), ...(p.insert ? { insertOfB: p.insert.ok ? (p.insertStored ? 'accepted' : 'accepted, but stored as another tenant') : outcomeText(p.insert) } : {}) };
}

/** A leak with the setting missing, or undefined. */
function missingLeak(p: MissingProbe, role: string, what: string): string | undefined {
  if (!p.reachable) return undefined;
  if (typeof p.visible === 'number' && p.visible > 0) return `as ${role} with ${what}, a SELECT sees ${p.visible} rows`;
  if (p.update.ok && p.update.rows > 0) return `as ${role} with ${what}, an UPDATE changed ${p.update.rows} rows of tenant B`;
  if (p.delete.ok && p.delete.rows > 0) return `as ${role} with ${what}, a DELETE removed ${p.delete.rows} rows of tenant B`;
  if (p.insert?.ok && p.insertStored) return `as ${role} with ${what}, an INSERT of a tenant B row was accepted`;
  return undefined;
}

/**
 * Reads as the owner (the tenants, the probe row) on a table under FORCE ROW LEVEL SECURITY,
 * which would hide every row from the owner too: FORCE is lifted for the read and put back
 * before any probe, inside the claim's rolled-back transaction.
 */
async function unforced<T>(db: Session, table: LiveTable, fn: () => Promise<T>): Promise<T> {
  const f = await db.query('SELECT relforcerowsecurity AS f FROM pg_class WHERE oid = $1', [table.oid]);
  if (f.rows[0]?.f !== true) return fn();
  // The role may not alter the table (an owner that existed before the run): read as it is.
  if (!(await attempt(db, `ALTER TABLE ${table.sqlName} NO FORCE ROW LEVEL SECURITY`)).ok) return fn();
  try {
    return await fn();
  } finally {
    await db.query(`ALTER TABLE ${table.sqlName} FORCE ROW LEVEL SECURITY`);
  }
}

export async function proveRls(db: Engine, table: LiveTable, s: TenantSettings, loc: Loc, unset?: MissingProbe): Promise<Claim> {
  const base: Base = { kind: 'rls', id: table.name, object: table.sqlName, loc };
  const ready = await preflight(db, table, s);
  if ('status' in ready) return { ...base, ...ready };
  return { ...base, ...await withRollback(db, () => probeAll(db, table, ready, unset)) };
}

async function probeAll(db: Engine, table: LiveTable, r: Ready, given: MissingProbe | undefined): Promise<Verdict> {
  const picked = await unforced(db, table, async () => {
    const t = await pickTenants(db, table, r.col.name);
    return t ? { t, probe: await probeRowFor(db, table, r, t) } : undefined;
  });
  if (!picked) return { status: 'unproven', reason: 'the generated data has fewer than two tenants in this table', evidence: {} };
  const { t, probe } = picked;
  const row = typeof probe === 'object' ? probe : undefined;
  const unset = given ?? await probeMissing(db, table, r, t, row, { kind: 'unset' });
  const empty = await probeMissing(db, table, r, t, row, { kind: 'empty' });
  const evidence: Record<string, unknown> = { role: r.role, setting: `${r.setting} = tenant A`, tenantRowsOfB: t.bRows, unset: missingText(unset), empty: missingText(empty) };
  const a = await asTenant(db, r.role, r.setting, { kind: 'tenant', value: tenantText(t.a) }, async () => ({
    seen: await visibleRows(db, table.sqlName, r.col.name, r.col.type, t.a),
    writes: await writesOfB(db, table.sqlName, r.col.name, r.col.type, t.b),
  }));
  const leak = missingLeak(unset, r.role, `${r.setting} not set`) ?? missingLeak(empty, r.role, `${r.setting} set to ''`);
  if (!a.seen.ok) return { status: leak ? 'refuted' : 'unproven', reason: leak ?? `SELECT as ${r.role} failed: ${a.seen.error.message}`, evidence };
  Object.assign(evidence, { visibleOwnRows: a.seen.seen.own, visibleOtherRows: a.seen.seen.other, updateOfB: outcomeText(a.writes.update), deleteOfB: outcomeText(a.writes.delete) });
  if (a.seen.seen.other > 0) return { status: 'refuted', reason: `as ${r.role} with tenant A set, a SELECT sees ${a.seen.seen.other} rows of other tenants`, evidence };
  if (a.writes.update.ok && a.writes.update.rows > 0) return { status: 'refuted', reason: `as ${r.role}, an UPDATE changed ${a.writes.update.rows} rows of another tenant`, evidence };
  if (a.writes.delete.ok && a.writes.delete.rows > 0) return { status: 'refuted', reason: `as ${r.role}, a DELETE removed ${a.writes.delete.rows} rows of another tenant`, evidence };
  const insert = await insertVerdict(db, table, r, t, probe, evidence);
  if (insert?.status === 'refuted') return insert;
  if (leak) return { status: 'refuted', reason: leak, evidence };
  if (a.seen.seen.own === 0) return { status: 'unproven', reason: `as ${r.role} with tenant A set, no rows are visible at all: the policy denies everything (or the role lacks a policy)`, evidence };
  if (insert) return insert;
  if (!unset.reachable) return { status: 'unproven', reason: `tenant B's rows are invisible and untouchable with tenant A set and with ${r.setting} set to '', but the unset state could not be tried: ${r.setting} was already defined in this session`, evidence };
  return { status: 'proven', reason: `as ${r.role}, on ${a.seen.seen.own} visible rows of tenant A and ${t.bRows} of tenant B: with tenant A set no rows of B visible, none updated or deleted${probe === 'not granted' ? ', INSERT not granted' : ', a fresh B row rejected by the policy'}; with ${r.setting} unset or '' no rows visible and no writes`, evidence };
}

/** The fresh B row: accepted with tenant B set (the control), rejected by the policy with tenant A set. Undefined when it holds. */
async function insertVerdict(db: Engine, table: LiveTable, r: Ready, t: Tenants, probe: ProbeRow | 'not granted' | undefined, evidence: Record<string, unknown>): Promise<Verdict | undefined> {
  if (probe === 'not granted') { evidence.insertOfB = `INSERT not granted to ${r.role}`; return undefined; }
  if (!probe) return { status: 'unproven', reason: 'tenant B has no row to build the insert probe from', evidence };
  evidence.probeRow = { freshened: probe.freshened, filledByDefault: probe.filledByDefault };
  const control = await asTenant(db, r.role, r.setting, { kind: 'tenant', value: tenantText(t.b) }, () => insertProbe(db, probe));
  evidence.insertAsB = control.ok ? 'accepted' : outcomeText(control);
  if (!control.ok && !isRlsRejection(control.error)) {
    return { status: 'unproven', reason: `the probe row of tenant B is not valid (with tenant B set its INSERT failed with ${control.error.code}: ${control.error.message}), so the policy's rejection cannot be shown`, evidence };
  }
  const attemptA = await asTenant(db, r.role, r.setting, { kind: 'tenant', value: tenantText(t.a) }, () => insertAsRole(db, table, r, t, probe));
  evidence.insertOfB = attemptA.ins.ok ? (attemptA.stored > 0 ? 'accepted' : 'accepted, but stored as another tenant') : outcomeText(attemptA.ins);
  if (attemptA.ins.ok && attemptA.stored > 0) return { status: 'refuted', reason: `as ${r.role} with tenant A set, an INSERT of a tenant B row was accepted (the policy's WITH CHECK lets it through)`, evidence };
  if (!attemptA.ins.ok && !isRlsRejection(attemptA.ins.error)) {
    return { status: 'unproven', reason: `as ${r.role} with tenant A set, the B insert failed with ${attemptA.ins.error.code}: ${attemptA.ins.error.message}, not with the policy's rejection`, evidence };
  }
  return undefined;
}
