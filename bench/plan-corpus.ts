/**
 * `plan` on a real history: Lemmy's migrations up to number A (OLD) and up to number B (NEW)
 * are applied to two PGlite instances; the plan from OLD to NEW is generated and applied to
 * the first; the script prints how many plan statements failed and, per kind of object, what
 * the migrated database has that the target lacks and the reverse.
 * Usage: [PLAN_OUT=dir] [PLAN_SET=corpus set] node dist/bench/plan-corpus.js [A B]
 *   (default: Lemmy over five ranges, 150-220 to 1-342)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { checkPath, detectMigrations, loadSqlText, planMigration } from '../src/index.js';
import { corpusSets } from './corpus.js';
import { databaseShape } from './db-shape.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const LEMMY = resolve(ROOT, '../shared/corpus/LemmyNet__lemmy/migrations');
/** Ranges planned when none is given: short and long spans, early and late in the history. */
const RANGES: [number, number][] = process.argv[3] ? [[Number(process.argv[2]), Number(process.argv[3])]] : [[150, 220], [1, 342], [100, 330], [220, 342], [300, 342]];

async function apply(db: PGlite, name: string, text: string): Promise<string[]> {
  const failures: string[] = [];
  const loaded = await loadSqlText(name, text);
  for (const s of loaded.statements) {
    try { await db.exec(s.source.slice(s.start, s.end)); } catch (e) { failures.push(`${name}:${s.loc.line} ${(e as Error).message}`); }
  }
  return failures;
}

/** Each kind of object as the set of its rows, to list what one database has that the other lacks. */
async function shape(db: PGlite): Promise<Record<string, string[]>> {
  const all = await databaseShape(db);
  return Object.fromEntries(Object.entries(all).map(([k, rows]) => [k, rows.map((r) => JSON.stringify(r))]));
}

// PLAN_SET=<corpus set name> plans another history (its files written in order as a plain folder).
const SET = process.env.PLAN_SET;
const all: { name: string; text: string; rel: string }[] = SET
  ? (corpusSets(resolve(ROOT, '../shared/corpus')).find((x) => x.name === SET)?.files ?? []).map((p, i) => ({ name: basename(p), text: readFileSync(p, 'utf8'), rel: `${String(i + 1).padStart(5, '0')}_${basename(p).replace(/\.sql(\.postgres)?$/, '')}.sql` }))
  : detectMigrations(LEMMY).files.map((f) => ({ name: f.name, text: f.text, rel: f.path.slice(LEMMY.length + 1) }));
if (!all.length) throw new Error(`no such corpus set: ${SET}`);
for (const [a, b] of RANGES) await planRange(a, b);

async function planRange(a: number, b: number): Promise<void> {
  const oldFiles = all.slice(0, a);
  const newFiles = all.slice(0, b);
  const tmp = mkdtempSync(join(tmpdir(), 'schemaproof-plan-corpus-'));
  try {
    const t0 = performance.now();
    const mk = (): Promise<PGlite> => PGlite.create({ extensions: { pg_trgm, ltree, pgcrypto, btree_gin } });
    const [migrated, target] = await Promise.all([mk(), mk()]);
    for (const f of oldFiles) await apply(migrated, f.name, f.text);
    for (const f of newFiles) await apply(target, f.name, f.text);
    // The two sides as catalogs, through the same path as `schemaproof plan` (a folder of migrations).
    const sides = await Promise.all([oldFiles, newFiles].map(async (files, i) => {
      const dir = join(tmp, i === 0 ? 'old' : 'new');
      const { mkdirSync, writeFileSync } = await import('node:fs');
      for (const f of files) { const p = join(dir, f.rel); mkdirSync(dirname(p), { recursive: true }); writeFileSync(p, f.text); }
      return checkPath(dir);
    }));
    if (!sides[0]!.ok || !sides[1]!.ok) throw new Error('cannot read the history');
    const plan = planMigration(sides[0]!.catalog, sides[1]!.catalog);
    // PLAN_OUT=dir keeps the plan's files to read.
    if (process.env.PLAN_OUT) {
      const { mkdirSync, writeFileSync } = await import('node:fs');
      mkdirSync(process.env.PLAN_OUT, { recursive: true });
      for (const f of plan.files) writeFileSync(join(process.env.PLAN_OUT, f.name), f.sql);
    }
    const failures: string[] = [];
    for (const f of plan.files) failures.push(...await apply(migrated, f.name, f.sql));
    console.log(`${SET ?? 'Lemmy'} migrations 1-${a} -> 1-${b}: ${plan.steps.length} plan steps in ${plan.files.length} files; ${failures.length} statement(s) failed applying them (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    for (const f of failures.slice(0, 8)) console.log(`  ${f.slice(0, 160)}`);
    const [m, t] = await Promise.all([shape(migrated), shape(target)]);
    for (const k of Object.keys(m)) {
      const mine = new Set(m[k]); const theirs = new Set(t[k]);
      const extra = [...mine].filter((x) => !theirs.has(x)); const missing = [...theirs].filter((x) => !mine.has(x));
      console.log(`${k.padEnd(12)} only in the migrated database: ${String(extra.length).padStart(3)}   only in the target: ${String(missing.length).padStart(3)}`);
      for (const x of [...extra.slice(0, 3).map((e) => `- ${e}`), ...missing.slice(0, 3).map((e) => `+ ${e}`)]) console.log(`    ${x.slice(0, 170)}`);
    }
    await Promise.all([migrated.close(), target.close()]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
