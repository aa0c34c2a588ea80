/** prove on PGlite (in process): the bundled examples hold; three false claims are refuted. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { prove, toProofJson } from '../src/index.js';
import { main } from '../src/cli/main.js';
import { ROOT } from './helpers.js';

describe('prove on PGlite', () => {
  it('proves the regulatory example with no refuted claim, every kind of claim present', async () => {
    const r = await prove({ target: join(ROOT, 'examples/case-assignment'), cwd: ROOT });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.equal(r.engine, 'pglite');
    assert.deepEqual(r.claims.filter((c) => c.status === 'refuted').map((c) => `${c.kind} ${c.id}: ${c.reason}`), []);
    const proven = (kind: string) => r.claims.filter((c) => c.kind === kind && c.status === 'proven').map((c) => c.id).sort();
    assert.deepEqual(proven('access-pattern'), ['Q-001', 'Q-002', 'Q-003', 'Q-004', 'Q-005', 'Q-006', 'Q-007', 'Q-008']);
    assert.deepEqual(proven('rls'), ['case_assignment', 'case_decision', 'case_transition', 'regulatory_case']);
    assert.deepEqual(proven('invariant'), ['INV-001', 'INV-002', 'INV-003', 'INV-004', 'INV-006', 'INV-007']);
    assert.deepEqual(proven('schema-applies'), ['examples/case-assignment/schema.sql']);
    // Needs a second connection, which PGlite does not have.
    assert.equal(r.claims.find((c) => c.kind === 'concurrency' && c.id === 'INV-001')?.status, 'unproven');
    const q1 = r.claims.find((c) => c.id === 'Q-001')!;
    assert.equal(q1.evidence.usable, true);
    assert.equal(q1.evidence.chosen, true);
    assert.ok(Array.isArray(q1.evidence.plan) && (q1.evidence.plan as string[]).some((l) => l.includes('ix_case_assignment_actor_active')));
    assert.ok(typeof q1.evidence.executionMs === 'number');
    for (const f of r.data) assert.equal(f.status, 'filled', `${f.table}: ${f.reason}`);
    assert.equal(r.data.find((d) => d.table === 'public.case_transition')!.rows >= 9500, true);
  });

  it('proves the add-column example with no refuted claim', async () => {
    const r = await prove({ target: join(ROOT, 'examples/add-tracking-number'), cwd: ROOT });
    assert.ok(r.ok);
    assert.equal(r.summary.refuted, 0, JSON.stringify(r.claims.filter((c) => c.status === 'refuted')));
    assert.deepEqual(r.claims.filter((c) => c.kind === 'schema-applies').map((c) => c.status), ['proven', 'proven', 'proven']);
  });

  it('refutes exactly the wrong index, the missing constraint and the leaky policy', async () => {
    const r = await prove({ target: join(ROOT, 'test/fixtures/refuted'), cwd: ROOT });
    assert.ok(r.ok);
    assert.deepEqual(r.claims.filter((c) => c.status === 'refuted').map((c) => `${c.kind} ${c.id}`).sort(), ['access-pattern Q-001', 'invariant INV-001', 'rls orders']);
    assert.equal(r.claims.find((c) => c.id === 'Q-002')?.status, 'proven');
    assert.equal(r.claims.find((c) => c.id === 'INV-002')?.status, 'proven');
    assert.equal(r.claims.find((c) => c.kind === 'rls' && c.id === 'customers')?.status, 'proven');
    const leak = r.claims.find((c) => c.kind === 'rls' && c.id === 'orders')!;
    assert.ok(Number(leak.evidence.visibleOtherRows) > 0);
    const json = toProofJson(r);
    assert.deepEqual(Object.keys(json), ['version', 'engine', 'isolation', 'claims', 'summary', 'data']);
    assert.deepEqual(json.summary, { proven: r.summary.proven, refuted: 3, unproven: r.summary.unproven });
  });

  it('is deterministic for a seed', async () => {
    const a = await prove({ target: join(ROOT, 'test/fixtures/refuted'), cwd: ROOT, seed: 's1', scale: 500 });
    const b = await prove({ target: join(ROOT, 'test/fixtures/refuted'), cwd: ROOT, seed: 's1', scale: 500 });
    assert.ok(a.ok && b.ok);
    assert.deepEqual(a.claims.map((c) => c.evidence.params), b.claims.map((c) => c.evidence.params));
    assert.deepEqual(a.data.map((d) => d.rows), b.data.map((d) => d.rows));
  });

  it('exits 1 from the CLI when a claim is refuted, and prints JSON', async () => {
    let out = '';
    const code = await main(['prove', join(ROOT, 'test/fixtures/refuted'), '--format', 'json', '--scale', '500'], { write: (s: string) => { out += s; } }, { write: () => undefined }, false);
    assert.equal(code, 1);
    const json = JSON.parse(out);
    assert.equal(json.version, 1);
    assert.equal(json.engine, 'pglite');
    for (const c of json.claims) {
      assert.ok(['schema-applies', 'access-pattern', 'invariant', 'drift', 'rls', 'concurrency'].includes(c.kind));
      assert.ok(['proven', 'refuted', 'unproven'].includes(c.status));
    }
  });
});

describe('seed', () => {
  it('writes INSERTs, parents first, that load into the schema with every row', async () => {
    const { seed, loadSqlText } = await import('../src/index.js');
    const { PGlite } = await import('@electric-sql/pglite');
    const { readFileSync } = await import('node:fs');
    const r = await seed({ target: join(ROOT, 'examples/case-assignment'), cwd: ROOT, scale: 200, seed: 'dev' });
    assert.ok(r.ok);
    const db = await PGlite.create();
    try {
      const schema = await loadSqlText('schema.sql', readFileSync(join(ROOT, 'examples/case-assignment/schema.sql'), 'utf8'));
      for (const s of schema.statements) await db.exec(s.source.slice(s.start, s.end));
      await db.exec(r.sql);
      for (const d of r.data) {
        const n = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${d.table}`);
        assert.equal(n.rows[0]!.n, d.rows, d.table);
        assert.ok(d.rows > 0, d.table);
      }
      // Foreign keys hold for every row, checked now with triggers back on.
      const orphans = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM case_assignment a WHERE NOT EXISTS (SELECT 1 FROM regulatory_case c WHERE c.tenant_id = a.tenant_id AND c.case_id = a.case_id)');
      assert.equal(orphans.rows[0]!.n, 0);
    } finally {
      await db.close();
    }
  });
});

describe('prove with extensions', () => {
  it('loads the PGlite extensions a schema creates', async () => {
    const { writeTree } = await import('./helpers.js');
    const dir = writeTree({ 's.sql': 'CREATE EXTENSION IF NOT EXISTS pg_trgm;\nCREATE EXTENSION IF NOT EXISTS "uuid-ossp";\nCREATE TABLE t (id uuid PRIMARY KEY DEFAULT uuid_generate_v4(), name text NOT NULL);\nCREATE INDEX t_name_trgm ON t USING gin (name gin_trgm_ops);\n' });
    const r = await prove({ schema: join(dir, 's.sql'), cwd: dir, scale: 100 });
    assert.ok(r.ok);
    const applies = r.claims.find((c) => c.kind === 'schema-applies')!;
    assert.equal(applies.status, 'proven', applies.reason);
    assert.equal(r.data[0]!.rows, 100);
  });
});
