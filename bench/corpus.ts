/**
 * Loads every schema and migration set of ../shared/corpus through `check` and prints, per
 * set, statements, tables, findings per rule and time; any exception is a crash and fails
 * the run. Usage: node dist/bench/corpus.js [CORPUS_DIR]
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { check, detectMigrations } from '../src/index.js';

const BASE_SCHEMA: Record<string, string> = {
  'dhis2-flyway': 'dhis2__dhis2-core/dhis-2/dhis-support/dhis-support-db-migration/src/main/resources/org/hisp/dhis/db/base/dhis2_base_schema.sql',
};

export interface CorpusSet { name: string; files: string[] }

/** The sets: one per schema file, one per migration history (in the corpus's own apply order). */
export function corpusSets(root: string): CorpusSet[] {
  const sets: CorpusSet[] = [];
  const orderDir = join(root, '_order');
  const ordered = new Set<string>();
  if (existsSync(orderDir)) {
    for (const f of readdirSync(orderDir).sort()) {
      const files = readFileSync(join(orderDir, f), 'utf8').split('\n').map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#')).map((l) => join(root, l)).filter((p) => existsSync(p) && /\.sql(\.postgres)?$/.test(p));
      for (const p of files) ordered.add(p);
      // A fresh DHIS2 install runs the base schema (from a Java migration) before Flyway's files.
      const base = BASE_SCHEMA[f.replace(/\.txt$/, '')];
      if (base && existsSync(join(root, base))) files.unshift(join(root, base));
      if (files.length) sets.push({ name: f.replace(/\.txt$/, ''), files });
    }
  }
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === '_order' || e.name === 'squawk' ? [] : walk(p);
    // Down migrations undo their up file; alone they only drop what they never saw.
    return /\.sql(\.postgres)?$/.test(e.name) && !/(^|\.)down\.sql$/.test(e.name) ? [p] : [];
  });
  for (const p of walk(root).sort()) if (!ordered.has(p)) sets.push({ name: p.slice(root.length + 1), files: [p] });
  return sets;
}

async function main(): Promise<void> {
  const root = resolve(process.argv[2] ?? '../shared/corpus');
  const sets = corpusSets(root);
  const total: Record<string, number> = {};
  let crashes = 0;
  let statements = 0;
  const t0 = performance.now();
  for (const set of sets) {
    const t = performance.now();
    try {
      const r = await check({ schema: set.files, cwd: root });
      if (!r.ok) { console.log(`${set.name}: input error ${r.message}`); crashes++; continue; }
      const per: Record<string, number> = {};
      for (const f of r.findings) { per[f.rule] = (per[f.rule] ?? 0) + 1; total[f.rule] = (total[f.rule] ?? 0) + 1; }
      statements += r.statements.length;
      console.log(`${set.name}: ${set.files.length} files, ${r.statements.length} statements, ${r.catalog.tables.size} tables, ${r.findings.length} findings, ${(performance.now() - t).toFixed(0)} ms`);
    } catch (e) {
      crashes++;
      console.log(`${set.name}: CRASH ${(e as Error).stack}`);
    }
  }
  console.log(`\n${sets.length} sets, ${statements} statements, ${crashes} crashes, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  console.log('findings per rule:');
  for (const [rule, n] of Object.entries(total).sort((a, b) => b[1] - a[1])) console.log(`  ${rule.padEnd(34)} ${n}`);
  void detectMigrations;
  if (crashes) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
