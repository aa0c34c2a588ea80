/**
 * concurrency: for an invariant whose violation ends with two writes that conflict, the
 * earlier statements set up the state (committed in the throwaway database), then the last
 * two run at once, each in its own connection and transaction. Exactly one must commit; the
 * other must fail with `expect` (possibly after waiting for the first).
 */
import { parseDesignSql } from '../../analyses/query.js';
import type { Catalog } from '../../catalog/model.js';
import type { Invariant } from '../../load/design/types.js';
import type { Loc } from '../../types.js';
import type { Engine } from '../engine.js';
import { asDbError, sqlstateMatches } from '../engine.js';
import { vetViolation } from './invariant.js';
import type { Claim } from './types.js';

/** The target of an INSERT, UPDATE or DELETE, with its kind. */
function writeTarget(sql: string): string | undefined {
  const parsed = parseDesignSql(sql);
  if (!parsed.ok || parsed.stmts.length !== 1) return undefined;
  const s = parsed.stmts[0];
  const kind = Object.keys(s ?? {})[0];
  const rel = s?.InsertStmt?.relation ?? s?.UpdateStmt?.relation ?? s?.DeleteStmt?.relation;
  return rel ? `${kind}:${rel.schemaname ?? ''}.${rel.relname}` : undefined;
}

/** The violation ends with two writes of the same kind to the same table: two actors racing. */
export function hasConcurrencyClaim(inv: Invariant): boolean {
  if (!Array.isArray(inv.violation) || inv.violation.length < 2 || inv.expect === undefined) return false;
  const [a, b] = inv.violation.slice(-2).map((x) => writeTarget(String(x)));
  return a !== undefined && a === b;
}

export async function proveConcurrency(db: Engine, inv: Invariant, loc: Loc, catalog?: Catalog): Promise<Claim> {
  const id = inv.id ?? 'invariant';
  const base = { kind: 'concurrency' as const, id, object: String(inv.enforced_by ?? '-'), loc };
  const vetted = vetViolation((inv.violation ?? []).map(String), catalog);
  if (!vetted.ok) return { ...base, status: 'unproven', reason: vetted.reason, evidence: vetted.evidence };
  const stmts = vetted.stmts.map((s) => s.text);
  const expect = String(inv.expect);
  if (!db.openSession || db.inTransaction) {
    return { ...base, status: 'unproven', reason: 'needs two connections: run with --local-server or --database-url (with CREATEDB)', evidence: {} };
  }
  const setup = stmts.slice(0, -2);
  const [first, second] = stmts.slice(-2) as [string, string];
  const a = await db.openSession();
  const b = await db.openSession();
  const evidence: Record<string, unknown> = {};
  try {
    await a.exec('BEGIN');
    // The setup commits, so that both sessions see it.
    for (const s of setup) await a.query(s);
    await a.exec('COMMIT');
    await a.exec('BEGIN');
    await b.exec('BEGIN');
    const r1 = await a.query(first).then(() => ({ ok: true as const }), (e) => ({ ok: false as const, error: asDbError(e) }));
    // The second write may block on the first one's lock until it commits.
    const p2 = b.query(second).then(() => ({ ok: true as const }), (e) => ({ ok: false as const, error: asDbError(e) }));
    const c1 = r1.ok ? await a.query('COMMIT').then(() => true, () => false) : (await a.exec('ROLLBACK'), false);
    const r2 = await p2;
    const c2 = r2.ok ? await b.query('COMMIT').then(() => true, (e) => { evidence.secondCommitError = asDbError(e).message; return false; }) : (await b.exec('ROLLBACK'), false);
    evidence.first = r1.ok ? (c1 ? 'committed' : 'commit failed') : `${r1.error.code}: ${r1.error.message}`;
    evidence.second = r2.ok ? (c2 ? 'committed' : 'commit failed') : `${r2.error.code}: ${r2.error.message}`;
    const commits = Number(c1) + Number(c2);
    const loser = !r2.ok ? r2.error : !r1.ok ? r1.error : undefined;
    if (commits === 2) return { ...base, status: 'refuted', reason: 'both concurrent writes committed: the invariant does not hold under concurrency', evidence };
    if (commits === 1 && loser && sqlstateMatches(loser.code, expect)) return { ...base, status: 'proven', reason: `one write committed, the other failed with ${loser.code}`, evidence };
    return { ...base, status: 'refuted', reason: `expected one commit and one ${expect}; got ${commits} commit(s)${loser ? ` and ${loser.code}` : ''}`, evidence };
  } catch (e) {
    return { ...base, status: 'unproven', reason: `the setup failed: ${asDbError(e).message}`, evidence };
  } finally {
    await a.exec('ROLLBACK').catch(() => undefined);
    await b.exec('ROLLBACK').catch(() => undefined);
    await a.close();
    await b.close();
  }
}
