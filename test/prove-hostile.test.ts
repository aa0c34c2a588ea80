/**
 * prove on PGlite with hostile design SQL: every refused piece leaves its claim unproven with
 * the reason, nothing of it reaches PostgreSQL (the table is asked afterwards), and sound
 * pieces, trailing semicolons and comments included, still prove.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { check, prove, type Claim } from '../src/index.js';
import type { Catalog } from '../src/catalog/model.js';
import type { Engine } from '../src/prove/engine.js';
import { createPgliteEngine } from '../src/prove/pglite.js';
import { introspect, type LiveTable } from '../src/prove/introspect.js';
import { proveAccessPattern } from '../src/prove/claims/access-pattern.js';
import { proveConcurrency } from '../src/prove/claims/concurrency.js';
import { proveDrift } from '../src/prove/claims/drift.js';
import { proveInvariant } from '../src/prove/claims/invariant.js';
import { proveRls } from '../src/prove/claims/rls.js';
import { HOSTILE_DESIGN, HOSTILE_SCHEMA } from './hostile.js';
import { writeTree } from './helpers.js';

const LOC = { file: 'design.yaml', line: 1, column: 1 };
const ROWS = `INSERT INTO t SELECT g, 'tenant' || (g % 2), g FROM generate_series(1, 200) g;`;

/** Pieces PostgreSQL would run, some of them harmful, each of which must be refused. */
const HOSTILE = [
  'COMMIT; DROP TABLE t', "ROLLBACK; INSERT INTO t VALUES (99, 'x', 1)", 'COMMIT', 'DROP TABLE t',
  'SET ROLE postgres', 'RESET ROLE', 'SET SESSION AUTHORIZATION postgres', 'RESET ALL',
  'DO $$ BEGIN DELETE FROM t; END $$', "COPY t TO PROGRAM 'id'", 'CALL missing()', 'select 1; select 2',
  "SELECT set_config('role', 'app', false)", 'SELECT 1) x; DROP TABLE t; SELECT (1',
];

let db: Engine;
let catalog: Catalog;
let table: LiveTable;

async function state(): Promise<{ rows: number; user: string; role: string; tenant: string }> {
  const r = await db.query(`SELECT (SELECT count(*)::int FROM t WHERE n >= 0) AS rows, current_user AS "user", current_setting('role') AS role, coalesce(current_setting('app.tenant', true), '') AS tenant`);
  return r.rows[0] as { rows: number; user: string; role: string; tenant: string };
}

function notRun(c: Claim, what: string): void {
  assert.equal(c.status, 'unproven', `${what}: ${c.status} ${c.reason}`);
  assert.match(c.reason, /^not run: /, what);
}

describe('prove refuses hostile design SQL on PGlite', () => {
  before(async () => {
    const dir = writeTree({ 'schema.sql': HOSTILE_SCHEMA });
    const checked = await check({ schema: join(dir, 'schema.sql'), cwd: dir });
    assert.ok(checked.ok);
    catalog = checked.catalog;
    db = await createPgliteEngine();
    await db.exec(HOSTILE_SCHEMA + ROWS);
    table = (await introspect(db)).find((x) => x.name === 't')!;
  });
  after(async () => { await db?.close(); });

  it('sends no violation statement when one of them is refused, and the table keeps its rows', async () => {
    const before = await state();
    assert.equal(before.rows, 200);
    const violations = [['DELETE FROM t', 'COMMIT'], ['COMMIT', 'DROP TABLE t', 'UPDATE t SET n = -1'], ...HOSTILE.map((h) => [h, 'UPDATE t SET n = -1'])];
    for (const violation of violations) {
      const c = await proveInvariant(db, { id: 'INV-1', rule: 'n >= 0', expect: '23514', violation }, [table], LOC, catalog);
      assert.equal(c.status, 'unproven', `${violation.join(' | ')}: ${c.status} ${c.reason}`);
      assert.match(c.reason, /^not run: violation statement \d /);
      assert.ok(c.evidence.refused, violation.join(' | '));
    }
    assert.deepEqual(await state(), before);
  });

  it('refuses the same pieces as access patterns and drift queries, and a drift query that writes', async () => {
    const before = await state();
    for (const sql of HOSTILE) {
      const q = await proveAccessPattern(db, { id: 'Q-1', sql, index: 'none' }, LOC);
      assert.notEqual(q.status, 'proven', sql);
      const d = await proveDrift(db, 'INV-1', sql, true, LOC);
      assert.notEqual(d.status, 'proven', sql);
      // Only a text that does not parse is refuted (a false claim); the rest are not run.
      if (sql.startsWith('SELECT 1)')) assert.match(d.reason, /does not parse/);
      else { notRun(q, sql); notRun(d, sql); }
    }
    for (const sql of ['WITH d AS (DELETE FROM t RETURNING id) SELECT id FROM d WHERE false', 'SELECT id FROM t WHERE false FOR UPDATE', 'DELETE FROM t WHERE false RETURNING id']) {
      notRun(await proveDrift(db, 'INV-1', sql, true, LOC), sql);
    }
    assert.deepEqual(await state(), before);
  });

  it('never writes the tenant setting into SQL', async () => {
    const before = await state();
    for (const setting of ['x = 1; DROP TABLE t; --', "app.tenant = 1; COMMIT; DROP TABLE t; --", 'role', 'search_path']) {
      const c = await proveRls(db, table, { column: 'tenant_id', setting, role: 'app' }, LOC);
      notRun(c, setting);
      assert.equal(c.evidence.refused, 'settingName');
    }
    assert.deepEqual(await state(), before);
  });

  it('vets the violation before the concurrency claim looks for a second connection', async () => {
    const c = await proveConcurrency(db, { id: 'INV-1', rule: 'r', expect: '23505', violation: ['COMMIT', "INSERT INTO t VALUES (50, 'a', 1)", "INSERT INTO t VALUES (50, 'a', 1)"] }, LOC, catalog);
    notRun(c, 'concurrency');
    assert.equal(c.evidence.refused, 'transactionControl');
  });

  it('still proves sound pieces: a trailing semicolon or comment, SET LOCAL and a schema procedure as setup, a bound tenant', async () => {
    const before = await state();
    const inv = await proveInvariant(db, { id: 'INV-1', rule: 'n >= 0', expect: '23514', violation: ["SET LOCAL app.note = 'setup'", 'CALL bump(1);', 'UPDATE t SET n = -1 WHERE id = 1; -- breaks the check'] }, [table], LOC, catalog);
    assert.equal(inv.status, 'proven', inv.reason);
    const drift = await proveDrift(db, 'INV-1', 'SELECT id FROM t WHERE n < 0; -- none', true, LOC);
    assert.equal(drift.status, 'proven', drift.reason);
    const scan = await proveAccessPattern(db, { id: 'Q-1', sql: 'SELECT id FROM t WHERE tenant_id = :tenant -- all of them', index: 'none' }, LOC);
    assert.equal(scan.status, 'proven', scan.reason);
    assert.equal((scan.evidence.paramSources as Record<string, string>).tenant, 't.tenant_id');
    const rls = await proveRls(db, table, { column: 'tenant_id', setting: 'app.tenant', role: 'app' }, LOC);
    assert.equal(rls.status, 'proven', rls.reason);
    assert.equal(rls.evidence.visibleOwnRows, 100);
    assert.deepEqual(await state(), before, 'role, setting and rows are as before: every claim was rolled back');
  });
});

describe('prove on a hostile design', () => {
  it('leaves every refused claim unproven with its reason and refutes nothing', async () => {
    const dir = writeTree({ 'design.yaml': HOSTILE_DESIGN, 'schema.sql': HOSTILE_SCHEMA });
    const r = await prove({ target: dir, cwd: dir, scale: 50 });
    assert.ok(r.ok, r.ok ? '' : r.message);
    const got = r.claims.filter((c) => c.kind !== 'schema-applies').map((c) => `${c.kind} ${c.id} ${c.status} ${String(c.evidence.refused)}`).sort();
    assert.deepEqual(got, [
      'access-pattern Q-001 unproven multipleStatements',
      'access-pattern Q-002 unproven notData',
      'drift INV-001 unproven dataModifyingCte',
      'drift migration.backfill unproven notData',
      'drift migration.validation[0] unproven lockingRead',
      'drift migration.validation[1] unproven multipleStatements',
      'invariant INV-001 unproven roleSwitch',
      'invariant INV-002 unproven transactionControl',
      'rls t unproven settingName',
    ]);
    assert.equal(r.claims.find((c) => c.kind === 'schema-applies')?.status, 'proven');
    assert.equal(r.data.find((d) => d.table === 'public.t')?.rows, 50);
  });
});
