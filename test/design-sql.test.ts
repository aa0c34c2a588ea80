/**
 * Design SQL is classified by purpose before anything is sent: hostile pieces are refused
 * with a reason, `check` reports them where the YAML says them, and the prover's wrappers
 * (EXPLAIN, PREPARE, the drift row limit) hold only the one validated statement.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { check } from '../src/index.js';
import {
  classifyDesignSql, explainOf, firstRowsOf, prepareOf, settingNameProblem, type DesignSqlPurpose, type SafeStatement,
} from '../src/analyses/design-sql.js';
import { initParser } from '../src/load/sql/pg.js';
import { ROOT, writeTree } from './helpers.js';
import { HOSTILE_DESIGN, HOSTILE_SCHEMA } from './hostile.js';

/** Refused for every purpose, with the same message id. */
const EVERYWHERE: [string, string][] = [
  ['COMMIT; DROP TABLE t', 'multipleStatements'],
  ["ROLLBACK; INSERT INTO t VALUES (99, 'x', 1)", 'multipleStatements'],
  ['select 1; select 2', 'multipleStatements'],
  ['SELECT 1; -- one\nSELECT 2', 'multipleStatements'],
  ['COMMIT', 'transactionControl'],
  ['BEGIN', 'transactionControl'],
  ['SAVEPOINT s', 'transactionControl'],
  ["PREPARE TRANSACTION 'x'", 'transactionControl'],
  ['SET ROLE postgres', 'roleSwitch'],
  ['SET LOCAL ROLE postgres', 'roleSwitch'],
  ['RESET ROLE', 'roleSwitch'],
  ['SET SESSION AUTHORIZATION postgres', 'roleSwitch'],
  ['RESET SESSION AUTHORIZATION', 'roleSwitch'],
  ["SELECT set_config('role', 'postgres', false)", 'roleSwitch'],
  ['SELECT pg_catalog.set_config(current_user, $$x$$, true)', 'roleSwitch'],
  ['RESET ALL', 'resetAll'],
  ['SELECT * INTO t2 FROM t', 'selectInto'],
  ['DO $$ BEGIN DELETE FROM t; END $$', 'notData'],
  ["COPY t TO PROGRAM 'id'", 'notData'],
  ['DROP TABLE t', 'notData'],
  ['CREATE TABLE u (id int)', 'notData'],
  ['EXPLAIN SELECT 1', 'notData'],
  ['LISTEN x', 'notData'],
  ['', 'empty'],
  ['  -- only a comment', 'empty'],
  ['SELEC 1', 'syntax'],
  ['SELECT 1) x; DROP TABLE t; SELECT (1', 'syntax'],
];

const PURPOSES: DesignSqlPurpose[] = ['access-pattern', 'query', 'violation'];

async function catalogOf(sql: string) {
  const dir = writeTree({ 'schema.sql': sql });
  const r = await check({ schema: join(dir, 'schema.sql'), cwd: dir });
  assert.ok(r.ok);
  return r.catalog;
}

function safe(sql: string, purpose: DesignSqlPurpose): SafeStatement {
  const r = classifyDesignSql(sql, purpose);
  assert.ok(r.ok, `${sql}: ${r.ok ? '' : r.messageId}`);
  return r;
}

describe('design SQL by purpose', () => {
  before(() => initParser());

  it('refuses the same hostile pieces for every purpose, each with its reason', () => {
    for (const purpose of PURPOSES) {
      for (const [sql, id] of EVERYWHERE) {
        const r = classifyDesignSql(sql, purpose);
        assert.equal(r.ok ? 'accepted' : r.messageId, id, `${purpose}: ${JSON.stringify(sql)}`);
      }
    }
  });

  it('keeps each purpose to the statements it needs', async () => {
    const catalog = await catalogOf(HOSTILE_SCHEMA);
    const cases: [DesignSqlPurpose, string, string][] = [
      ['access-pattern', 'SELECT id FROM t WHERE id = :id ORDER BY id LIMIT 5;', 'ok'],
      ['access-pattern', 'INSERT INTO t (id, tenant_id, n) SELECT id + 100, tenant_id, n FROM t', 'ok'],
      ['access-pattern', 'WITH x AS (SELECT id FROM t LIMIT 1 FOR UPDATE SKIP LOCKED) UPDATE t SET n = 1 FROM x WHERE t.id = x.id', 'ok'],
      ['access-pattern', 'WITH gone AS (DELETE FROM t RETURNING id) SELECT count(*) FROM gone', 'ok'],
      ['access-pattern', "MERGE INTO t USING (SELECT 1 AS id) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET n = 0", 'ok'],
      ['access-pattern', 'SET LOCAL app.x = 1', 'notData'],
      ['access-pattern', 'CALL bump(1)', 'notData'],
      ['query', 'WITH a AS (SELECT id FROM t) SELECT id FROM a -- none', 'ok'],
      ['query', 'SELECT id FROM t UNION ALL SELECT id FROM t', 'ok'],
      ['query', 'WITH d AS (DELETE FROM t RETURNING id) SELECT id FROM d', 'dataModifyingCte'],
      ['query', 'SELECT id FROM (WITH d AS (UPDATE t SET n = 0 RETURNING id) SELECT id FROM d) x', 'dataModifyingCte'],
      ['query', 'SELECT id FROM t FOR UPDATE', 'lockingRead'],
      ['query', 'SELECT id FROM (SELECT id FROM t FOR SHARE) x', 'lockingRead'],
      ['query', 'DELETE FROM t', 'notData'],
      ['query', 'SET app.x = 1', 'notData'],
      ['violation', "SET LOCAL app.now = '2020-01-01'", 'ok'],
      ['violation', 'SET statement_timeout = 1000', 'ok'],
      ['violation', 'RESET search_path', 'ok'],
      ['violation', 'CALL bump(1)', 'ok'],
      ['violation', 'CALL public.bump(1)', 'ok'],
      ['violation', 'CALL other.bump(1)', 'unknownProcedure'],
      ['violation', 'CALL missing()', 'unknownProcedure'],
      ['violation', 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', 'transactionControl'],
      ['violation', 'UPDATE t SET n = -1 WHERE id = 1', 'ok'],
    ];
    for (const [purpose, sql, id] of cases) {
      const r = classifyDesignSql(sql, purpose, catalog);
      assert.equal(r.ok ? 'ok' : r.messageId, id, `${purpose}: ${sql}`);
    }
    assert.equal(classifyDesignSql('CALL bump(1)', 'violation').ok, false, 'no catalog: no procedure is known');
  });

  it('names the refused statement in its own words', () => {
    const names: [string, string][] = [
      ['ROLLBACK TO SAVEPOINT s', 'ROLLBACK TO SAVEPOINT'], ['COMMIT PREPARED \'x\'', 'COMMIT PREPARED'], ['START TRANSACTION', 'START TRANSACTION'],
      ['CREATE TABLE u (id int)', 'CREATE TABLE'], ['CREATE TABLE u AS SELECT 1', 'CREATE TABLE AS'], ['DROP TABLE t', 'DROP'], ['SHOW work_mem', 'SHOW'],
      ['DO $$ BEGIN END $$', 'DO'], ["COPY t TO PROGRAM 'id'", 'COPY'], ['TRUNCATE t', 'TRUNCATE'], ['ALTER TABLE t ADD COLUMN x int', 'ALTER TABLE'],
    ];
    for (const [sql, words] of names) {
      const r = classifyDesignSql(sql, 'violation');
      assert.equal(r.ok ? 'accepted' : r.data.statement, words, sql);
    }
  });

  it('accepts PostgreSQL\'s custom parameter names only', () => {
    for (const ok of ['app.tenant_id', 'app.x$1', 'a.b.c', '_x._y', 'é.tenant']) assert.equal(settingNameProblem(ok), undefined, ok);
    for (const bad of ['x = 1; DROP TABLE t; --', 'search_path', 'app..x', 'app.1x', '1app.x', 'app.', '.x', 'app.x y', "app.x'", '']) {
      assert.equal(settingNameProblem(bad)?.messageId, 'settingName', bad);
    }
  });

  it('sends the statement alone: no trailing semicolon or comment, wrappers parse back to the same tree', () => {
    const s = safe('SELECT id FROM t WHERE n > 0; -- the end', 'query');
    assert.equal(s.text, 'SELECT id FROM t WHERE n > 0');
    const c = safe('SELECT id FROM t -- trailing comment, no newline', 'query');
    assert.equal(firstRowsOf(c, 6), 'SELECT * FROM (\nSELECT id FROM t -- trailing comment, no newline\n) AS design_query LIMIT 6');
    const p = safe('SELECT id FROM t WHERE id = :id', 'access-pattern');
    assert.deepEqual(p.params, ['id']);
    assert.equal(explainOf(p, 'FORMAT JSON'), 'EXPLAIN (FORMAT JSON) SELECT id FROM t WHERE id = $1\n');
    assert.equal(prepareOf(p, 'probe'), 'PREPARE probe AS SELECT id FROM t WHERE id = $1\n');
    // ARRAY[...] records its brackets' offsets (list_start, list_end): positions, not meaning.
    const a = safe('SELECT id FROM book WHERE tags @> ARRAY[:tag]::text[]', 'access-pattern');
    assert.equal(explainOf(a, 'FORMAT JSON'), 'EXPLAIN (FORMAT JSON) SELECT id FROM book WHERE tags @> ARRAY[$1]::text[]\n');
  });

  it('refuses to wrap a text that is not the validated tree', () => {
    const real = safe('SELECT 1', 'query');
    for (const text of ['SELECT 1) x; DROP TABLE t; SELECT (1', 'SELECT 1) AS a, (SELECT 2', 'SELECT 2']) {
      const forged: SafeStatement = { ...real, text };
      assert.equal(firstRowsOf(forged, 6), undefined, text);
      assert.equal(explainOf(forged, 'FORMAT JSON'), undefined, text);
      assert.equal(prepareOf(forged, 'probe'), undefined, text);
    }
  });
});

describe('check reports unsafe design SQL where it is written', () => {
  it('names each refused piece by message id, line and column', async () => {
    const dir = writeTree({ 'design.yaml': HOSTILE_DESIGN, 'schema.sql': HOSTILE_SCHEMA });
    const r = await check({ target: dir, cwd: dir });
    assert.ok(r.ok, r.ok ? '' : r.message);
    assert.deepEqual(r.findings.filter((f) => f.rule === 'design-invalid').map((f) => f.message), []);
    const got = r.findings.filter((f) => f.rule === 'design-sql-unsafe').map((f) => `${f.line}:${f.column} ${f.messageId} ${f.object}`).sort((a, b) => parseInt(a) - parseInt(b));
    assert.deepEqual(got, [
      '7:10 multipleStatements Q-001',
      '9:10 notData Q-002',
      '16:18 dataModifyingCte INV-001',
      '18:9 roleSwitch INV-001',
      '19:9 roleSwitch INV-001',
      '20:9 roleSwitch INV-001',
      '21:9 notData INV-001',
      '22:9 unknownProcedure INV-001',
      '23:9 multipleStatements INV-001',
      '24:9 transactionControl INV-001',
      '33:9 transactionControl INV-002',
      '37:7 lockingRead migration.validation',
      '38:7 multipleStatements migration.validation',
      '40:23 notData migration.backfill',
      '46:14 settingName security.tenant_isolation',
    ]);
    const setting = r.findings.find((f) => f.messageId === 'settingName')!;
    assert.equal(setting.severity, 'error');
    assert.match(setting.message, /x = 1; DROP TABLE t; --/);
  });

  it('stays silent on the bundled examples', async () => {
    for (const ex of ['examples/case-assignment', 'examples/add-tracking-number', 'test/fixtures/refuted']) {
      const r = await check({ target: join(ROOT, ex), cwd: ROOT });
      assert.ok(r.ok);
      assert.deepEqual(r.findings.filter((f) => f.rule === 'design-sql-unsafe').map((f) => f.message), [], ex);
    }
  });
});
