/**
 * Privileges as they stand after each GRANT and REVOKE: per object, the set of "grantee
 * privilege" entries (a column privilege as `SELECT(col)`). The owner's own rights are left
 * out; the default PostgreSQL gives PUBLIC on a function (EXECUTE) is an entry from its
 * creation, so revoking it is seen. `plan` diffs these sets.
 */
import type { Ast } from '../../types.js';
import { str, strList } from '../../load/sql/ast.js';
import type { Draft } from '../draft.js';

/** What ALL means per kind of object. */
export const ALL_PRIVILEGES: Readonly<Record<string, readonly string[]>> = {
  table: ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'],
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
      if (o.TypeName) { const n = strList(o.TypeName.names); return n.length > 1 ? n.join('.') : `${d.creationSchema()}.${n[0] ?? ''}`; }
      if (o.List) { const n = strList(o.List.items); return n.length > 1 ? n.join('.') : `${d.creationSchema()}.${n[0] ?? ''}`; }
      return str(o);
    });
  } else return;
  const entries: string[] = [];
  const privileges: Ast[] = s.privileges ?? [];
  for (const who of roleNames(s.grantees).filter(Boolean)) {
    if (!privileges.length) for (const p of all) entries.push(aclEntry(who, p));
    for (const p of privileges) {
      const name = String(p.AccessPriv?.priv_name ?? '').toUpperCase();
      const cols = strList(p.AccessPriv?.cols);
      const list = name ? [name] : [...all];
      for (const priv of list) {
        if (cols.length) for (const c of cols) entries.push(aclEntry(who, `${priv}(${c})`));
        else entries.push(aclEntry(who, priv));
      }
    }
  }
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
