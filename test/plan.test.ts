/** plan OLD NEW: the generated migration passes the lint and, applied to OLD on PGlite, reaches NEW. */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { buildCatalog, check, lintMigrations, loadSqlText, planMigration, RULES } from '../src/index.js';
import type { Catalog } from '../src/catalog/model.js';
import { main } from '../src/cli/main.js';
import { ROOT, tempDir } from './helpers.js';
import { databaseShape } from '../bench/db-shape.js';

const OLD = join(ROOT, 'test/fixtures/plan/old.sql');
const NEW = join(ROOT, 'test/fixtures/plan/new.sql');

async function applyFile(db: PGlite, file: string, text = readFileSync(file, 'utf8')): Promise<void> {
  const loaded = await loadSqlText(file, text);
  assert.deepEqual(loaded.problems, [], file);
  for (const s of loaded.statements) await db.exec(s.source.slice(s.start, s.end));
}

/** A catalog from SQL text, as `plan` reads a schema. */
async function catalogOf(sql: string): Promise<Catalog> {
  return buildCatalog((await loadSqlText('s.sql', sql)).statements);
}

/** The plan's files pass `schemaproof migrations` with no error finding. */
async function assertLintsClean(p: { files: { name: string; sql: string }[] }): Promise<void> {
  const dir = tempDir();
  for (const f of p.files) writeFileSync(join(dir, f.name), f.sql);
  const lint = await lintMigrations(RULES, { paths: [dir], cwd: dir });
  assert.ok(lint.ok);
  assert.deepEqual(lint.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.file}:${f.line}`), []);
}

/**
 * Applies the plan on PGlite to OLD (with `rows` inserted) and asserts the database then has
 * NEW's shape as PostgreSQL builds it. `edit` changes a file's SQL before it runs, `during`
 * runs after each file (an application writing during the rollout), `then` on the migrated
 * database before it closes.
 */
async function assertReachesNew(p: { files: { name: string; sql: string }[] }, oldSql: string, newSql: string, o: {
  rows?: string; edit?: (sql: string) => string; during?: (db: PGlite, file: string) => Promise<unknown>; then?: (db: PGlite) => Promise<void>;
} = {}): Promise<void> {
  const migrated = await PGlite.create();
  const target = await PGlite.create();
  try {
    await migrated.exec(oldSql);
    if (o.rows) await migrated.exec(o.rows);
    for (const f of p.files) {
      await applyFile(migrated, f.name, o.edit ? o.edit(f.sql) : f.sql);
      await o.during?.(migrated, f.name);
    }
    await target.exec(newSql);
    assert.deepEqual(await databaseShape(migrated), await databaseShape(target));
    await o.then?.(migrated);
  } finally {
    await migrated.close();
    await target.close();
  }
}

describe('plan OLD NEW', () => {
  it('emits expand, backfill, validate, switch and contract steps, renames as add/backfill/drop', async () => {
    const a = await check({ schema: OLD, cwd: ROOT });
    const b = await check({ schema: NEW, cwd: ROOT });
    assert.ok(a.ok && b.ok);
    const p = planMigration(a.catalog, b.catalog);
    const phases = [...new Set(p.steps.map((s) => s.phase))];
    assert.deepEqual(phases, ['expand-types', 'expand', 'expand-concurrent', 'backfill', 'validate', 'switch', 'contract']);
    assert.ok(p.steps.some((s) => s.phase === 'switch' && /full_name instead of name/.test(s.action)), 'name -> full_name is a rename');
    assert.ok(!p.steps.some((s) => /channel instead of legacy_code/.test(s.action)), 'unrelated names are not a rename');
    assert.ok(p.files.every((f) => !/RENAME COLUMN/i.test(f.sql)), 'renames are add, backfill, switch, drop');
    for (const s of p.steps) assert.ok(s.rollback.length > 0, s.action);
    // Contract steps cannot be undone, except revoked privileges, the switches of row-level security and of when a
    // foreign key is checked, which say how.
    for (const s of p.steps.filter((x) => x.phase === 'contract')) assert.match(s.rollback, /roll-forward only|recreate|ROW LEVEL SECURITY|DROP INDEX CONCURRENTLY|ALTER CONSTRAINT|^GRANT /, s.action);
    const action = (re: RegExp): string | undefined => p.steps.find((s) => re.test(s.action))?.phase;
    // Enums: an appended value first, outside the transaction; a removed value rebuilds the type in the contract.
    assert.equal(action(/add value refunded to order_status/), 'expand-types');
    assert.equal(action(/create enum type channel_kind/), 'expand');
    assert.equal(action(/rebuild enum priority without medium/), 'contract');
    assert.equal(action(/drop enum type legacy_kind/), 'contract');
    // An index over a column whose type changes is built after the change.
    assert.equal(action(/index idx_tasks_due_epoch, after the type change of due/), 'contract');
    // An index redefined under its name is built beside the old one, which it then replaces.
    assert.equal(action(/index idx_tasks_state with its new definition, built as idx_tasks_state_new/), 'expand-concurrent');
    assert.equal(action(/index idx_tasks_state: the old definition goes/), 'contract');
    // Extensions and sequences first; redefined constraints in the contract.
    assert.equal(action(/create extension pg_trgm/), 'expand');
    assert.equal(action(/create sequence shipment_number_seq/), 'expand');
    assert.equal(action(/drop sequence legacy_seq/), 'contract');
    assert.equal(action(/redefine constraint ck_tasks_id/), 'contract');
    // Its VALIDATE runs after the contract transaction commits, not holding the lock of the add.
    const contractSql = p.files.find((f) => f.name === '05_contract.sql')!.sql;
    assert.ok(contractSql.indexOf('VALIDATE CONSTRAINT "ck_tasks_id"') > contractSql.indexOf('COMMIT;'), contractSql);
    assert.equal(action(/primary key membership_pkey on \(team_id, user_id\) instead of \(id\)/), 'contract');
    assert.equal(action(/index for the new definition of membership_pkey/), 'expand-concurrent');
    // When a foreign key is checked: deferring it comes before the switch, checking at once again in the contract.
    const sqlOf = (re: RegExp): string => p.steps.find((s) => re.test(s.action))?.sql.join('\n') ?? '';
    assert.equal(action(/check orders_customer_id_fkey at commit/), 'expand');
    assert.match(sqlOf(/check orders_customer_id_fkey at commit/), /ALTER CONSTRAINT "orders_customer_id_fkey" DEFERRABLE INITIALLY DEFERRED/);
    assert.equal(action(/check notes_order_id_fkey at each statement$/), 'contract');
    assert.match(sqlOf(/check notes_order_id_fkey at each statement$/), /ALTER CONSTRAINT "notes_order_id_fkey" NOT DEFERRABLE/);
    assert.match(sqlOf(/unique constraint uq_membership_user using that index/), /UNIQUE USING INDEX "uq_membership_user_idx" DEFERRABLE;/);
    // A renamed table: created, kept in sync, copied, switched to, the old one dropped, its names taken over.
    assert.equal(action(/create table customer_tag \(the new name of tag/), 'expand');
    assert.match(sqlOf(/create table customer_tag/), /CONSTRAINT "tag_pkey_new" PRIMARY KEY/);
    assert.equal(action(/mirror writes on tag into customer_tag/), 'expand');
    assert.equal(action(/copy tag into customer_tag in batches/), 'backfill');
    assert.equal(action(/foreign key tag_customer_id_fkey on customer_tag, once its rows are copied/), 'validate');
    // Its serial draws from the old table's sequence, which passes to it before the old table goes.
    assert.equal(action(/customer_tag.id draws from the sequence of tag.id/), 'expand');
    assert.equal(action(/application reads and writes customer_tag instead of tag/), 'switch');
    assert.equal(action(/redefine constraint tag_use_tag_id_fkey/), 'contract');
    const contract = p.steps.filter((s) => s.phase === 'contract').map((s) => s.action);
    const at = (re: RegExp): number => contract.findIndex((a) => re.test(a));
    assert.ok(at(/the sequence of tag.id passes to customer_tag.id/) < at(/drop table tag after/), contract.join('\n'));
    assert.ok(at(/stop mirroring tag/) < at(/drop table tag after/) && at(/drop table tag after/) < at(/index tag_pkey_new of customer_tag takes the name tag_pkey/), contract.join('\n'));
    assert.ok(at(/index idx_tag_name_new of customer_tag takes the name idx_tag_name/) > at(/drop table tag after/));
    // Functions, views, triggers, policies.
    assert.equal(action(/replace function touch_note\(\)/), 'expand');
    assert.equal(action(/create function new_helper\(bigint\)/), 'expand');
    assert.equal(action(/drop function old_helper\(integer\)/), 'contract');
    assert.equal(action(/replace view v_orders .*adds channel/), 'expand', 'a view that only appends columns is replaced in the expand');
    assert.equal(action(/drop v_narrow: its columns change/), 'contract', 'a view that loses a column changes in the contract');
    assert.equal(action(/create view v_new/), 'expand');
    assert.equal(action(/drop view v_old/), 'contract');
    assert.equal(action(/create trigger trg_touch_note on orders/), 'expand');
    assert.equal(action(/replace trigger trg_noop on customers/), 'expand', 'a trigger whose WHEN changes is replaced');
    assert.equal(action(/create policy p_customers on customers/), 'expand');
    assert.equal(action(/drop policy p_old on orders/), 'contract');
    assert.equal(action(/every connection sets what the policies of customers read/), 'switch');
    assert.equal(action(/enable row-level security on customers/), 'contract');
    assert.ok(p.files[0]!.name === '00_expand_types.sql' && /transaction=off/.test(p.files[0]!.sql));
    // Domains: created before the tables, a new check added NOT VALID and validated after the commit, a dropped domain last.
    assert.equal(action(/create domain email_address/), 'expand');
    assert.equal(action(/check positive_int_small on domain positive_int, not validated yet/), 'contract');
    assert.equal(action(/drop domain legacy_code/), 'contract');
    // Privileges: granted in the expand, revoked in the contract; roles created where missing.
    assert.equal(action(/create role reporting unless the cluster has it/), 'expand');
    assert.match(sqlOf(/grant UPDATE on table public.orders to app/), /GRANT UPDATE ON TABLE "orders" TO "app";/);
    assert.equal(action(/grant SELECT\(email\) on table public.customers to reporting/), 'expand');
    assert.equal(action(/revoke SELECT on table public.customers from public/), 'contract');
    assert.equal(action(/revoke EXECUTE on function public.touch_note from public/), 'contract');
    assert.equal(action(/grant SELECT on table public.customer_tag to app/), 'expand');
    assert.match(p.markdown, /## Compatibility matrix/);
  });

  it('writes SQL that passes schemaproof migrations with no error, and reaches NEW when applied to OLD', async () => {
    const dir = tempDir();
    const out = join(dir, 'plan');
    let text = '';
    const code = await main(['plan', OLD, NEW, '--out', out], { write: (s: string) => { text += s; } }, { write: () => undefined }, false);
    assert.equal(code, 0);
    assert.match(text, /# Migration plan/);
    const lint = await lintMigrations(RULES, { paths: [out], cwd: dir });
    assert.ok(lint.ok);
    assert.deepEqual(lint.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.file}:${f.line}`), []);
    assert.deepEqual(lint.problems, []);
    // No table or column is renamed (only the rebuilt enum's old type is moved out of the way).
    assert.deepEqual(lint.findings.filter((f) => f.rule === 'renaming-column' || f.rule === 'renaming-table'), []);

    const migrated = await PGlite.create({ extensions: { pg_trgm } });
    const target = await PGlite.create({ extensions: { pg_trgm } });
    try {
      await applyFile(migrated, OLD);
      await migrated.exec("INSERT INTO customers VALUES (1, 'a@example.test', 'Ann'), (2, 'b@example.test', NULL); INSERT INTO orders VALUES (10, 1, 'paid', 'n1', 'L1')");
      await migrated.exec("INSERT INTO tasks VALUES (1, 'high', 'paid'), (2, DEFAULT, NULL); INSERT INTO membership VALUES (1, 10, 100), (2, 10, 101)");
      await migrated.exec("INSERT INTO tag (name, customer_id) VALUES ('vip', 1), ('late', NULL), ('gone', 2); INSERT INTO tag_use VALUES (1, 1)");
      for (const f of ['00_expand_types.sql', '01_expand.sql', '02_expand_indexes.sql', '03_backfill.sql', '04_validate.sql', '05_contract.sql']) {
        await applyFile(migrated, join(out, f));
        // The old application keeps writing the renamed table's old name until the switch: mirrored.
        // A new application instance already writes the new one: the shared sequence keeps ids apart.
        if (f === '01_expand.sql') await migrated.exec("INSERT INTO tag (name) VALUES ('during'); UPDATE tag SET name = 'VIP' WHERE name = 'vip'; DELETE FROM tag WHERE name = 'gone'; INSERT INTO customer_tag (name) VALUES ('new-app')");
      }
      await applyFile(target, NEW);
      assert.deepEqual(await databaseShape(migrated), await databaseShape(target));
      // The rename kept the data; the constant default filled existing rows.
      const rows = await migrated.query<{ full_name: string | null }>('SELECT full_name FROM customers ORDER BY id');
      assert.deepEqual(rows.rows.map((r) => r.full_name), ['Ann', null]);
      const ch = await migrated.query<{ channel: string }>('SELECT channel FROM orders');
      assert.deepEqual(ch.rows.map((r) => r.channel), ['web']);
      // The rebuilt enum kept its rows' values; the new value and the new trigger work.
      const tasks = await migrated.query<{ priority: string }>('SELECT priority::text AS priority FROM tasks ORDER BY id');
      assert.deepEqual(tasks.rows.map((r) => r.priority), ['high', 'low']);
      await migrated.exec("UPDATE tasks SET state = 'refunded' WHERE id = 1; INSERT INTO orders (id, customer_id, status, note) VALUES (11, 1, 'paid', NULL) ON CONFLICT DO NOTHING");
      const note = await migrated.query<{ note: string }>('SELECT note FROM orders WHERE id = 11');
      assert.deepEqual(note.rows, [{ note: '-' }]);
      // The renamed table's rows, including those written during the expand, are all there; its
      // sequence numbers on after them.
      await migrated.exec("INSERT INTO customer_tag (name) VALUES ('after')");
      const tags = await migrated.query<{ id: number; name: string }>('SELECT id, name FROM customer_tag ORDER BY id');
      assert.deepEqual(tags.rows.map((r) => [Number(r.id), r.name]), [[1, 'VIP'], [2, 'late'], [4, 'during'], [5, 'new-app'], [6, 'after']]);
      // The primary key moved to (team_id, user_id) with the rows kept.
      const members = await migrated.query<{ team_id: number; user_id: number }>('SELECT team_id, user_id FROM membership ORDER BY user_id');
      assert.deepEqual(members.rows.map((r) => [Number(r.team_id), Number(r.user_id)]), [[10, 100], [10, 101]]);
    } finally {
      await migrated.close();
      await target.close();
    }
  });

  it('orders keys, foreign keys and type changes so that they apply (cases met in Langfuse and Documenso)', async () => {
    const oldSql = `
      CREATE TABLE ds (id int PRIMARY KEY, project text NOT NULL);
      CREATE TABLE item (id int PRIMARY KEY, project text, ds_id int REFERENCES ds (id));
      CREATE TABLE hook (id serial PRIMARY KEY);
      CREATE TABLE run (id int PRIMARY KEY, ds_id int REFERENCES ds (id));`;
    const newSql = `
      CREATE TABLE ds (id int, project text NOT NULL, CONSTRAINT ds_pkey PRIMARY KEY (id, project));
      CREATE TABLE item (id int PRIMARY KEY, project text, ds_id int, CONSTRAINT item_ds_fkey FOREIGN KEY (ds_id, project) REFERENCES ds (id, project));
      CREATE TABLE hook (id text PRIMARY KEY);
      CREATE TABLE hook_call (id int PRIMARY KEY, hook_id text REFERENCES hook (id));`;
    const p = planMigration(await catalogOf(oldSql), await catalogOf(newSql));
    const phase = (re: RegExp): string | undefined => p.steps.find((x) => re.test(x.action))?.phase;
    // The foreign key onto (id, project) waits for the unique index built CONCURRENTLY in the expand.
    assert.equal(phase(/constraint item_ds_fkey, once the key it references is indexed/), 'validate');
    // The one joining hook.id, whose type changes, comes after the change.
    assert.equal(phase(/foreign key hook_call_hook_id_fkey on the new table hook_call, after the type change/), 'contract');
    // hook.id stops being serial: its sequence goes with the type change (the shapes compare sequences).
    // The old key of ds changes after the table whose foreign key needs it is dropped.
    const contract = p.steps.filter((x) => x.phase === 'contract').map((x) => x.action);
    assert.ok(contract.findIndex((a) => /drop table run/.test(a)) < contract.findIndex((a) => /primary key ds_pkey on \(id, project\)/.test(a)), contract.join('\n'));
    await assertReachesNew(p, oldSql, newSql, {
      rows: "INSERT INTO ds VALUES (1, 'p'); INSERT INTO item VALUES (1, 'p', 1); INSERT INTO hook VALUES (7); INSERT INTO run VALUES (1, 1)",
      then: async (db) => assert.deepEqual((await db.query<{ id: string }>('SELECT id FROM hook')).rows, [{ id: '7' }]),
    });
  });
  it('names what it builds within 63 bytes, cutting the long name and keeping the suffix, as PostgreSQL does', async () => {
    // Indexes whose definition changes are built beside the old ones under a temporary name. Cut
    // from the end, the 63-character name's would be the name itself (CREATE fails), and the
    // 62-byte one's would be 64 bytes, which PostgreSQL truncates (identifier-too-long).
    const t = `t${'x'.repeat(62)}`;
    const ascii = `i${'a'.repeat(62)}`;
    const wide = `é${'b'.repeat(60)}`;
    const schema = (keys: string): string => `CREATE TABLE ${t} (id bigint PRIMARY KEY, v int, w int);
      CREATE INDEX ${ascii} ON ${t} (${keys}); CREATE INDEX "${wide}" ON ${t} (${keys});`;
    const oldSql = schema('v');
    const newSql = schema('v, w');
    const p = planMigration(await catalogOf(oldSql), await catalogOf(newSql));
    const names = p.files.flatMap((f) => [...f.sql.matchAll(/"([^"]+)"/g)].map((m) => m[1]!));
    assert.ok(names.includes(`${ascii.slice(0, 59)}_new`) && names.includes(`é${'b'.repeat(57)}_new`), names.join(' '));
    assert.deepEqual(names.filter((n) => Buffer.byteLength(n) > 63), []);
    await assertLintsClean(p);
    await assertReachesNew(p, oldSql, newSql, { rows: `INSERT INTO ${t} VALUES (1, 5, 1), (2, 6, 2)` });
  });
  it('plans default privileges (ALTER DEFAULT PRIVILEGES): changed before the expand creates anything', async () => {
    const oldSql = `CREATE ROLE reader; CREATE ROLE writer;
      ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO writer;
      CREATE TABLE orders (id bigint PRIMARY KEY);`;
    const newSql = `CREATE ROLE reader; CREATE ROLE writer;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO reader;
      ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
      ALTER DEFAULT PRIVILEGES GRANT USAGE ON SEQUENCES TO reader;
      ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO writer;
      CREATE TABLE orders (id bigint PRIMARY KEY);
      CREATE TABLE refunds (id bigserial PRIMARY KEY);
      CREATE FUNCTION total() RETURNS int LANGUAGE sql AS 'SELECT 1';`;
    const newCat = await catalogOf(newSql);
    // The catalog gives objects created after the statements what PostgreSQL gives them.
    assert.deepEqual([...newCat.acl.get('table:public.refunds')!].sort(), ['reader\tSELECT', ...['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN'].map((x) => `writer\t${x}`)].sort());
    assert.deepEqual([...newCat.acl.get('sequence:public.refunds_id_seq')!], ['reader\tUSAGE']);
    assert.deepEqual([...newCat.acl.get('function:public.total')!], []);
    // So does a column's sequence created by ALTER TABLE (checked against PGlite: reader=U on both).
    const altered = await catalogOf(`ALTER DEFAULT PRIVILEGES GRANT USAGE ON SEQUENCES TO reader; CREATE TABLE t (id int);
      ALTER TABLE t ADD COLUMN n bigserial; ALTER TABLE t ADD COLUMN g int GENERATED ALWAYS AS IDENTITY;`);
    for (const seq of ['t_n_seq', 't_g_seq']) assert.deepEqual([...altered.acl.get(`sequence:public.${seq}`) ?? []], ['reader\tUSAGE'], seq);
    const p = planMigration(await catalogOf(oldSql), newCat);
    const actions = p.steps.map((x) => `${x.phase}: ${x.action}`);
    for (const a of ['expand: default privileges: new tables in public grant SELECT to reader', 'expand: default privileges: new sequences grant USAGE to reader', 'expand: default privileges: new functions no longer grant EXECUTE to public', 'expand: default privileges: new tables no longer grant SELECT to writer']) assert.ok(actions.includes(a), `${a}\n${actions.join('\n')}`);
    // ALL is written ALL, so each PostgreSQL version grants its own list (MAINTAIN from 17 on).
    assert.ok(p.files.some((f) => f.sql.includes('ALTER DEFAULT PRIVILEGES IN SCHEMA "public" GRANT ALL ON TABLES TO "writer";')));
    // orders existed before: it gets reader's SELECT by a GRANT, as the new schema's orders has it.
    assert.ok(actions.includes('expand: grant SELECT on table public.orders to reader'), actions.join('\n'));
    await assertLintsClean(p);
    await assertReachesNew(p, oldSql, newSql);
  });

  it('names serial and identity sequences as the new schema does, after its history renamed them', async () => {
    const oldSql = `
      CREATE TABLE other (id serial PRIMARY KEY, n int);
      CREATE TABLE tag (id serial PRIMARY KEY, name text);`;
    // The new history: a table renamed keeps its sequence's name; a sequence renamed by hand.
    const newSql = `
      CREATE TABLE other (id serial PRIMARY KEY, n int);
      ALTER SEQUENCE other_id_seq RENAME TO other_ids;
      CREATE TABLE event (k int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);
      ALTER SEQUENCE event_k_seq RENAME TO event_k_ids;
      CREATE TABLE label (id bigserial PRIMARY KEY, name text);
      ALTER TABLE label RENAME TO community_label;
      CREATE TABLE tag (id serial PRIMARY KEY, name text);
      ALTER SEQUENCE tag_id_seq RENAME TO tag_seq_old;
      CREATE TABLE tag2 (id serial PRIMARY KEY);
      ALTER SEQUENCE tag2_id_seq RENAME TO tag_id_seq;`;
    const newCat = await catalogOf(newSql);
    const seq = (t: string, c: string): string | undefined => newCat.tables.get(`public.${t}`)?.columns.find((x) => x.name === c)?.sequence;
    assert.deepEqual([seq('other', 'id'), seq('event', 'k'), seq('community_label', 'id'), seq('tag', 'id'), seq('tag2', 'id')], ['other_ids', 'event_k_ids', 'label_id_seq', 'tag_seq_old', 'tag_id_seq']);
    assert.deepEqual(newCat.problems, []);
    const p = planMigration(await catalogOf(oldSql), newCat);
    // tag2 takes the name tag's sequence holds until tag's is renamed: after the drops, in the contract.
    assert.equal(p.steps.find((x) => /tag2\.id is named tag_id_seq/.test(x.action))?.phase, 'contract');
    await assertReachesNew(p, oldSql, newSql);
  });
  it('adds a serial or identity column to a table with rows without rewriting it: sequence default, numbered in batches', async () => {
    const oldSql = 'CREATE TABLE t (id int PRIMARY KEY, n text);';
    const newSql = 'CREATE TABLE t (id int PRIMARY KEY, n text, s bigserial, k int GENERATED ALWAYS AS IDENTITY);';
    const p = planMigration(await catalogOf(oldSql), await catalogOf(newSql));
    const all = p.files.map((f) => f.sql).join('\n');
    assert.doesNotMatch(all, /ADD COLUMN IF NOT EXISTS "s" bigserial|nextval\(\.\.\.\)/);
    await assertLintsClean(p);
    await assertReachesNew(p, oldSql, newSql, {
      rows: "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')",
      // The old application writes during the rollout: its rows are numbered by the default.
      during: (db, file) => (file.includes('expand') ? db.exec("INSERT INTO t (id, n) VALUES (4, 'during')") : Promise.resolve()),
      then: async (db) => {
        await db.exec("INSERT INTO t (id, n) VALUES (5, 'after')");
        const rows = (await db.query<{ id: number; s: string; k: number }>('SELECT id, s, k FROM t ORDER BY id')).rows;
        assert.equal(rows.length, 5);
        for (const col of ['s', 'k'] as const) {
          const values = rows.map((r) => Number(r[col]));
          assert.ok(values.every((v) => Number.isInteger(v) && v > 0), `${col}: ${values}`);
          assert.equal(new Set(values).size, 5, `${col} numbers each row once: ${values}`);
          // The identity numbers on past the rows numbered before it existed.
          assert.equal(Math.max(...values), values[4], `${col}: ${values}`);
        }
      },
    });
  });
  it('lets the current application insert during the expand when a required column has no default', async () => {
    const oldSql = 'CREATE TABLE t (id int PRIMARY KEY, n text);';
    const newSql = 'CREATE TABLE t (id int PRIMARY KEY, n text, c text NOT NULL, d text NOT NULL DEFAULT \'x\');';
    const p = planMigration(await catalogOf(oldSql), await catalogOf(newSql));
    const phase = (re: RegExp): string | undefined => p.steps.find((x) => re.test(x.action))?.phase;
    // d has a default that fills new rows: its check guards them from the expand on; c waits.
    assert.deepEqual([phase(/not-null check for c,/), phase(/not-null check for d,/)], ['validate', 'expand']);
    await assertReachesNew(p, oldSql, newSql, {
      rows: "INSERT INTO t VALUES (1, 'a')",
      // The value for existing rows is the one thing the plan leaves to write.
      edit: (sql) => sql.replace('NULL /* TODO: value for existing rows */', "'filled'"),
      // The current application, which knows neither column, keeps inserting after the expand.
      during: (db, file) => (file === '01_expand.sql' ? db.exec("INSERT INTO t (id, n) VALUES (2, 'old app')") : Promise.resolve()),
      then: async (db) => assert.deepEqual((await db.query('SELECT id, c, d FROM t ORDER BY id')).rows, [{ id: 1, c: 'filled', d: 'x' }, { id: 2, c: 'filled', d: 'x' }]),
    });
  });
  it('creates partitioned tables and their partitions, attaches new partitions to a live parent, detaches the ones that go', async () => {
    const oldSql = `
      CREATE TABLE ev (id bigint, at date NOT NULL, note text DEFAULT 'none', PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
      CREATE TABLE ev_2025 PARTITION OF ev FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
      CREATE TABLE ev_2026 PARTITION OF ev FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
      CREATE TABLE lg (id int, k text) PARTITION BY LIST (k);
      CREATE TABLE lg_x PARTITION OF lg FOR VALUES IN ('x');
      CREATE TABLE lg_d PARTITION OF lg DEFAULT;`;
    const newSql = `
      CREATE TABLE lg (id int, k text) PARTITION BY LIST (k);
      CREATE TABLE lg_d PARTITION OF lg DEFAULT;
      CREATE TABLE ev (id bigint, at date NOT NULL, note text DEFAULT 'none', PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
      CREATE TABLE ev_2026 PARTITION OF ev FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
      CREATE TABLE ev_2027 PARTITION OF ev FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');
      CREATE INDEX ev_note ON ev (note, lower(note));
      CREATE TABLE log (id int, k text, body text) PARTITION BY LIST (lower(k));
      CREATE TABLE log_a PARTITION OF log FOR VALUES IN ('a', 'b');
      CREATE TABLE log_rest PARTITION OF log DEFAULT;
      CREATE INDEX log_a_body ON log_a (body);
      CREATE TABLE h (id int PRIMARY KEY) PARTITION BY HASH (id);
      CREATE TABLE h0 PARTITION OF h FOR VALUES WITH (MODULUS 2, REMAINDER 0);
      CREATE TABLE h1 (id int PRIMARY KEY);
      ALTER TABLE h ATTACH PARTITION h1 FOR VALUES WITH (MODULUS 2, REMAINDER 1);`;
    const p = planMigration(await catalogOf(oldSql), await catalogOf(newSql));
    const step = (re: RegExp) => p.steps.find((x) => re.test(x.action));
    // A partition of the live table is created alike and attached (SHARE UPDATE EXCLUSIVE on ev), not created PARTITION OF it.
    assert.match(step(/create partition ev_2027/)!.sql.join('\n'), /LIKE "ev"[\s\S]*ATTACH PARTITION "ev_2027" FOR VALUES FROM \('2027-01-01'\) TO \('2028-01-01'\)/);
    assert.match(step(/detach partition ev_2025/)!.sql[0]!, /DETACH PARTITION "ev_2025" CONCURRENTLY/);
    // An index on the live partitioned table: ON ONLY the parent, each partition's CONCURRENTLY, attached.
    assert.match(step(/index ev_note on partitioned ev/)!.sql.join('\n'), /ON ONLY "ev"[\s\S]*CONCURRENTLY IF NOT EXISTS "ev_2026_note_lower_idx" ON "ev_2026"[\s\S]*ATTACH PARTITION "ev_2026_note_lower_idx"/);
    // PostgreSQL refuses CONCURRENTLY while the parent has a DEFAULT partition.
    assert.match(step(/detach partition lg_x/)!.sql[0]!, /DETACH PARTITION "lg_x";/);
    await assertLintsClean(p);
    await assertReachesNew(p, oldSql, newSql, {
      rows: "INSERT INTO ev VALUES (1, '2025-05-01'), (2, '2026-05-01')",
      then: async (db) => {
        await db.exec("INSERT INTO ev VALUES (3, '2027-05-01'); INSERT INTO log VALUES (1, 'A', 'x'), (2, 'z', 'y')");
        assert.deepEqual((await db.query("SELECT tableoid::regclass::text AS p, id FROM ev UNION ALL SELECT tableoid::regclass::text, id FROM log ORDER BY 1")).rows,
          [{ p: 'ev_2026', id: 2 }, { p: 'ev_2027', id: 3 }, { p: 'log_a', id: 1 }, { p: 'log_rest', id: 2 }]);
      },
    });
  });
  it('changes sequence options with one ALTER SEQUENCE, and creates a sequence as its history left it', async () => {
    const oldSql = `
      CREATE SEQUENCE invoice_no START 1000;
      CREATE SEQUENCE ticket AS integer INCREMENT 1 CACHE 10;
      CREATE TABLE a (id serial PRIMARY KEY);
      CREATE TABLE b (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);`;
    const newSql = `
      CREATE TABLE a (id serial PRIMARY KEY);
      ALTER SEQUENCE a_id_seq INCREMENT BY 2;
      CREATE TABLE b (id int GENERATED BY DEFAULT AS IDENTITY (START WITH 50) PRIMARY KEY);
      ALTER TABLE b ALTER COLUMN id SET INCREMENT BY 3;
      CREATE TABLE c (id bigint GENERATED ALWAYS AS IDENTITY (START WITH 1000 CACHE 5), s serial);
      ALTER SEQUENCE c_s_seq MAXVALUE 100000;
      CREATE SEQUENCE invoice_no START 1000;
      ALTER SEQUENCE invoice_no INCREMENT BY 10 MAXVALUE 9999999999 CYCLE;
      CREATE SEQUENCE ticket AS integer INCREMENT 1 CACHE 10;
      ALTER SEQUENCE ticket AS smallint NO MAXVALUE;
      CREATE SEQUENCE countdown INCREMENT -1;
      ALTER SEQUENCE countdown MINVALUE -500 NO CYCLE;`;
    const p = planMigration(await catalogOf(oldSql), await catalogOf(newSql));
    assert.deepEqual(p.steps.filter((x) => /^(create )?sequence /.test(x.action)).map((x) => x.action), [
      'sequence invoice_no: increment 1 -> 10, maxValue 9223372036854775807 -> 9999999999, cycle false -> true',
      'sequence ticket: as integer -> smallint, maxValue 2147483647 -> 32767',
      'create sequence countdown',
      'sequence countdown as the new schema altered it',
    ]);
    // Serial and identity columns: set through the column's own sequence, or in the identity clause.
    assert.deepEqual(p.steps.filter((x) => /^the sequence of/.test(x.action)).map((x) => x.action), [
      'the sequence of a.id as in the new schema (increment)',
      'the sequence of b.id as in the new schema (increment, start)',
      'the sequence of c.s as in the new schema (maxValue)',
    ]);
    assert.match(p.files.map((f) => f.sql).join('\n'), /"id" bigint GENERATED ALWAYS AS IDENTITY \(INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1000 CACHE 5 NO CYCLE\)/);
    await assertReachesNew(p, oldSql, newSql);
  });
});
