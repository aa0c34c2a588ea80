/** DROP, RENAME and COMMENT ON: statements that change or annotate what already exists. */
import type { Ast } from '../../types.js';
import { columnType, listItems, renamedType, str, strList } from '../../load/sql/ast.js';
import type { Draft } from '../draft.js';
import type { Expr, View } from '../model.js';
import { renameColumnInExpr, renameCreated, renameInView, renameTriggerFunction, type RenameUnderView } from '../rename-sql.js';
import { aclKey } from './acl.js';
import { retarget } from './objects.js';

/** Privileges follow an object renamed. */
function moveAcl(d: Draft, kind: string, from: string, to: string): void {
  const set = d.acl.get(aclKey(kind, from));
  if (!set) return;
  d.acl.delete(aclKey(kind, from));
  d.acl.set(aclKey(kind, to), set);
}

/** Renames a view in place, its stored statement and privileges included. */
function renameView(d: Draft, key: string, v: View, name: string): void {
  moveAcl(d, 'table', key, `${v.schema}.${name}`);
  d.views.delete(key);
  v.name = name;
  v.key = `${v.schema}.${name}`;
  if (v.sql) v.sql = renameCreated(v.sql, name);
  d.views.set(v.key, v);
}

/**
 * The views reading a table follow a rename of it or of one of its columns (call before the
 * rename applies): their stored statement is rewritten and re-read.
 */
function renameUnderViews(d: Draft, rename: RenameUnderView): void {
  for (const v of d.views.values()) {
    if (!v.sql || !v.dependsOn.includes(rename.table)) continue;
    const next = renameInView(v.sql, rename, (rv) => d.relKey(rv), (key) => d.tables.get(key)?.columns.map((c) => c.name));
    if (next) { v.sql = next.sql; v.query = next.query; }
  }
}

/** ALTER FUNCTION|PROCEDURE|ROUTINE ... RENAME TO: the function, its statement and the triggers that run it. */
function renameFunction(d: Draft, obj: Ast, name: string, missingOk: boolean): void {
  const n = strList(obj?.objname);
  const old = n[n.length - 1] ?? '';
  const schema = n.length > 1 ? n[n.length - 2] : undefined;
  const args = obj?.args_unspecified ? undefined : (obj?.objargs ?? []).map((a: Ast) => columnType(a.TypeName ?? a).display).join(',');
  const matches = [...d.functions.values()].filter((f) => f.name === old && (!schema || f.schema === schema) && (args === undefined || f.key.endsWith(`(${args})`)));
  if (!matches.length) { if (!missingOk) d.problem(`RENAME FUNCTION: ${n.join('.')} does not exist at this point`, n.join('.')); return; }
  if (matches[0]) moveAcl(d, 'function', `${matches[0].schema}.${old}`, `${matches[0].schema}.${name}`);
  for (const f of matches) {
    d.functions.delete(f.key);
    f.name = name;
    f.key = `${f.schema}.${name}${f.key.slice(f.key.indexOf('('))}`;
    if (f.sql) f.sql = renameCreated(f.sql, name);
    d.functions.set(f.key, f);
  }
  // A trigger runs its function by identity: after the rename it runs the renamed one.
  for (const t of d.triggers) {
    const parts = t.function.split('.');
    if (parts[parts.length - 1] !== old || (schema && parts.length > 1 && parts[0] !== schema)) continue;
    t.function = [...parts.slice(0, -1), name].join('.');
    if (t.sql) t.sql = renameTriggerFunction(t.sql, name);
  }
}

function names(obj: Ast): string[] {
  if (obj?.List) return strList(obj.List.items);
  if (obj?.String) return [str(obj)];
  if (obj?.TypeName) return strList(obj.TypeName.names);
  if (obj?.ObjectWithArgs) return strList(obj.ObjectWithArgs.objname);
  return [];
}

function dropRelation(d: Draft, key: string, cascade: boolean): void {
  d.acl.delete(aclKey('table', key));
  d.tables.delete(key);
  d.views.delete(key);
  for (const [k, ix] of d.indexes) if (ix.table === key) d.indexes.delete(k);
  d.policies = d.policies.filter((p) => p.table !== key);
  d.triggers = d.triggers.filter((t) => t.table !== key);
  if (!cascade) return;
  // DROP ... CASCADE also drops the views built on the relation, and theirs in turn.
  for (const v of [...d.views.values()]) if (v.dependsOn.includes(key) && d.views.has(v.key)) dropRelation(d, v.key, true);
}

function dropTable(d: Draft, key: string, cascade = false): void {
  dropRelation(d, key, cascade);
}

export function applyDrop(d: Draft, s: Ast): void {
  const type = String(s.removeType ?? '');
  for (const obj of s.objects ?? []) {
    const n = names(obj);
    const missing = (what: string, key: string): void => {
      if (!s.missing_ok) d.problem(`DROP ${what}: ${key} does not exist at this point`, key);
    };
    switch (type) {
      case 'OBJECT_TABLE': case 'OBJECT_FOREIGN_TABLE': {
        const key = d.nameKey(d.tables, n);
        if (d.tables.has(key)) dropTable(d, key, s.behavior === 'DROP_CASCADE');
        else if (d.isTemp(key)) d.tempTables.delete(n[n.length - 1] ?? '');
        else missing('TABLE', key);
        break;
      }
      case 'OBJECT_INDEX': {
        const key = d.nameKey(d.indexes, n);
        if (d.indexes.has(key)) d.indexes.delete(key); else missing('INDEX', key);
        break;
      }
      case 'OBJECT_VIEW': case 'OBJECT_MATVIEW': {
        const key = d.nameKey(d.views, n);
        if (d.views.has(key)) dropRelation(d, key, s.behavior === 'DROP_CASCADE'); else missing('VIEW', key);
        break;
      }
      case 'OBJECT_TYPE': {
        const key = d.nameKey(d.enums, n);
        d.enums.delete(key);
        break;
      }
      case 'OBJECT_DOMAIN': d.domains.delete(d.nameKey(d.domains, n)); break;
      case 'OBJECT_SEQUENCE': d.sequences.delete(d.nameKey(d.sequences, n)); break;
      case 'OBJECT_SCHEMA': {
        const schema = n[0] ?? '';
        d.schemas.delete(schema);
        for (const [k, t] of d.tables) if (t.schema === schema) dropTable(d, k);
        for (const [k, f] of d.functions) if (f.schema === schema) d.functions.delete(k);
        d.triggers = d.triggers.filter((t) => !t.function.startsWith(`${schema}.`));
        break;
      }
      case 'OBJECT_FUNCTION': case 'OBJECT_PROCEDURE': case 'OBJECT_ROUTINE': {
        const fname = n[n.length - 1];
        for (const [k, f] of d.functions) if (f.name === fname && (n.length < 2 || f.schema === n[0])) { d.functions.delete(k); d.acl.delete(aclKey('function', `${f.schema}.${f.name}`)); }
        // Triggers calling it are gone too: dropped by CASCADE, or the drop would have failed.
        d.triggers = d.triggers.filter((t) => t.function.split('.').pop() !== fname);
        break;
      }
      case 'OBJECT_TRIGGER': case 'OBJECT_POLICY': {
        const name = n[n.length - 1];
        const table = d.nameKey(d.tables, n.slice(0, -1));
        if (type === 'OBJECT_TRIGGER') d.triggers = d.triggers.filter((t) => !(t.table === table && t.name === name));
        else d.policies = d.policies.filter((p) => !(p.table === table && p.name === name));
        break;
      }
      case 'OBJECT_EXTENSION': d.extensions.delete(n[0] ?? ''); break;
      default: d.unmodelledHere(`DROP ${type.replace('OBJECT_', '')} is not modelled`); return;
    }
  }
}

export function applyRename(d: Draft, s: Ast): void {
  const type = String(s.renameType ?? '');
  switch (type) {
    case 'OBJECT_TABLE': case 'OBJECT_FOREIGN_TABLE': {
      const key = d.relKey(s.relation);
      const t = d.tables.get(key);
      if (!t) {
        const v = d.views.get(key);
        if (v) { renameView(d, key, v, s.newname); return; }
        if (!s.missing_ok) d.problem(`RENAME: table ${key} does not exist at this point`, key);
        return;
      }
      renameUnderViews(d, { table: key, newName: s.newname });
      d.tables.delete(key);
      t.name = s.newname;
      t.key = `${t.schema}.${s.newname}`;
      moveAcl(d, 'table', key, t.key);
      d.tables.set(t.key, t);
      retarget(d, key, t.key);
      return;
    }
    case 'OBJECT_VIEW': case 'OBJECT_MATVIEW': {
      const key = d.resolve(d.views, s.relation.relname, s.relation.schemaname);
      const v = d.views.get(key);
      if (v) renameView(d, key, v, s.newname);
      return;
    }
    case 'OBJECT_COLUMN': {
      const key = d.relKey(s.relation);
      const t = d.tables.get(key);
      const c = t?.columns.find((x) => x.name === s.subname);
      if (!t || !c) { if (!s.missing_ok) d.problem(`RENAME COLUMN: ${key}.${s.subname} does not exist at this point`, `${key}.${s.subname}`); return; }
      renameUnderViews(d, { table: key, column: { from: s.subname, to: s.newname } });
      c.name = s.newname;
      const from: string = s.subname;
      const to: string = s.newname;
      const rename = (e: Expr): Expr => renameColumnInExpr(e, from, to);
      for (const con of t.constraints) {
        con.columns = con.columns.map((x) => (x === from ? to : x));
        if (con.check) con.check = rename(con.check);
        if (con.where) con.where = rename(con.where);
      }
      for (const col of t.columns) if (col.generated) col.generated = rename(col.generated);
      for (const ix of d.indexes.values()) {
        if (ix.table !== key) continue;
        for (const k of ix.keys) { if (k.column === from) k.column = to; if (k.expr) k.expr = rename(k.expr); }
        if (ix.where) ix.where = rename(ix.where);
      }
      for (const p of d.policies) {
        if (p.table !== key) continue;
        if (p.using) p.using = rename(p.using);
        if (p.withCheck) p.withCheck = rename(p.withCheck);
      }
      return;
    }
    case 'OBJECT_INDEX': {
      const key = d.resolve(d.indexes, s.relation.relname, s.relation.schemaname);
      const ix = d.indexes.get(key);
      if (!ix) { if (!s.missing_ok) d.problem(`RENAME INDEX: ${key} does not exist at this point`, key); return; }
      d.indexes.delete(key);
      // Renaming the index of a primary key or unique constraint renames the constraint too.
      if (ix.constraint) {
        const con = d.tables.get(ix.table)?.constraints.find((c) => c.name === ix.constraint);
        if (con && con.name === ix.name) { con.name = s.newname; ix.constraint = s.newname; }
      }
      ix.name = s.newname;
      ix.key = `${ix.schema}.${s.newname}`;
      d.indexes.set(ix.key, ix);
      return;
    }
    case 'OBJECT_TABCONSTRAINT': {
      const t = d.tables.get(d.relKey(s.relation));
      const con = t?.constraints.find((c) => c.name === s.subname);
      if (con) {
        for (const [k, ix] of [...d.indexes]) {
          if (ix.constraint !== con.name || ix.table !== t!.key) continue;
          ix.constraint = s.newname;
          // ... and renaming the constraint renames its index.
          if (ix.name === con.name) { d.indexes.delete(k); ix.name = s.newname; ix.key = `${ix.schema}.${s.newname}`; d.indexes.set(ix.key, ix); }
        }
        con.name = s.newname;
      }
      return;
    }
    case 'OBJECT_SCHEMA': {
      d.schemas.delete(s.subname);
      d.schemas.add(s.newname);
      for (const [k, t] of [...d.tables]) {
        if (t.schema !== s.subname) continue;
        d.tables.delete(k);
        t.schema = s.newname;
        t.key = `${t.schema}.${t.name}`;
        d.tables.set(t.key, t);
        retarget(d, k, t.key);
      }
      return;
    }
    case 'OBJECT_TYPE': {
      const key = d.nameKey(d.enums, names(s.object));
      const e = d.enums.get(key);
      if (e) {
        const from = e.name;
        d.enums.delete(key); e.name = s.newname; e.key = `${e.schema}.${s.newname}`; d.enums.set(e.key, e);
        // Columns hold the type itself, not its name: they follow the rename.
        for (const t of d.tables.values()) {
          for (const c of t.columns) {
            if (c.type.name !== from || (c.type.schema !== undefined && c.type.schema !== e.schema)) continue;
            c.type = renamedType(c.type, s.newname);
          }
        }
      }
      return;
    }
    case 'OBJECT_POLICY': {
      const table = d.relKey(s.relation);
      const p = d.policies.find((x) => x.table === table && x.name === s.subname);
      if (p) p.name = s.newname;
      return;
    }
    case 'OBJECT_TRIGGER': {
      const table = d.relKey(s.relation);
      const tr = d.triggers.find((x) => x.table === table && x.name === s.subname);
      if (tr) { tr.name = s.newname; if (tr.sql) tr.sql = renameCreated(tr.sql, s.newname); }
      return;
    }
    case 'OBJECT_FUNCTION': case 'OBJECT_PROCEDURE': case 'OBJECT_ROUTINE':
      renameFunction(d, s.object?.ObjectWithArgs, s.newname, Boolean(s.missing_ok));
      return;
    case 'OBJECT_SEQUENCE': {
      const key = d.resolve(d.sequences, s.relation.relname, s.relation.schemaname);
      const seq = d.sequences.get(key);
      if (seq) {
        moveAcl(d, 'sequence', key, `${seq.schema}.${s.newname}`);
        d.sequences.delete(key);
        seq.name = s.newname;
        seq.key = `${seq.schema}.${s.newname}`;
        if (seq.sql) seq.sql = renameCreated(seq.sql, s.newname);
        d.sequences.set(seq.key, seq);
        return;
      }
      // The sequence of a serial or identity column.
      const column = d.columnOfSequence(key);
      if (column) column.sequence = s.newname;
      else if (!s.missing_ok) d.problem(`RENAME SEQUENCE: ${key} does not exist at this point`, key);
      return;
    }
    default:
      d.unmodelledHere(`RENAME of ${type.replace('OBJECT_', '').toLowerCase()} is not modelled`);
  }
}

export function applyComment(d: Draft, s: Ast): void {
  const n = names(s.object);
  const comment: string | undefined = s.comment ?? undefined;
  switch (s.objtype) {
    case 'OBJECT_TABLE': {
      const key = d.nameKey(d.tables, n);
      const t = d.tables.get(key);
      if (t) t.comment = comment;
      else { const v = d.views.get(d.nameKey(d.views, n)); if (v) v.comment = comment; }
      return;
    }
    case 'OBJECT_VIEW': case 'OBJECT_MATVIEW': {
      const v = d.views.get(d.nameKey(d.views, n));
      if (v) v.comment = comment;
      return;
    }
    case 'OBJECT_COLUMN': {
      const t = d.tables.get(d.nameKey(d.tables, n.slice(0, -1)));
      const c = t?.columns.find((x) => x.name === n[n.length - 1]);
      if (c) c.comment = comment;
      return;
    }
    case 'OBJECT_INDEX': {
      const ix = d.indexes.get(d.nameKey(d.indexes, n));
      if (ix) ix.comment = comment;
      return;
    }
    default:
      // Comments on functions, schemas, types... are kept nowhere yet.
      return;
  }
}
