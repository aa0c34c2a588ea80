import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as pkg from 'libpg-query';
import { buildCatalog, loadSqlText } from '../src/index.js';
import * as pg from '../src/load/sql/pg.js';

describe('SQL loader', () => {
  it('gives each statement its line and column, counting characters after multibyte text', async () => {
    const sql = "-- ünïcödé comment: ✓\nCREATE TABLE a (id int PRIMARY KEY, label text DEFAULT 'é');\n  CREATE INDEX i_a ON a (label);\n";
    const r = await loadSqlText('x.sql', sql);
    assert.equal(r.statements.length, 2);
    assert.deepEqual(r.statements.map((s) => [s.kind, s.loc.line, s.loc.column]), [['CreateStmt', 2, 1], ['IndexStmt', 3, 3]]);
    assert.equal(r.source.slice(r.statements[1]!.start, r.statements[1]!.end), 'CREATE INDEX i_a ON a (label)');
  });

  it('reports a syntax error where the parser stopped and keeps every other statement', async () => {
    const sql = 'CREATE TABLE a (id int);\nCREATE TABEL b (id int);\nCREATE TABLE c (id int);\nSELECT FROM WHERE;\nCREATE TABLE d (id int);\n';
    const r = await loadSqlText('x.sql', sql);
    assert.deepEqual(r.statements.map((s) => s.ast.relation?.relname), ['a', 'c', 'd']);
    assert.deepEqual(r.problems.map((p) => [p.loc.line, p.loc.column]), [[2, 8], [4, 13]]);
    assert.match(r.problems[0]!.message, /syntax error at or near "TABEL"/);
  });

  it('skips psql meta-commands and COPY FROM stdin data, keeping positions true', async () => {
    const sql = [
      '\\connect shop', 'SET search_path = shop;', 'CREATE TABLE t (id int, v text);',
      'COPY t (id, v) FROM stdin;', "1\tit's; not SQL", '2\t$$ also not', '\\.', '\\restrict abc', 'CREATE TABLE u (id int);',
    ].join('\n');
    const r = await loadSqlText('dump.sql', sql);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.statements.map((s) => [s.kind, s.loc.line]), [['VariableSetStmt', 2], ['CreateStmt', 3], ['CopyStmt', 4], ['CreateStmt', 9]]);
    assert.deepEqual(r.skipped.map((s) => [s.kind, s.loc.line]), [['psql-meta-command', 1], ['copy-data', 5], ['psql-meta-command', 8]]);
    const cat = buildCatalog(r.statements);
    // No CREATE SCHEMA shop: PostgreSQL skips the missing schema (and refuses the CREATE TABLEs).
    assert.deepEqual([...cat.tables.keys()].sort(), ['public.t', 'public.u']);
    assert.deepEqual(cat.searchPathMisses.map((m) => [m.loc.line, m.schema, m.used]), [[2, 'shop', undefined]]);
  });

  it('treats empty and comment-only input as no statements', async () => {
    for (const text of ['', '   \n', '-- nothing here\n/* or here */']) {
      const r = await loadSqlText('e.sql', text);
      assert.equal(r.statements.length + r.problems.length, 0, JSON.stringify(text));
    }
  });

  it('keeps dollar-quoted bodies with semicolons in one statement across chunk boundaries', async () => {
    const body = Array.from({ length: 6000 }, (_, i) => `  PERFORM ${i};`).join('\n');
    const filler = Array.from({ length: 3000 }, (_, i) => `CREATE TABLE f${i} (id int PRIMARY KEY);`).join('\n');
    const sql = `${filler}\nCREATE FUNCTION big() RETURNS void LANGUAGE plpgsql AS $$\nBEGIN\n${body}\nEND;\n$$;\nCREATE TABLE after_fn (id int PRIMARY KEY);\n`;
    const r = await loadSqlText('big.sql', sql);
    assert.deepEqual(r.problems, []);
    assert.equal(r.statements.length, 3002);
    const last = r.statements[r.statements.length - 1]!;
    assert.equal(last.ast.relation.relname, 'after_fn');
    assert.equal(last.loc.line, 3000 + 2 + 6000 + 3);
  });

  it('reads suppressions written above a statement', async () => {
    const sql = 'CREATE TABLE a (id int PRIMARY KEY);\n-- schemaproof-ignore require-primary-key, prefer-jsonb: staging table\nCREATE TABLE b (doc json);\n';
    const r = await loadSqlText('s.sql', sql);
    assert.deepEqual(r.statements[0]!.suppressions, []);
    assert.deepEqual(r.statements[1]!.suppressions.map((s) => [s.rules, s.reason, s.loc.line]), [[['require-primary-key', 'prefer-jsonb'], 'staging table', 2]]);
  });

  it('reports an unterminated quote at the end of the input instead of failing', async () => {
    const r = await loadSqlText('u.sql', "CREATE TABLE a (id int);\nSELECT 'never closed;\n");
    assert.equal(r.statements.length, 1);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.loc.line, 2);
  });

  it('calls the WASM parser with the same results and errors as libpg-query\'s own functions', async () => {
    await pkg.loadModule();
    await pg.initParser();
    const texts = [
      "CREATE TABLE ü (é text DEFAULT 'ünï', n int CHECK (n > 0)); CREATE INDEX ON ü (é);",
      'SELECT 1; SELECT $$a;b$$ AS x',
      'CREATE TABEL x (id int)',
      "SELECT 'ünïcode' FROM WHERE",
      'x'.repeat(70000) + ' y',
    ];
    for (const t of texts) {
      const outcome = (f: (t: string) => unknown): unknown => {
        try { return { ok: f(t) }; } catch (e) { return { error: (e as Error).message, at: (e as { sqlDetails?: { cursorPosition?: number } }).sqlDetails?.cursorPosition }; }
      };
      assert.deepEqual(outcome(pg.parseSync), outcome(pkg.parseSync), t.slice(0, 40));
      assert.deepEqual(outcome(pg.scanSync), outcome(pkg.scanSync), t.slice(0, 40));
    }
    assert.throws(() => pg.parseSync(''), /cannot be empty/);
  });
});
