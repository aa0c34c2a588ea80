/** plan OLD NEW: the generated migration passes the lint and, applied to OLD on PGlite, reaches NEW. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { check, lintMigrations, loadSqlText, planMigration, RULES } from '../src/index.js';
import { main } from '../src/cli/main.js';
import { ROOT, tempDir } from './helpers.js';

const OLD = join(ROOT, 'test/fixtures/plan/old.sql');
const NEW = join(ROOT, 'test/fixtures/plan/new.sql');

async function applyFile(db: PGlite, file: string, text = readFileSync(file, 'utf8')): Promise<void> {
  const loaded = await loadSqlText(file, text);
  assert.deepEqual(loaded.problems, [], file);
  for (const s of loaded.statements) await db.exec(s.source.slice(s.start, s.end));
}

/** The shape of a database: columns (type, nullability), constraints and indexes, by name. */
async function shape(db: PGlite): Promise<Record<string, unknown>> {
  const cols = await db.query<{ t: string; c: string; ty: string; nn: boolean }>(`SELECT c.relname AS t, a.attname AS c, format_type(a.atttypid, a.atttypmod) AS ty, a.attnotnull AS nn
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> 'schemaproof_backfill_progress' ORDER BY 1, 2`);
  const cons = await db.query<{ n: string; d: string }>(`SELECT conname AS n, pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid <> 0 AND conrelid NOT IN (SELECT oid FROM pg_class WHERE relname = 'schemaproof_backfill_progress') ORDER BY 1`);
  const idx = await db.query<{ n: string; d: string }>(`SELECT indexname AS n, indexdef AS d FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'schemaproof_backfill_progress' ORDER BY 1`);
  return { columns: cols.rows, constraints: cons.rows, indexes: idx.rows };
}

describe('plan OLD NEW', () => {
  it('emits expand, backfill, validate, switch and contract steps, renames as add/backfill/drop', async () => {
    const a = await check({ schema: OLD, cwd: ROOT });
    const b = await check({ schema: NEW, cwd: ROOT });
    assert.ok(a.ok && b.ok);
    const p = planMigration(a.catalog, b.catalog);
    const phases = [...new Set(p.steps.map((s) => s.phase))];
    assert.deepEqual(phases, ['expand', 'expand-concurrent', 'backfill', 'validate', 'switch', 'contract']);
    assert.ok(p.steps.some((s) => s.phase === 'switch' && /full_name instead of name/.test(s.action)), 'name -> full_name is a rename');
    assert.ok(!p.steps.some((s) => /channel instead of legacy_code/.test(s.action)), 'unrelated names are not a rename');
    assert.ok(p.files.every((f) => !/RENAME/i.test(f.sql)));
    for (const s of p.steps) assert.ok(s.rollback.length > 0, s.action);
    assert.ok(p.steps.filter((s) => s.phase === 'contract').every((s) => /roll-forward only|recreate/.test(s.rollback)));
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

    const migrated = await PGlite.create();
    const target = await PGlite.create();
    try {
      await applyFile(migrated, OLD);
      await migrated.exec("INSERT INTO customers VALUES (1, 'a@example.test', 'Ann'), (2, 'b@example.test', NULL); INSERT INTO orders VALUES (10, 1, 'paid', 'n1', 'L1')");
      for (const f of ['01_expand.sql', '02_expand_indexes.sql', '03_backfill.sql', '04_validate.sql', '05_contract.sql']) await applyFile(migrated, join(out, f));
      await applyFile(target, NEW);
      assert.deepEqual(await shape(migrated), await shape(target));
      // The rename kept the data; the constant default filled existing rows.
      const rows = await migrated.query<{ full_name: string | null }>('SELECT full_name FROM customers ORDER BY id');
      assert.deepEqual(rows.rows.map((r) => r.full_name), ['Ann', null]);
      const ch = await migrated.query<{ channel: string }>('SELECT channel FROM orders');
      assert.deepEqual(ch.rows.map((r) => r.channel), ['web']);
    } finally {
      await migrated.close();
      await target.close();
    }
  });
});
