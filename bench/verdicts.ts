/**
 * Verdicts over every design in examples/ and test/fixtures/ (the hostile ones aside), on
 * PGlite and on a local PostgreSQL server: claims by status per design, and every proven
 * claim whose evidence read a relation with fewer rows than the threshold (the goal: none).
 * Usage: node dist/bench/verdicts.js [--pglite-only] [--scale N]
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Claim, prove, startLocalServer } from '../src/index.js';
import { MIN_ROWS } from '../src/prove/claims/rows-read.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name: string): string | undefined => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const scale = Number(arg('--scale')) || undefined;

function designs(): string[] {
  const out: string[] = [];
  for (const base of ['examples', 'test/fixtures']) {
    for (const d of readdirSync(join(ROOT, base)).sort()) {
      const dir = join(ROOT, base, d);
      if (d === 'hostile' || !existsSync(join(dir, 'design.yaml'))) continue;
      out.push(dir);
    }
  }
  return out;
}

/** The fewest rows of any relation the claim's evidence says it read. */
function fewestRows(c: Claim): { table: string; rows: number } | undefined {
  const read = c.evidence.rowsRead as Record<string, number> | undefined;
  const all = Object.entries(read ?? {}).map(([table, rows]) => ({ table, rows }));
  if (typeof c.evidence.tableRows === 'number') all.push({ table: c.object, rows: c.evidence.tableRows });
  return all.sort((a, b) => a.rows - b.rows)[0];
}

interface Row { design: string; engine: string; proven: number; refuted: number; unproven: number; thinProven: string[]; error?: string }

async function run(dir: string, engine: string, url?: string): Promise<Row> {
  const name = relative(ROOT, dir);
  const r = await prove({ target: dir, cwd: ROOT, databaseUrl: url, scale });
  if (!r.ok) return { design: name, engine, proven: 0, refuted: 0, unproven: 0, thinProven: [], error: r.message };
  const thinProven = r.claims.filter((c) => c.status === 'proven' && (c.kind === 'access-pattern' || c.kind === 'drift'))
    .map((c) => ({ c, f: fewestRows(c) }))
    .filter((x) => x.f && x.f.rows < MIN_ROWS)
    .map((x) => `${x.c.kind} ${x.c.id} (${x.f!.table}: ${x.f!.rows} rows)`);
  return { design: name, engine, ...r.summary, thinProven };
}

const rows: Row[] = [];
const server = process.argv.includes('--pglite-only') ? undefined : await startLocalServer();
try {
  for (const dir of designs()) {
    rows.push(await run(dir, 'pglite'));
    if (server) rows.push(await run(dir, 'server', server.url));
  }
} finally {
  await server?.stop();
}
const pad = (s: string | number, n: number): string => String(s).padEnd(n);
console.log(`${pad('design', 40)} ${pad('engine', 7)} ${pad('proven', 7)} ${pad('refuted', 8)} ${pad('unproven', 9)} proven on thin data`);
for (const r of rows) {
  console.log(`${pad(r.design, 40)} ${pad(r.engine, 7)} ${pad(r.proven, 7)} ${pad(r.refuted, 8)} ${pad(r.unproven, 9)} ${r.error ? `error: ${r.error}` : r.thinProven.join('; ') || 'none'}`);
}
const thin = rows.reduce((n, r) => n + r.thinProven.length, 0);
console.log(`\n${rows.length} runs; ${thin} claim(s) proven on a relation with fewer than ${MIN_ROWS} rows${thin ? '' : ' (goal met)'}.`);
process.exitCode = thin ? 1 : 0;
