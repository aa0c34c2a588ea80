/**
 * Opens the engine a run asked for: a throwaway database on a server by URL, a throwaway local
 * cluster (initdb/pg_ctl from PATH), or PGlite in process (the default). `close()` drops what
 * the engine created and stops the local cluster.
 */
import { redact } from '../secrets.js';
import type { Engine } from './engine.js';
import { startLocalServer } from './local-server.js';
import { createPgliteEngine } from './pglite.js';
import { createServerEngine } from './server.js';
import { onInterrupt } from './signals.js';

export interface EngineChoice {
  /** A PostgreSQL server (a throwaway database and role are created and dropped there). */
  readonly databaseUrl?: string;
  /** Start a throwaway local cluster from initdb/pg_ctl on PATH. */
  readonly localServer?: boolean;
  /** PGlite contrib extensions to load (the schema's CREATE EXTENSION names). */
  readonly extensions?: readonly string[];
  /** Role names the schema creates (a server locks them for the run). */
  readonly roles?: readonly string[];
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
  let releaseLocal = (): void => undefined;
  let serverStartMs = 0;
  let engine: Engine;
  try {
    if (choice.localServer) {
      const ts = performance.now();
      local = await startLocalServer();
      const stop = local.stop;
      releaseLocal = onInterrupt(() => stop());
      serverStartMs = performance.now() - ts;
      engine = await createServerEngine(local.url, { roles: choice.roles, ownCluster: true });
    } else if (choice.databaseUrl) {
      engine = await createServerEngine(choice.databaseUrl, { roles: choice.roles });
    } else {
      engine = await createPgliteEngine({ extensions: choice.extensions ?? [] });
    }
  } catch (e) {
    releaseLocal();
    await local?.stop();
    return { ok: false, message: redact(e instanceof Error ? e.message : String(e)) };
  }
  return {
    ok: true,
    engine,
    serverStartMs,
    async close() {
      await engine.close();
      releaseLocal();
      await local?.stop();
    },
  };
}
