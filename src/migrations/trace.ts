/**
 * `migrations --trace`: applies the migrations in order on a throwaway engine, with generated
 * rows in the tables, and records for each statement the locks it actually took (pg_locks,
 * read inside its transaction before commit), whether it rewrote a table (relfilenode before
 * vs after) and how long it ran at that volume.
 */
import { runsOutsideTransaction } from './helpers.js';
import { loadSqlText, type Statement } from '../load/sql/parse.js';
import { clusterWideReason, rolesCreated } from '../prove/cluster-wide.js';
import { redactDeep } from '../secrets.js';
import type { Engine } from '../prove/engine.js';
import { asDbError } from '../prove/engine.js';
import { generate } from '../prove/generate.js';
import { introspect } from '../prove/introspect.js';
import { type EngineChoice, openEngine } from '../prove/open.js';
import { readMigrationInputs } from '../load/migrations/inputs.js';
import { relative, resolve } from 'node:path';

export interface TracedStatement {
  readonly file: string;
  readonly line: number;
  readonly statement: string;
  readonly locks: { relation: string; mode: string }[];
  readonly rewritten: string[];
  readonly ms: number;
  readonly rows: number;
  readonly error?: string;
  readonly note?: string;
}

const SKIP = new Set(['TransactionStmt', 'CopyStmt', 'CreatedbStmt', 'DropdbStmt']);

async function relfilenodes(db: Engine): Promise<Map<string, number>> {
  const r = await db.query(`SELECT format('%I.%I', n.nspname, c.relname) AS rel, c.relfilenode::int AS f FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'`);
  return new Map(r.rows.map((x) => [String(x.rel), Number(x.f)]));
}

async function fillEmptyTables(db: Engine, rowsPerTable: number): Promise<void> {
  const tables = await introspect(db);
  const empty = [];
  for (const t of tables) {
    if (t.partitioned || t.isPartition) continue;
    const n = await db.query(`SELECT EXISTS (SELECT 1 FROM ${t.sqlName}) AS e`);
    if (!n.rows[0]?.e) empty.push(t);
  }
  if (empty.length) await generate(db, empty, { seed: 'trace', cap: rowsPerTable, volumes: {}, defaultRows: rowsPerTable });
}

/** A schema role statement on a server is made by the prover, not traced: what became of it. */
async function roleNote(db: Engine, s: Statement): Promise<string | undefined> {
  const o = s.kind === 'CreateRoleStmt' ? await db.createRole?.(s) : s.kind === 'GrantRoleStmt' ? await db.grantRoles?.(s) : undefined;
  if (!o) return undefined;
  return o.note ?? 'made by schemaproof for this run (roles are cluster-wide): not traced';
}

export interface TraceOptions extends EngineChoice { readonly paths: readonly string[]; readonly rows?: number; readonly cwd?: string }

export interface TraceResult {
  readonly ok: true;
  readonly statements: TracedStatement[];
  /** Where the statements ran, and what was kept apart from the user's objects. */
  readonly isolation: string;
  readonly engine: 'pglite' | 'server';
}

export async function traceMigrations(options: TraceOptions): Promise<TraceResult | { ok: false; message: string }> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const inputs = readMigrationInputs(options.paths, cwd, 'auto');
  if (!inputs.ok) return inputs;
  const files = inputs.files;
  const rows = options.rows ?? 1000;
  const loaded: { name: string; statements: Statement[] }[] = [];
  for (const f of files) {
    const rel = relative(cwd, f.path);
    const name = rel.startsWith('..') ? f.path : rel;
    loaded.push({ name, statements: (await loadSqlText(name, f.text)).statements });
  }
  const opened = await openEngine({ ...options, roles: rolesCreated(loaded.flatMap((l) => l.statements)) });
  if (!opened.ok) return opened;
  const db = opened.engine;
  const out: TracedStatement[] = [];
  try {
    for (const { name, statements } of loaded) {
      for (const s of statements) {
        const text = s.source.slice(s.start, s.end);
        const short = text.replace(/\s+/g, ' ').slice(0, 90);
        if (SKIP.has(s.kind)) continue;
        const bare = { file: name, line: s.loc.line, statement: short, locks: [], rewritten: [], ms: 0, rows };
        const outside = db.kind === 'server' ? clusterWideReason(s) ?? await roleNote(db, s).catch((e) => `failed: ${asDbError(e).message}`) : undefined;
        if (outside) { out.push({ ...bare, note: outside }); continue; }
        await fillEmptyTables(db, rows);
        const before = await relfilenodes(db);
        const t0 = performance.now();
        // CONCURRENTLY and VACUUM run outside a transaction, so their locks cannot be read back.
        if (runsOutsideTransaction(s)) {
          try { await db.query(text); } catch (e) { out.push({ file: name, line: s.loc.line, statement: short, locks: [], rewritten: [], ms: performance.now() - t0, rows, error: asDbError(e).message }); continue; }
          out.push({ file: name, line: s.loc.line, statement: short, locks: [], rewritten: [], ms: performance.now() - t0, rows, note: 'runs outside a transaction; its locks cannot be read back' });
          continue;
        }
        let locks: { relation: string; mode: string }[] = [];
        let error: string | undefined;
        await db.exec('BEGIN');
        try {
          await db.query(text);
          const ms = performance.now() - t0;
          const l = await db.query(`SELECT coalesce(format('%I.%I', n.nspname, c.relname), l.locktype) AS rel, l.mode AS mode
            FROM pg_locks l LEFT JOIN pg_class c ON c.oid = l.relation LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND c.relkind IN ('r', 'p', 'm')
            ORDER BY 1, 2`);
          locks = l.rows.map((x) => ({ relation: String(x.rel).replace(/^public\./, ''), mode: String(x.mode) }));
          await db.exec('COMMIT');
          const after = await relfilenodes(db);
          const rewritten = [...before].filter(([k, v]) => after.has(k) && after.get(k) !== v).map(([k]) => k.replace(/^public\./, ''));
          out.push({ file: name, line: s.loc.line, statement: short, locks, rewritten, ms, rows });
        } catch (e) {
          error = asDbError(e).message;
          await db.exec('ROLLBACK').catch(() => undefined);
          out.push({ file: name, line: s.loc.line, statement: short, locks, rewritten: [], ms: performance.now() - t0, rows, error });
        }
      }
    }
  } finally {
    await opened.close();
  }
  return redactDeep({ ok: true as const, statements: out, isolation: db.isolation, engine: db.kind === 'pglite' ? 'pglite' as const : 'server' as const });
}

export function renderTrace(rows: TracedStatement[]): string {
  const lines = ['| Statement | Relation | Lock mode | Rewrite | Duration |', '|---|---|---|---|---|'];
  for (const r of rows) {
    const where = `${r.file}:${r.line} \`${r.statement.replace(/\|/g, '\\|')}\``;
    if (r.error) { lines.push(`| ${where} | | failed: ${r.error.replace(/\|/g, '\\|')} | | |`); continue; }
    if (!r.locks.length) { lines.push(`| ${where} | | ${r.note ?? 'no table lock'} | ${r.rewritten.length ? 'yes' : 'no'} | ${r.ms.toFixed(1)} ms |`); continue; }
    r.locks.forEach((l, i) => lines.push(`| ${i === 0 ? where : ''} | ${l.relation} | ${l.mode} | ${r.rewritten.includes(l.relation) ? 'yes' : 'no'} | ${i === 0 ? `${r.ms.toFixed(1)} ms` : ''} |`));
  }
  return `${lines.join('\n')}\n`;
}
