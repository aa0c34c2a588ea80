/**
 * Property tests over the loaders: whatever the bytes, loading never throws or hangs, and
 * every problem carries a location inside the input.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { check, loadDesignText, loadSqlText } from '../src/index.js';
import { writeTree } from './helpers.js';

const SQL_PIECES = [
  'CREATE TABLE t (id int PRIMARY KEY);', "SELECT 'a;b';", 'SELECT $$ x; y $$;', '/* c */', '-- c\n', ';', '(', ')',
  "'", '"', '$$', 'CREATE INDEX ON t (id);', 'ALTER TABLE t ADD COLUMN x json;', '\\connect x\n', 'COPY t FROM stdin;\n1\n\\.\n',
  'DROP TABLE t;', 'é', '\n', ' ', 'CREATE POLICY p ON t USING (true);', 'ALTER TABLE t ENABLE ROW LEVEL SECURITY;',
];

function inside(text: string, loc: { line: number; column: number }): boolean {
  const lines = text.split('\n');
  return loc.line >= 1 && loc.line <= lines.length + 1 && loc.column >= 1;
}

describe('loaders under random input', () => {
  it('SQL: random arrangements of statement fragments', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.constantFrom(...SQL_PIECES), { maxLength: 40 }), async (pieces) => {
      const text = pieces.join('');
      const r = await loadSqlText('f.sql', text);
      for (const p of r.problems) assert.ok(inside(text, p.loc), JSON.stringify({ text, p }));
      for (const s of r.statements) assert.ok(inside(text, s.loc));
    }), { numRuns: 300 });
  });

  it('SQL: random unicode strings and truncations of a real schema', async () => {
    const real = 'CREATE TABLE a (id bigint PRIMARY KEY, note text DEFAULT \'x;y\');\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\nCREATE INDEX ia ON a (note);\n';
    await fc.assert(fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.nat(real.length).map((n) => real.slice(0, n))), async (text) => {
      const r = await loadSqlText('f.sql', text);
      for (const p of r.problems) assert.ok(inside(text, p.loc));
    }), { numRuns: 300 });
  });

  it('YAML: random text, truncations, deep nesting and wrong types never throw', () => {
    const base = 'design: X\nkind: new-table\nentities:\n  orders: { grain: one order, pii: [email] }\ninvariants:\n  - { id: INV-001, rule: r, enforcement: constraint }\n';
    const arb = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.nat(base.length).map((n) => base.slice(0, n)),
      fc.nat(300).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
      fc.nat(200).map((n) => `${'a:\n'.split('').join('')}${Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n')}`),
      fc.jsonValue().map((v) => JSON.stringify({ design: 'X', kind: 'new-table', entities: v, invariants: v, risks: v })),
    );
    fc.assert(fc.property(arb, (text) => {
      const d = loadDesignText('d.yaml', text);
      for (const p of d.problems) assert.ok(p.loc.line >= 1 && p.loc.column >= 1);
    }), { numRuns: 400 });
  });

  it('a whole check on random design values reports findings, never crashes', async () => {
    const dir = writeTree({ 'schema.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, status text CHECK (status IN (\'a\')));\n' });
    await fc.assert(fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 3 }), async (a, b) => {
      const design = { design: 'X', kind: 'module-redesign', schema: 'schema.sql', entities: { orders: a }, invariants: [a, b], access_patterns: b, risks: [b], migration: a, security: b };
      writeFileSync(`${dir}/design.json`, JSON.stringify(design));
      const r = await check({ target: `${dir}/design.json`, cwd: dir });
      assert.ok(r.ok);
    }), { numRuns: 150 });
  });

  it('loads a 10 MB schema and a 10 MB design without trouble', async () => {
    const table = (i: number) => `CREATE TABLE t${i} (id bigint PRIMARY KEY, v text, created_at timestamptz NOT NULL DEFAULT now());\n`;
    let sql = '';
    for (let i = 0; sql.length < 10 * 1024 * 1024; i++) sql += table(i);
    const r = await loadSqlText('big.sql', sql);
    assert.equal(r.problems.length, 0);
    assert.ok(r.statements.length > 90000);
    const entities = Object.fromEntries(Array.from({ length: 120000 }, (_, i) => [`t${i}`, { grain: `row ${i}` }]));
    const d = loadDesignText('big.yaml', JSON.stringify({ design: 'big', kind: 'new-table', entities }));
    assert.equal(d.problems.length, 0);
    assert.equal(Object.keys(d.design!.entities!).length, 120000);
  });
});
