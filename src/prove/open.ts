/**
 * Opens the engine a run asked for: a throwaway database on a server by URL, a throwaway local
 * cluster (initdb/pg_ctl from PATH), or PGlite in process (the default). `close()` drops what
 * the engine created and stops the local cluster.
 */
import type { Engine } from './engine.js';
import { startLocalServer } from './local-server.js';
import { createPgliteEngine } from './pglite.js';
import { createServerEngine, redactUrl, ServerUnreachable } from './server.js';

export interface EngineChoice {
  /** A PostgreSQL server (a throwaway database is created and dropped there). */
  readonly databaseUrl?: string;
  /** Start a throwaway local cluster from initdb/pg_ctl on PATH. */
  readonly localServer?: boolean;
  /** The run commits (a server must give a throwaway database, not a rolled-back schema). */
  readonly commits?: boolean;
  /** PGlite contrib extensions to load (the schema's CREATE EXTENSION names). */
  readonly extensions?: readonly string[];
}

export interface OpenEngine {
  readonly ok: true;
  readonly engine: Engine;
  /** Time to start the local cluster, 0 otherwise. */
  readonly serverStartMs: number;
  close(): Promise<void>;
}

export async function openEngine(choice: EngineChoice): Promise<OpenEngine | { ok: false; message: string }> {
  let local: Awaited<ReturnType<typeof startLocalServer>> | undefined;
  let serverStartMs = 0;
  let engine: Engine;
  try {
    if (choice.localServer) {
      const ts = performance.now();
      local = await startLocalServer();
      serverStartMs = performance.now() - ts;
      engine = await createServerEngine(local.url);
    } else if (choice.databaseUrl) {
      engine = await createServerEngine(choice.databaseUrl, { schemaFallback: !choice.commits });
    } else {
      engine = await createPgliteEngine({ extensions: choice.extensions ?? [] });
    }
  } catch (e) {
    await local?.stop();
    const msg = e instanceof ServerUnreachable || e instanceof Error ? e.message : String(e);
    return { ok: false, message: choice.databaseUrl ? msg.replace(choice.databaseUrl, redactUrl(choice.databaseUrl)) : msg };
  }
  return {
    ok: true,
    engine,
    serverStartMs,
    async close() {
      await engine.close();
      await local?.stop();
    },
  };
}
