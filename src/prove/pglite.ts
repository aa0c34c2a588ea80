/** The default engine: PGlite (PostgreSQL in WASM) in this process. */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import type { Engine, QueryResult } from './engine.js';

/**
 * A fresh PGlite spends most of its 3-4 s start in initdb. The first run saves the initialised
 * data directory; later runs start from it in under a second (it holds no user data).
 */
function cacheFile(): string {
  const pkgRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');
  const candidates = [join(pkgRoot, 'node_modules/.cache/schemaproof'), join(tmpdir(), 'schemaproof-cache')];
  for (const dir of candidates) {
    try {
      mkdirSync(dir, { recursive: true });
      return join(dir, 'pglite-base-0.5.tar');
    } catch { /* try the next */ }
  }
  return join(tmpdir(), 'schemaproof-pglite-base-0.5.tar');
}

/** PGlite ships these extensions as separate modules; they are loaded when the schema creates them. */
const CONTRIB = new Set(['amcheck', 'bloom', 'btree_gin', 'btree_gist', 'citext', 'cube', 'dict_int', 'dict_xsyn', 'earthdistance',
  'fuzzystrmatch', 'hstore', 'intarray', 'isn', 'lo', 'ltree', 'moddatetime', 'pg_trgm', 'pgcrypto', 'seg', 'tablefunc', 'tcn',
  'tsm_system_rows', 'tsm_system_time', 'unaccent', 'uuid_ossp']);

async function extensionModules(names: readonly string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const mod = name.replace(/-/g, '_');
    if (!CONTRIB.has(mod)) continue;
    try {
      const m = (await import(`@electric-sql/pglite/contrib/${mod}`)) as Record<string, unknown>;
      if (m[mod]) out[mod] = m[mod];
    } catch { /* not shipped with this PGlite: CREATE EXTENSION will say so */ }
  }
  return out;
}

async function startPglite(extensionNames: readonly string[]): Promise<PGlite> {
  const file = cacheFile();
  const extensions = (await extensionModules(extensionNames)) as unknown as PGliteOptions['extensions'];
  if (existsSync(file)) {
    try {
      return await PGlite.create({ loadDataDir: new Blob([readFileSync(file)]), extensions });
    } catch { /* a damaged cache: start fresh and rewrite it */ }
  }
  const db = await PGlite.create({ extensions });
  try {
    const blob = await db.dumpDataDir('none');
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
    renameSync(tmp, file);
  } catch { /* caching is an optimisation only */ }
  return db;
}

export async function createPgliteEngine(options: { extensions?: readonly string[] } = {}): Promise<Engine> {
  const t0 = performance.now();
  const db = await startPglite(options.extensions ?? []);
  const startupMs = performance.now() - t0;
  return {
    kind: 'pglite',
    isolation: 'a throwaway in-memory PGlite instance (PostgreSQL 18 in WASM); nothing outside this process is touched',
    startupMs,
    reusedRoles: [],
    warnings: [],
    async exec(sql) { await db.exec(sql); },
    async query(sql, params) {
      const r = await db.query(sql, params ?? []);
      return { rows: r.rows as Record<string, unknown>[], affectedRows: r.affectedRows } satisfies QueryResult;
    },
    async close() { await db.close(); },
  };
}
