/**
 * Undoing what a concurrency race committed, so that each order of the race (and the next
 * claim) starts from the same state. A watermark transaction id is taken before the setup;
 * every row version written after it (the setup's, the racers', their triggers') has a newer
 * xmin and is deleted. A fingerprint of every table taken before and after says whether that
 * worked: it hashes the identity of each live row version (ctid and xmin), which any INSERT,
 * UPDATE or DELETE changes and locks, pruning and freezing do not. A race that updated or
 * deleted rows that existed before, or a DELETE trigger that writes elsewhere, shows as a
 * difference, never as a silent change of state.
 */
import type { Session } from '../engine.js';
import { asDbError, quoteIdent } from '../engine.js';

/** Live row versions per table, `schema.table` -> `count:sum of hashes of (ctid, xmin)`. */
export type Fingerprint = Readonly<Record<string, string>>;

/** The user's ordinary tables (partitions included, extension members left out). */
export async function userTables(db: Session): Promise<string[]> {
  const r = await db.query(`
    SELECT n.nspname AS schema, c.relname AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
    ORDER BY 1, 2`);
  return r.rows.map((x) => `${quoteIdent(String(x.schema))}.${quoteIdent(String(x.name))}`);
}

/** A transaction id older than anything the race will write (its own transaction writes nothing). */
export async function watermark(db: Session): Promise<string> {
  const r = await db.query('SELECT pg_current_xact_id()::xid::text AS x');
  return String(r.rows[0]!.x);
}

/**
 * Row security off for the restore's own reads and deletes: a table whose policies apply to
 * its owner (FORCE ROW LEVEL SECURITY) then raises an error instead of hiding rows, so no row
 * is left behind unseen.
 */
export async function unfiltered<T>(db: Session, fn: () => Promise<T>): Promise<T> {
  const before = String((await db.query("SELECT current_setting('row_security') AS v")).rows[0]!.v);
  await db.query("SELECT set_config('row_security', 'off', false)");
  try {
    return await fn();
  } finally {
    await db.query("SELECT set_config('row_security', $1, false)", [before]);
  }
}

export async function fingerprint(db: Session, tables: readonly string[]): Promise<Fingerprint | { error: string }> {
  const out: Record<string, string> = {};
  try {
    for (const t of tables) {
      const r = await db.query(`SELECT count(*)::text || ':' || coalesce(sum(hashtext(ctid::text || ':' || xmin::text)::bigint), 0)::text AS f FROM ${t}`);
      out[t] = String(r.rows[0]!.f);
    }
  } catch (e) {
    return { error: asDbError(e).message };
  }
  return out;
}

/** Tables whose fingerprints differ. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return names.filter((n) => before[n] !== after[n]);
}

/**
 * Deletes every row written after `mark`, table by table in autocommit, again and again while
 * a pass deletes something or a foreign key made a DELETE wait for its children's.
 */
export async function undoSince(db: Session, mark: string, tables: readonly string[]): Promise<{ deleted: number; errors: string[] }> {
  let deleted = 0;
  let errors: string[] = [];
  for (let pass = 0; pass <= tables.length; pass++) {
    let progress = 0;
    errors = [];
    for (const t of tables) {
      try {
        progress += (await db.query(`DELETE FROM ${t} WHERE age(xmin) < age($1::xid)`, [mark])).affectedRows ?? 0;
      } catch (e) {
        const err = asDbError(e);
        errors.push(`${t}: ${err.code ?? ''} ${err.message}`.trim());
      }
    }
    deleted += progress;
    if (progress === 0) break;
  }
  return { deleted, errors };
}
