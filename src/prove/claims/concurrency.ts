/**
 * concurrency: for an invariant whose violation ends with two writes of the same kind to the
 * same table (A and B), the earlier statements are a setup that commits, then A and B race in
 * two connections. Exactly one must commit and the other fail with `expect` (or 40001 at
 * REPEATABLE READ or SERIALIZABLE), in both orders (A then B, B then A), each on a fixed
 * schedule (concurrency-schedule.ts) from the same state (concurrency-restore.ts).
 *
 * Before racing, a rolled-back check on the engine's connection makes sure the writes are
 * competitors: each succeeds alone after the setup and changes a row, and if B fails after A
 * then A fails after B too. A failure that only one order gives is a sequential rule (the
 * invariant claim proves it), not a race.
 */
import type { SafeStatement } from '../../analyses/design-sql.js';
import { parseDesignSql } from '../../analyses/query.js';
import type { Catalog } from '../../catalog/model.js';
import type { Invariant } from '../../load/design/types.js';
import type { Loc } from '../../types.js';
import type { Engine } from '../engine.js';
import { asDbError, attempt, sqlstateMatches, withRollback } from '../engine.js';
import { changedTables, fingerprint, type Fingerprint, undoSince, unfiltered, userTables, watermark } from './concurrency-restore.js';
import { type Isolation, type RacePlan, type RaceResult, runOrder } from './concurrency-schedule.js';
import { vetViolation } from './invariant.js';
import type { Claim } from './types.js';

interface WriteTarget { readonly kind: string; readonly schema?: string; readonly table: string }

/** The target of an INSERT, UPDATE or DELETE, with its kind. */
function writeTarget(sql: string): WriteTarget | undefined {
  const parsed = parseDesignSql(sql);
  if (!parsed.ok || parsed.stmts.length !== 1) return undefined;
  const s = parsed.stmts[0];
  const kind = Object.keys(s ?? {})[0];
  const rel = s?.InsertStmt?.relation ?? s?.UpdateStmt?.relation ?? s?.DeleteStmt?.relation;
  return kind && rel?.relname ? { kind, schema: rel.schemaname || undefined, table: rel.relname } : undefined;
}

const sameTarget = (a?: WriteTarget, b?: WriteTarget): boolean =>
  a !== undefined && b !== undefined && a.kind === b.kind && a.table === b.table && (a.schema ?? '') === (b.schema ?? '');

/** The violation ends with two writes of the same kind to the same table: two actors racing. */
export function hasConcurrencyClaim(inv: Invariant): boolean {
  if (!Array.isArray(inv.violation) || inv.violation.length < 2 || inv.expect === undefined) return false;
  const [a, b] = inv.violation.slice(-2).map((x) => writeTarget(String(x)));
  return sameTarget(a, b);
}

const LEVELS: readonly Isolation[] = ['read committed', 'repeatable read', 'serializable'];

/**
 * The isolation the design's `transactions` give writes to the table: the weakest level among
 * the transactions that name it (a race between the weaker ones is possible), else PostgreSQL's
 * default, read committed.
 */
export function isolationFor(transactions: unknown, target: WriteTarget): { level: Isolation; from: string[] } {
  const named = (t: string): boolean => {
    const parts = t.split('.');
    const table = parts.pop();
    return table === target.table && (!parts.length || !target.schema || parts.join('.') === target.schema);
  };
  const found = (Array.isArray(transactions) ? transactions : []).flatMap((x) => {
    const t = x as { operation?: unknown; tables?: unknown; isolation?: unknown };
    const tables = Array.isArray(t.tables) ? t.tables : [t.tables];
    const level = LEVELS.find((l) => l === t.isolation);
    return level && tables.some((n) => typeof n === 'string' && named(n)) ? [{ level, operation: String(t.operation ?? '?') }] : [];
  });
  if (!found.length) return { level: 'read committed', from: [] };
  const level = LEVELS.find((l) => found.some((f) => f.level === l))!;
  return { level, from: found.map((f) => `${f.operation} (${f.level})`) };
}

type Try = { ok: true; rows: number } | { ok: false; sqlstate?: string; error: string };

interface Preflight { readonly A: Try; readonly B: Try; readonly BafterA?: Try; readonly AafterB?: Try }

/** Setup, then each write alone and each after the other, all rolled back. */
async function preflight(db: Engine, setup: readonly SafeStatement[], a: string, b: string): Promise<Preflight | { setupFailed: number; sqlstate?: string; error: string }> {
  const run = async (sql: string): Promise<Try> => {
    const r = await attempt(db, sql);
    return r.ok ? { ok: true, rows: r.result.affectedRows ?? 0 } : { ok: false, sqlstate: r.error.code, error: r.error.message };
  };
  return withRollback(db, async () => {
    for (const [i, s] of setup.entries()) {
      const r = await run(s.text);
      if (!r.ok) return { setupFailed: i + 1, sqlstate: r.sqlstate, error: r.error };
    }
    const pair = async (x: string, y: string): Promise<[Try, Try | undefined]> => {
      await db.exec('SAVEPOINT schemaproof_race');
      const alone = await run(x);
      const after = alone.ok ? await run(y) : undefined;
      await db.exec('ROLLBACK TO SAVEPOINT schemaproof_race');
      return [alone, after];
    };
    const [A, BafterA] = await pair(a, b);
    const [B, AafterB] = await pair(b, a);
    return { A, B, BafterA, AafterB };
  });
}

/** Why the two writes are not a race, if they are not. */
function notARace(p: Preflight, expect: string): string | undefined {
  for (const label of ['A', 'B'] as const) {
    const t = p[label];
    if (!t.ok) return `${label} fails on its own after the setup (${t.sqlstate}: ${t.error}), so it can never win`;
    if (t.rows === 0) return `${label} changes no row on its own after the setup, so it does not compete`;
  }
  const fails = (t?: Try): boolean => t !== undefined && !t.ok && sqlstateMatches(t.sqlstate, expect);
  const succeeds = (t?: Try): boolean => t?.ok === true;
  if (fails(p.BafterA) && succeeds(p.AafterB)) return 'B fails after A, but A succeeds after B: the failure comes from the order of two sequential steps (the invariant claim proves it), and both committing is what B then A does';
  if (fails(p.AafterB) && succeeds(p.BafterA)) return 'A fails after B, but B succeeds after A: the failure comes from the order of two sequential steps, and both committing is what A then B does';
  return undefined;
}

const BOTH = 'both concurrent writes committed';

type OrderVerdict = { readonly status: 'proven' | 'refuted' | 'unproven'; readonly why: string };

/** Exactly one winner, the loser failing with an accepted SQLSTATE. */
function judgeOrder(r: RaceResult, accepts: (code?: string) => boolean, expect: string): OrderVerdict {
  if (r.kind === 'broken') return { status: 'unproven', why: `the race could not run: ${r.error}` };
  if (r.kind === 'setup-failed') return { status: 'unproven', why: `the setup failed at statement ${r.statement} (${r.sqlstate}): ${r.error}` };
  if (r.kind === 'first-failed') return { status: 'unproven', why: `${r.first.statement} failed in the race although it succeeds alone (${r.first.sqlstate}: ${r.first.error})` };
  if (r.kind === 'stuck') return { status: 'unproven', why: `${r.second.statement} neither finished nor waited on ${r.first.statement} within ${r.waitedMs} ms, and was cancelled` };
  const { first, second } = r;
  const committed = [first, second].filter((s) => s.outcome === 'committed');
  if (committed.length === 2) return { status: 'refuted', why: BOTH };
  if (committed.length === 0) return { status: 'refuted', why: `neither write committed (${first.statement}: ${first.sqlstate}, ${second.statement}: ${second.sqlstate})` };
  const loser = first.outcome === 'committed' ? second : first;
  if (!accepts(loser.sqlstate)) return { status: 'refuted', why: `${loser.statement} failed with ${loser.sqlstate}, not ${expect}: ${loser.error}` };
  return { status: 'proven', why: `${loser.statement} failed with ${loser.sqlstate}${loser.failedAt === 'commit' ? ' at COMMIT' : ''}` };
}

/** One line per order for the text output: who waited on whom, and each outcome. */
function scheduleLine(order: string, r: RaceResult): string {
  if (r.kind === 'broken') return `${order}: could not run (${r.error})`;
  if (r.kind === 'setup-failed') return `${order}: setup statement ${r.statement} failed (${r.sqlstate})`;
  if (r.kind === 'first-failed') return `${order}: ${r.first.statement} failed (${r.first.sqlstate})`;
  const out = (s: { statement: string; outcome: string; sqlstate?: string; failedAt?: string }): string =>
    s.outcome === 'committed' ? `${s.statement} committed` : `${s.statement} ${s.outcome} with ${s.sqlstate}${s.failedAt === 'commit' ? ' at COMMIT' : ''}`;
  const waited = r.kind === 'ran' && r.secondBlocked ? `${r.second.statement} waited on ${r.first.statement}'s lock` : `${r.second.statement} did not wait on ${r.first.statement}`;
  return `${order}: ${r.first.statement} wrote, ${waited}; ${out(r.first)}; ${out(r.second)}`;
}

interface Restore { readonly ok: boolean; readonly note?: string }

/** Deletes what the order wrote and says whether every table is back as it was. */
async function restore(db: Engine, mark: string, tables: readonly string[], before: Fingerprint): Promise<Restore> {
  const undone = await unfiltered(db, () => undoSince(db, mark, tables));
  const after = await unfiltered(db, () => fingerprint(db, tables));
  if ('error' in after) return { ok: false, note: `the tables could not be read afterwards: ${after.error}` };
  const changed = changedTables(before, after);
  if (!changed.length) return { ok: true };
  return { ok: false, note: `${changed.join(', ')} differ from before the setup${undone.errors.length ? ` (${undone.errors[0]})` : ' (the race changed rows that existed before it)'}` };
}

export interface ConcurrencyContext {
  /** The design's `transactions`: the isolation the racing writes run at. */
  readonly transactions?: unknown;
  /** How long the second session may take to wait on the first or finish, in ms (default 5,000). */
  readonly blockWaitMs?: number;
}

export async function proveConcurrency(db: Engine, inv: Invariant, loc: Loc, catalog?: Catalog, context: ConcurrencyContext = {}): Promise<Claim> {
  const id = inv.id ?? 'invariant';
  const base = { kind: 'concurrency' as const, id, object: String(inv.enforced_by ?? '-'), loc };
  const vetted = vetViolation((inv.violation ?? []).map(String), catalog);
  if (!vetted.ok) return { ...base, status: 'unproven', reason: vetted.reason, evidence: vetted.evidence };
  const expect = String(inv.expect);
  if (!db.openSession) {
    return { ...base, status: 'unproven', reason: 'needs two connections: run with --local-server or --database-url (a role with CREATEDB and CREATEROLE)', evidence: {} };
  }
  const setup = vetted.stmts.slice(0, -2);
  const [a, b] = vetted.stmts.slice(-2).map((s) => s.text) as [string, string];
  const target = writeTarget(b);
  const iso = target ? isolationFor(context.transactions, target) : { level: 'read committed' as const, from: [] };
  const evidence: Record<string, unknown> = { A: a, B: b, isolation: iso.level, isolationFrom: iso.from.length ? iso.from : 'PostgreSQL default (no transaction of the design names the table)' };
  const pre = await preflight(db, setup, a, b);
  if ('setupFailed' in pre) return { ...base, status: 'unproven', reason: `the setup failed at statement ${pre.setupFailed} (${pre.sqlstate}): ${pre.error}`, evidence };
  evidence.preflight = pre;
  const why = notARace(pre, expect);
  if (why) return { ...base, status: 'unproven', reason: `not a race: ${why}`, evidence };
  const accepts = (code?: string): boolean => sqlstateMatches(code, expect) || (iso.level !== 'read committed' && code === '40001');
  return raceBothOrders(db, { base, setup, a, b, isolation: iso.level, blockWaitMs: context.blockWaitMs, accepts, expect, evidence });
}

interface Both {
  readonly base: Omit<Claim, 'status' | 'reason' | 'evidence'>;
  readonly setup: readonly SafeStatement[];
  readonly a: string;
  readonly b: string;
  readonly isolation: Isolation;
  readonly blockWaitMs?: number;
  readonly accepts: (code?: string) => boolean;
  readonly expect: string;
  readonly evidence: Record<string, unknown>;
}

/** A then B, restore, B then A, restore; the verdict from both schedules. */
async function raceBothOrders(db: Engine, x: Both): Promise<Claim> {
  const { base, evidence } = x;
  const tables = await userTables(db);
  const before = await unfiltered(db, () => fingerprint(db, tables));
  if ('error' in before) return { ...base, status: 'unproven', reason: `the tables could not be read to restore them between the two orders: ${before.error}`, evidence };
  const plans: [string, RacePlan][] = [
    ['A then B', { setup: x.setup, first: { label: 'A', text: x.a }, second: { label: 'B', text: x.b }, isolation: x.isolation, blockWaitMs: x.blockWaitMs }],
    ['B then A', { setup: x.setup, first: { label: 'B', text: x.b }, second: { label: 'A', text: x.a }, isolation: x.isolation, blockWaitMs: x.blockWaitMs }],
  ];
  const orders: Record<string, unknown>[] = [];
  const verdicts: OrderVerdict[] = [];
  let restored: Restore = { ok: true };
  for (const [i, [order, plan]] of plans.entries()) {
    if (!restored.ok) { verdicts.push({ status: 'unproven', why: `not tried: after ${plans[i - 1]![0]} ${restored.note}` }); break; }
    const mark = await watermark(db);
    const result = await runOrder(db, plan).catch((e: unknown): RaceResult => ({ kind: 'broken', error: asDbError(e).message }));
    restored = await restore(db, mark, tables, before);
    const verdict = judgeOrder(result, x.accepts, x.expect);
    verdicts.push(verdict);
    orders.push({ order, ...result, verdict: verdict.status, why: verdict.why });
    evidence[i === 0 ? 'first' : 'second'] = scheduleLine(order, result);
  }
  evidence.orders = orders;
  evidence.restored = restored.ok ? true : restored.note;
  return { ...base, ...verdictOf(plans.map((p) => p[0]), verdicts), evidence };
}

function verdictOf(names: string[], verdicts: OrderVerdict[]): Pick<Claim, 'status' | 'reason'> {
  const list = (status: OrderVerdict['status']): string =>
    verdicts.flatMap((v, i) => (v.status === status ? [`${names[i]}: ${v.why}`] : [])).join('; ');
  if (verdicts.some((v) => v.status === 'refuted')) {
    const both = names.filter((_, i) => verdicts[i]!.why === BOTH);
    const others = verdicts.filter((v) => v.status === 'refuted' && v.why !== BOTH).length;
    if (both.length && !others) return { status: 'refuted', reason: `${BOTH} (${both.join(', ')}): the invariant does not hold under concurrency` };
    return { status: 'refuted', reason: `expected one commit and one failure with the expected SQLSTATE; ${list('refuted')}` };
  }
  if (verdicts.some((v) => v.status === 'unproven') || verdicts.length < 2) return { status: 'unproven', reason: list('unproven') };
  return { status: 'proven', reason: `in both orders one write committed and the other failed: ${list('proven')}` };
}
