/**
 * A real PostgreSQL server by URL. schemaproof creates a throwaway database, proves there and
 * drops it (also on error and Ctrl-C). Without CREATEDB it falls back to a temporary schema
 * inside one transaction that is rolled back. Credentials are never printed.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { parse } from 'pg-connection-string';
import type { Engine, QueryResult, SecondSession } from './engine.js';
import { asDbError, quoteIdent } from './engine.js';

export class ServerUnreachable extends Error {}

/** The URL with any password removed, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the database URL';
  }
}

type Config = pg.ClientConfig;

function configFor(url: string, database?: string): Config {
  const c = parse(url) as unknown as Config & { database?: string | null };
  const out: Config = { ...c, database: database ?? c.database ?? undefined } as Config;
  return out;
}

async function connect(cfg: Config): Promise<pg.Client> {
  const client = new pg.Client({ ...cfg, connectionTimeoutMillis: 10_000 });
  client.on('error', () => { /* reported by the query that hits it */ });
  await client.connect();
  return client;
}

function wrap(client: pg.Client): SecondSession {
  return {
    async exec(sql) { await client.query(sql); },
    async query(sql, params) {
      const r = await client.query(sql, params ?? []);
      return { rows: r.rows as Record<string, unknown>[], affectedRows: r.rowCount ?? undefined } satisfies QueryResult;
    },
    async close() { await client.end().catch(() => undefined); },
  };
}

/**
 * `schemaFallback` (default true): without CREATEDB, work in a temporary schema inside one
 * transaction that is rolled back; false when the caller must commit (then no CREATEDB is an error).
 */
export async function createServerEngine(url: string, options: { schemaFallback?: boolean } = {}): Promise<Engine> {
  const t0 = performance.now();
  let admin: pg.Client;
  try {
    admin = await connect(configFor(url));
  } catch (e) {
    throw new ServerUnreachable(`cannot connect to ${redactUrl(url)}: ${asDbError(e).message}`);
  }
  const name = `schemaproof_${randomBytes(6).toString('hex')}`;
  const createdRoles: string[] = [];
  const reusedRoles: string[] = [];
  let closed = false;

  let created = false;
  try {
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    created = true;
  } catch (e) {
    if (asDbError(e).code !== '42501') { await admin.end(); throw new ServerUnreachable(`cannot create a throwaway database: ${asDbError(e).message}`); }
  }

  if (!created && options.schemaFallback === false) {
    await admin.end().catch(() => undefined);
    throw new ServerUnreachable('cannot create a throwaway database: the role has no CREATEDB, and this run commits its statements, so it cannot use a rolled-back temporary schema instead (nothing was run)');
  }
  if (!created) {
    // No CREATEDB: a temporary schema in one transaction, rolled back at the end.
    await admin.query('BEGIN');
    try {
      await admin.query(`CREATE SCHEMA ${quoteIdent(name)}`);
    } catch (e) {
      await admin.query('ROLLBACK').catch(() => undefined);
      await admin.end().catch(() => undefined);
      throw new ServerUnreachable(`cannot create a throwaway database (the role has no CREATEDB) nor a temporary schema: ${asDbError(e).message}`);
    }
    await admin.query(`SET LOCAL search_path TO ${quoteIdent(name)}, public`);
    const session = wrap(admin);
    const close = async (): Promise<void> => {
      if (closed) return;
      closed = true;
      process.off('SIGINT', onSigint);
      await admin.query('ROLLBACK').catch(() => undefined);
      await admin.end().catch(() => undefined);
    };
    const onSigint = (): void => { void close().finally(() => process.exit(130)); };
    process.once('SIGINT', onSigint);
    return {
      kind: 'server',
      isolation: `a temporary schema ${name} inside one transaction that is rolled back (the role has no CREATEDB); nothing is committed`,
      inTransaction: true,
      startupMs: performance.now() - t0,
      reusedRoles,
      exec: session.exec,
      query: session.query,
      close,
    };
  }

  let db: pg.Client;
  try {
    db = await connect(configFor(url, name));
  } catch (e) {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`).catch(() => undefined);
    await admin.end();
    throw new ServerUnreachable(`cannot connect to the throwaway database: ${asDbError(e).message}`);
  }
  const session = wrap(db);
  const seconds: SecondSession[] = [];
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    process.off('SIGINT', onSigint);
    for (const s of seconds) await s.close();
    await db.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`).catch(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`).catch(() => undefined);
    });
    // Roles are cluster-wide: drop the ones this run created, never the ones it found.
    for (const r of createdRoles.reverse()) await admin.query(`DROP ROLE IF EXISTS ${quoteIdent(r)}`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  };
  const onSigint = (): void => { void close().finally(() => process.exit(130)); };
  process.once('SIGINT', onSigint);
  return {
    kind: 'server',
    isolation: `a throwaway database ${name}, dropped at the end with the roles this run created; existing databases and roles are not touched`,
    inTransaction: false,
    startupMs: performance.now() - t0,
    reusedRoles,
    exec: session.exec,
    query: session.query,
    async openSession() {
      const s = wrap(await connect(configFor(url, name)));
      seconds.push(s);
      return s;
    },
    close,
    // Internal: apply.ts records roles it creates so close() can drop them.
    ...({ createdRoles } as object),
  } as Engine;
}

/** Roles the run created on a server (so they are dropped), if the engine tracks them. */
export function createdRolesOf(engine: Engine): string[] | undefined {
  return (engine as unknown as { createdRoles?: string[] }).createdRoles;
}
