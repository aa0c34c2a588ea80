/**
 * What `plan` is checked against: the shape of a database as PostgreSQL reports it, object by
 * object, to compare a database migrated by a plan with the target (the plan test and
 * bench/plan-corpus.ts). The plan's own progress table is left out.
 */
import type { PGlite } from '@electric-sql/pglite';

/**
 * The shape of a database: tables (kind, partition key and bound), columns (type, nullability, default), constraints, indexes, enum
 * values, views, functions, triggers, policies, sequences, extensions, domains, privileges and
 * row-level security, by name.
 */
export async function databaseShape(db: PGlite): Promise<Record<string, unknown[]>> {
  const rows = async (sql: string): Promise<unknown[]> => (await db.query(sql)).rows;
  const notProgress = "c.relname <> 'schemaproof_backfill_progress'";
  return {
    columns: await rows(`SELECT c.relname AS t, a.attname AS c, format_type(a.atttypid, a.atttypmod) AS ty, a.attnotnull AS nn, a.attgenerated AS gen, pg_get_expr(d.adbin, d.adrelid) AS def
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND ${notProgress} ORDER BY 1, 2`),
    // Kind, partition key, and for a partition its parent and bound.
    tables: await rows(`SELECT c.relname AS t, c.relkind AS k, pg_get_partkeydef(c.oid) AS key, pg_get_expr(c.relpartbound, c.oid) AS bound,
        (SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE i.inhrelid = c.oid ORDER BY 1 LIMIT 1) AS parent
      FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND ${notProgress} ORDER BY 1`),
    // NOT NULL is compared with the columns; as a constraint (PostgreSQL 18) its name follows the column's history.
    constraints: await rows(`SELECT conrelid::regclass::text AS t, conname AS n, pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid <> 0 AND contype <> 'n' AND conrelid NOT IN (SELECT oid FROM pg_class WHERE relname = 'schemaproof_backfill_progress') ORDER BY 1, 2`),
    indexes: await rows(`SELECT indexname AS n, indexdef AS d FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'schemaproof_backfill_progress' ORDER BY 1`),
    enums: await rows(`SELECT t.typname AS n, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS v FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid WHERE t.typnamespace = 'public'::regnamespace GROUP BY 1 ORDER BY 1`),
    views: await rows(`SELECT viewname AS n, definition AS d FROM pg_views WHERE schemaname = 'public' ORDER BY 1`),
    functions: await rows(`SELECT p.oid::regprocedure::text AS n, pg_get_functiondef(p.oid) AS d FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1`),
    triggers: await rows(`SELECT tgname AS n, pg_get_triggerdef(t.oid) AS d FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace ORDER BY 1`),
    policies: await rows(`SELECT tablename, policyname, permissive, roles, cmd, qual, with_check FROM pg_policies WHERE schemaname = 'public' ORDER BY 1, 2`),
    sequences: await rows(`SELECT sequencename AS n, data_type::text AS t, start_value::text AS start, min_value::text AS min, max_value::text AS max, increment_by::text AS inc, cache_size::text AS cache, cycle FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1`),
    extensions: await rows('SELECT extname AS n FROM pg_extension ORDER BY 1'),
    domains: await rows(`SELECT t.typname AS n, format_type(t.typbasetype, t.typtypmod) AS base, t.typnotnull AS nn, c.conname AS c, pg_get_constraintdef(c.oid) AS d
      FROM pg_type t LEFT JOIN pg_constraint c ON c.contypid = t.oid WHERE t.typtype = 'd' AND t.typnamespace = 'public'::regnamespace ORDER BY 1, 4`),
    // Privileges granted to others than the owner: on relations, their columns and functions.
    privileges: await rows(`SELECT c.relname AS o, CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END AS g, a.privilege_type AS p FROM pg_class c, aclexplode(c.relacl) a
        WHERE c.relnamespace = 'public'::regnamespace AND a.grantee <> c.relowner AND ${notProgress}
      UNION ALL SELECT c.relname || '.' || t.attname, CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END, a.privilege_type FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid, aclexplode(t.attacl) a
        WHERE c.relnamespace = 'public'::regnamespace AND a.grantee <> c.relowner
      UNION ALL SELECT p.oid::regprocedure::text, CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END, a.privilege_type FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
        WHERE p.pronamespace = 'public'::regnamespace AND a.grantee <> p.proowner ORDER BY 1, 2, 3`),
    // What objects created from now on are granted (ALTER DEFAULT PRIVILEGES), for the current
    // role: everywhere (PostgreSQL's own unless altered) and per schema.
    defaultPrivileges: await rows(`WITH me AS (SELECT oid FROM pg_roles WHERE rolname = current_user)
      SELECT '*' AS s, v.k, CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END AS g, a.privilege_type AS p
        FROM me, (VALUES ('r', 'r'), ('S', 's'), ('f', 'f'), ('T', 'T'), ('n', 'n')) AS v(k, dk),
        aclexplode(coalesce((SELECT defaclacl FROM pg_default_acl WHERE defaclnamespace = 0 AND defaclobjtype = v.k::"char" AND defaclrole = me.oid), acldefault(v.dk::"char", me.oid))) a
        WHERE a.grantee <> me.oid
      UNION ALL SELECT n.nspname, d.defaclobjtype::text, CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END, a.privilege_type
        FROM me, pg_default_acl d JOIN pg_namespace n ON n.oid = d.defaclnamespace, aclexplode(d.defaclacl) a WHERE d.defaclrole = me.oid AND a.grantee <> d.defaclrole ORDER BY 1, 2, 3, 4`),
    rls: await rows(`SELECT c.relname AS t, c.relrowsecurity AS rls, c.relforcerowsecurity AS force FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND ${notProgress} ORDER BY 1`),
  };
}
