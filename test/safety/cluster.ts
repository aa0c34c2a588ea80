/**
 * The target of the safety suite: a PostgreSQL cluster the test starts itself (initdb/pg_ctl
 * from PATH, as the `postgres` system user when the test runs as root), independent of the
 * tool's own --local-server code. Local socket connections are trusted; TCP on 127.0.0.1 asks
 * for a SCRAM password, so the secrets test can pass a right and a wrong one.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const MAKER_PASSWORD = 's3cr3t-PW-xyz';
/** A second role like maker whose password URL-encoding changes. */
export const ENCODED_ROLE = 'maker_enc';
export const ENCODED_PASSWORD = 'p@ss:w/rd%s3cr3t&x=y #1';

export interface Cluster {
  readonly dir: string;
  /** The server's log: every statement, each line prefixed `user@database:`. */
  readonly log: string;
  readonly data: string;
  readonly port: number;
  /** A trusted socket URL: `postgresql://ROLE@localhost/DB?host=<socketdir>&port=<port>`. */
  url(role: string, db?: string): string;
  /** A TCP URL on 127.0.0.1 (SCRAM), without any password. */
  tcpUrl(role: string, db?: string): string;
  /** Runs SQL as the bootstrap superuser `postgres` over the socket. */
  sql(text: string, db?: string): Promise<Record<string, unknown>[]>;
  client(db?: string, user?: string): Promise<pg.Client>;
  stop(): Promise<void>;
}

function which(bin: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

export const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary as the postgres system user when we are root. */
export function runPg(bin: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): string {
  const cmd = asRoot ? 'runuser' : bin;
  const full = asRoot ? ['-u', 'postgres', '--', bin, ...args] : args;
  return execFileSync(cmd, full, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: opts.env ?? process.env, maxBuffer: 64 << 20 });
}

export async function startCluster(): Promise<Cluster> {
  const initdb = which('initdb');
  const pgCtl = which('pg_ctl');
  if (!initdb || !pgCtl) throw new Error('the safety suite needs initdb and pg_ctl on PATH');
  const dir = mkdtempSync(join(tmpdir(), 'sp-safety-'));
  if (asRoot) { chmodSync(dir, 0o777); execFileSync('chown', ['postgres', dir]); }
  const data = join(dir, 'data');
  runPg(initdb, ['-D', data, '--auth-local=trust', '--auth-host=scram-sha-256', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  let port = 0;
  for (let attempt = 0; attempt < 5 && !port; attempt++) {
    const p = 20000 + Math.floor(Math.random() * 40000);
    try {
      // autovacuum off: reltuples, relpages and the dead-tuple counters then only change when
      // something runs VACUUM/ANALYZE or writes, which is what the digest must notice.
      runPg(pgCtl, ['-D', data, '-o', `-p ${p} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c autovacuum=off -c max_connections=60 -c log_statement=all -c log_line_prefix=%u@%d:`, '-l', join(dir, `log-${p}`), '-w', 'start']);
      port = p;
    } catch { /* port taken: try another */ }
  }
  if (!port) throw new Error(`could not start the test cluster (logs in ${dir})`);
  const client = async (db = 'postgres', user = 'postgres'): Promise<pg.Client> => {
    const c = new pg.Client({ host: dir, port, user, database: db });
    c.on('error', () => undefined);
    await c.connect();
    return c;
  };
  return {
    dir, data, port, log: join(dir, `log-${port}`),
    url: (role, db = 'appdb') => `postgresql://${role}@localhost/${db}?host=${encodeURIComponent(dir)}&port=${port}`,
    tcpUrl: (role, db = 'appdb') => `postgresql://${role}@127.0.0.1:${port}/${db}`,
    client,
    async sql(text, db = 'postgres') {
      const c = await client(db);
      try { return (await c.query(text)).rows; } finally { await c.end(); }
    },
    async stop() {
      try { runPg(pgCtl, ['-D', data, '-m', 'immediate', 'stop']); } catch { /* already down */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The database the tool is pointed at: two schemas, data, an advanced sequence, audit
 * triggers, row-level security, roles with attributes, settings and memberships, and a second
 * database with a comment; plus the four roles the tool logs in as.
 */
export async function createTarget(c: Cluster): Promise<void> {
  // One statement at a time: CREATE DATABASE refuses the implicit transaction of a multi-statement query.
  const cluster = `
    CREATE ROLE super_admin LOGIN SUPERUSER;
    CREATE ROLE maker LOGIN CREATEDB CREATEROLE PASSWORD '${MAKER_PASSWORD}';
    CREATE ROLE ${ENCODED_ROLE} LOGIN CREATEDB CREATEROLE PASSWORD '${ENCODED_PASSWORD}';
    CREATE ROLE creator LOGIN CREATEDB;
    CREATE ROLE plain LOGIN;
    CREATE ROLE app_user LOGIN PASSWORD 'app-user-pw' CONNECTION LIMIT 5;
    ALTER ROLE app_user SET work_mem = '2MB';
    CREATE ROLE reporting LOGIN;
    GRANT app_user TO reporting;
    CREATE DATABASE appdb;
    COMMENT ON DATABASE appdb IS 'the application';
    GRANT CONNECT, TEMP ON DATABASE appdb TO app_user;
    CREATE DATABASE otherdb OWNER app_user;
    COMMENT ON DATABASE otherdb IS 'another team''s data';
    GRANT CONNECT ON DATABASE otherdb TO reporting;`;
  for (const statement of cluster.split(';\n')) if (statement.trim()) await c.sql(statement);
  await c.sql(`
    CREATE SCHEMA billing AUTHORIZATION app_user;
    CREATE TABLE public.accounts (id bigserial PRIMARY KEY, tenant_id int NOT NULL, name text NOT NULL);
    CREATE TABLE public.audit_log (id bigserial PRIMARY KEY, tbl text NOT NULL, op text NOT NULL, row_id bigint);
    CREATE FUNCTION public.audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO public.audit_log (tbl, op, row_id) VALUES (TG_TABLE_NAME, TG_OP, NEW.id); RETURN NEW; END $$;
    CREATE TABLE billing.invoices (
      id bigint PRIMARY KEY, account_id bigint NOT NULL REFERENCES public.accounts (id),
      amount numeric(12, 2) NOT NULL, status text NOT NULL CHECK (status IN ('open', 'paid')));
    CREATE TRIGGER invoices_audit AFTER INSERT OR UPDATE ON billing.invoices FOR EACH ROW EXECUTE FUNCTION public.audit();
    CREATE TRIGGER accounts_audit AFTER INSERT OR UPDATE ON public.accounts FOR EACH ROW EXECUTE FUNCTION public.audit();
    CREATE SEQUENCE billing.invoice_no;
    SELECT nextval('billing.invoice_no') FROM generate_series(1, 50);
    CREATE TABLE public.tenant_notes (id int PRIMARY KEY, tenant_id int NOT NULL, note text NOT NULL);
    ALTER TABLE public.tenant_notes ENABLE ROW LEVEL SECURITY;
    CREATE POLICY tenant_notes_own ON public.tenant_notes TO app_user USING (tenant_id = current_setting('app.tenant')::int);
    GRANT USAGE ON SCHEMA billing TO app_user;
    GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public, billing TO app_user;
    INSERT INTO public.accounts (tenant_id, name) SELECT i % 4, 'account ' || i FROM generate_series(1, 100) i;
    INSERT INTO billing.invoices SELECT i, 1 + i % 100, i * 1.5, CASE WHEN i % 3 = 0 THEN 'paid' ELSE 'open' END FROM generate_series(1, 300) i;
    UPDATE billing.invoices SET status = 'paid' WHERE id <= 20;
    INSERT INTO public.tenant_notes SELECT i, i % 4, 'note ' || i FROM generate_series(1, 40) i;
  `, 'appdb');
  await c.sql(`
    CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL);
    INSERT INTO t SELECT i, 'row ' || i FROM generate_series(1, 25) i;
    ALTER TABLE t OWNER TO app_user;
  `, 'otherdb');
  for (const db of ['appdb', 'otherdb', 'postgres']) await c.sql('VACUUM ANALYZE', db);
}
