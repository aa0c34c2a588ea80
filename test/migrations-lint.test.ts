/** schemaproof migrations: the rules on migration folders, and the CLI. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { lintMigrations, RULES } from '../src/index.js';
import { main } from '../src/cli/main.js';
import { writeTree } from './helpers.js';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { write: (s: string) => { out += s; } }, { write: (s: string) => { err += s; } }, false);
  return { code, out, err };
}

describe('migration safety', () => {
  it('reports a statement that does not parse as sql-syntax-error, and still lints the statements after it', async () => {
    const dir = writeTree({
      'db/V1__init.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\n',
      'db/V2__bad.sql': 'ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE orders ADD CONSTRAINT;\nALTER TABLE orders DROP COLUMN total;\n',
    });
    const r = await lintMigrations(RULES, { paths: ['db'], cwd: dir });
    assert.ok(r.ok);
    const syntax = r.findings.filter((f) => f.rule === 'sql-syntax-error');
    assert.deepEqual(syntax.map((f) => `${f.file}:${f.line} ${f.severity}`), [`${join('db', 'V2__bad.sql')}:2 error`]);
    assert.match(syntax[0]!.message, /does not parse/);
    assert.ok(r.findings.some((f) => f.rule === 'ban-drop-column' && f.line === 3), 'the statement after the bad one is linted');
    // Turned off, or not among the rules asked for, it reports nothing.
    const off = await lintMigrations(RULES, { paths: ['db'], cwd: dir, config: { 'sql-syntax-error': 'off' } });
    assert.ok(off.ok && !off.findings.some((f) => f.rule === 'sql-syntax-error'));
    const only = await lintMigrations(RULES.filter((x) => x.meta.category === 'migration'), { paths: ['db'], cwd: dir });
    assert.ok(only.ok && !only.findings.some((f) => f.rule === 'sql-syntax-error'));
  });

  it('knows a table created earlier in the history is not new, and one created in the file is', async () => {
    const dir = writeTree({
      'db/V1__init.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\nCREATE INDEX idx_a ON orders (customer_id);\n',
      'db/V2__index.sql': 'CREATE INDEX idx_b ON orders (customer_id, id);\n',
    });
    const r = await lintMigrations(RULES, { paths: [join(dir, 'db')], cwd: dir });
    assert.ok(r.ok);
    assert.deepEqual(r.findings.filter((f) => f.rule === 'require-concurrent-index-creation').map((f) => `${f.file}:${f.line}`), ['db/V2__index.sql:1']);
    assert.match(r.findings.find((f) => f.rule === 'require-concurrent-index-creation')!.message, /SHARE on orders: blocks writes \(INSERT, UPDATE, DELETE\) until the transaction commits/);
  });

  it('prints JSON and SARIF, exits 1 at --fail-on, 2 on bad input', async () => {
    const dir = writeTree({ 'm/001.sql': 'ALTER TABLE t ADD COLUMN c int NOT NULL;\nDROP INDEX i;\n' });
    const json = await run(['migrations', join(dir, 'm'), '--format', 'json']);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.out);
    const got = report.findings.map((f: { rule: string; line: number }) => `${f.rule}:${f.line}`);
    for (const want of ['adding-required-field:1', 'require-concurrent-index-deletion:2', 'require-lock-timeout:1', 'require-statement-timeout:1', 'prefer-robust-stmts:1']) assert.ok(got.includes(want), want);
    assert.equal((await run(['migrations', join(dir, 'm'), '--format', 'sarif'])).code, 1);
    const warn = writeTree({ 'm/001.sql': "SET lock_timeout = '1s';\nSET statement_timeout = '5s';\nDROP INDEX IF EXISTS i;\n" });
    assert.equal((await run(['migrations', join(warn, 'm')])).code, 0);
    assert.equal((await run(['migrations', join(warn, 'm'), '--fail-on', 'warning'])).code, 1);
    assert.equal((await run(['migrations', join(dir, 'nope')])).code, 2);
    assert.equal((await run(['migrations'])).code, 2);
    assert.equal((await run(['migrations', join(dir, 'm'), '--pg-version', 'x'])).code, 2);
  });

  it('reads schemaproof.yaml for the migrations command: rule settings and the migrations\' defaults, flags first', async () => {
    const sql = "SET lock_timeout = '1s';\nSET statement_timeout = '5s';\nCREATE TABLE IF NOT EXISTS t (id bigint PRIMARY KEY);\nVACUUM FULL big;\n";
    const rules = async (args: string[]): Promise<string[]> => {
      const r = await run([...args, '--format', 'json']);
      assert.ok(r.code === 0 || r.code === 1, r.err);
      return [...new Set(JSON.parse(r.out).findings.map((f: { rule: string; line: number }) => `${f.rule}:${f.line}`))].sort() as string[];
    };
    // No schemaproof.yaml: the opt-in rule is off, PostgreSQL 15 gets the pre-19 advice.
    const bare = writeTree({ 'm/001.sql': sql });
    assert.deepEqual(await rules(['migrations', join(bare, 'm')]), ['vacuum-full-or-cluster:4']);
    // Found from the migrations folder up: the opt-in rule on, PostgreSQL 19's REPACK advice.
    const dir = writeTree({ 'm/001.sql': sql, 'schemaproof.yaml': 'rules:\n  require-table-schema: warning\nmigrations:\n  pg_version: 19\n' });
    assert.deepEqual(await rules(['migrations', join(dir, 'm')]), ['prefer-repack:4', 'require-table-schema:3']);
    // A flag wins over the file.
    assert.deepEqual(await rules(['migrations', join(dir, 'm'), '--pg-version', '16']), ['require-table-schema:3', 'vacuum-full-or-cluster:4']);
    // --config names another file; a wrong value stops the run with its location.
    const other = writeTree({ 'x.yaml': 'migrations:\n  pg_version: nineteen\n' });
    const bad = await run(['migrations', join(dir, 'm'), '--config', join(other, 'x.yaml')]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /x\.yaml:2:\d+ \/migrations\/pg_version: expected a PostgreSQL major version/);
  });

  it('runs the migration rules inside check for a design that names a migrations folder', async () => {
    const dir = writeTree({
      'design.yaml': 'design: X\nkind: add-column\nmigrations: db\nsummary: s\ncurrent: c\nmigration:\n  steps: [{ action: a, rollback: r }]\n  compatibility: [{ app: v1, works_with: [old] }]\n',
      'db/V1__a.sql': 'CREATE TABLE t (id bigint PRIMARY KEY);\n',
      'db/V2__b.sql': 'ALTER TABLE t RENAME COLUMN id TO ident;\n',
    });
    const r = await run(['check', dir, '--format', 'json']);
    assert.ok(JSON.parse(r.out).findings.some((f: { rule: string }) => f.rule === 'renaming-column'));
  });
});

describe('migrations beside a design', () => {
  it('names the access patterns that use a table when a migration blocks or breaks it', async () => {
    const dir = writeTree({
      'db/001.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, total int);\nCREATE TABLE notes (id bigint PRIMARY KEY);\n',
      'db/002.sql': 'CREATE INDEX idx_orders_customer ON orders (customer_id);\nALTER TABLE orders ALTER COLUMN total TYPE bigint;\nALTER TABLE notes ADD COLUMN body text NOT NULL;\nCREATE TABLE IF NOT EXISTS tags (id bigint PRIMARY KEY);\n',
    });
    const design = { access_patterns: [
      { id: 'Q-001', sql: 'SELECT id, total FROM orders WHERE customer_id = $1' },
      { id: 'Q-002', sql: 'UPDATE orders SET total = $2 WHERE id = $1' },
      { id: 'Q-003', sql: 'SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id' },
    ] } as unknown as Parameters<typeof lintMigrations>[1]['design'];
    const r = await lintMigrations(RULES, { paths: [join(dir, 'db')], cwd: dir, design });
    assert.ok(r.ok);
    const of = (rule: string) => r.findings.filter((f) => f.rule === rule && f.file === 'db/002.sql');
    assert.match(of('require-concurrent-index-creation')[0]!.message, /access patterns Q-001, Q-002, Q-003 use orders\.$/);
    assert.match(of('changing-column-type')[0]!.message, /access patterns Q-001, Q-002, Q-003 use orders\.$/);
    // A table no access pattern reads gets no note; nor do findings about style.
    assert.ok(of('adding-required-field').length === 1 && !/access pattern/.test(of('adding-required-field')[0]!.message));
    assert.ok(of('prefer-robust-stmts').every((f) => !/access pattern/.test(f.message)));
    // The CLI takes the design with --design; a design that does not parse is a located error.
    const cli = writeTree({ ...Object.fromEntries([['db/001.sql', 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n'], ['db/002.sql', 'CREATE INDEX idx_c ON orders (customer_id);\n']]),
      'design.yaml': 'access_patterns:\n  - id: Q-001\n    sql: SELECT id FROM orders WHERE customer_id = $1\n', 'bad.yaml': 'access_patterns: [\n' });
    const ok = await run(['migrations', join(cli, 'db'), '--design', join(cli, 'design.yaml'), '--format', 'json']);
    assert.match(JSON.parse(ok.out).findings.find((f: { rule: string }) => f.rule === 'require-concurrent-index-creation').message, /access pattern Q-001 uses orders\.$/);
    const bad = await run(['migrations', join(cli, 'db'), '--design', join(cli, 'bad.yaml')]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /bad\.yaml:2:1 /);
    // Without a design, the same findings carry no note.
    const bare = await lintMigrations(RULES, { paths: [join(dir, 'db')], cwd: dir });
    assert.ok(bare.ok && bare.findings.every((f) => !/access pattern/.test(f.message)));
  });
});

describe('migrations --trace', () => {
  it('observes the locks, rewrites and durations PostgreSQL really has', async () => {
    const { traceMigrations } = await import('../src/migrations/trace.js');
    const dir = writeTree({
      'db/001.sql': 'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, total int);\n',
      'db/002.sql': 'CREATE INDEX idx_orders_customer ON orders (customer_id);\nALTER TABLE orders ADD COLUMN d int DEFAULT 0;\nALTER TABLE orders ALTER COLUMN total TYPE bigint;\n',
    });
    const t = await traceMigrations({ paths: [join(dir, 'db')], rows: 200, cwd: dir });
    assert.ok(t.ok);
    const at = (line: number) => t.statements.find((s) => s.file === 'db/002.sql' && s.line === line)!;
    assert.deepEqual(at(1).locks.map((l) => l.mode), ['ShareLock']);
    assert.deepEqual(at(1).rewritten, []);
    assert.ok(at(2).locks.some((l) => l.mode === 'AccessExclusiveLock'));
    assert.deepEqual(at(2).rewritten, [], 'a constant default is stored once, no rewrite');
    assert.deepEqual(at(3).rewritten, ['orders'], 'int to bigint rewrites the table');
    const r = await run(['migrations', join(dir, 'db'), '--trace', '--trace-rows', '200', '--format', 'json']);
    const f = JSON.parse(r.out).findings.find((x: { rule: string }) => x.rule === 'changing-column-type');
    assert.match(f.message, /Observed at 200 rows: AccessExclusiveLock on orders.*rewrote orders/);
  });

  it('names, in the timeout rules, the lock PostgreSQL really takes for each kind of statement', async () => {
    const { traceMigrations } = await import('../src/migrations/trace.js');
    const { strongLockOf } = await import('../src/migrations/helpers.js');
    const { loadSqlText } = await import('../src/load/sql/parse.js');
    const migration = [
      'ALTER TABLE orders ADD COLUMN note text;',
      'CREATE INDEX orders_note_idx ON orders (note);',
      "COMMENT ON COLUMN orders.note IS 'from the customer';",
      'LOCK TABLE orders IN SHARE ROW EXCLUSIVE MODE;',
      'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;',
      'ALTER TABLE orders ADD CONSTRAINT orders_id_check CHECK (id > -1) NOT VALID;',
      'ALTER TABLE orders VALIDATE CONSTRAINT orders_id_check;',
      'CREATE TRIGGER orders_touch BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION touch();',
      'ALTER TABLE orders DISABLE TRIGGER orders_touch;',
      'ALTER TABLE orders ALTER COLUMN note SET STATISTICS 100;',
      'REFRESH MATERIALIZED VIEW totals;',
      'TRUNCATE refunds;',
      'ANALYZE orders;',
      'REINDEX TABLE orders;',
    ].join('\n');
    const dir = writeTree({
      'db/001.sql': `CREATE TABLE customers (id bigint PRIMARY KEY);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL);
CREATE TABLE refunds (id bigint PRIMARY KEY);
CREATE MATERIALIZED VIEW totals AS SELECT count(*) AS n FROM orders;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
`,
      'db/002.sql': `${migration}\n`,
    });
    const t = await traceMigrations({ paths: [join(dir, 'db')], rows: 50, cwd: dir });
    assert.ok(t.ok);
    const traced: { file: string; line: number; statement: string; error?: string; locks: { relation: string; mode: string }[] }[] = t.statements;
    const loaded = await loadSqlText('db/002.sql', migration);
    const strength = ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'];
    const spelled = (mode: string): string => mode.replace(/Lock$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
    for (const s of loaded.statements) {
      const predicted = strongLockOf(s);
      const observed = traced.find((x) => x.file === 'db/002.sql' && x.line === s.loc.line)!;
      assert.equal(observed.error, undefined, observed.statement);
      assert.ok(predicted, observed.statement);
      // The strongest lock PostgreSQL held on the table the finding names.
      const held = observed.locks.filter((l) => l.relation === predicted.on).map((l) => l.mode).sort((a, b) => strength.indexOf(b) - strength.indexOf(a))[0];
      assert.equal(predicted.mode, held && spelled(held), `${observed.statement}: ${JSON.stringify(observed.locks)}`);
    }
  });
});
