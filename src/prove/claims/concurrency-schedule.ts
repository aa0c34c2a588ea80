/**
 * One order of a concurrency race, on a fixed schedule that does not depend on timing:
 * the setup commits; session 1 begins, writes and keeps its transaction open; session 2
 * begins and writes until it is either blocked by session 1 (pg_blocking_pids, polled from the
 * engine's own connection) or done; only then does session 1 commit, and session 2 finishes
 * (and commits if its write succeeded).
 */
import type { SafeStatement } from '../../analyses/design-sql.js';
import type { DbError, Engine, SecondSession } from '../engine.js';
import { asDbError } from '../engine.js';

export type Isolation = 'read committed' | 'repeatable read' | 'serializable';

const BEGIN: Record<Isolation, string> = {
  'read committed': 'BEGIN ISOLATION LEVEL READ COMMITTED',
  'repeatable read': 'BEGIN ISOLATION LEVEL REPEATABLE READ',
  serializable: 'BEGIN ISOLATION LEVEL SERIALIZABLE',
};

/** How long session 2 may take to block on session 1 or finish before the order is given up. */
export const BLOCK_WAIT_MS = 5_000;
/** A bound on every statement of the race, so that a lock nobody releases cannot hang the run. */
const STATEMENT_TIMEOUT = '30s';

/** One racing write: A is the violation's second-to-last statement, B its last. */
export interface Racer { readonly label: 'A' | 'B'; readonly text: string }

export interface RacePlan {
  readonly setup: readonly SafeStatement[];
  readonly first: Racer;
  readonly second: Racer;
  readonly isolation: Isolation;
  /** How long session 2 may take to block on session 1 or finish (default BLOCK_WAIT_MS). */
  readonly blockWaitMs?: number;
}

/** What became of one session's write and transaction. */
export interface SessionReport {
  readonly statement: 'A' | 'B';
  readonly pid: number;
  readonly outcome: 'committed' | 'failed' | 'cancelled';
  /** Where it failed: its write, or its COMMIT (a deferred constraint, a serialization failure). */
  readonly failedAt?: 'statement' | 'commit';
  readonly sqlstate?: string;
  readonly error?: string;
}

export type RaceResult =
  /** The order could not run at all (a connection failed); set by the claim, not by runOrder. */
  | { readonly kind: 'broken'; readonly error: string }
  | { readonly kind: 'setup-failed'; readonly statement: number; readonly sqlstate?: string; readonly error: string }
  | { readonly kind: 'first-failed'; readonly first: SessionReport }
  | { readonly kind: 'stuck'; readonly first: SessionReport; readonly second: SessionReport; readonly waitedMs: number }
  | {
    readonly kind: 'ran';
    readonly first: SessionReport;
    readonly second: SessionReport;
    /** Session 2 waited on a lock of session 1 (listed by pg_blocking_pids) before session 1 committed. */
    readonly secondBlocked: boolean;
    readonly blockedBy: readonly number[];
    readonly waitedMs: number;
  };

type Settled = { ok: true } | { ok: false; error: DbError };

function settle(p: Promise<unknown>): Promise<Settled> {
  return p.then(() => ({ ok: true as const }), (e) => ({ ok: false as const, error: asDbError(e) }));
}

interface Racing { readonly session: SecondSession; readonly pid: number }

async function openRacer(db: Engine): Promise<Racing> {
  const session = await db.openSession!();
  const r = await session.query("SELECT pg_backend_pid() AS pid, set_config('statement_timeout', $1, false)", [STATEMENT_TIMEOUT]);
  return { session, pid: Number(r.rows[0]!.pid) };
}

function report(label: 'A' | 'B', pid: number, write: Settled, commit?: Settled): SessionReport {
  if (!write.ok) return { statement: label, pid, outcome: 'failed', failedAt: 'statement', sqlstate: write.error.code, error: write.error.message };
  if (commit && !commit.ok) return { statement: label, pid, outcome: 'failed', failedAt: 'commit', sqlstate: commit.error.code, error: commit.error.message };
  return { statement: label, pid, outcome: 'committed' };
}

/** A session-level SET of the setup, which session 2 must see as session 1 does. */
function isSessionSet(s: SafeStatement): boolean {
  const set = (s.stmt as { VariableSetStmt?: { is_local?: boolean } }).VariableSetStmt;
  return set !== undefined && set.is_local !== true;
}

/** The setup, committed by session 1; its session-level SETs replayed in session 2. */
async function runSetup(plan: RacePlan, a: Racing, b: Racing): Promise<RaceResult | undefined> {
  await a.session.exec('BEGIN');
  for (const [i, s] of plan.setup.entries()) {
    const r = await settle(a.session.query(s.text));
    if (!r.ok) {
      await a.session.exec('ROLLBACK');
      return { kind: 'setup-failed', statement: i + 1, sqlstate: r.error.code, error: r.error.message };
    }
  }
  const c = await settle(a.session.exec('COMMIT'));
  if (!c.ok) return { kind: 'setup-failed', statement: plan.setup.length, sqlstate: c.error.code, error: `at COMMIT: ${c.error.message}` };
  for (const [i, s] of plan.setup.entries()) {
    if (!isSessionSet(s)) continue;
    const r = await settle(b.session.query(s.text));
    if (!r.ok) return { kind: 'setup-failed', statement: i + 1, sqlstate: r.error.code, error: `in the second session: ${r.error.message}` };
  }
  return undefined;
}

type Wait = { kind: 'blocked'; blockedBy: number[]; ms: number } | { kind: 'done'; ms: number } | { kind: 'timeout'; ms: number };

/** Polls until session 2 waits on a lock of session 1, or its write is done, or the bound passes. */
async function waitForBlockOrDone(monitor: Engine, first: Racing, second: Racing, done: () => boolean, bound: number): Promise<Wait> {
  const t0 = performance.now();
  let pause = 1;
  for (;;) {
    const ms = performance.now() - t0;
    if (done()) return { kind: 'done', ms };
    const r = await monitor.query('SELECT pg_blocking_pids($1::int) AS pids', [second.pid]);
    const pids = (r.rows[0]?.pids as number[] | null) ?? [];
    if (pids.includes(first.pid)) return { kind: 'blocked', blockedBy: [...pids].sort((x, y) => x - y), ms };
    if (done()) return { kind: 'done', ms };
    if (ms > bound) return { kind: 'timeout', ms };
    await new Promise((res) => setTimeout(res, pause));
    pause = Math.min(pause * 2, 20);
  }
}

/** The two racing writes on the fixed schedule, once the setup has committed. */
async function race(db: Engine, plan: RacePlan, a: Racing, b: Racing): Promise<RaceResult> {
  await a.session.exec(BEGIN[plan.isolation]);
  await b.session.exec(BEGIN[plan.isolation]);
  const w1 = await settle(a.session.query(plan.first.text));
  if (!w1.ok) return { kind: 'first-failed', first: report(plan.first.label, a.pid, w1) };
  let finished = false;
  const p2 = settle(b.session.query(plan.second.text)).then((r) => { finished = true; return r; });
  const wait = await waitForBlockOrDone(db, a, b, () => finished, plan.blockWaitMs ?? BLOCK_WAIT_MS);
  if (wait.kind === 'timeout') {
    await db.query('SELECT pg_cancel_backend($1::int)', [b.pid]);
    const w2 = await p2;
    return { kind: 'stuck', first: report(plan.first.label, a.pid, w1), second: { ...report(plan.second.label, b.pid, w2), outcome: 'cancelled' }, waitedMs: Math.round(wait.ms) };
  }
  const c1 = await settle(a.session.exec('COMMIT'));
  const w2 = await p2;
  const c2 = w2.ok ? await settle(b.session.exec('COMMIT')) : undefined;
  return {
    kind: 'ran',
    first: report(plan.first.label, a.pid, w1, c1),
    second: report(plan.second.label, b.pid, w2, c2),
    secondBlocked: wait.kind === 'blocked',
    blockedBy: wait.kind === 'blocked' ? wait.blockedBy : [],
    waitedMs: Math.round(wait.ms),
  };
}

/** One order of the race in two fresh sessions, closed at the end whatever happened. */
export async function runOrder(db: Engine, plan: RacePlan): Promise<RaceResult> {
  const a = await openRacer(db);
  const b = await openRacer(db).catch(async (e) => { await a.session.close(); throw e; });
  try {
    return (await runSetup(plan, a, b)) ?? (await race(db, plan, a, b));
  } finally {
    await a.session.exec('ROLLBACK').catch(() => undefined);
    await b.session.exec('ROLLBACK').catch(() => undefined);
    await a.session.close();
    await b.session.close();
  }
}
