/**
 * `schemaproof cleanup --database-url URL`: finds the databases and roles that runs left on a
 * server (their comment is a run marker) and drops those whose run has no connection left
 * (a run killed with SIGKILL, a lost machine). A live run's objects are listed and kept.
 */
import pg from 'pg';
import { parse } from 'pg-connection-string';
import { redact, redactUrl, registerUrlSecrets } from '../secrets.js';
import { asDbError, quoteIdent } from './engine.js';
import { MARKER_RE, runIsLive } from './server-admin.js';

export interface LeftObject {
  readonly kind: 'database' | 'role';
  readonly name: string;
  readonly run: string;
  readonly started: string;
  /** dropped, kept (its run is live, or --dry-run), or failed with the server's message. */
  readonly outcome: 'dropped' | 'kept' | 'failed';
  readonly reason?: string;
}

/** A run killed a moment ago may still show its connection: look again for a second before keeping it. */
async function stillLive(client: pg.Client, run: string): Promise<boolean> {
  for (let i = 0; i < 5; i++) {
    if (!(await runIsLive(client, run))) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
  return true;
}

export interface CleanupOptions { readonly databaseUrl: string; readonly dryRun?: boolean }

export async function cleanup(options: CleanupOptions): Promise<{ ok: true; objects: LeftObject[] } | { ok: false; message: string }> {
  registerUrlSecrets(options.databaseUrl);
  const client = new pg.Client({ ...(parse(options.databaseUrl) as unknown as pg.ClientConfig), connectionTimeoutMillis: 10_000, application_name: 'schemaproof cleanup' });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    return { ok: false, message: redact(`cannot connect to ${redactUrl(options.databaseUrl)}: ${asDbError(e).message}`) };
  }
  try {
    const found = await client.query(`
      SELECT 'database' AS kind, datname AS name, shobj_description(oid, 'pg_database') AS c FROM pg_database
      UNION ALL SELECT 'role', rolname, shobj_description(oid, 'pg_authid') FROM pg_roles
      ORDER BY 1, 2`);
    const objects: LeftObject[] = [];
    const live = new Map<string, boolean>();
    // Databases first: a run's role owns its database and can only go after it.
    for (const row of found.rows as { kind: 'database' | 'role'; name: string; c: string | null }[]) {
      const m = MARKER_RE.exec(row.c ?? '');
      if (!m) continue;
      const run = m[1]!;
      if (!live.has(run)) live.set(run, await stillLive(client, run));
      const base = { kind: row.kind, name: row.name, run, started: m[2]! };
      if (live.get(run)) { objects.push({ ...base, outcome: 'kept', reason: 'its run is still connected' }); continue; }
      if (options.dryRun) { objects.push({ ...base, outcome: 'kept', reason: 'dry run' }); continue; }
      const sql = row.kind === 'database' ? `DROP DATABASE IF EXISTS ${quoteIdent(row.name)} WITH (FORCE)` : `DROP ROLE IF EXISTS ${quoteIdent(row.name)}`;
      try {
        await client.query(sql);
        objects.push({ ...base, outcome: 'dropped' });
      } catch (e) {
        objects.push({ ...base, outcome: 'failed', reason: redact(asDbError(e).message) });
      }
    }
    return { ok: true, objects };
  } catch (e) {
    return { ok: false, message: redact(`cannot list what earlier runs left: ${asDbError(e).message}`) };
  } finally {
    await client.end().catch(() => undefined);
  }
}
