/**
 * prove on a real PostgreSQL server: a throwaway cluster started by the test from the
 * machine's initdb/pg_ctl, on a unix socket. Covers the throwaway database, role handling,
 * the refusal without CREATEDB and CREATEROLE, concurrency with two connections, and an unreachable server.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { type Claim, type LocalServer, prove, startLocalServer } from '../src/index.js';
import { ROOT, writeTree } from './helpers.js';
import { traceMigrations } from '../src/migrations/trace.js';

let server: LocalServer;

async function sql(url: string, text: string): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text)).rows;
  } finally {
    await c.end();
  }
}

function urlAs(user: string): string {
  return server.url.replace('postgresql://postgres@', `postgresql://${user}@`);
}

describe('prove on a PostgreSQL server', () => {
  before(async () => { server = await startLocalServer(); });
  after(async () => { await server?.stop(); });

  it('proves in a throwaway database, concurrency included, and leaves nothing behind', async () => {
    const r = await prove({ target: join(ROOT, 'examples/case-assignment'), cwd: ROOT, databaseUrl: server.url });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.equal(r.engine, 'server');
    assert.match(r.isolation, /throwaway database schemaproof_[0-9a-f]+/);
    assert.deepEqual(r.claims.filter((c) => c.status === 'refuted').map((c) => `${c.kind} ${c.id}: ${c.reason}`), []);
    const conc = r.claims.find((c) => c.kind === 'concurrency' && c.id === 'INV-001')!;
    assert.equal(conc.status, 'proven', conc.reason);
    assert.match(String(conc.evidence.second), /23505/);
    assert.deepEqual(await sql(server.url, "SELECT datname FROM pg_database WHERE datname LIKE 'schemaproof%'"), []);
    assert.deepEqual(await sql(server.url, "SELECT rolname FROM pg_roles WHERE rolname = 'case_app'"), []);
  });

  it('reuses a role that already exists without altering or dropping it', async () => {
    await sql(server.url, "CREATE ROLE case_app NOLOGIN CONNECTION LIMIT 7");
    try {
      const r = await prove({ target: join(ROOT, 'examples/case-assignment'), cwd: ROOT, databaseUrl: server.url });
      assert.ok(r.ok);
      assert.deepEqual(r.reusedRoles, ['case_app']);
      assert.equal(r.summary.refuted, 0);
      const rls = r.claims.filter((c) => c.kind === 'rls');
      assert.ok(rls.length > 0);
      for (const c of rls) assert.match(`${c.status} ${c.reason}`, /^unproven role case_app already existed/);
      assert.deepEqual(await sql(server.url, "SELECT rolconnlimit FROM pg_roles WHERE rolname = 'case_app'"), [{ rolconnlimit: 7 }]);
    } finally {
      await sql(server.url, 'DROP ROLE case_app');
    }
  });

  it('refutes a race that the schema does not stop', async () => {
    const r = await prove({ target: join(ROOT, 'test/fixtures/refuted'), cwd: ROOT, databaseUrl: server.url, scale: 1000 });
    assert.ok(r.ok);
    const conc = r.claims.find((c) => c.kind === 'concurrency' && c.id === 'INV-001')!;
    assert.equal(conc.status, 'refuted');
    assert.match(conc.reason, /both concurrent writes committed/);
  });

  it('refuses, running nothing, without CREATEDB and CREATEROLE', async () => {
    await sql(server.url, 'CREATE ROLE limited LOGIN NOCREATEDB');
    await sql(server.url, 'CREATE ROLE creator LOGIN CREATEDB');
    await sql(server.url, 'GRANT CREATE ON DATABASE postgres TO limited');
    try {
      for (const [role, missing] of [['limited', 'CREATEDB and CREATEROLE'], ['creator', 'CREATEROLE']] as const) {
        const r = await prove({ target: join(ROOT, 'examples/add-tracking-number'), cwd: ROOT, databaseUrl: urlAs(role) });
        assert.equal(r.ok, false);
        const message = r.ok ? '' : r.message;
        assert.match(message, new RegExp(`has no ${missing}:.*nothing was run.*CREATEDB and CREATEROLE.*--local-server.*embedded PGlite`));
      }
      assert.deepEqual(await sql(server.url, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'schemaproof%'"), []);
      assert.deepEqual(await sql(server.url, "SELECT datname FROM pg_database WHERE datname LIKE 'schemaproof%' UNION ALL SELECT rolname FROM pg_roles WHERE rolname LIKE 'schemaproof%'"), []);
      assert.deepEqual(await sql(server.url, "SELECT relname FROM pg_class WHERE relname IN ('orders', 'customers')"), []);
    } finally {
      await sql(server.url, 'REVOKE CREATE ON DATABASE postgres FROM limited');
      await sql(server.url, 'DROP ROLE limited');
      await sql(server.url, 'DROP ROLE creator');
    }
  });

  it('says clearly when the server cannot be reached, without printing the password', async () => {
    const r = await prove({ target: join(ROOT, 'examples/add-tracking-number'), cwd: ROOT, databaseUrl: 'postgresql://someone:s3cret@localhost/db?host=/nonexistent/socket/dir&port=1' });
    assert.equal(r.ok, false);
    assert.ok(!r.ok && /cannot connect/.test(r.message) && !r.message.includes('s3cret'), r.ok ? '' : r.message);
  });

  it('starts and removes its own cluster with --local-server', async () => {
    const r = await prove({ target: join(ROOT, 'examples/add-tracking-number'), cwd: ROOT, localServer: true, scale: 500 });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.equal(r.engine, 'server');
    assert.ok(r.timings.serverStartMs > 0);
    assert.equal(r.summary.refuted, 0);
  });

  it('traces migrations on the server in a throwaway database, and refuses without CREATEDB', async () => {
    const dir = writeTree({
      'db/001.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, total int);\n',
      'db/002.sql': 'CREATE INDEX idx_orders_customer ON orders (customer_id);\nALTER TABLE orders ADD COLUMN d int DEFAULT 0;\nALTER TABLE orders ALTER COLUMN total TYPE bigint;\n',
    });
    const t = await traceMigrations({ paths: [join(dir, 'db')], rows: 300, cwd: dir, databaseUrl: server.url });
    assert.ok(t.ok, t.ok ? '' : t.message);
    assert.equal(t.engine, 'server');
    assert.match(t.isolation, /throwaway database schemaproof_[0-9a-f]+/);
    const at = (line: number) => t.statements.find((s) => s.file === 'db/002.sql' && s.line === line)!;
    assert.deepEqual(at(1).locks.map((l) => l.mode), ['ShareLock']);
    assert.ok(at(2).locks.some((l) => l.mode === 'AccessExclusiveLock'));
    assert.deepEqual(at(2).rewritten, [], 'PostgreSQL 11+ stores a constant default once');
    assert.deepEqual(at(3).rewritten, ['orders'], 'int to bigint rewrites the table');
    assert.equal(at(3).rows, 300);
    assert.deepEqual(await sql(server.url, "SELECT datname FROM pg_database WHERE datname LIKE 'schemaproof%'"), []);
    assert.deepEqual(await sql(server.url, "SELECT relname FROM pg_class WHERE relname = 'orders'"), []);

    await sql(server.url, 'CREATE ROLE tracer LOGIN NOCREATEDB');
    try {
      const r = await traceMigrations({ paths: [join(dir, 'db')], cwd: dir, databaseUrl: urlAs('tracer') });
      assert.equal(r.ok, false);
      assert.match(r.ok ? '' : r.message, /has no CREATEDB and CREATEROLE.*nothing was run/);
    } finally {
      await sql(server.url, 'DROP ROLE tracer');
    }
  });

  it('starts each claim from a clean session: a tenant set to \'\' by one claim does not change how the next fails', async () => {
    const dir = writeTree({
      'design.yaml': [
        'design: Session state', 'kind: new-table', 'schema: schema.sql', 'entities:', '  notes: { grain: one note }', 'invariants:',
        '  - id: INV-001', '    rule: an empty tenant is not a number', '    enforcement: constraint',
        "    violation: [\"SET app.tenant_id = ''\", 'INSERT INTO notes VALUES (1, 5)']", '    expect: "22P02"',
        '  - id: INV-002', '    rule: without a tenant nothing can be written', '    enforcement: constraint',
        "    violation: ['INSERT INTO notes VALUES (2, 5)']", '    expect: "42501"', '',
      ].join('\n'),
      'schema.sql': [
        'CREATE TABLE notes (id bigint PRIMARY KEY, tenant_id bigint NOT NULL);',
        'ALTER TABLE notes ENABLE ROW LEVEL SECURITY;', 'ALTER TABLE notes FORCE ROW LEVEL SECURITY;',
        "CREATE POLICY tenant ON notes USING (tenant_id = current_setting('app.tenant_id', true)::bigint);", '',
      ].join('\n'),
    });
    const r = await prove({ target: dir, cwd: dir, databaseUrl: server.url, scale: 50 });
    assert.ok(r.ok, r.ok ? '' : r.message);
    for (const id of ['INV-001', 'INV-002']) {
      const c: Claim = r.claims.find((x) => x.kind === 'invariant' && x.id === id)!;
      assert.equal(c.status, 'proven', `${id}: ${c.reason}`);
    }
  });
});
