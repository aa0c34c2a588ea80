/** Indexes, types, views, routines, triggers, policies, roles, grants, sequences, settings. */
import type { Ast } from '../../types.js';
import { columnType, constValue, funcName, listItems, str, strList, stripCasts } from '../../load/sql/ast.js';
import type { Column, EnumType, Index, Policy, PolicyCommand, SequenceOptions, Table, Trigger } from '../model.js';
import { type Draft, lazyExpr, nodeLoc } from '../draft.js';
import { queryColumns } from './query-columns.js';
import { expandViewStars } from '../rename-sql.js';
import { sequenceOptions } from './sequence-options.js';
import { indexName } from '../names.js';
import { aclKey, applyAcl, defaultAclOf, grantDefaults, initialAcl, roleNames } from './acl.js';

export function applyIndex(d: Draft, s: Ast): void {
  const table = d.relKey(s.relation);
  const t = d.tables.get(table);
  if (!t && !d.views.has(table)) {
    if (d.isTemp(table)) return;
    d.problem(`CREATE INDEX: table ${table} does not exist at this point`, table);
    return;
  }
  const schema = t?.schema ?? d.views.get(table)!.schema;
  const name = s.idxname ?? indexName(s.relation.relname, (s.indexParams ?? []).map((p: Ast) => ({ column: p.IndexElem?.name, expr: p.IndexElem?.expr })));
  const key = `${schema}.${name}`;
  if (d.indexes.has(key)) {
    if (!s.if_not_exists) d.problem(`index ${name} is created twice`, name);
    return;
  }
  const index: Index = {
    key, schema, name, table,
    unique: Boolean(s.unique),
    method: s.accessMethod ?? 'btree',
    keys: (s.indexParams ?? []).map((p: Ast) => {
      const e = p.IndexElem ?? {};
      return {
        column: e.name,
        // An index key's ordering, collation and operator class follow its expression.
        expr: e.expr ? d.expr(e.expr, new Set(['ASC', 'DESC', 'NULLS', 'COLLATE', ...(e.opclass ? strList(e.opclass) : [])])) : undefined,
        desc: e.ordering === 'SORTBY_DESC',
        nullsFirst: e.nulls_ordering === 'SORTBY_NULLS_FIRST' ? true : e.nulls_ordering === 'SORTBY_NULLS_LAST' ? false : undefined,
        opclass: e.opclass ? strList(e.opclass).join('.') : undefined,
      };
    }),
    include: (s.indexIncludingParams ?? []).map((p: Ast) => p.IndexElem?.name ?? ''),
    where: s.whereClause ? d.expr(s.whereClause) : undefined,
    primary: false,
    nullsNotDistinct: Boolean(s.nulls_not_distinct),
    loc: d.loc,
  };
  d.indexes.set(key, index);
}

export function applyCreateEnum(d: Draft, s: Ast): void {
  const names = strList(s.typeName);
  const schema = d.creationSchema(names.length > 1 ? names[0] : undefined);
  const name = names[names.length - 1]!;
  d.enums.set(`${schema}.${name}`, { key: `${schema}.${name}`, schema, name, values: strList(s.vals), loc: d.loc });
  grantDefaults(d, 'type', schema, `${schema}.${name}`);
}

export function applyAlterEnum(d: Draft, s: Ast): void {
  const e = d.enums.get(d.nameKey(d.enums, strList(s.typeName)));
  if (!e) { d.unmodelledHere('ALTER TYPE of an enum not created here'); return; }
  if (s.oldVal) {
    e.values = e.values.map((v) => (v === s.oldVal ? s.newVal : v));
    renameEnumDefaults(d, e, s.oldVal, s.newVal);
    return;
  }
  if (!s.newVal || e.values.includes(s.newVal)) return;
  const at = s.newValNeighbor ? e.values.indexOf(s.newValNeighbor) : -1;
  if (at === -1) e.values.push(s.newVal);
  else e.values.splice(s.newValIsAfter === false ? at : at + 1, 0, s.newVal);
}

/**
 * A column default that is the renamed label now reads as the new one: PostgreSQL stores the
 * value, not its spelling.
 */
function renameEnumDefaults(d: Draft, e: EnumType, from: string, to: string): void {
  for (const t of d.tables.values()) {
    for (const c of t.columns) {
      if (c.type.name !== e.name || (c.type.schema ?? e.schema) !== e.schema || !c.default) continue;
      const ast = c.default.ast;
      const cast = ast?.TypeCast;
      const literal = (cast ? cast.arg : ast)?.A_Const;
      if (literal?.sval?.sval !== from) continue;
      const value = { A_Const: { ...literal, sval: { sval: to } } };
      const next = cast ? { TypeCast: { ...cast, arg: value } } : value;
      c.default = lazyExpr(next, () => `'${to.replace(/'/g, "''")}'${cast ? `::${columnType(cast.typeName).display}` : ''}`);
    }
  }
}

export function applyCreateDomain(d: Draft, s: Ast): void {
  const names = strList(s.domainname);
  const schema = d.creationSchema(names.length > 1 ? names[0] : undefined);
  const name = names[names.length - 1]!;
  const cons: Ast[] = (s.constraints ?? []).filter((c: Ast) => c.Constraint?.contype === 'CONSTR_CHECK').map((c: Ast) => c.Constraint);
  const checks = cons.map((c) => d.expr(c.raw_expr));
  const checkNames: string[] = [];
  for (const c of cons) checkNames.push(c.conname ?? domainCheckName(name, checkNames));
  const notNull = (s.constraints ?? []).some((c: Ast) => c.Constraint?.contype === 'CONSTR_NOTNULL');
  d.domains.set(`${schema}.${name}`, { key: `${schema}.${name}`, schema, name, baseType: columnType(s.typeName), notNull, checks, checkNames, sql: d.statementSql('CreateDomainStmt'), loc: d.loc });
  grantDefaults(d, 'type', schema, `${schema}.${name}`);
}

/** PostgreSQL's name for an unnamed domain check: `<domain>_check`, numbered when taken. */
function domainCheckName(domain: string, taken: readonly string[]): string {
  const base = `${domain}_check`;
  if (!taken.includes(base)) return base;
  let i = 1;
  while (taken.includes(`${base}${i}`)) i++;
  return `${base}${i}`;
}

/** ALTER DOMAIN: checks added and dropped, NOT NULL set and dropped. */
export function applyAlterDomain(d: Draft, s: Ast): void {
  const dom = d.domains.get(d.nameKey(d.domains, strList(s.typeName)));
  if (!dom) { d.unmodelledHere('ALTER DOMAIN of a domain not created here'); return; }
  switch (s.subtype) {
    case 'C': {
      const con = s.def?.Constraint;
      if (con?.contype !== 'CONSTR_CHECK') { d.unmodelledHere('ALTER DOMAIN ADD of a constraint other than CHECK'); return; }
      dom.checks.push(d.expr(con.raw_expr));
      dom.checkNames.push(con.conname ?? domainCheckName(dom.name, dom.checkNames));
      break;
    }
    case 'X': {
      const at = dom.checkNames.indexOf(s.name);
      if (at !== -1) { dom.checks.splice(at, 1); dom.checkNames.splice(at, 1); }
      break;
    }
    // PostgreSQL's letters: O sets NOT NULL, N drops it.
    case 'O': dom.notNull = true; break;
    case 'N': dom.notNull = false; break;
    case 'V': return;
    default: d.unmodelledHere(`ALTER DOMAIN (${String(s.subtype)}) is not modelled`); return;
  }
  // The statement as written no longer says what the domain is.
  delete dom.sql;
}

/** Relations a query reads (RangeVar nodes), resolved to keys. */
function queryDeps(d: Draft, query: Ast): string[] {
  const out = new Set<string>();
  const visit = (n: Ast): void => {
    if (n === null || typeof n !== 'object') return;
    if (Array.isArray(n)) { n.forEach(visit); return; }
    for (const [k, v] of Object.entries(n)) {
      if (k === 'RangeVar') {
        const rv = v as Ast;
        const t = d.resolve(d.tables, rv.relname, rv.schemaname);
        out.add(d.tables.has(t) ? t : d.resolve(d.views, rv.relname, rv.schemaname));
      } else if (v && typeof v === 'object') visit(v);
    }
  };
  visit(query);
  return [...out];
}

export function applyView(d: Draft, s: Ast): void {
  const rv = s.view;
  const schema = d.creationSchema(rv.schemaname);
  const key = `${schema}.${rv.relname}`;
  d.schemas.add(schema);
  if (!d.views.has(key)) grantDefaults(d, 'table', schema, key);
  d.views.set(key, { key, schema, name: rv.relname, materialized: false, ...withStarsExpanded(d, s.query, d.statementSql('ViewStmt')), dependsOn: queryDeps(d, s.query), loc: d.loc });
}

/**
 * A view's query and statement with `*` written out as the columns of the moment, as
 * PostgreSQL keeps a view (columns added later are not in it).
 */
function withStarsExpanded(d: Draft, query: Ast, sql: string | undefined): { query: Ast; sql?: string } {
  const expanded = sql ? expandViewStars(sql, (rv) => d.relKey(rv), (k) => d.tables.get(k)?.columns.map((c) => c.name), { query, offset: d.stmt.start - d.stmt.astBase }) : undefined;
  return expanded ?? { query, sql };
}

/**
 * CREATE TABLE AS: the columns are those of the query's target list, typed from the source
 * table where a target is a plain column or `*` of a single table; otherwise typed unknown.
 */
/** The columns CREATE TABLE ... AS creates: named and typed as its query's output. */
function columnsFromQuery(d: Draft, query: Ast): Column[] {
  return queryColumns(d, query).map((c) => ({ name: c.name, type: c.type, notNull: false, loc: d.loc }));
}

export function applyCreateTableAs(d: Draft, s: Ast): void {
  const rv = s.into?.rel;
  if (!rv) return;
  const schema = d.creationSchema(rv.schemaname);
  const key = `${schema}.${rv.relname}`;
  if (s.objtype === 'OBJECT_MATVIEW') {
    d.views.set(key, { key, schema, name: rv.relname, materialized: true, ...withStarsExpanded(d, s.query, d.statementSql('CreateTableAsStmt')), dependsOn: queryDeps(d, s.query), loc: d.loc });
    grantDefaults(d, 'table', schema, key);
    return;
  }
  if (rv.relpersistence === 't') { d.tempTables.add(rv.relname); return; }
  if (d.tables.has(key)) { if (!s.if_not_exists) d.problem(`table ${key} is created twice`, key); return; }
  d.tables.set(key, {
    key, schema, name: rv.relname, kind: 'table', columns: columnsFromQuery(d, s.query), constraints: [],
    rls: false, forceRls: false, unlogged: rv.relpersistence === 'u', inherits: [], loc: d.loc,
  });
  grantDefaults(d, 'table', schema, key);
}

function defElem(options: Ast[] | undefined, name: string): Ast | undefined {
  return (options ?? []).find((o: Ast) => o.DefElem?.defname === name)?.DefElem?.arg;
}

export function applyCreateFunction(d: Draft, s: Ast): void {
  const names = strList(s.funcname);
  const schema = d.creationSchema(names.length > 1 ? names[0] : undefined);
  const name = names[names.length - 1]!;
  const language = str(defElem(s.options, 'language')) || 'sql';
  const vol = str(defElem(s.options, 'volatility'));
  const body = defElem(s.options, 'as');
  const argTypes = (s.parameters ?? [])
    .filter((p: Ast) => p.FunctionParameter?.mode !== 'FUNC_PARAM_OUT' && p.FunctionParameter?.mode !== 'FUNC_PARAM_TABLE')
    .map((p: Ast) => columnType(p.FunctionParameter.argType).display);
  const key = `${schema}.${name}(${argTypes.join(',')})`;
  // CREATE OR REPLACE keeps the privileges; a new function starts with EXECUTE for PUBLIC.
  const acl = aclKey('function', `${schema}.${name}`);
  if (!d.acl.has(acl)) d.acl.set(acl, initialAcl(d, 'function', schema) ?? defaultAclOf(acl));
  d.functions.set(key, {
    key, schema, name, language,
    volatility: vol === 'immutable' || vol === 'stable' ? vol : 'volatile',
    returns: s.returnType ? columnType(s.returnType).display : s.is_procedure ? 'procedure' : 'void',
    isProcedure: Boolean(s.is_procedure),
    body: body ? listItems(body).map(str).join('\n') : undefined,
    sql: d.statementSql('CreateFunctionStmt'),
    loc: d.loc,
  });
}

const TIMING = (t: number): Trigger['timing'] => ((t & 2) !== 0 ? 'before' : (t & 64) !== 0 ? 'instead of' : 'after');

export function applyTrigger(d: Draft, s: Ast): void {
  const table = d.relKey(s.relation);
  const ev = Number(s.events ?? 0);
  const events: Trigger['events'] = [];
  if (ev & 4) events.push('insert');
  if (ev & 8) events.push('delete');
  if (ev & 16) events.push('update');
  if (ev & 32) events.push('truncate');
  d.triggers = d.triggers.filter((t) => !(t.table === table && t.name === s.trigname));
  d.triggers.push({
    name: s.trigname, table, timing: TIMING(Number(s.timing ?? 0)), events,
    updateColumns: strList(s.columns), forEachRow: Boolean(s.row),
    ...(s.whenClause ? { when: d.expr(s.whenClause) } : {}),
    function: strList(s.funcname).join('.'), sql: d.statementSql('CreateTrigStmt'), loc: d.loc,
  });
}

export function applyCreatePolicy(d: Draft, s: Ast): void {
  const table = d.relKey(s.table);
  if (!d.tables.has(table)) { d.problem(`CREATE POLICY: table ${table} does not exist at this point`, table); return; }
  const policy: Policy = {
    name: s.policy_name, table,
    command: (s.cmd_name ?? 'all') as PolicyCommand,
    permissive: s.permissive === true,
    roles: s.roles ? roleNames(s.roles) : ['public'],
    using: s.qual ? d.expr(s.qual) : undefined,
    withCheck: s.with_check ? d.expr(s.with_check) : undefined,
    loc: d.loc,
  };
  d.policies = d.policies.filter((p) => !(p.table === table && p.name === policy.name));
  d.policies.push(policy);
}

export function applyAlterPolicy(d: Draft, s: Ast): void {
  const table = d.relKey(s.table);
  const p = d.policies.find((x) => x.table === table && x.name === s.policy_name);
  if (!p) { d.problem(`ALTER POLICY: policy ${s.policy_name} on ${table} does not exist at this point`, s.policy_name); return; }
  if (s.roles) p.roles = roleNames(s.roles);
  if (s.qual) p.using = d.expr(s.qual);
  if (s.with_check) p.withCheck = d.expr(s.with_check);
}

export function applyCreateRole(d: Draft, s: Ast): void {
  d.roles.set(s.role, { name: s.role, loc: d.loc });
}

export function applyGrant(d: Draft, s: Ast): void {
  applyAcl(d, s);
  const objectType = String(s.objtype ?? '').replace('OBJECT_', '').toLowerCase();
  const objects = (s.objects ?? []).map((o: Ast) => (o.RangeVar ? d.relKey(o.RangeVar) : o.String ? str(o) : o.ObjectWithArgs ? strList(o.ObjectWithArgs.objname).join('.') : ''));
  d.grants.push({
    privileges: (s.privileges ?? []).map((p: Ast) => p.AccessPriv?.priv_name ?? 'all'),
    objectType: s.targtype === 'ACL_TARGET_ALL_IN_SCHEMA' ? `all ${objectType}s in schema` : objectType,
    objects,
    grantees: roleNames(s.grantees),
    isGrant: Boolean(s.is_grant),
    loc: d.loc,
  });
}

export function applyCreateSequence(d: Draft, s: Ast): void {
  const rv = s.sequence;
  const schema = d.creationSchema(rv.schemaname);
  const key = `${schema}.${rv.relname}`;
  if (d.sequences.has(key) && s.if_not_exists) return;
  const owned = defElem(s.options, 'owned_by');
  d.sequences.set(key, { key, schema, name: rv.relname, ownedBy: owned ? strList(listItems(owned)).join('.') : undefined, sql: d.statementSql('CreateSeqStmt'), options: sequenceOptions(s.options, {}), createdWith: sequenceOptions(s.options, {}), loc: d.loc });
  grantDefaults(d, 'sequence', schema, key);
}

export function applyAlterSequence(d: Draft, s: Ast): void {
  const key = d.resolve(d.sequences, s.sequence.relname, s.sequence.schemaname);
  const seq = d.sequences.get(key);
  if (!seq) {
    // The sequence of a serial or identity column.
    const column = d.columnOfSequence(key);
    if (column) column.sequenceOptions = sequenceOptions(s.options, column.sequenceOptions ?? {});
    return;
  }
  const owned = defElem(s.options, 'owned_by');
  if (owned) seq.ownedBy = strList(listItems(owned)).join('.');
  seq.options = sequenceOptions(s.options, seq.options);
}

function setSearchPath(d: Draft, value: string): void {
  const parts = value.split(',').map((p) => p.trim().replace(/^"|"$/g, '')).filter(Boolean);
  d.searchPath = parts.length ? parts : [];
  d.searchPathLoc = d.loc;
}

export function applyVariableSet(d: Draft, s: Ast): boolean {
  if (s.name !== 'search_path') return false;
  if (s.kind === 'VAR_RESET' || s.kind === 'VAR_SET_DEFAULT') { d.searchPath = ['public']; d.searchPathLoc = undefined; }
  else setSearchPath(d, (s.args ?? []).map((a: Ast) => String(constValue(a) ?? '')).join(','));
  return true;
}

/** pg_dump writes `SELECT pg_catalog.set_config('search_path', '', false);`. */
export function applySelect(d: Draft, s: Ast): boolean {
  const targets = s.targetList ?? [];
  if (targets.length !== 1 || s.fromClause) return false;
  const call = stripCasts(targets[0]?.ResTarget?.val);
  if (funcName(call) !== 'set_config') return false;
  const args = call.FuncCall.args ?? [];
  if (constValue(args[0]) !== 'search_path') return false;
  setSearchPath(d, String(constValue(args[1]) ?? ''));
  return true;
}

export function applyCreateSchema(d: Draft, s: Ast): void {
  if (!s.schemaname || d.schemas.has(s.schemaname)) return;
  d.schemas.add(s.schemaname);
  grantDefaults(d, 'schema', s.schemaname, s.schemaname);
}

export function applyAlterObjectSchema(d: Draft, s: Ast): void {
  if (s.objectType !== 'OBJECT_TABLE' || !s.relation) { d.unmodelledHere('ALTER ... SET SCHEMA of a non-table'); return; }
  const key = d.relKey(s.relation);
  const t = d.tables.get(key);
  if (!t) { if (!s.missing_ok) d.problem(`SET SCHEMA: table ${key} does not exist at this point`, key); return; }
  d.tables.delete(key);
  t.schema = s.newschema;
  t.key = `${s.newschema}.${t.name}`;
  d.tables.set(t.key, t);
  retarget(d, key, t.key);
}

/** After a table key changes, every object that pointed at the old key follows it. */
export function retarget(d: Draft, from: string, to: string): void {
  for (const ix of d.indexes.values()) if (ix.table === from) ix.table = to;
  for (const p of d.policies) if (p.table === from) p.table = to;
  for (const t of d.triggers) if (t.table === from) t.table = to;
  for (const v of d.views.values()) v.dependsOn = v.dependsOn.map((k) => (k === from ? to : k));
  for (const t of d.tables.values()) {
    if (t.partitionOf === from) t.partitionOf = to;
    for (const c of t.constraints) if (c.ref?.table === from) c.ref.table = to;
  }
}
