/**
 * A digest of everything in the cluster that a proof must not touch, read as the bootstrap
 * superuser: per database (template0 aside) the schema (pg_dump --schema-only), every user
 * table's row count and an md5 over its rows, sequences, reltuples/relpages, the write and
 * tuple counters of pg_stat_user_tables, large objects; cluster-wide the roles with every
 * attribute and password hash, memberships, role settings, databases (owners, ACLs, comments),
 * tablespaces, subscriptions, replication slots, server settings and postgresql.auto.conf.
 *
 * Statistics reach the shared counters asynchronously (a backend flushes at most once a
 * second, and at exit), so `settled` polls for a few seconds before calling a difference real.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster } from './cluster.js';

export type Digest = Record<string, string>;

const CLUSTER_QUERIES: Record<string, string> = {
  roles: `SELECT rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication,
            rolbypassrls, rolconnlimit, rolpassword, rolvaliduntil FROM pg_authid ORDER BY rolname`,
  memberships: `SELECT r.rolname AS role, m.rolname AS member, g.rolname AS grantor, a.admin_option
            FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
            LEFT JOIN pg_roles g ON g.oid = a.grantor ORDER BY 1, 2, 3`,
  roleSettings: `SELECT coalesce(d.datname, '*') AS db, coalesce(r.rolname, '*') AS role, s.setconfig
            FROM pg_db_role_setting s LEFT JOIN pg_database d ON d.oid = s.setdatabase
            LEFT JOIN pg_roles r ON r.oid = s.setrole ORDER BY 1, 2`,
  databases: `SELECT d.datname, pg_get_userbyid(d.datdba) AS owner, d.encoding, d.datistemplate, d.datallowconn,
            d.datconnlimit, d.datacl::text, t.spcname, sd.description
            FROM pg_database d JOIN pg_tablespace t ON t.oid = d.dattablespace
            LEFT JOIN pg_shdescription sd ON sd.objoid = d.oid AND sd.classoid = 'pg_database'::regclass ORDER BY 1`,
  sharedComments: `SELECT classoid::regclass::text, objoid::text, description FROM pg_shdescription ORDER BY 1, 2`,
  tablespaces: `SELECT spcname, pg_get_userbyid(spcowner) AS owner, spcacl::text, spcoptions, pg_tablespace_location(oid)
            FROM pg_tablespace ORDER BY 1`,
  subscriptions: `SELECT subname, subconninfo, subenabled FROM pg_subscription ORDER BY 1`,
  replicationSlots: `SELECT slot_name, plugin, slot_type, database FROM pg_replication_slots ORDER BY 1`,
  parameterAcl: `SELECT parname, paracl::text FROM pg_parameter_acl ORDER BY 1`,
  settings: `SELECT name, setting, source FROM pg_settings WHERE source NOT IN ('session', 'client') ORDER BY name`,
};

const DATABASE_QUERIES: Record<string, string> = {
  sequences: `SELECT schemaname, sequencename, last_value, increment_by, max_value FROM pg_sequences ORDER BY 1, 2`,
  relationSizes: `SELECT n.nspname, c.relname, c.relkind, c.reltuples, c.relpages FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1, 2`,
  tableStats: `SELECT schemaname, relname, n_tup_ins, n_tup_upd, n_tup_del, n_live_tup, n_dead_tup
            FROM pg_stat_user_tables ORDER BY 1, 2`,
  largeObjects: `SELECT count(*) AS n, md5(string_agg(oid::text, ',' ORDER BY oid)) FROM pg_largeobject_metadata`,
  eventTriggers: `SELECT evtname, evtevent, evtenabled FROM pg_event_trigger ORDER BY 1`,
  userTables: `SELECT format('%I.%I', n.nspname, c.relname) AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
};

const run = promisify(execFile);

async function schemaDump(c: Cluster, db: string): Promise<string> {
  return (await run('pg_dump', ['--schema-only', '--restrict-key=schemaproofsafety', '-h', c.dir, '-p', String(c.port), '-U', 'postgres', '-d', db], { encoding: 'utf8', maxBuffer: 64 << 20 })).stdout;
}

export async function digest(c: Cluster): Promise<Digest> {
  const out: Digest = {};
  const admin = await c.client('postgres');
  let dbs: string[];
  try {
    for (const [k, q] of Object.entries(CLUSTER_QUERIES)) out[k] = JSON.stringify((await admin.query(q)).rows);
    dbs = (await admin.query("SELECT datname FROM pg_database WHERE datname <> 'template0' AND datname NOT LIKE 'schemaproof%' ORDER BY 1")).rows.map((r) => String(r.datname));
  } finally {
    await admin.end();
  }
  out.autoConf = readFileSync(join(c.data, 'postgresql.auto.conf'), 'utf8');
  // A database the attack made unreachable is a difference to report, not a crash of the digest.
  const dumps = Promise.all(dbs.map(async (db) => {
    out[`${db}.schema`] = await schemaDump(c, db).catch((e: Error) => `cannot dump: ${e.message}`);
  }));
  for (const db of dbs) {
    let cl;
    try { cl = await c.client(db); } catch (e) { out[`${db}.connect`] = (e as Error).message; continue; }
    try {
      await cl.query('SELECT pg_stat_clear_snapshot()');
      for (const [k, q] of Object.entries(DATABASE_QUERIES)) out[`${db}.${k}`] = JSON.stringify((await cl.query(q)).rows);
      for (const { name } of JSON.parse(out[`${db}.userTables`]!) as { name: string }[]) {
        const r = await cl.query(`SELECT count(*) AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS md5 FROM ${name} t`);
        out[`${db}.rows ${name}`] = JSON.stringify(r.rows[0]);
      }
    } finally {
      await cl.end();
    }
  }
  await dumps;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** The keys whose value differs, each with a short view of both sides. */
export function diffDigest(before: Digest, after: Digest): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const cut = (s: string | undefined): string => (s === undefined ? '(absent)' : s.length > 600 ? `${s.slice(0, 600)}...` : s);
  const out: string[] = [];
  for (const k of keys) {
    const a = before[k];
    const b = after[k];
    if (a === b) continue;
    if (a && b && k.endsWith('.schema')) {
      const al = new Set(a.split('\n'));
      const bl = new Set(b.split('\n'));
      out.push(`${k}: -${[...al].filter((l) => !bl.has(l)).slice(0, 8).join(' | ')} +${[...bl].filter((l) => !al.has(l)).slice(0, 8).join(' | ')}`);
    } else if (a?.startsWith('[') && b?.startsWith('[')) {
      // Rows of a catalog query: name the rows that went and came, not the whole list.
      const ar = (JSON.parse(a) as unknown[]).map((x) => JSON.stringify(x));
      const br = (JSON.parse(b) as unknown[]).map((x) => JSON.stringify(x));
      out.push(`${k}: -${cut(ar.filter((x) => !br.includes(x)).join(' '))} +${cut(br.filter((x) => !ar.includes(x)).join(' '))}`);
    } else out.push(`${k}: ${cut(a)} -> ${cut(b)}`);
  }
  return out;
}

/** Polls until the cluster's digest equals `expected` (stats flush late), for up to `ms`. */
export async function settledDiff(c: Cluster, expected: Digest, ms = 2500): Promise<string[]> {
  const end = Date.now() + ms;
  for (;;) {
    const d = diffDigest(expected, await digest(c));
    // Only the statistics counters arrive late; any other difference is already final.
    if (!d.length || Date.now() > end || d.some((x) => !/^\S+\.tableStats:/.test(x))) return d;
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** A stable digest: taken until two readings agree (the setup's own stats still flushing). */
export async function stableDigest(c: Cluster): Promise<Digest> {
  let prev = await digest(c);
  for (let i = 0; i < 20; i++) {
    await new Promise((r) => setTimeout(r, 400));
    const next = await digest(c);
    if (!diffDigest(prev, next).length) return next;
    prev = next;
  }
  throw new Error(`the cluster digest does not settle: ${diffDigest(prev, await digest(c)).join('\n')}`);
}

/** Databases and roles named schemaproof_* (what a run must not leave behind). */
export async function leftovers(c: Cluster): Promise<string[]> {
  const rows = await c.sql(`SELECT 'database ' || datname AS o FROM pg_database WHERE datname LIKE 'schemaproof%'
    UNION ALL SELECT 'role ' || rolname FROM pg_roles WHERE rolname LIKE 'schemaproof%' ORDER BY 1`);
  return rows.map((r) => String(r.o));
}
