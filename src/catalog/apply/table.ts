/** CREATE TABLE, ALTER TABLE and the column and constraint definitions they carry. */
import type { Ast } from '../../types.js';
import { columnType, constValue, identSql, listItems, str, strList } from '../../load/sql/ast.js';
import { sequenceOptions } from './sequence-options.js';
import { objectName, serialSequenceName } from '../names.js';
import type { Column, Constraint, FkAction, Index, Table } from '../model.js';
import { type Draft, nodeLoc } from '../draft.js';
import { grantDefaults } from './acl.js';

/** What may follow a column's DEFAULT expression in its definition (the expression is a b_expr: none of these continue it). */
const AFTER_DEFAULT: ReadonlySet<string> = new Set(['NOT', 'NULL', 'CONSTRAINT', 'CHECK', 'DEFAULT', 'REFERENCES', 'UNIQUE', 'PRIMARY', 'GENERATED', 'COLLATE', 'DEFERRABLE', 'INITIALLY', 'USING']);

const FK_ACTIONS: Record<string, FkAction> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };
const SUFFIX: Record<Constraint['kind'], string> = { primary: 'pkey', unique: 'key', foreign: 'fkey', check: 'check', exclusion: 'excl' };
const KINDS: Record<string, Constraint['kind']> = {
  CONSTR_PRIMARY: 'primary', CONSTR_UNIQUE: 'unique', CONSTR_FOREIGN: 'foreign', CONSTR_CHECK: 'check', CONSTR_EXCLUSION: 'exclusion',
};

function implicitName(table: Table, kind: Constraint['kind'], columns: string[]): string {
  return objectName(table.name, kind === 'primary' || !columns.length ? undefined : columns.join('_'), SUFFIX[kind]);
}

/**
 * A serial or identity column created on `table` draws from a sequence named after both, which
 * starts with the default privileges in force, as any new sequence does.
 */
function nameSequence(d: Draft, table: Table, column: Column): void {
  if (!(column.type.serial || column.identity) || column.sequence) return;
  column.sequence = serialSequenceName(table.name, column.name);
  grantDefaults(d, 'sequence', table.schema, `${table.schema}.${column.sequence}`);
}

/** What may follow a partition key expression inside PARTITION BY (...). */
const PARTITION_ELEM_END: ReadonlySet<string> = new Set(['COLLATE']);

/** A partition bound (PartitionBoundSpec) as SQL. */
function boundSql(d: Draft, b: Ast): string {
  const datum = (n: Ast): string => {
    const name = n?.ColumnRef?.fields?.length === 1 ? str(n.ColumnRef.fields[0]) : undefined;
    if (name === 'minvalue' || name === 'maxvalue') return name.toUpperCase();
    return d.expr(n).text;
  };
  const list = (xs: Ast[] | undefined): string => (xs ?? []).map(datum).join(', ');
  if (b.is_default) return 'DEFAULT';
  if (b.strategy === 'l') return `FOR VALUES IN (${list(b.listdatums)})`;
  if (b.strategy === 'h') return `FOR VALUES WITH (MODULUS ${Number(b.modulus ?? 0)}, REMAINDER ${Number(b.remainder ?? 0)})`;
  return `FOR VALUES FROM (${list(b.lowerdatums)}) TO (${list(b.upperdatums)})`;
}

/** A constraint node as written, with the column it was written on when it is a column constraint. */
export interface PendingConstraint { readonly con: Ast; readonly column?: string }

function columnFromDef(d: Draft, def: Ast): { column: Column; constraints: PendingConstraint[] } {
  const column: Column = {
    name: def.colname,
    type: columnType(def.typeName),
    notNull: false,
    loc: nodeLoc(d, def.location),
  };
  const rest: PendingConstraint[] = [];
  for (const c of def.constraints ?? []) {
    const con = c.Constraint;
    switch (con?.contype) {
      case 'CONSTR_NOTNULL': column.notNull = true; break;
      case 'CONSTR_NULL': column.notNull = false; break;
      case 'CONSTR_DEFAULT': column.default = d.expr(con.raw_expr, AFTER_DEFAULT); break;
      case 'CONSTR_IDENTITY':
        column.identity = con.generated_when === 'd' ? 'by-default' : 'always';
        column.notNull = true;
        if (con.options?.length) column.sequenceOptions = sequenceOptions(con.options, {});
        break;
      case 'CONSTR_GENERATED': column.generated = d.expr(con.raw_expr); break;
      case 'CONSTR_PRIMARY': column.notNull = true; rest.push({ con, column: def.colname }); break;
      case 'CONSTR_UNIQUE': case 'CONSTR_FOREIGN': case 'CONSTR_CHECK': rest.push({ con, column: def.colname }); break;
      // [NOT] DEFERRABLE, INITIALLY DEFERRED|IMMEDIATE qualify the constraint written before them.
      case 'CONSTR_ATTR_DEFERRABLE': case 'CONSTR_ATTR_NOT_DEFERRABLE': case 'CONSTR_ATTR_DEFERRED': case 'CONSTR_ATTR_IMMEDIATE': {
        const last = rest[rest.length - 1];
        if (!last) break;
        const attr = con.contype === 'CONSTR_ATTR_DEFERRABLE' ? { deferrable: true }
          : con.contype === 'CONSTR_ATTR_NOT_DEFERRABLE' ? { deferrable: false }
          : con.contype === 'CONSTR_ATTR_DEFERRED' ? { initdeferred: true, deferrable: true } : { initdeferred: false };
        rest[rest.length - 1] = { ...last, con: { ...last.con, ...attr } };
        break;
      }
      default: if (con) rest.push({ con });
    }
  }
  if (column.type.serial) {
    column.notNull = true;
    column.default ??= { ast: null, text: 'nextval(...)', key: 'serial', columns: [] };
  }
  return { column, constraints: rest };
}

/**
 * Adds a table constraint; unique, primary and exclusion constraints also get their index.
 * `column` is set for a constraint written on a column (its keys are that column).
 */
export function addConstraint(d: Draft, table: Table, con: Ast, column?: string): void {
  if (con.contype === 'CONSTR_NOTNULL') {
    for (const k of strList(con.keys)) { const c = table.columns.find((x) => x.name === k); if (c) c.notNull = true; }
    return;
  }
  const kind = KINDS[con.contype];
  if (!kind) return;
  let columns: string[] = [];
  // ADD CONSTRAINT ... USING INDEX: the index's columns, and the index takes the constraint's name.
  const using = con.indexname ? d.indexes.get(`${table.schema}.${con.indexname}`) : undefined;
  if (using) d.indexes.delete(using.key);
  if (kind === 'primary' || kind === 'unique') columns = column ? [column] : using ? using.keys.map((k) => k.column ?? '') : strList(con.keys);
  if (kind === 'foreign') columns = column ? [column] : strList(con.fk_attrs);
  if (kind === 'check') columns = column ? [column] : [];
  const exclusion = kind === 'exclusion'
    ? (con.exclusions ?? []).map((pair: Ast) => {
        const items = pair.List?.items ?? [];
        const elem = items[0]?.IndexElem;
        return { column: elem?.name as string | undefined, operator: strList(items[1]?.List?.items).join('.') };
      })
    : undefined;
  if (kind === 'exclusion') columns = exclusion!.map((e: { column?: string }) => e.column ?? '').filter(Boolean);
  const constraint: Constraint = {
    name: con.conname ?? implicitName(table, kind, columns),
    kind,
    columns,
    notValid: Boolean(con.skip_validation),
    deferrable: Boolean(con.deferrable || con.initdeferred),
    initiallyDeferred: Boolean(con.initdeferred),
    loc: nodeLoc(d, con.location),
  };
  if (kind === 'check') {
    constraint.check = d.expr(con.raw_expr);
    if (!column) constraint.columns = [...constraint.check.columns];
  }
  if (kind === 'foreign') {
    constraint.ref = { table: d.relKey(con.pktable), columns: strList(con.pk_attrs) };
    constraint.onDelete = FK_ACTIONS[con.fk_del_action ?? 'a'] ?? 'no action';
    constraint.onUpdate = FK_ACTIONS[con.fk_upd_action ?? 'a'] ?? 'no action';
  }
  if (exclusion) constraint.exclusion = exclusion;
  if (con.where_clause) constraint.where = d.expr(con.where_clause);
  if (con.nulls_not_distinct) constraint.nullsNotDistinct = true;
  if (kind === 'primary') for (const c of table.columns) if (columns.includes(c.name)) c.notNull = true;
  table.constraints.push(constraint);

  if (kind === 'primary' || kind === 'unique' || kind === 'exclusion') {
    const name = con.conname ?? con.indexname ?? constraint.name;
    const index: Index = {
      key: `${table.schema}.${name}`,
      schema: table.schema,
      name,
      table: table.key,
      unique: kind !== 'exclusion',
      method: kind === 'exclusion' ? con.access_method ?? 'gist' : 'btree',
      keys: using ? using.keys : columns.map((c) => ({ column: c, desc: false })),
      include: using ? using.include : strList(con.including),
      where: constraint.where,
      constraint: constraint.name,
      primary: kind === 'primary',
      nullsNotDistinct: using ? using.nullsNotDistinct : Boolean(con.nulls_not_distinct),
      loc: constraint.loc,
    };
    d.indexes.set(index.key, index);
  }
}

export function applyCreateTable(d: Draft, s: Ast): void {
  const rv = s.relation;
  // A temporary table lasts one session: not part of the schema.
  if (rv.relpersistence === 't') { d.tempTables.add(rv.relname); return; }
  const schema = d.creationSchema(rv.schemaname);
  const key = `${schema}.${rv.relname}`;
  if (d.tables.has(key)) {
    if (!s.if_not_exists) d.problem(`table ${key} is created twice`, key);
    return;
  }
  d.schemas.add(schema);
  const table: Table = {
    key, schema, name: rv.relname,
    kind: s.partspec ? 'partitioned' : 'table',
    columns: [], constraints: [], rls: false, forceRls: false,
    unlogged: rv.relpersistence === 'u',
    inherits: [],
    loc: d.loc,
  };
  if (s.partspec) {
    const ps = s.partspec;
    const strategy = String(ps.strategy ?? '').replace('PARTITION_STRATEGY_', '');
    const elems: Ast[] = (ps.partParams ?? []).map((p: Ast) => p.PartitionElem);
    table.partitionKey = `${strategy.toLowerCase()} (${elems.map((e) => e?.name ?? 'expr').join(', ')})`;
    table.partitionBy = `${strategy} (${elems.map((e) => [
      e?.name ? identSql(e.name) : `(${d.expr(e?.expr, PARTITION_ELEM_END).text})`,
      e?.collation?.length ? ` COLLATE ${strList(e.collation).map(identSql).join('.')}` : '',
      e?.opclass?.length ? ` ${strList(e.opclass).map(identSql).join('.')}` : '',
    ].join('')).join(', ')})`;
  }
  const parents = (s.inhRelations ?? []).map((r: Ast) => d.relKey(r.RangeVar));
  if (s.partbound) { table.partitionOf = parents[0]; table.partitionBound = boundSql(d, s.partbound); }
  else table.inherits = parents;
  const pending: PendingConstraint[] = [];
  for (const el of s.tableElts ?? []) {
    if (el.ColumnDef) {
      const { column, constraints } = columnFromDef(d, el.ColumnDef);
      nameSequence(d, table, column);
      table.columns.push(column);
      pending.push(...constraints);
    } else if (el.Constraint) pending.push({ con: el.Constraint });
    else if (el.TableLikeClause) {
      const src = d.tables.get(d.relKey(el.TableLikeClause.relation));
      if (src) table.columns.push(...src.columns.map((c) => ({ ...c })));
    }
  }
  if (table.partitionOf) {
    const parent = d.tables.get(table.partitionOf);
    if (parent && table.columns.length === 0) table.columns = parent.columns.map((c) => ({ ...c }));
  }
  d.tables.set(key, table);
  grantDefaults(d, 'table', schema, key);
  for (const p of pending) addConstraint(d, table, p.con, p.column);
}

function findColumn(d: Draft, table: Table, name: string, what: string): Column | undefined {
  const c = table.columns.find((x) => x.name === name);
  if (!c) d.problem(`${what}: column ${table.name}.${name} does not exist at this point`, `${table.name}.${name}`);
  return c;
}

export function applyAlterTable(d: Draft, s: Ast): void {
  if (s.objtype && s.objtype !== 'OBJECT_TABLE' && s.objtype !== 'OBJECT_FOREIGN_TABLE') {
    d.unmodelledHere(`ALTER ${String(s.objtype).replace('OBJECT_', '')} is not modelled`);
    return;
  }
  const key = d.relKey(s.relation);
  const table = d.tables.get(key);
  if (!table) {
    // pg_dump alters sequences and views with ALTER TABLE (OWNER TO, SET DEFAULT ...).
    const other = d.sequences.has(d.resolve(d.sequences, s.relation?.relname ?? '', s.relation?.schemaname)) || d.views.has(d.resolve(d.views, s.relation?.relname ?? '', s.relation?.schemaname));
    if (!s.missing_ok && !other && !d.isTemp(key)) d.problem(`ALTER TABLE: table ${key} does not exist at this point`, key);
    return;
  }
  for (const item of s.cmds ?? []) {
    const cmd = item.AlterTableCmd;
    if (!cmd) continue;
    switch (cmd.subtype) {
      case 'AT_AddColumn': {
        const def = cmd.def?.ColumnDef;
        if (!def) break;
        if (table.columns.some((c) => c.name === def.colname)) {
          if (!cmd.missing_ok) d.problem(`column ${table.name}.${def.colname} already exists`, `${table.name}.${def.colname}`);
          break;
        }
        const { column, constraints } = columnFromDef(d, def);
        nameSequence(d, table, column);
        table.columns.push(column);
        for (const p of constraints) addConstraint(d, table, p.con, p.column);
        break;
      }
      case 'AT_DropColumn': {
        const before = table.columns.length;
        table.columns = table.columns.filter((c) => c.name !== cmd.name);
        if (before === table.columns.length && !cmd.missing_ok) findColumn(d, table, cmd.name, 'DROP COLUMN');
        table.constraints = table.constraints.filter((c) => !c.columns.includes(cmd.name));
        // An index goes with any column it reads: a key, a key expression, INCLUDE or its predicate.
        const reads = (ix: Index): boolean => ix.keys.some((x) => x.column === cmd.name || x.expr?.columns.includes(cmd.name))
          || ix.include.includes(cmd.name) || Boolean(ix.where?.columns.includes(cmd.name));
        for (const [k, ix] of d.indexes) if (ix.table === key && reads(ix)) d.indexes.delete(k);
        break;
      }
      case 'AT_AlterColumnType': {
        const c = findColumn(d, table, cmd.name, 'ALTER COLUMN TYPE');
        if (c && cmd.def?.ColumnDef?.typeName) c.type = columnType(cmd.def.ColumnDef.typeName);
        break;
      }
      case 'AT_ColumnDefault': {
        const c = findColumn(d, table, cmd.name, 'ALTER COLUMN DEFAULT');
        if (c) { if (cmd.def) c.default = d.expr(cmd.def); else delete c.default; }
        break;
      }
      case 'AT_SetNotNull': { const c = findColumn(d, table, cmd.name, 'SET NOT NULL'); if (c) c.notNull = true; break; }
      case 'AT_DropNotNull': { const c = findColumn(d, table, cmd.name, 'DROP NOT NULL'); if (c) c.notNull = false; break; }
      case 'AT_AddIdentity': {
        const c = findColumn(d, table, cmd.name, 'ADD IDENTITY');
        const con = cmd.def?.Constraint;
        if (c) {
          c.identity = con?.generated_when === 'd' ? 'by-default' : 'always';
          c.notNull = true;
          nameSequence(d, table, c);
          if (con?.options?.length) c.sequenceOptions = sequenceOptions(con.options, {});
        }
        break;
      }
      case 'AT_DropIdentity': { const c = findColumn(d, table, cmd.name, 'DROP IDENTITY'); if (c) { delete c.identity; if (!c.type.serial) { delete c.sequence; delete c.sequenceOptions; } } break; }
      case 'AT_SetIdentity': {
        // SET INCREMENT BY / SET START / RESTART ... and SET GENERATED ALWAYS | BY DEFAULT.
        const c = findColumn(d, table, cmd.name, 'SET identity option');
        if (!c) break;
        const items: Ast[] = listItems(cmd.def);
        const generated = items.find((x) => x.DefElem?.defname === 'generated')?.DefElem?.arg;
        if (generated) c.identity = (generated.Integer?.ival ?? 0) === 100 ? 'by-default' : 'always';
        c.sequenceOptions = sequenceOptions(items, c.sequenceOptions ?? {});
        break;
      }
      case 'AT_AddConstraint': if (cmd.def?.Constraint) addConstraint(d, table, cmd.def.Constraint); break;
      case 'AT_AlterConstraint': {
        // ALTER CONSTRAINT name [NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]: only its timing changes.
        const a = cmd.def?.ATAlterConstraint;
        const c = table.constraints.find((x) => x.name === a?.conname);
        if (!c) { d.problem(`ALTER CONSTRAINT: ${a?.conname} does not exist on ${table.key} at this point`, `${table.key}.${a?.conname}`); break; }
        if (!a.alterDeferrability) { d.unmodelledHere('ALTER CONSTRAINT other than its deferrability is not modelled'); break; }
        c.deferrable = Boolean(a.deferrable || a.initdeferred);
        c.initiallyDeferred = Boolean(a.initdeferred);
        break;
      }
      case 'AT_DropConstraint': {
        const before = table.constraints.length;
        table.constraints = table.constraints.filter((c) => c.name !== cmd.name);
        for (const [k, ix] of d.indexes) if (ix.table === key && ix.constraint === cmd.name) d.indexes.delete(k);
        if (before === table.constraints.length && !cmd.missing_ok) {
          d.problem(`DROP CONSTRAINT: constraint ${cmd.name} on ${table.name} does not exist at this point`, cmd.name);
        }
        break;
      }
      case 'AT_ValidateConstraint': {
        const c = table.constraints.find((x) => x.name === cmd.name);
        if (c) c.notValid = false;
        break;
      }
      case 'AT_EnableRowSecurity': table.rls = true; break;
      case 'AT_DisableRowSecurity': table.rls = false; break;
      case 'AT_ForceRowSecurity': table.forceRls = true; break;
      case 'AT_NoForceRowSecurity': table.forceRls = false; break;
      case 'AT_ChangeOwner': table.owner = cmd.newowner?.rolename ?? table.owner; break;
      case 'AT_AttachPartition': {
        const part = d.tables.get(d.relKey(cmd.def?.PartitionCmd?.name));
        if (part) { part.partitionOf = key; if (cmd.def.PartitionCmd.bound) part.partitionBound = boundSql(d, cmd.def.PartitionCmd.bound); }
        break;
      }
      case 'AT_DetachPartition': case 'AT_DetachPartitionFinalize': {
        const part = d.tables.get(d.relKey(cmd.def?.PartitionCmd?.name));
        if (part) { delete part.partitionOf; delete part.partitionBound; }
        break;
      }
      case 'AT_AddInherit': { const p = d.relKey(cmd.def?.RangeVar); if (!table.inherits.includes(p)) table.inherits.push(p); break; }
      case 'AT_DropInherit': { const p = d.relKey(cmd.def?.RangeVar); table.inherits = table.inherits.filter((x) => x !== p); break; }
      case 'AT_SetUnLogged': table.unlogged = true; break;
      case 'AT_SetLogged': table.unlogged = false; break;
      default:
        // Storage, statistics, replica identity, triggers on/off: no effect on the model.
        break;
    }
  }
}
