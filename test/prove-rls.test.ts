/**
 * The rls claim on PGlite (and, for a table the application role owns, on a local server):
 * leaky tenant isolation is refuted for its own reason, sound isolation is proven, and a probe
 * that cannot reach the policy is unproven with PostgreSQL's error.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Claim, type LocalServer, prove, startLocalServer } from '../src/index.js';
import type { Engine } from '../src/prove/engine.js';
import { createPgliteEngine } from '../src/prove/pglite.js';
import { introspect } from '../src/prove/introspect.js';
import { proveRls } from '../src/prove/claims/rls.js';
import { ROOT } from './helpers.js';

const LOC = { file: 'design.yaml', line: 1, column: 1 };

async function rlsClaims(fixture: string, databaseUrl?: string): Promise<Map<string, Claim>> {
  const r = await prove({ target: join(ROOT, 'test/fixtures', fixture), cwd: ROOT, scale: 300, databaseUrl });
  assert.ok(r.ok, r.ok ? '' : r.message);
  assert.deepEqual(r.claims.filter((c) => c.kind === 'schema-applies' && c.status !== 'proven').map((c) => c.reason), []);
  return new Map(r.claims.filter((c) => c.kind === 'rls').map((c) => [c.id, c]));
}

function expectClaim(claims: Map<string, Claim>, id: string, status: Claim['status'], reason: RegExp): Claim {
  const c = claims.get(id);
  assert.ok(c, `a claim for ${id}`);
  assert.equal(c.status, status, `${id}: ${c.reason}`);
  assert.match(c.reason, reason, id);
  return c;
}

describe('rls claims on PGlite', () => {
  it('refutes each leak of test/fixtures/rls-leaks for its own reason', async () => {
    const claims = await rlsClaims('rls-leaks');
    const checkTrue = expectClaim(claims, 'check_true', 'refuted', /^as app with tenant A set, an INSERT of a tenant B row was accepted/);
    assert.equal(checkTrue.evidence.insertAsB, 'accepted', 'the probe row was valid (the positive control)');
    assert.deepEqual((checkTrue.evidence.probeRow as { freshened: string[] }).freshened, ['id']);
    expectClaim(claims, 'open_unset', 'refuted', /with app\.tenant_id not set, a SELECT sees \d+ rows/);
    expectClaim(claims, 'open_empty', 'refuted', /with app\.tenant_id set to '', a SELECT sees \d+ rows/);
    expectClaim(claims, 'owned', 'refuted', /owns the table and the table does not FORCE ROW LEVEL SECURITY/);
    expectClaim(claims, 'notes_view', 'refuted', /rows of other tenants: the view has no security_invoker/);
    expectClaim(claims, 'notes_digest', 'refuted', /^a materialized view has no row-level security, and app may SELECT it: with tenant A set it sees [1-9]\d* rows of other tenants/);
  });

  it('leaves the claim unproven when a design statement already set the tenant in the only session', async () => {
    const claims = await rlsClaims('rls-setting-defined');
    expectClaim(claims, 'note', 'unproven', /the unset state could not be tried: app\.tenant_id was already defined in this session/);
  });

  it('proves test/fixtures/rls-sound: per-command policies, a forced owner, an invoker view', async () => {
    const claims = await rlsClaims('rls-sound');
    const project = expectClaim(claims, 'project', 'proven', /a fresh B row rejected by the policy; with app\.tenant_id unset or '' no rows visible/);
    assert.deepEqual(project.evidence.probeRow, { freshened: ['name'], filledByDefault: ['project_id'] });
    assert.equal(project.evidence.insertAsB, 'accepted');
    assert.match(String(project.evidence.insertOfB), /^42501: new row violates row-level security policy/);
    // No UPDATE or DELETE policy: PostgreSQL's default deny, so nothing of B is touched.
    const task = expectClaim(claims, 'task', 'proven', /none updated or deleted/);
    assert.equal(task.evidence.updateOfB, '0 rows');
    assert.equal(task.evidence.deleteOfB, '0 rows');
    assert.deepEqual((task.evidence.unset as Record<string, unknown>).visibleRows, 0);
    expectClaim(claims, 'audit_note', 'proven', /no rows visible and no writes/);
    expectClaim(claims, 'project_summary', 'proven', /through the view/);
  });
});

describe('rls probes that cannot reach the policy', () => {
  let db: Engine;
  before(async () => {
    db = await createPgliteEngine();
    await db.exec(`CREATE ROLE app;
      CREATE TABLE t (code text PRIMARY KEY CHECK (code LIKE 'C-%'), tenant_id text NOT NULL);
      ALTER TABLE t ENABLE ROW LEVEL SECURITY;
      CREATE POLICY t_tenant ON t USING (tenant_id = current_setting('app.tenant', true));
      GRANT SELECT, INSERT, UPDATE ON t TO app;
      INSERT INTO t SELECT 'C-' || g, 'tenant' || (g % 2) FROM generate_series(1, 10) g;`);
  });
  after(async () => { await db?.close(); });

  it('is unproven, with the error, when the fresh B row is not valid even for tenant B', async () => {
    const table = (await introspect(db)).find((x) => x.name === 't')!;
    const c = await proveRls(db, table, { column: 'tenant_id', setting: 'app.tenant', role: 'app' }, LOC);
    assert.equal(c.status, 'unproven', c.reason);
    assert.match(c.reason, /^the probe row of tenant B is not valid \(with tenant B set its INSERT failed with 23514/);
  });

  it('is unproven when the setting was already defined in the session, so its unset state cannot be tried', async () => {
    await db.exec(`BEGIN; SELECT set_config('app.tenant', 'x', true); ROLLBACK;
      ALTER TABLE t DROP CONSTRAINT t_code_check;`);
    const table = (await introspect(db)).find((x) => x.name === 't')!;
    const c = await proveRls(db, table, { column: 'tenant_id', setting: 'app.tenant', role: 'app' }, LOC);
    assert.equal(c.status, 'unproven', c.reason);
    assert.match(c.reason, /the unset state could not be tried/);
    assert.equal(c.evidence.insertAsB, 'accepted');
  });
});

describe('rls insert probe and a trigger that stamps the tenant', () => {
  let db: Engine;
  before(async () => {
    db = await createPgliteEngine();
    await db.exec(`CREATE ROLE app;
      CREATE TABLE t (id int PRIMARY KEY, tenant_id text NOT NULL);
      CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.tenant_id := coalesce(current_setting('app.tenant', true), NEW.tenant_id); RETURN NEW; END $$;
      CREATE TRIGGER t_stamp BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION stamp();
      INSERT INTO t SELECT g, 'tenant' || (g % 2) FROM generate_series(1, 10) g;
      ALTER TABLE t ENABLE ROW LEVEL SECURITY;
      CREATE POLICY t_tenant ON t USING (tenant_id = current_setting('app.tenant', true));
      GRANT SELECT, INSERT ON t TO app;`);
  });
  after(async () => { await db?.close(); });

  it('does not count a B row the trigger stored as tenant A as a leak', async () => {
    const table = (await introspect(db)).find((x) => x.name === 't')!;
    const c = await proveRls(db, table, { column: 'tenant_id', setting: 'app.tenant', role: 'app' }, LOC);
    assert.equal(c.status, 'proven', c.reason);
    assert.equal(c.evidence.insertOfB, 'accepted, but stored as another tenant');
    assert.equal(c.evidence.updateOfB, '42501: permission denied for table t');
  });
});

describe('rls claims on a PostgreSQL server', () => {
  let server: LocalServer;
  before(async () => { server = await startLocalServer(); });
  after(async () => { await server?.stop(); });

  it('refutes a table the application role owns without FORCE, and proves the sound ones it can fill', async () => {
    const claims = await rlsClaims('rls-leaks', server.url);
    expectClaim(claims, 'owned', 'refuted', /owns the table and the table does not FORCE ROW LEVEL SECURITY/);
    expectClaim(claims, 'check_true', 'refuted', /an INSERT of a tenant B row was accepted/);
    expectClaim(claims, 'open_unset', 'refuted', /not set, a SELECT sees/);
  });

  it('fills and proves a table owned by the application role under FORCE ROW LEVEL SECURITY', async () => {
    const claims = await rlsClaims('rls-sound', server.url);
    expectClaim(claims, 'audit_note', 'proven', /a fresh B row rejected by the policy/);
  });

  it('tries the unset state on a fresh connection when a design statement already set the tenant', async () => {
    const claims = await rlsClaims('rls-setting-defined', server.url);
    const note = expectClaim(claims, 'note', 'proven', /with app\.tenant_id unset or '' no rows visible/);
    assert.equal((note.evidence.unset as Record<string, unknown>).visibleRows, 0);
  });
});
