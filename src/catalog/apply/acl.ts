/**
 * Privileges as they stand after each GRANT and REVOKE: per object, the set of "grantee
 * privilege" entries (a column privilege as `SELECT(col)`). The owner's own rights are left
 * out; the default PostgreSQL gives PUBLIC on a function (EXECUTE) is an entry from its
 * creation, so revoking it is seen. `plan` diffs these sets.
 */
import type { Ast } from '../../types.js';
import { str, strList } from '../../load/sql/ast.js';
import type { Draft } from '../draft.js';

/** What ALL means per kind of object (MAINTAIN on tables since PostgreSQL 17). */
export const ALL_PRIVILEGES: Readonly<Record<string, readonly string[]>> = {
  table: ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER', 'MAINTAIN'],
  sequence: ['USAGE', 'SELECT', 'UPDATE'],
  function: ['EXECUTE'],
  procedure: ['EXECUTE'],
  schema: ['USAGE', 'CREATE'],
  type: ['USAGE'],
  domain: ['USAGE'],
};

/** The key of an object's privileges: `table:public.orders`, `function:public.f`. */
export function aclKey(kind: string, object: string): string {
  return `${kind}:${object}`;
}

/** One privilege entry: who and what (tab-separated, the grantee lower-case as PostgreSQL stores it). */
export function aclEntry(grantee: string, privilege: string): string {
  return `${grantee}\t${privilege}`;
}

/** What PostgreSQL grants on an object from its creation: EXECUTE to PUBLIC on a function, else nothing. */
export function defaultAclOf(key: string): Set<string> {
  return new Set(key.startsWith('function:') ? [aclEntry('public', 'EXECUTE')] : []);
}

/** Role names as the catalog keeps them: PUBLIC and CURRENT_USER and the like in lower case. */
export function roleNames(roles: Ast[] | undefined): string[] {
  return (roles ?? []).map((r: Ast) => {
    const rs = r.RoleSpec;
    if (!rs) return '';
    if (rs.roletype === 'ROLESPEC_PUBLIC') return 'public';
    if (rs.roletype === 'ROLESPEC_CURRENT_USER') return 'current_user';
    if (rs.roletype === 'ROLESPEC_SESSION_USER') return 'session_user';
    if (rs.roletype === 'ROLESPEC_CURRENT_ROLE') return 'current_role';
    return rs.rolename ?? '';
  });
}

/**
 * The entries a GRANT or REVOKE (or ALTER DEFAULT PRIVILEGES' action) names: each grantee with
 * each privilege, ALL (no privilege list, or ALL PRIVILEGES) spelled out as `all`, a column
 * privilege as `SELECT(col)`.
 */
function grantEntries(s: Ast, all: readonly string[]): string[] {
  const entries: string[] = [];
  const privileges: Ast[] = s.privileges ?? [];
  for (const who of roleNames(s.grantees).filter(Boolean)) {
    if (!privileges.length) for (const p of all) entries.push(aclEntry(who, p));
    for (const p of privileges) {
      const name = String(p.AccessPriv?.priv_name ?? '').toUpperCase();
      const cols = strList(p.AccessPriv?.cols);
      for (const priv of name ? [name] : all) {
        if (cols.length) for (const c of cols) entries.push(aclEntry(who, `${priv}(${c})`));
        else entries.push(aclEntry(who, priv));
      }
    }
  }
  return entries;
}

/** Applies a GRANT or REVOKE (on objects; role membership grants are another statement). */
export function applyAcl(d: Draft, s: Ast): void {
  const kind = String(s.objtype ?? '').replace('OBJECT_', '').toLowerCase();
  const all = ALL_PRIVILEGES[kind];
  if (!all) return;
  let objects: string[];
  if (s.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') {
    // ALL TABLES IN SCHEMA: the ones there now (tables and views), not those created later.
    const schemas = new Set((s.objects ?? []).map(str));
    if (kind === 'table') objects = [...d.tables.values(), ...d.views.values()].filter((t) => schemas.has(t.schema)).map((t) => t.key);
    else if (kind === 'sequence') objects = [...d.sequences.values()].filter((q) => schemas.has(q.schema)).map((q) => q.key);
    else if (kind === 'function' || kind === 'procedure') objects = [...new Set([...d.functions.values()].filter((f) => schemas.has(f.schema)).map((f) => `${f.schema}.${f.name}`))];
    else return;
  } else if (s.targtype === 'ACL_TARGET_OBJECT') {
    objects = (s.objects ?? []).map((o: Ast) => {
      if (o.RangeVar) return d.relKey(o.RangeVar);
      if (o.ObjectWithArgs) {
        const n = strList(o.ObjectWithArgs.objname);
        const name = n[n.length - 1] ?? '';
        return `${n.length > 1 ? n[n.length - 2] : d.resolveFunctionSchema(name)}.${name}`;
      }
      if (o.TypeName) { const n = strList(o.TypeName.names); return n.length > 1 ? n.join('.') : `${d.lookupSchema()}.${n[0] ?? ''}`; }
      if (o.List) { const n = strList(o.List.items); return n.length > 1 ? n.join('.') : `${d.lookupSchema()}.${n[0] ?? ''}`; }
      return str(o);
    });
  } else return;
  const entries = grantEntries(s, all);
  const key = kind === 'procedure' ? 'function' : kind === 'domain' ? 'type' : kind;
  for (const o of objects) {
    const k = aclKey(key, o);
    const set = d.acl.get(k) ?? defaultAclOf(k);
    for (const e of entries) {
      if (s.is_grant) set.add(e);
      else {
        set.delete(e);
        // Revoking a table privilege revokes it on every column too.
        const [who, priv] = e.split('\t');
        if (!priv!.includes('(')) for (const x of [...set]) if (x.startsWith(`${who}\t${priv}(`)) set.delete(x);
      }
    }
    d.acl.set(k, set);
  }
}

/** ALTER DEFAULT PRIVILEGES' object kinds, as the acl keys name them. */
const DEFAULT_KINDS: Readonly<Record<string, string>> = {
  OBJECT_TABLE: 'table', OBJECT_SEQUENCE: 'sequence', OBJECT_FUNCTION: 'function', OBJECT_PROCEDURE: 'function',
  OBJECT_ROUTINE: 'function', OBJECT_TYPE: 'type', OBJECT_DOMAIN: 'type', OBJECT_SCHEMA: 'schema',
};

/** The key of default privileges: `public|table` for IN SCHEMA public, `*|table` for every schema. */
export function defaultAclKey(schema: string | undefined, kind: string): string {
  return `${schema ?? '*'}|${kind}`;
}

/**
 * ALTER DEFAULT PRIVILEGES [IN SCHEMA ...] GRANT|REVOKE: the privileges objects created later get.
 * Only the defaults of the role that runs the schema are modelled: FOR ROLE another role is noted
 * as unmodelled, since who creates the objects is not known here.
 */
export function applyDefaultPrivileges(d: Draft, s: Ast): void {
  const opt = (name: string): Ast[] => (s.options ?? []).map((o: Ast) => o.DefElem).filter((e: Ast) => e?.defname === name).flatMap((e: Ast) => e.arg?.List?.items ?? []);
  const roles = roleNames(opt('roles'));
  if (roles.some((r) => r !== 'current_user' && r !== 'current_role')) {
    d.unmodelledHere(`ALTER DEFAULT PRIVILEGES FOR ROLE ${roles.join(', ')} is not modelled (the objects' creator is not known)`);
    return;
  }
  const a = s.action ?? {};
  const kind = DEFAULT_KINDS[a.objtype];
  if (!kind) return;
  const entries = grantEntries(a, ALL_PRIVILEGES[kind]!);
  const schemas = opt('schemas').map(str);
  for (const schema of schemas.length ? schemas : [undefined]) {
    const key = defaultAclKey(schema, kind);
    const set = new Set(defaultAclAt(d.defaultAcl, key));
    for (const e of entries) { if (a.is_grant) set.add(e); else set.delete(e); }
    d.defaultAcl.set(key, set);
  }
}

/**
 * The default privileges in force at `key` (`schema|kind`): as altered, else PostgreSQL's own
 * for every schema (EXECUTE for PUBLIC on functions) and nothing added for one schema.
 */
export function defaultAclAt(defaults: ReadonlyMap<string, ReadonlySet<string>>, key: string): ReadonlySet<string> {
  const [schema, kind] = key.split('|') as [string, string];
  return defaults.get(key) ?? (schema === '*' ? defaultAclOf(`${kind}:`) : new Set<string>());
}

/**
 * The privileges an object of `kind` created in `schema` starts with: the defaults for every
 * schema and those of its schema. Undefined when they are PostgreSQL's own, so catalogs without
 * ALTER DEFAULT PRIVILEGES keep no entry for it.
 */
export function initialAcl(d: Draft, kind: string, schema: string): Set<string> | undefined {
  const every = defaultAclKey(undefined, kind);
  const own = defaultAclKey(schema, kind);
  if (!d.defaultAcl.has(every) && !d.defaultAcl.has(own)) return undefined;
  return new Set([...defaultAclAt(d.defaultAcl, every), ...defaultAclAt(d.defaultAcl, own)]);
}

/** Gives a new object the privileges of the defaults in force (see initialAcl). */
export function grantDefaults(d: Draft, kind: string, schema: string, object: string): void {
  const set = initialAcl(d, kind, schema);
  if (set) d.acl.set(aclKey(kind, object), set);
}
