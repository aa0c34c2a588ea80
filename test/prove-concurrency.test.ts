/**
 * Concurrency claims on the suite's own cluster: the schedule does not depend on timing, so a
 * real race is refuted and a safe design proven every time (20 runs each, on one engine per
 * design), both orders are tried from the same state, SERIALIZABLE designs are raced at their
 * level, and a sequence of steps is not read as a race.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { check, type Claim, type LocalServer, prove, startLocalServer } from '../src/index.js';
import type { Catalog } from '../src/catalog/model.js';
import type { Design, Invariant } from '../src/load/design/types.js';
import { applySchema } from '../src/prove/apply.js';
import { proveConcurrency } from '../src/prove/claims/concurrency.js';
import type { Engine } from '../src/prove/engine.js';
import { generate, volumesOf } from '../src/prove/generate.js';
import { introspect } from '../src/prove/introspect.js';
import { createServerEngine } from '../src/prove/server.js';
import { ROOT } from './helpers.js';

const RUNS = 20;
const LOC = { file: 'design.yaml', line: 1, column: 1 };

interface Prepared { engine: Engine; design: Design; catalog: Catalog }

/** The fixture's schema and 50 generated rows per table in a throwaway database. */
async function prepare(server: LocalServer, fixture: string): Promise<Prepared> {
  const checked = await check({ target: join(ROOT, 'test/fixtures', fixture), cwd: ROOT });
  assert.ok(checked.ok, checked.ok ? '' : checked.message);
  const design = checked.design!.design!;
  const engine = await createServerEngine(server.url, { ownCluster: true });
  for (const a of await applySchema(engine, checked.statements)) assert.deepEqual(a.failures, [], fixture);
  await generate(engine, await introspect(engine), { seed: 'schemaproof', cap: 50, volumes: volumesOf(design) });
  return { engine, design, catalog: checked.catalog };
}

function invariant(p: Prepared, id: string): Invariant {
  return p.design.invariants!.find((i) => i.id === id)!;
}

/** Every table's row count and row hashes: what a claim must leave as it found it. */
async function tablesState(db: Engine): Promise<string[]> {
  const tables = (await db.query("SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((r) => String(r.t));
  const out: string[] = [];
  for (const t of tables) out.push(`${t} ${await contents(db, t)}`);
  return out;
}

async function contents(db: Engine, table: string): Promise<string> {
  return String((await db.query(`SELECT count(*) || ':' || coalesce(sum(hashtext(x::text)::bigint), 0) AS f FROM ${table} x`)).rows[0]!.f);
}

/** Runs the claim RUNS times and returns the distinct (status, reason, schedule) it gave. */
async function repeat(p: Prepared, inv: Invariant, transactions: unknown = p.design.transactions): Promise<{ outcomes: string[]; last: Claim; ms: number }> {
  const seen = new Set<string>();
  let last: Claim | undefined;
  const t0 = performance.now();
  for (let i = 0; i < RUNS; i++) {
    last = await proveConcurrency(p.engine, inv, LOC, p.catalog, { transactions });
    seen.add(`${last.status} | ${last.reason} | ${String(last.evidence.first)} | ${String(last.evidence.second)}`);
  }
  return { outcomes: [...seen], last: last!, ms: performance.now() - t0 };
}

type Order = { order: string; secondBlocked: boolean; blockedBy: number[]; first: { pid: number; outcome: string }; second: { outcome: string; sqlstate?: string; failedAt?: string } };

let server: LocalServer;

describe('concurrency claims on a server', () => {
  before(async () => { server = await startLocalServer(); });
  after(async () => { await server?.stop(); });

  describe('a real race: check then insert, nothing locked', () => {
    let p: Prepared;
    before(async () => { p = await prepare(server, 'race-check-then-insert'); });
    after(async () => { await p?.engine.close(); });

    it(`is refuted in both orders, the same way in ${RUNS} runs, and leaves the tables as they were`, async (t) => {
      const before = await contents(p.engine, 'bookings');
      const { outcomes, last, ms } = await repeat(p, invariant(p, 'INV-001'));
      t.diagnostic(`${RUNS} runs in ${Math.round(ms)} ms`);
      assert.deepEqual(outcomes, [
        'refuted | both concurrent writes committed (A then B, B then A): the invariant does not hold under concurrency'
        + ' | A then B: A wrote, B did not wait on A; A committed; B committed | B then A: B wrote, A did not wait on B; B committed; A committed',
      ]);
      const orders = last.evidence.orders as Order[];
      assert.deepEqual(orders.map((o) => [o.order, o.secondBlocked, o.first.outcome, o.second.outcome]), [['A then B', false, 'committed', 'committed'], ['B then A', false, 'committed', 'committed']]);
      assert.equal(last.evidence.restored, true);
      assert.equal(await contents(p.engine, 'bookings'), before);
      assert.deepEqual((await p.engine.query('SELECT count(*)::int AS n FROM rooms WHERE id = 9001')).rows, [{ n: 0 }]);
    });

    it('is proven when the design runs the transaction SERIALIZABLE: the second to commit fails with 40001', async () => {
      const c = await proveConcurrency(p.engine, invariant(p, 'INV-001'), LOC, p.catalog, { transactions: [{ operation: 'BookRoom', tables: ['public.bookings'], isolation: 'serializable' }] });
      assert.equal(c.status, 'proven', c.reason);
      assert.equal(c.evidence.isolation, 'serializable');
      for (const o of c.evidence.orders as Order[]) assert.deepEqual([o.second.sqlstate, o.second.failedAt], ['40001', 'commit']);
    });

    it('races at the weakest level the transactions naming the table give', async () => {
      const c = await proveConcurrency(p.engine, invariant(p, 'INV-001'), LOC, p.catalog, {
        transactions: [{ operation: 'BookRoom', tables: 'bookings', isolation: 'serializable' }, { operation: 'Rebook', tables: ['bookings'], isolation: 'read committed' }, { operation: 'Other', tables: ['rooms'], isolation: 'repeatable read' }],
      });
      assert.equal(c.status, 'refuted', c.reason);
      assert.equal(c.evidence.isolation, 'read committed');
      assert.deepEqual(c.evidence.isolationFrom, ['BookRoom (serializable)', 'Rebook (read committed)']);
    });
  });

  describe('designs that stop the race', () => {
    let p: Prepared;
    before(async () => { p = await prepare(server, 'race-safe'); });
    after(async () => { await p?.engine.close(); });

    const cases: [string, string, boolean, string][] = [
      ['INV-001', 'a unique index', true, '23505'],
      ['INV-002', 'a trigger that locks the parent row', true, 'P0001'],
      ['INV-003', 'an exclusion constraint', true, '23P01'],
      ['INV-004', 'an unlocked check at SERIALIZABLE', false, '40001'],
      ['INV-005', 'a CHECK re-evaluated on the row lock', true, '23514'],
    ];
    for (const [id, what, blocks, sqlstate] of cases) {
      it(`proves ${id} (${what}) the same way in ${RUNS} runs, the loser ${blocks ? 'waiting on the winner' : 'failing at COMMIT'} with ${sqlstate}`, async (t) => {
        const before = await tablesState(p.engine);
        const { outcomes, last, ms } = await repeat(p, invariant(p, id));
        t.diagnostic(`${RUNS} runs in ${Math.round(ms)} ms`);
        assert.equal(outcomes.length, 1, outcomes.join('\n'));
        assert.equal(last.status, 'proven', last.reason);
        for (const o of last.evidence.orders as Order[]) {
          assert.equal(o.secondBlocked, blocks, o.order);
          if (blocks) assert.ok(o.blockedBy.includes(o.first.pid), `${o.order}: blocked by ${o.blockedBy} not ${o.first.pid}`);
          assert.deepEqual([o.first.outcome, o.second.outcome, o.second.sqlstate], ['committed', 'failed', sqlstate], o.order);
        }
        assert.equal(last.evidence.restored, true);
        assert.deepEqual(await tablesState(p.engine), before);
      });
    }

    it('refutes the SERIALIZABLE design raced at read committed', async () => {
      const c = await proveConcurrency(p.engine, invariant(p, 'INV-004'), LOC, p.catalog, {});
      assert.equal(c.status, 'refuted');
      assert.match(c.reason, /^both concurrent writes committed \(A then B, B then A\)/);
    });

    it('refutes a loser that fails with another SQLSTATE than expect', async () => {
      const c = await proveConcurrency(p.engine, { ...invariant(p, 'INV-001'), expect: '23514' }, LOC, p.catalog, {});
      assert.equal(c.status, 'refuted');
      assert.match(c.reason, /A then B: B failed with 23505, not 23514.*B then A: A failed with 23505, not 23514/);
    });

    it('replays the setup\'s session SETs in the second session', async () => {
      const write = (id: number, holder: string): string => `INSERT INTO seat_holds (id, seat, holder) VALUES (${id}, current_setting('app.seat'), '${holder}')`;
      const c = await proveConcurrency(p.engine, { id: 'INV-8', rule: 'r', expect: 'P0001', violation: ["SET app.seat = 'Y-1'", write(9101, 'ana'), write(9102, 'bo')] }, LOC, p.catalog, { transactions: p.design.transactions });
      assert.equal(c.status, 'proven', c.reason);
      assert.equal((await p.engine.query("SELECT current_setting('app.seat', true) AS s")).rows[0]!.s ?? '', '', 'the engine\'s own session keeps no setting');
    });

    it('proves on prove() too, with the isolation of the design\'s transactions', async () => {
      const r = await prove({ target: join(ROOT, 'test/fixtures/race-safe'), cwd: ROOT, databaseUrl: server.url, scale: 50 });
      assert.ok(r.ok);
      const conc = r.claims.filter((c) => c.kind === 'concurrency');
      assert.deepEqual(conc.map((c) => `${c.id} ${c.status}`), ['INV-001 proven', 'INV-002 proven', 'INV-003 proven', 'INV-004 proven', 'INV-005 proven']);
      assert.equal(conc.find((c) => c.id === 'INV-004')!.evidence.isolation, 'serializable');
    });

    it('gives up, cancelling it, on a second write that neither waits on the first nor finishes', async () => {
      // Slow only when raced (at SERIALIZABLE): the rolled-back check runs at read committed.
      const slow = "INSERT INTO seat_holds (id, seat, holder) SELECT 9202, 'W-1', 'bo' FROM (SELECT CASE WHEN current_setting('transaction_isolation') = 'serializable' THEN pg_sleep(1) END) s";
      const c = await proveConcurrency(p.engine, { id: 'INV-6', rule: 'r', expect: 'P0001', violation: ["INSERT INTO seat_holds (id, seat, holder) VALUES (9201, 'W-1', 'ana')", slow] }, LOC, p.catalog, { transactions: p.design.transactions, blockWaitMs: 300 });
      assert.equal(c.status, 'unproven');
      assert.match(c.reason, /^A then B: B neither finished nor waited on A within \d+ ms, and was cancelled/);
      const orders = c.evidence.orders as { kind: string; waitedMs: number; second: { outcome: string; sqlstate?: string } }[];
      assert.deepEqual([orders[0]!.kind, orders[0]!.second.outcome, orders[0]!.second.sqlstate], ['stuck', 'cancelled', '57014']);
      assert.ok(orders[0]!.waitedMs < 1000, `cancelled after ${orders[0]!.waitedMs} ms, before the write's 1 s sleep ended`);
      assert.equal(c.evidence.restored, true);
    });

    it('does not race on tables whose policies would hide rows from the restore', async () => {
      await p.engine.query('CREATE TABLE forced (id int PRIMARY KEY, tenant text NOT NULL)');
      await p.engine.query('ALTER TABLE forced ENABLE ROW LEVEL SECURITY');
      await p.engine.query('ALTER TABLE forced FORCE ROW LEVEL SECURITY');
      await p.engine.query("CREATE POLICY p_forced ON forced USING (tenant = current_setting('app.t', true))");
      try {
        const c = await proveConcurrency(p.engine, { id: 'INV-7', rule: 'r', expect: '23505', violation: ["SET app.t = 'a'", "INSERT INTO forced VALUES (1, 'a')", "INSERT INTO forced VALUES (1, 'a')"] }, LOC, p.catalog, {});
        assert.equal(c.status, 'unproven');
        assert.match(c.reason, /^the tables could not be read to restore them between the two orders: .*row-level security/);
        assert.equal(c.evidence.orders, undefined);
        assert.equal((await p.engine.query("SELECT current_setting('row_security') AS v")).rows[0]!.v, 'on');
      } finally {
        await p.engine.query('DROP TABLE forced');
      }
    });

    it('does not race the second order on a state the first could not restore', async () => {
      // Both writes change a generated row: deleting what the race wrote cannot bring it back.
      const write = 'UPDATE accounts SET balance = balance + 1 WHERE id = (SELECT min(id) FROM accounts)';
      const c = await proveConcurrency(p.engine, { id: 'INV-9', rule: 'r', expect: '23514', violation: [write, write] }, LOC, p.catalog, {});
      assert.equal(c.status, 'refuted', c.reason);
      assert.match(c.reason, /^both concurrent writes committed \(A then B\)/);
      const orders = c.evidence.orders as Order[];
      assert.deepEqual(orders.map((o) => o.order), ['A then B']);
      assert.equal(orders[0]!.secondBlocked, true);
      assert.match(String(c.evidence.restored), /"public"\."accounts" differ from before the setup/);
    });
  });

  describe('a sequence of steps is not a race', () => {
    let p: Prepared;
    before(async () => { p = await prepare(server, 'race-sequential'); });
    after(async () => { await p?.engine.close(); });

    it('leaves an order-dependent failure unproven, the same way each time, and commits nothing', async () => {
      const { outcomes, last } = await repeat(p, invariant(p, 'INV-001'));
      assert.equal(outcomes.length, 1, outcomes.join('\n'));
      assert.equal(last.status, 'unproven');
      assert.match(last.reason, /^not a race: B fails after A, but A succeeds after B/);
      const pre = last.evidence.preflight as Record<string, { ok: boolean; sqlstate?: string }>;
      assert.deepEqual([pre.A!.ok, pre.B!.ok, pre.BafterA!.sqlstate, pre.AafterB!.ok], [true, true, 'P0001', true]);
      assert.equal(last.evidence.orders, undefined, 'no race was run');
      assert.deepEqual((await p.engine.query('SELECT count(*)::int AS n FROM tickets WHERE id = 9001')).rows, [{ n: 0 }]);
    });

    it('leaves a write that changes nothing without the other unproven', async () => {
      const c = await proveConcurrency(p.engine, invariant(p, 'INV-002'), LOC, p.catalog);
      assert.equal(c.status, 'unproven');
      assert.match(c.reason, /^not a race: B changes no row on its own after the setup/);
    });

    it('leaves the claim unproven when the setup fails, naming the statement', async () => {
      const inv = invariant(p, 'INV-001');
      const c = await proveConcurrency(p.engine, { ...inv, violation: ["INSERT INTO tickets (id, title, status) VALUES (9003, 'x', 'lost')", ...inv.violation!.slice(1)] }, LOC, p.catalog);
      assert.equal(c.status, 'unproven');
      assert.match(c.reason, /^the setup failed at statement 1 \(23514\)/);
    });
  });
});
