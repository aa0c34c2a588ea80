/**
 * prove on a server runs the schema as a throwaway least-privileged role: what the schema
 * says about the cluster is skipped with its line, the schema's roles are made without the
 * attributes that reach beyond the run, and `cleanup` removes what a killed run left.
 * A throwaway cluster started by the test (initdb/pg_ctl on PATH).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { cleanup, type LocalServer, prove, startLocalServer } from '../src/index.js';
import { tempDir, writeTree } from './helpers.js';

let server: LocalServer;

async function sql(url: string, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try { return (await c.query(text, params)).rows; } finally { await c.end(); }
}

const leftovers = "SELECT datname AS n FROM pg_database WHERE datname LIKE 'schemaproof%' UNION ALL SELECT rolname FROM pg_roles WHERE rolname LIKE 'schemaproof%' OR rolname = 'fresh_role'";

const design = (schema: string): string => writeTree({
  'design.yaml': 'design: Least privilege\nkind: new-table\nschema: schema.sql\nentities:\n  notes:\n    grain: one note\n',
  'schema.sql': schema,
});

describe('prove on a server, as a throwaway least-privileged role', () => {
  before(async () => {
    server = await startLocalServer();
    await sql(server.url, "CREATE ROLE app_user LOGIN CONNECTION LIMIT 5 PASSWORD 'app-pw'");
    await sql(server.url, "CREATE DATABASE otherdb");
    await sql(server.url, "COMMENT ON DATABASE otherdb IS 'theirs'");
  });
  after(async () => { await server?.stop(); });

  it('runs the schema as a role that is no superuser, skips what reaches the cluster, and alters nothing', async () => {
    const pwned = join(tempDir(), 'pwned');
    const dir = design([
      'CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL);',
      "DO $$ BEGIN IF (SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls FROM pg_roles WHERE rolname = current_user) THEN RAISE EXCEPTION 'ran with cluster rights'; END IF; END $$;",
      "ALTER ROLE app_user LOGIN BYPASSRLS PASSWORD 'x' CONNECTION LIMIT 99;",
      "ALTER ROLE CURRENT_USER SET work_mem = '7MB';",
      'GRANT pg_read_server_files TO app_user;',
      "COMMENT ON DATABASE otherdb IS 'mine now';",
      'ALTER DATABASE otherdb RENAME TO stolen;',
      'CREATE EXTENSION dblink;',
      "CREATE ROLE fresh_role SUPERUSER LOGIN PASSWORD 'p' CREATEDB;",
      `DO $$ BEGIN EXECUTE 'COPY (SELECT 1) TO PROGRAM ''touch ${pwned}'''; END $$;`,
      '',
    ].join('\n'));
    const r = await prove({ target: dir, cwd: dir, databaseUrl: server.url, scale: 50 });
    assert.ok(r.ok, r.ok ? '' : r.message);
    const applies = r.claims.find((c) => c.kind === 'schema-applies')!;
    const failures = (applies.evidence.failures ?? []) as { line: number; sqlstate: string }[];
    assert.deepEqual(failures.map((f) => [f.line, f.sqlstate]), [[10, '42501']], 'only COPY TO PROGRAM fails: permission denied');
    const skipped = applies.evidence.skipped as { line: number; reason: string }[];
    assert.deepEqual(skipped.map((s) => s.line), [3, 4, 5, 6, 7, 8, 9]);
    assert.match(skipped.find((s) => s.line === 8)!.reason, /dblink is not trusted/);
    assert.match(skipped.find((s) => s.line === 9)!.reason, /created without SUPERUSER, LOGIN/);
    assert.ok(!existsSync(pwned), 'COPY TO PROGRAM did not run');
    assert.deepEqual(await sql(server.url, "SELECT rolcanlogin, rolbypassrls, rolconnlimit FROM pg_roles WHERE rolname = 'app_user'"), [{ rolcanlogin: true, rolbypassrls: false, rolconnlimit: 5 }]);
    assert.deepEqual(await sql(server.url, "SELECT count(*)::int AS n FROM pg_auth_members WHERE member = 'app_user'::regrole"), [{ n: 0 }]);
    assert.deepEqual(await sql(server.url, "SELECT shobj_description(oid, 'pg_database') AS c FROM pg_database WHERE datname = 'otherdb'"), [{ c: 'theirs' }]);
    assert.deepEqual(await sql(server.url, 'SELECT count(*)::int AS n FROM pg_db_role_setting'), [{ n: 0 }]);
    assert.deepEqual(await sql(server.url, leftovers), []);
  });

  it('makes the schema\'s roles itself and refutes a policy claim for a role the schema lets bypass RLS', async () => {
    const dir = writeTree({
      'design.yaml': [
        'design: Tenants', 'kind: new-table', 'schema: schema.sql',
        'security:', '  tenant_isolation: { column: tenant_id, rls: true, setting: app.tenant_id, role: fresh_role }',
        'entities:', '  notes:', '    grain: one note of a tenant', '    tenant_scoped: true', '',
      ].join('\n'),
      'schema.sql': [
        'CREATE ROLE fresh_role BYPASSRLS;',
        'CREATE TABLE notes (id bigint PRIMARY KEY, tenant_id bigint NOT NULL, body text);',
        'ALTER TABLE notes ENABLE ROW LEVEL SECURITY;',
        "CREATE POLICY tenant ON notes USING (tenant_id = current_setting('app.tenant_id')::bigint);",
        'GRANT SELECT, INSERT, UPDATE ON notes TO fresh_role;', '',
      ].join('\n'),
    });
    const r = await prove({ target: dir, cwd: dir, databaseUrl: server.url, scale: 100 });
    assert.ok(r.ok, r.ok ? '' : r.message);
    const rls = r.claims.find((c) => c.kind === 'rls')!;
    assert.equal(rls.status, 'refuted', rls.reason);
    assert.match(rls.reason, /BYPASSRLS|bypass/i);
    assert.deepEqual(await sql(server.url, leftovers), []);
  });

  it('cleanup drops what a run with no connection left, and keeps a live run\'s objects', async () => {
    const dead = 'schemaproof_0123456789ab';
    const live = 'schemaproof_ba9876543210';
    for (const [name, id] of [[dead, '0123456789ab'], [live, 'ba9876543210']] as const) {
      await sql(server.url, `CREATE ROLE ${name} NOLOGIN`);
      await sql(server.url, `COMMENT ON ROLE ${name} IS 'schemaproof run ${id} 2026-01-01T00:00:00.000Z'`);
      await sql(server.url, `CREATE DATABASE ${name} OWNER ${name}`);
      await sql(server.url, `COMMENT ON DATABASE ${name} IS 'schemaproof run ${id} 2026-01-01T00:00:00.000Z'`);
    }
    await sql(server.url, 'CREATE ROLE bystander NOLOGIN');
    await sql(server.url, "COMMENT ON ROLE bystander IS 'schemaproof is great'");
    const holder = new pg.Client({ connectionString: server.url, application_name: 'schemaproof ba9876543210 admin' });
    await holder.connect();
    try {
      const r = await cleanup({ databaseUrl: server.url });
      assert.ok(r.ok, r.ok ? '' : r.message);
      const got = r.ok ? r.objects.map((o) => `${o.outcome} ${o.kind} ${o.name}`).sort() : [];
      assert.deepEqual(got, [`dropped database ${dead}`, `dropped role ${dead}`, `kept database ${live}`, `kept role ${live}`]);
    } finally {
      await holder.end();
    }
    // The backend leaves pg_stat_activity a moment after the client hangs up.
    for (let i = 0; i < 100 && (await sql(server.url, "SELECT 1 FROM pg_stat_activity WHERE application_name = 'schemaproof ba9876543210 admin'")).length; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const again = await cleanup({ databaseUrl: server.url });
    assert.deepEqual(again.ok ? again.objects.map((o) => `${o.outcome} ${o.name}`).sort() : [], [`dropped ${live}`, `dropped ${live}`]);
    assert.deepEqual(await sql(server.url, "SELECT rolname FROM pg_roles WHERE rolname IN ('bystander')"), [{ rolname: 'bystander' }]);
    assert.deepEqual(await sql(server.url, leftovers), []);
  });

  it('never prints a password given in the URL, as a parameter or in PGPASSWORD', async () => {
    const dir = design('CREATE TABLE notes (id bigint PRIMARY KEY);\n');
    const base = server.url.replace('postgresql://postgres@', 'postgresql://nobody:Hunter2-Secret@').replace(/port=\d+/, 'port=1');
    for (const url of [base, `${base}&password=Hunter3-Secret`]) {
      const r = await prove({ target: dir, cwd: dir, databaseUrl: url });
      assert.equal(r.ok, false);
      const text = JSON.stringify(r);
      assert.ok(!/Hunter[23]-Secret/.test(text), text);
      assert.match(text, /cannot connect/);
    }
  });
});
