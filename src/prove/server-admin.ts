/**
 * What the URL's role does on a server, and nothing more: check that it may create a
 * database and a role, create the throwaway role and database (each carrying a run marker
 * as its comment), create the roles the schema declares (never altering one that exists),
 * grant memberships among the roles of the run, and drop all of it at the end.
 * No SQL of the design or the schema ever runs on this connection.
 */
import type pg from 'pg';
import type { Ast } from '../types.js';
import { asDbError, quoteIdent, quoteLiteral } from './engine.js';

/** The comment every object of a run carries: `schemaproof run <id> <ISO start>`. */
export const MARKER_PREFIX = 'schemaproof run ';
export const MARKER_RE = /^schemaproof run ([0-9a-f]{12}) (\S+)/;

export function markerOf(runId: string, started: Date): string {
  return `${MARKER_PREFIX}${runId} ${started.toISOString()}`;
}

/**
 * The application_name of a run's connections. The URL role's connection (`... admin`) sits
 * idle through the run, so the server drops it the moment the client dies: `cleanup` treats a
 * run as live while it exists (a killed run's other backends may still be finishing a statement).
 */
export function appNameOf(runId: string, admin = false): string {
  return `schemaproof ${runId}${admin ? ' admin' : ''}`;
}

export class NotPermitted extends Error {}

export const WAYS_FORWARD = 'Use a role with CREATEDB and CREATEROLE, or --local-server (a throwaway cluster from initdb/pg_ctl on PATH), or leave out --database-url (embedded PGlite).';

export interface AdminRights { readonly superuser: boolean; readonly version: number }

/** The URL's role must be able to create a database and a role; nothing is created otherwise. */
export async function checkRights(admin: pg.Client): Promise<AdminRights> {
  const r = await admin.query(`SELECT rolsuper, rolcreatedb, rolcreaterole, current_setting('server_version_num')::int AS v FROM pg_roles WHERE rolname = current_user`);
  const row = r.rows[0] as { rolsuper: boolean; rolcreatedb: boolean; rolcreaterole: boolean; v: number } | undefined;
  if (!row) throw new NotPermitted(`the URL's role cannot be read from pg_roles (nothing was run). ${WAYS_FORWARD}`);
  if (!row.rolsuper && !(row.rolcreatedb && row.rolcreaterole)) {
    const missing = [row.rolcreatedb ? '' : 'CREATEDB', row.rolcreaterole ? '' : 'CREATEROLE'].filter(Boolean).join(' and ');
    throw new NotPermitted(`the URL's role has no ${missing}: schemaproof proves on a server only in a throwaway database, as a throwaway role it creates and drops (nothing was run). ${WAYS_FORWARD}`);
  }
  if (row.v < 130000) throw new NotPermitted(`PostgreSQL ${Math.floor(row.v / 10000)} is too old: prove needs PostgreSQL 13 or newer (DROP DATABASE ... WITH (FORCE)); nothing was run`);
  return { superuser: row.rolsuper, version: row.v };
}

/** Holds a run-long advisory lock per role name, in one order, so concurrent runs sharing a name wait in turn. */
export async function lockRoleNames(admin: pg.Client, names: readonly string[]): Promise<void> {
  for (const n of [...new Set(names)].sort()) {
    await admin.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [`schemaproof role ${n}`]);
  }
}

export interface RoleState { readonly exists: boolean; readonly staleRun?: string }

/** Whether a role exists, and whether it is the leftover of a run that no longer has a connection. */
export async function roleState(admin: pg.Client, name: string): Promise<RoleState> {
  const r = await admin.query(`SELECT shobj_description(oid, 'pg_authid') AS c FROM pg_roles WHERE rolname = $1`, [name]);
  if (!r.rows.length) return { exists: false };
  const m = MARKER_RE.exec(String(r.rows[0]!.c ?? ''));
  if (!m) return { exists: true };
  return (await runIsLive(admin, m[1]!)) ? { exists: true } : { exists: true, staleRun: m[1] };
}

export async function runIsLive(admin: pg.Client, runId: string): Promise<boolean> {
  const r = await admin.query('SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()', [appNameOf(runId, true)]);
  return r.rows.length > 0;
}

/** A role created by a run: no login, no attribute beyond what a proof of the schema needs. */
export async function createRunRole(admin: pg.Client, name: string, marker: string, attrs: string): Promise<void> {
  await admin.query(`CREATE ROLE ${quoteIdent(name)} ${attrs}`);
  await admin.query(`COMMENT ON ROLE ${quoteIdent(name)} IS ${quoteLiteral(marker)}`);
}

/** What a schema's CREATE ROLE asks for, split into what the run grants and what it leaves out. */
export interface RoleRequest {
  readonly attrs: string;
  readonly memberOf: string[];
  readonly members: { role: string; admin: boolean }[];
  /** Attributes asked for and not given (with why), said in the skipped note. */
  readonly leftOut: string[];
  /** Asked-for SUPERUSER or BYPASSRLS not given: policy claims must not assume the role obeys RLS. */
  readonly declaredBypass: boolean;
}

function roleNames(list: Ast): string[] {
  const items: Ast[] = list?.List?.items ?? (Array.isArray(list) ? list : []);
  return items.map((i) => i?.RoleSpec?.rolename).filter((x): x is string => typeof x === 'string');
}

export function roleRequest(stmt: Ast, rights: AdminRights): RoleRequest {
  const parts = ['NOLOGIN', 'NOSUPERUSER', 'NOCREATEDB', 'NOCREATEROLE', 'NOREPLICATION'];
  const leftOut: string[] = [];
  const memberOf: string[] = [];
  const members: { role: string; admin: boolean }[] = [];
  let bypass = false;
  let declaredBypass = false;
  for (const o of (stmt.options ?? []) as Ast[]) {
    const d = o?.DefElem;
    if (!d) continue;
    const on = d.arg?.Boolean ? d.arg.Boolean.boolval === true : d.arg?.Integer ? d.arg.Integer.ival !== 0 : true;
    switch (d.defname) {
      case 'inherit': parts.push(on ? 'INHERIT' : 'NOINHERIT'); break;
      case 'bypassrls':
        if (on && rights.superuser) bypass = true;
        else if (on) { declaredBypass = true; leftOut.push('BYPASSRLS (only a superuser URL can give it)'); }
        break;
      case 'superuser': if (on) { declaredBypass = true; leftOut.push('SUPERUSER'); } break;
      case 'addroleto': memberOf.push(...roleNames(d.arg)); break;
      case 'rolemembers': members.push(...roleNames(d.arg).map((role) => ({ role, admin: false }))); break;
      case 'adminmembers': members.push(...roleNames(d.arg).map((role) => ({ role, admin: true }))); break;
      case 'canlogin': case 'password': case 'connectionlimit': case 'validUntil':
        if (!leftOut.includes('LOGIN and its settings (only the throwaway role logs in)')) leftOut.push('LOGIN and its settings (only the throwaway role logs in)');
        break;
      default: if (on) leftOut.push(String(d.defname).toUpperCase());
    }
  }
  parts.push(bypass ? 'BYPASSRLS' : 'NOBYPASSRLS');
  return { attrs: parts.join(' '), memberOf, members, leftOut, declaredBypass };
}

/** Grants membership of `role` to `member` (both roles of this run). */
export async function grantMembership(admin: pg.Client, role: string, member: string, withAdmin = false): Promise<void> {
  await admin.query(`GRANT ${quoteIdent(role)} TO ${quoteIdent(member)}${withAdmin ? ' WITH ADMIN OPTION' : ''}`);
}

/** Drops what a run created, newest first; returns the failures as messages. */
export async function dropRunObjects(admin: pg.Client, database: string | undefined, roles: readonly string[]): Promise<string[]> {
  const failures: string[] = [];
  if (database) {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`)
      .catch((e) => { failures.push(`database ${database}: ${asDbError(e).message}`); });
  }
  for (const r of [...roles].reverse()) {
    await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(r)}`).catch((e) => { failures.push(`role ${r}: ${asDbError(e).message}`); });
  }
  return failures;
}
