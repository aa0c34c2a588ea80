/**
 * A real PostgreSQL server by URL. The URL's role (CREATEDB and CREATEROLE, or a superuser)
 * only creates and drops a throwaway database and a throwaway least-privileged role; the
 * schema and every claim run on connections logged in as that role, inside that database.
 * Everything created carries a run marker, is dropped at the end (also on SIGINT and SIGTERM),
 * and `schemaproof cleanup` removes what a killed run left. Credentials are never printed.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { parse } from 'pg-connection-string';
import type { Statement } from '../load/sql/parse.js';
import { redact, redactUrl, registerSecret, registerUrlSecrets } from '../secrets.js';
import type { Ast } from '../types.js';
import type { Engine, QueryResult, RoleOutcome, SecondSession } from './engine.js';
import { asDbError, quoteIdent, quoteLiteral } from './engine.js';
import {
  appNameOf, checkRights, createRunRole, dropRunObjects, grantMembership, lockRoleNames, markerOf, NotPermitted,
  roleRequest, roleState, WAYS_FORWARD, type AdminRights,
} from './server-admin.js';
import { halt, interrupted, onInterrupt } from './signals.js';

export class ServerUnreachable extends Error {}
export { NotPermitted };
export { redactUrl };

type Config = pg.ClientConfig;

function configFor(url: string, over: Partial<Config> = {}): Config {
  const c = parse(url) as unknown as Config & { database?: string | null };
  return { ...c, database: c.database ?? undefined, ...over } as Config;
}

async function connect(cfg: Config): Promise<pg.Client> {
  const client = new pg.Client({ ...cfg, connectionTimeoutMillis: 10_000 });
  client.on('error', () => { /* reported by the query that hits it */ });
  await client.connect();
  return client;
}

/** Every query goes through the extended protocol: one statement per call, whatever its text. */
function wrap(client: pg.Client): SecondSession {
  // After an interrupt the cleanup drops the database under these connections: their calls
  // then never settle, so the run stops where it is instead of failing on a closed client.
  const guarded = async <T>(run: () => Promise<T>): Promise<T> => {
    if (interrupted()) return halt();
    try { return await run(); } catch (e) { if (interrupted()) return halt(); throw e; }
  };
  return {
    async exec(sql) { await guarded(() => client.query(sql)); },
    async query(sql, params) {
      const r = await guarded(() => client.query({ text: sql, values: params ?? [], queryMode: 'extended' } as pg.QueryConfig));
      return { rows: r.rows as Record<string, unknown>[], affectedRows: r.rowCount ?? undefined } satisfies QueryResult;
    },
    async close() { await client.end().catch(() => undefined); },
  };
}

export interface ServerEngineOptions {
  /** Role names the schema creates: locked for the run, so concurrent runs never race on them. */
  readonly roles?: readonly string[];
  /** The cluster is schemaproof's own (--local-server): no superuser warning. */
  readonly ownCluster?: boolean;
}

interface Run {
  readonly id: string;
  readonly name: string;
  readonly marker: string;
  readonly password: string;
  readonly rights: AdminRights;
  /** Roles this run created (the throwaway role first): dropped at the end. */
  readonly created: string[];
  database?: string;
}

async function openAdmin(url: string, runId: string): Promise<pg.Client> {
  try {
    return await connect(configFor(url, { application_name: appNameOf(runId, true) }));
  } catch (e) {
    throw new ServerUnreachable(redact(`cannot connect to ${redactUrl(url)}: ${asDbError(e).message}`));
  }
}

/** The throwaway role and database; on any failure what was made is dropped again. */
async function createRunObjects(admin: pg.Client, run: Run): Promise<void> {
  await createRunRole(admin, run.name, run.marker,
    `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT CONNECTION LIMIT 20 PASSWORD '${run.password}'`);
  run.created.push(run.name);
  // CREATE DATABASE ... OWNER needs the creator to be a member of the owner.
  if (!run.rights.superuser) await grantMembership(admin, run.name, await currentUser(admin));
  await admin.query(`CREATE DATABASE ${quoteIdent(run.name)} OWNER ${quoteIdent(run.name)} TEMPLATE template0`);
  run.database = run.name;
  await admin.query(`COMMENT ON DATABASE ${quoteIdent(run.name)} IS ${quoteLiteral(run.marker)}`);
  await admin.query(`REVOKE ALL ON DATABASE ${quoteIdent(run.name)} FROM PUBLIC`);
}

async function currentUser(admin: pg.Client): Promise<string> {
  return String((await admin.query('SELECT current_user AS u')).rows[0]!.u);
}

function roleNamesOf(list: Ast[] | undefined, self: string): string[] {
  return (list ?? []).map((r) => {
    const spec = r?.RoleSpec ?? r;
    if (spec?.roletype === 'ROLESPEC_CURRENT_USER' || spec?.roletype === 'ROLESPEC_CURRENT_ROLE' || spec?.roletype === 'ROLESPEC_SESSION_USER') return self;
    return spec?.rolename ?? r?.AccessPriv?.priv_name;
  }).filter((x): x is string => typeof x === 'string');
}

/** The schema's CREATE ROLE and GRANT role TO role, done by the URL's role within the run's own roles. */
function roleOps(admin: pg.Client, run: Run, reused: string[], warnings: string[]) {
  const declaredBypass = new Set<string>();
  const ours = (n: string): boolean => run.created.includes(n);
  async function createRole(s: Statement): Promise<RoleOutcome> {
    const name = String(s.ast.role);
    const state = await roleState(admin, name);
    if (state.exists && state.staleRun) {
      await admin.query(`DROP ROLE ${quoteIdent(name)}`).then(
        () => warnings.push(`role ${name} was left by run ${state.staleRun}, which no longer runs: dropped and created anew`),
        () => undefined);
    }
    if ((await roleState(admin, name)).exists) {
      reused.push(name);
      return { applied: false, note: `role ${name} already exists on the server: used as it is, never altered, and not granted to the throwaway role` };
    }
    const req = roleRequest(s.ast, run.rights);
    await createRunRole(admin, name, run.marker, req.attrs);
    run.created.push(name);
    if (req.declaredBypass) declaredBypass.add(name);
    await grantMembership(admin, name, run.name);
    const notes = req.leftOut.length ? [`created without ${req.leftOut.join(', ')}`] : [];
    for (const m of req.memberOf) if (ours(m)) await grantMembership(admin, m, name); else notes.push(`not made a member of ${m} (not a role of this run)`);
    for (const m of req.members) if (ours(m.role)) await grantMembership(admin, name, m.role, m.admin); else notes.push(`${m.role} not made a member (not a role of this run)`);
    return { applied: true, note: notes.length ? notes.join('; ') : undefined };
  }
  async function grantRoles(s: Statement): Promise<RoleOutcome> {
    const granted = roleNamesOf(s.ast.granted_roles, run.name);
    const grantees = roleNamesOf(s.ast.grantee_roles, run.name);
    const foreign = [...granted, ...grantees].filter((n) => !ours(n));
    if (foreign.length) return { applied: false, note: `grants membership involving ${[...new Set(foreign)].join(', ')}, not roles of this run (cluster-wide): not run` };
    const adminOpt = (s.ast.opt ?? []).some((o: Ast) => o?.DefElem?.defname === 'admin') || s.ast.admin_opt === true;
    for (const g of granted) for (const m of grantees) {
      if (s.ast.is_grant) await grantMembership(admin, g, m, adminOpt);
      else await admin.query(`REVOKE ${quoteIdent(g)} FROM ${quoteIdent(m)}`);
    }
    return { applied: true };
  }
  return { createRole, grantRoles, declaredBypass };
}

export async function createServerEngine(url: string, options: ServerEngineOptions = {}): Promise<Engine> {
  const t0 = performance.now();
  registerUrlSecrets(url);
  const id = randomBytes(6).toString('hex');
  const admin = await openAdmin(url, id);
  const password = randomBytes(18).toString('hex');
  registerSecret(password);
  let rights: AdminRights;
  try {
    rights = await checkRights(admin);
  } catch (e) {
    await admin.end().catch(() => undefined);
    throw e instanceof NotPermitted ? e : new ServerUnreachable(redact(asDbError(e).message));
  }
  const run: Run = { id, name: `schemaproof_${id}`, marker: markerOf(id, new Date()), password, rights, created: [] };
  const reused: string[] = [];
  const warnings: string[] = [];
  if (rights.superuser && !options.ownCluster) {
    warnings.push('the URL\'s role is a superuser: schemaproof uses it only to create and drop a throwaway database and role; a role with CREATEDB and CREATEROLE is enough');
  }
  const sessions: SecondSession[] = [];
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    release();
    for (const s of sessions) await s.close();
    const failures = await dropRunObjects(admin, run.database, run.created);
    for (const f of failures) warnings.push(`could not drop ${f}; run schemaproof cleanup`);
    await admin.end().catch(() => undefined);
  };
  const release = onInterrupt(close);
  const asRun = (db?: string): Config => configFor(url, { user: run.name, password, database: db ?? run.name, application_name: appNameOf(id) });
  let db: pg.Client;
  try {
    await lockRoleNames(admin, options.roles ?? []);
    await createRunObjects(admin, run);
    db = await connect(asRun()).catch((e) => {
      throw new NotPermitted(redact(`the server does not let the throwaway role ${run.name} log in with a password (${asDbError(e).message}): allow password logins for roles named schemaproof_* in pg_hba.conf (nothing was run). ${WAYS_FORWARD}`));
    });
  } catch (e) {
    await close();
    throw e instanceof NotPermitted || e instanceof ServerUnreachable ? e : new ServerUnreachable(redact(`cannot prepare the throwaway database: ${asDbError(e).message}`));
  }
  const main = wrap(db);
  sessions.push(main);
  const ops = roleOps(admin, run, reused, warnings);
  return {
    kind: 'server',
    isolation: `a throwaway database ${run.name}, as the throwaway role ${run.name} (no superuser, CREATEDB, CREATEROLE or BYPASSRLS), both dropped at the end with the roles this run created; existing databases and roles are not touched`,
    startupMs: performance.now() - t0,
    reusedRoles: reused,
    warnings,
    declaredBypass: ops.declaredBypass,
    exec: main.exec,
    query: main.query,
    createRole: ops.createRole,
    grantRoles: ops.grantRoles,
    async openSession() {
      const s = wrap(await connect(asRun()));
      sessions.push(s);
      return s;
    },
    close,
  };
}
