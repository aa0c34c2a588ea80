/**
 * Where proofs run. Every engine is throwaway: a PGlite instance in memory, or a database and
 * a least-privileged role that schemaproof creates and drops on a server. This is the only
 * folder that talks to PostgreSQL.
 */
import type { Statement } from '../load/sql/parse.js';

export interface QueryResult {
  readonly rows: Record<string, unknown>[];
  readonly affectedRows?: number;
}

/** A database error as both drivers report it. */
export interface DbError {
  readonly code?: string;
  readonly message: string;
  readonly constraint?: string;
}

export interface Session {
  /** Runs the prover's own control statements (BEGIN, ROLLBACK, SAVEPOINT); never design or schema SQL. */
  exec(sql: string): Promise<void>;
  /** One statement through the extended protocol (a second statement in the text is an error). */
  query(sql: string, params?: unknown[]): Promise<QueryResult>;
}

/** What became of a schema's role statement on a server. */
export interface RoleOutcome { readonly applied: boolean; readonly note?: string }

export interface SecondSession extends Session {
  close(): Promise<void>;
}

export interface Engine extends Session {
  readonly kind: 'pglite' | 'server';
  /** What the proof runs in, said in the output: nothing of the user's is touched. */
  readonly isolation: string;
  /** Milliseconds spent starting the engine (PGlite boot, database creation). */
  readonly startupMs: number;
  /** Roles that existed before and were reused as they are. */
  readonly reusedRoles: string[];
  /** Things the user should know about where the proof ran (a superuser URL, a role not dropped). */
  readonly warnings: string[];
  /** Roles the schema declares SUPERUSER or BYPASSRLS that the run created without it. */
  readonly declaredBypass?: ReadonlySet<string>;
  /** Server only: a schema's CREATE ROLE, made by the prover (an existing role is never altered). */
  createRole?(s: Statement): Promise<RoleOutcome>;
  /** Server only: a schema's GRANT/REVOKE role TO role, run only among the run's own roles. */
  grantRoles?(s: Statement): Promise<RoleOutcome>;
  /** Another connection to the same database, for concurrency claims (servers only). */
  openSession?(): Promise<SecondSession>;
  close(): Promise<void>;
}

export function asDbError(e: unknown): DbError {
  const x = e as { code?: unknown; message?: unknown; constraint?: unknown };
  return {
    code: typeof x?.code === 'string' ? x.code : undefined,
    message: typeof x?.message === 'string' ? x.message : String(e),
    constraint: typeof x?.constraint === 'string' ? x.constraint : undefined,
  };
}

let savepointSeq = 0;

/** Runs `fn` in a transaction and undoes everything it did. */
export async function withRollback<T>(db: Session, fn: () => Promise<T>): Promise<T> {
  await db.exec('BEGIN');
  try {
    return await fn();
  } finally {
    await db.exec('ROLLBACK');
  }
}

/** Runs one statement inside a savepoint; the error, if any, is returned, not thrown. */
export async function attempt(db: Session, sql: string, params?: unknown[]): Promise<{ ok: true; result: QueryResult } | { ok: false; error: DbError }> {
  const sp = `schemaproof_s${++savepointSeq}`;
  await db.exec(`SAVEPOINT ${sp}`);
  try {
    const result = await db.query(sql, params);
    await db.exec(`RELEASE SAVEPOINT ${sp}`);
    return { ok: true, result };
  } catch (e) {
    await db.exec(`ROLLBACK TO SAVEPOINT ${sp}`);
    return { ok: false, error: asDbError(e) };
  }
}

/** Runs one statement at the top level, in autocommit: it succeeds or fails alone. */
export async function attemptTop(db: Session, sql: string, params?: unknown[]): Promise<{ ok: true; result: QueryResult } | { ok: false; error: DbError }> {
  try {
    return { ok: true, result: await db.query(sql, params) };
  } catch (e) {
    return { ok: false, error: asDbError(e) };
  }
}

/** SQLSTATE `code` matches `expect`: a full code (23505) or a class (23). */
export function sqlstateMatches(code: string | undefined, expect: string): boolean {
  if (!code) return false;
  return expect.length === 2 ? code.startsWith(expect) : code === expect;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}
