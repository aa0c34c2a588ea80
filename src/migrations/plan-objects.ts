/**
 * The part of `plan OLD NEW` that concerns objects other than tables, columns, constraints and
 * indexes: enum types, functions, views, triggers, row-level security and its policies. Each
 * difference becomes steps in the phase the seeds put it in:
 * - new enum values are added first, outside a transaction (a value added in a transaction
 *   cannot be used before it commits); new enum types, functions, views, triggers and policies
 *   are created in the expand transaction, after the tables and columns they use;
 * - a changed function, trigger, policy or view keeps its name and is replaced in the expand
 *   transaction when old clients still work with the new definition, otherwise in the contract;
 * - enabling row-level security waits for the application to set what the policies read (a
 *   switch step), so it is in the contract with its own rollback;
 * - drops, and enums that lose or reorder values (rebuilt: renamed, recreated, columns moved),
 *   come in the contract, roll-forward only.
 */
import { scanSync } from '../load/sql/pg.js';
import type { Ast } from '../types.js';
import type { Catalog, EnumType, Func, Policy, Table, Trigger, View } from '../catalog/model.js';
import { displayName, sequenceSettings, type SequenceSettings } from '../catalog/model.js';
import { exprKey, queryOutputs, typeSql } from '../load/sql/ast.js';
import { quoteIdent as q, quoteLiteral as lit } from '../prove/engine.js';
import type { PlanStep } from './plan.js';
import { ALL_PRIVILEGES, defaultAclAt, defaultAclOf } from '../catalog/apply/acl.js';
import { objectName } from '../catalog/names.js';

export interface ObjectSteps {
  /** ALTER TYPE ... ADD VALUE, each committed before anything runs that may use the value. */
  readonly types: PlanStep[];
  /** First of the expand transaction: schemas, roles and default privileges, before any object is created. */
  readonly setup: PlanStep[];
  /** Created at the start of the expand transaction (new enum types). */
  readonly expandFirst: PlanStep[];
  /** Created at the end of the expand transaction, after tables and columns. */
  readonly expandLast: PlanStep[];
  readonly switches: PlanStep[];
  /** Before the contract's table changes: drops of what depends on tables and columns. */
  readonly contractFirst: PlanStep[];
  /** After the contract's table changes: enum rebuilds, type drops, views recreated. */
  readonly contractLast: PlanStep[];
  /** Columns (by table key) whose enum type is rebuilt in the contract: its new values exist only after. */
  readonly rebuiltEnumColumns: Map<string, Set<string>>;
}

/** A schema object's name as SQL: bare in public, schema-qualified elsewhere. */
export function qualified(o: { schema: string; name: string }): string {
  return o.schema === 'public' ? q(o.name) : `${q(o.schema)}.${q(o.name)}`;
}

function tableSql(key: string): string {
  const dot = key.indexOf('.');
  return qualified({ schema: key.slice(0, dot), name: key.slice(dot + 1) });
}

/** The statement with `OR REPLACE` after its CREATE keyword, placed by the SQL scanner's tokens. */
export function withOrReplace(sql: string): string {
  const tokens = scanSync(sql).tokens;
  const [first, second] = tokens;
  if (!first || first.text.toLowerCase() !== 'create' || second?.text.toLowerCase() === 'or') return sql;
  const bytes = Buffer.from(sql, 'utf8');
  return `${bytes.toString('utf8', 0, first.end)} OR REPLACE${bytes.toString('utf8', first.end)}`;
}

function statement(sql: string): string {
  const t = sql.trimEnd();
  return t.endsWith(';') ? t : `${t};`;
}

/** Output column names of a view's query, or undefined when one is not certain (a `*`, an unnamed expression). */
function outputNames(query: Ast): string[] | undefined {
  const names = queryOutputs(query).map((o) => o.name);
  return names.every((n): n is string => n !== undefined) ? names : undefined;
}

/** The settings that differ between two sequences' settings. */
export function changedSettings(a: SequenceSettings, b: SequenceSettings): (keyof SequenceSettings)[] {
  return (Object.keys(a) as (keyof SequenceSettings)[]).filter((k) => a[k] !== b[k]);
}

export function sameSettings(a: SequenceSettings, b: SequenceSettings): boolean {
  return changedSettings(a, b).length === 0;
}

function settingsDiff(a: SequenceSettings, b: SequenceSettings): string {
  return changedSettings(a, b).map((k) => `${k} ${a[k]} -> ${b[k]}`).join(', ');
}

/** Every setting of a sequence but its type, as CREATE and ALTER SEQUENCE and identity columns take them. */
export function sequenceOptionsSql(x: SequenceSettings): string {
  return `INCREMENT BY ${x.increment} MINVALUE ${x.minValue} MAXVALUE ${x.maxValue} START WITH ${x.start} CACHE ${x.cache} ${x.cycle ? 'CYCLE' : 'NO CYCLE'}`;
}

function alterSequenceSql(seq: { schema: string; name: string }, x: SequenceSettings): string {
  return `ALTER SEQUENCE ${qualified(seq)} AS ${x.as} ${sequenceOptionsSql(x)}`;
}

/** Privilege entries ("grantee\tPRIVILEGE") grouped by grantee, in order. */
function byGrantee(entries: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of entries) { const [g, p] = e.split('\t') as [string, string]; out.set(g, [...(out.get(g) ?? []), p]); }
  return out;
}

function dropView(v: View): string {
  return `DROP ${v.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} IF EXISTS ${qualified(v)};`;
}

function funcSignature(f: Func): string {
  return `${qualified(f)}${f.key.slice(f.key.indexOf('('))}`;
}

/** `name(argtypes)` as people read it, for step descriptions. */
function funcLabel(f: Func): string {
  return `${displayName(f)}${f.key.slice(f.key.indexOf('('))}`;
}

function sameFunc(a: Func, b: Func): boolean {
  return a.body === b.body && a.returns === b.returns && a.language === b.language && a.volatility === b.volatility;
}

function sameTrigger(a: Trigger, b: Trigger): boolean {
  return a.timing === b.timing && a.forEachRow === b.forEachRow && a.function === b.function
    && a.events.join() === b.events.join() && a.updateColumns.join() === b.updateColumns.join()
    && (a.when?.key ?? '') === (b.when?.key ?? '');
}

const ROLE_KEYWORDS = new Set(['public', 'current_user', 'session_user', 'current_role']);

function roleList(roles: readonly string[]): string {
  return roles.map((r) => (ROLE_KEYWORDS.has(r) ? r.toUpperCase() : q(r))).join(', ');
}

function createPolicy(p: Policy): string {
  return [
    `CREATE POLICY ${q(p.name)} ON ${tableSql(p.table)}`,
    p.permissive ? '' : ' AS RESTRICTIVE',
    p.command === 'all' ? '' : ` FOR ${p.command.toUpperCase()}`,
    ` TO ${roleList(p.roles)}`,
    p.using ? ` USING (${p.using.text})` : '',
    p.withCheck ? ` WITH CHECK (${p.withCheck.text})` : '',
    ';',
  ].join('');
}

function samePolicy(a: Policy, b: Policy): boolean {
  return a.command === b.command && a.permissive === b.permissive && a.roles.join() === b.roles.join()
    && (a.using?.key ?? '') === (b.using?.key ?? '') && (a.withCheck?.key ?? '') === (b.withCheck?.key ?? '');
}

/** Values of `after` in order, when it keeps every value of `before` in the same order. */
function appendedValues(before: readonly string[], after: readonly string[]): boolean {
  let i = 0;
  for (const v of after) if (v === before[i]) i++;
  return i === before.length;
}

function enumSql(e: EnumType): string {
  return `CREATE TYPE ${qualified(e)} AS ENUM (${e.values.map(lit).join(', ')});`;
}

/** Columns of the new schema whose type is the enum `e`. */
function enumColumns(cat: Catalog, e: EnumType): { table: Table; column: string; default?: string }[] {
  const out: { table: Table; column: string; default?: string }[] = [];
  for (const t of cat.tables.values()) {
    for (const c of t.columns) {
      const schema = c.type.schema ?? 'public';
      if (c.type.name === e.name && schema === e.schema) out.push({ table: t, column: c.name, default: c.default?.text });
    }
  }
  return out;
}

export function planObjects(oldCat: Catalog, newCat: Catalog, retypedTables: ReadonlySet<string>): ObjectSteps {
  const retyped = new Set(retypedTables);
  const s: ObjectSteps = { types: [], setup: [], expandFirst: [], expandLast: [], switches: [], contractFirst: [], contractLast: [], rebuiltEnumColumns: new Map() };
  const step = (list: PlanStep[], phase: PlanStep['phase'], action: string, sql: string[], rollback: string): void => {
    list.push({ phase, action, sql, rollback });
  };

  // Schemas first of all; an emptied one goes last.
  for (const x of newCat.schemas) {
    if (!oldCat.schemas.has(x) && x !== 'public') step(s.setup, 'expand', `create schema ${x}`, [`CREATE SCHEMA IF NOT EXISTS ${q(x)};`], `DROP SCHEMA ${q(x)} while it is empty`);
  }
  for (const x of oldCat.schemas) {
    if (!newCat.schemas.has(x) && x !== 'public') step(s.contractLast, 'contract', `drop schema ${x}`, [`DROP SCHEMA IF EXISTS ${q(x)};`], 'roll-forward only');
  }

  // Extensions and sequences come first: types, defaults, functions and indexes use them.
  for (const x of newCat.extensions) {
    if (!oldCat.extensions.has(x)) step(s.expandFirst, 'expand', `create extension ${x}`, [`CREATE EXTENSION IF NOT EXISTS ${q(x)};`], `DROP EXTENSION ${q(x)} while nothing uses it`);
  }
  for (const x of oldCat.extensions) {
    if (!newCat.extensions.has(x)) step(s.contractLast, 'contract', `drop extension ${x}`, [`DROP EXTENSION IF EXISTS ${q(x)};`], 'roll-forward only');
  }
  for (const seq of newCat.sequences.values()) {
    const old = oldCat.sequences.get(seq.key);
    const settings = sequenceSettings(seq.options);
    if (old) {
      // Options changed: one ALTER SEQUENCE with every setting (it locks the sequence only).
      const before = sequenceSettings(old.options);
      if (!sameSettings(before, settings)) step(s.expandFirst, 'expand', `sequence ${displayName(seq)}: ${settingsDiff(before, settings)}`, [`${alterSequenceSql(seq, settings)};`], alterSequenceSql(seq, before));
      continue;
    }
    step(s.expandFirst, 'expand', `create sequence ${displayName(seq)}${seq.sql ? '' : ' (its statement was nested in another: write it by hand)'}`, seq.sql ? [statement(seq.sql)] : [], `DROP SEQUENCE ${qualified(seq)} while nothing uses it`);
    // Altered later in the new schema's history: the statement as written is not the end of it.
    if (seq.sql && !sameSettings(sequenceSettings(seq.createdWith), settings)) step(s.expandFirst, 'expand', `sequence ${displayName(seq)} as the new schema altered it`, [`${alterSequenceSql(seq, settings)};`], 'dropped with the sequence');
  }
  const dropSequences: PlanStep[] = [];
  for (const seq of oldCat.sequences.values()) {
    if (!newCat.sequences.has(seq.key)) step(dropSequences, 'contract', `drop sequence ${displayName(seq)}`, [`DROP SEQUENCE IF EXISTS ${qualified(seq)};`], 'roll-forward only');
  }

  // Enum types.
  for (const e of newCat.enums.values()) {
    const old = oldCat.enums.get(e.key);
    if (!old) { step(s.expandFirst, 'expand', `create enum type ${displayName(e)}`, [enumSql(e)], `DROP TYPE ${qualified(e)} while no column uses it`); continue; }
    if (old.values.join('\u0000') === e.values.join('\u0000')) continue;
    if (appendedValues(old.values, e.values)) {
      e.values.forEach((v, i) => {
        if (old.values.includes(v)) return;
        const where = i > 0 ? ` AFTER ${lit(e.values[i - 1]!)}` : e.values.length > 1 ? ` BEFORE ${lit(e.values[1]!)}` : '';
        step(s.types, 'expand-types', `add value ${v} to ${displayName(e)}`, [`ALTER TYPE ${qualified(e)} ADD VALUE IF NOT EXISTS ${lit(v)}${where};`], 'roll-forward only (an enum value cannot be dropped; leave it unused)');
      });
      continue;
    }
    // Values removed or reordered: PostgreSQL cannot drop an enum value, so the type is rebuilt.
    const removed = old.values.filter((v) => !e.values.includes(v));
    const oldName = objectName(e.name, undefined, '_old');
    const cols = enumColumns(newCat, e);
    for (const c of cols) {
      retyped.add(c.table.key);
      s.rebuiltEnumColumns.set(c.table.key, (s.rebuiltEnumColumns.get(c.table.key) ?? new Set()).add(c.column));
    }
    const sql = [
      ...cols.map((c) => `-- First, no row may hold a removed value: SELECT 1 FROM ${qualified(c.table)} WHERE ${q(c.column)}::text IN (${removed.map(lit).join(', ') || "''"}) LIMIT 1;`),
      `ALTER TYPE ${qualified(e)} RENAME TO ${q(oldName)};`,
      enumSql(e),
      // One statement per column: the default goes while the type changes, and comes back.
      ...cols.map((c) => `ALTER TABLE ${qualified(c.table)} ${[
        ...(c.default ? [`ALTER COLUMN ${q(c.column)} DROP DEFAULT`] : []),
        `ALTER COLUMN ${q(c.column)} TYPE ${qualified(e)} USING ${q(c.column)}::text::${qualified(e)}`,
        ...(c.default ? [`ALTER COLUMN ${q(c.column)} SET DEFAULT ${c.default}`] : []),
      ].join(', ')};`),
      `DROP TYPE ${qualified({ schema: e.schema, name: oldName })};`,
    ];
    step(s.contractLast, 'contract', `rebuild enum ${displayName(e)} without ${removed.join(', ') || 'its old order'} (rewrites ${cols.map((c) => displayName(c.table)).join(', ') || 'no table'})`, sql, 'roll-forward only');
  }
  for (const e of oldCat.enums.values()) {
    if (!newCat.enums.has(e.key)) step(s.contractLast, 'contract', `drop enum type ${displayName(e)}`, [`DROP TYPE IF EXISTS ${qualified(e)};`], 'roll-forward only');
  }

  // Triggers are dropped before the functions they call, and created after them.
  const triggerKey = (t: Trigger): string => `${t.table}|${t.name}`;
  const oldTriggers = new Map(oldCat.triggers.map((t) => [triggerKey(t), t]));
  const newTriggers = new Map(newCat.triggers.map((t) => [triggerKey(t), t]));
  for (const t of oldCat.triggers) {
    if (!newTriggers.has(triggerKey(t)) && newCat.tables.has(t.table)) step(s.contractFirst, 'contract', `drop trigger ${t.name} on ${t.table.replace(/^public\./, '')}`, [`DROP TRIGGER IF EXISTS ${q(t.name)} ON ${tableSql(t.table)};`], 'roll-forward only');
  }

  // Functions come before the table changes, whose defaults, checks and index expressions may
  // call them, with their bodies checked when called rather than when created (as pg_dump
  // does), since a body may read a column added further on. A function taking or returning the
  // row type of a relation (or a domain) this plan creates waits until it exists.
  const created = [...newCat.tables.keys(), ...newCat.views.keys(), ...newCat.domains.keys()].filter((k) => !oldCat.tables.has(k) && !oldCat.views.has(k) && !oldCat.domains.has(k));
  const createdNames = new Set(created.flatMap((k) => (k.startsWith('public.') ? [k, k.slice(7)] : [k])));
  const waitsForRelation = (f: Func): boolean => [f.returns, ...f.key.slice(f.key.indexOf('(') + 1, -1).split(',')]
    .some((t) => createdNames.has(t.replace(/\[\]$/, '')));
  let bodiesUnchecked = false;
  const early = (f: Func): PlanStep[] => {
    if (waitsForRelation(f)) return s.expandLast;
    if (!bodiesUnchecked) {
      bodiesUnchecked = true;
      step(s.expandFirst, 'expand', 'function bodies are checked when called, not when created, until this transaction ends', ['SET LOCAL check_function_bodies = off;'], 'none needed: the setting ends with the transaction');
    }
    return s.expandFirst;
  };
  for (const f of newCat.functions.values()) {
    const old = oldCat.functions.get(f.key);
    if (old && sameFunc(old, f)) continue;
    const kind = f.isProcedure ? 'procedure' : 'function';
    if (!f.sql) { step(s.expandLast, 'expand', `${old ? 'replace' : 'create'} ${kind} ${funcLabel(f)} (its statement was nested in another: write it by hand)`, [], 'not generated'); continue; }
    if (old && old.returns !== f.returns) {
      step(s.contractFirst, 'contract', `re-create ${kind} ${funcLabel(f)}: its return type changes from ${old.returns} to ${f.returns}`, [`DROP ${kind.toUpperCase()} IF EXISTS ${funcSignature(f)};`, statement(f.sql)], 'roll-forward only');
      continue;
    }
    step(early(f), 'expand', `${old ? 'replace' : 'create'} ${kind} ${funcLabel(f)}`, [statement(withOrReplace(f.sql))], old ? `CREATE OR REPLACE the old definition${old.sql ? ` (line ${old.loc.line} of ${old.loc.file})` : ''}` : `DROP ${kind.toUpperCase()} ${funcSignature(f)}`);
  }
  // Domains: after the types they may be based on and the functions their checks may call,
  // before the tables that use them.
  for (const dom of newCat.domains.values()) {
    const old = oldCat.domains.get(dom.key);
    if (!old) {
      const sql = dom.sql ? statement(dom.sql) : `CREATE DOMAIN ${qualified(dom)} AS ${typeSql(dom.baseType)}${dom.notNull ? ' NOT NULL' : ''}${dom.checks.map((c, i) => ` CONSTRAINT ${q(dom.checkNames[i]!)} CHECK (${c.text})`).join('')};`;
      step(s.expandFirst, 'expand', `create domain ${displayName(dom)}`, [sql], `DROP DOMAIN ${qualified(dom)} while no column uses it`);
      continue;
    }
    if (old.baseType.display !== dom.baseType.display) {
      step(s.contractLast, 'contract', `domain ${displayName(dom)} changes its base type from ${old.baseType.display} to ${dom.baseType.display}: write it by hand (a new domain, columns moved to it, the old one dropped)`, [], 'not generated');
      continue;
    }
    const oldChecks = new Set(old.checks.map((c) => c.key));
    const newChecks = new Set(dom.checks.map((c) => c.key));
    old.checks.forEach((c, i) => {
      if (!newChecks.has(c.key)) step(s.contractLast, 'contract', `drop check ${old.checkNames[i]} of domain ${displayName(dom)}`, [`ALTER DOMAIN ${qualified(dom)} DROP CONSTRAINT IF EXISTS ${q(old.checkNames[i]!)};`], 'roll-forward only');
    });
    dom.checks.forEach((c, i) => {
      if (oldChecks.has(c.key)) return;
      const name = q(dom.checkNames[i]!);
      step(s.contractLast, 'contract', `check ${dom.checkNames[i]} on domain ${displayName(dom)}, not validated yet`, [`ALTER DOMAIN ${qualified(dom)} ADD CONSTRAINT ${name} CHECK (${c.text}) NOT VALID;`], 'roll-forward only');
      s.contractLast.push({ phase: 'contract', action: `validate ${dom.checkNames[i]} on domain ${displayName(dom)} (after the contract transaction commits)`, sql: [`ALTER DOMAIN ${qualified(dom)} VALIDATE CONSTRAINT ${name};`], rollback: 'roll-forward only', afterCommit: true });
    });
    if (dom.notNull && !old.notNull) step(s.contractLast, 'contract', `domain ${displayName(dom)} becomes NOT NULL`, [`ALTER DOMAIN ${qualified(dom)} SET NOT NULL;`], `ALTER DOMAIN ${qualified(dom)} DROP NOT NULL`);
    if (!dom.notNull && old.notNull) step(s.expandFirst, 'expand', `domain ${displayName(dom)} allows NULL`, [`ALTER DOMAIN ${qualified(dom)} DROP NOT NULL;`], 'roll-forward only once NULLs are written');
  }
  for (const dom of oldCat.domains.values()) {
    if (!newCat.domains.has(dom.key)) step(s.contractLast, 'contract', `drop domain ${displayName(dom)}`, [`DROP DOMAIN IF EXISTS ${qualified(dom)};`], 'roll-forward only');
  }

  const dropFunctions: PlanStep[] = [];
  for (const f of oldCat.functions.values()) {
    if (!newCat.functions.has(f.key)) step(dropFunctions, 'contract', `drop ${f.isProcedure ? 'procedure' : 'function'} ${funcLabel(f)}`, [`DROP ${f.isProcedure ? 'PROCEDURE' : 'FUNCTION'} IF EXISTS ${funcSignature(f)};`], 'roll-forward only');
  }

  // Views: created in the new schema's order (dependencies first), dropped in reverse.
  const recreate: View[] = [];
  for (const v of newCat.views.values()) {
    const old = oldCat.views.get(v.key);
    const dependsOnRetyped = v.dependsOn.some((k) => retyped.has(k));
    if (old && exprKey(old.query) === exprKey(v.query) && old.materialized === v.materialized) {
      // Unchanged, but a column type it reads changes: dropped before and recreated after.
      if (dependsOnRetyped) { step(s.contractFirst, 'contract', `drop ${displayName(v)} while the columns it reads change type`, [dropView(v)], 'recreated below'); recreate.push(v); }
      continue;
    }
    if (!v.sql) { step(s.expandLast, 'expand', `${old ? 'replace' : 'create'} view ${displayName(v)} (its statement was nested in another: write it by hand)`, [], 'not generated'); continue; }
    if (!old) { step(s.expandLast, 'expand', `create ${v.materialized ? 'materialized view' : 'view'} ${displayName(v)}`, [statement(v.sql)], dropView(v)); continue; }
    const before = outputNames(old.query);
    const after = outputNames(v.query);
    const compatible = !v.materialized && !old.materialized && !dependsOnRetyped && before !== undefined && after !== undefined && before.every((n, i) => after[i] === n);
    if (compatible) {
      step(s.expandLast, 'expand', `replace view ${displayName(v)} (same leading columns${after!.length > before!.length ? `, adds ${after!.slice(before!.length).join(', ')}` : ''})`, [statement(withOrReplace(v.sql))], 'CREATE OR REPLACE the old definition');
    } else {
      // Columns removed, renamed or reordered: old clients break, so the view changes in the contract.
      step(s.contractFirst, 'contract', `drop ${displayName(v)}: its columns change (${(before ?? ['*']).join(', ')} -> ${(after ?? ['*']).join(', ')})`, [dropView(old)], 'recreated below');
      recreate.push(v);
    }
  }
  const droppedViews = [...oldCat.views.values()].filter((v) => !newCat.views.has(v.key)).reverse();
  for (const v of droppedViews) step(s.contractFirst, 'contract', `drop ${v.materialized ? 'materialized view' : 'view'} ${displayName(v)}`, [dropView(v)], 'roll-forward only');
  for (const v of recreate) step(s.contractLast, 'contract', `create ${displayName(v)} with its new definition`, [statement(v.sql ?? `-- ${displayName(v)}: write its definition by hand`)], 'roll-forward only');

  // Triggers, created after the functions they call.
  for (const t of newCat.triggers) {
    const old = oldTriggers.get(triggerKey(t));
    if (old && sameTrigger(old, t)) continue;
    const table = t.table.replace(/^public\./, '');
    if (!t.sql) { step(s.expandLast, 'expand', `${old ? 'replace' : 'create'} trigger ${t.name} on ${table} (its statement was nested in another: write it by hand)`, [], 'not generated'); continue; }
    // A table no statement of the new schema creates (a migration tool's own, say) may not be
    // there: one failing statement would undo the whole expand transaction.
    if (!newCat.tables.has(t.table) && !newCat.views.has(t.table)) { step(s.expandLast, 'expand', `${old ? 'replace' : 'create'} trigger ${t.name} on ${table} (the new schema does not create ${table}: write it by hand where it exists)`, [], 'not generated'); continue; }
    const sql = [...(old ? [`DROP TRIGGER IF EXISTS ${q(t.name)} ON ${tableSql(t.table)};`] : []), statement(t.sql)];
    step(s.expandLast, 'expand', `${old ? 'replace' : 'create'} trigger ${t.name} on ${table}`, sql, old ? 'drop it and re-create the old definition' : `DROP TRIGGER ${q(t.name)} ON ${tableSql(t.table)}`);
  }

  // Roles the new schema creates (roles belong to the cluster: created unless already there).
  for (const r of newCat.roles.values()) {
    if (oldCat.roles.has(r.name)) continue;
    // Before any object is created, so that grants find their roles.
    step(s.setup, 'expand', `create role ${r.name} unless the cluster has it`, [`DO $$ BEGIN CREATE ROLE ${q(r.name)}; EXCEPTION WHEN duplicate_object THEN NULL; END $$;`], `DROP ROLE ${q(r.name)} once nothing is granted to it`);
  }

  // Privileges: granted in the expand (new code may need them), revoked in the contract (old
  // code may still use them), on objects that exist on both sides of their phase.
  const objectSql = (key: string, cat: Catalog): string | undefined => {
    const at = key.indexOf(':');
    const kind = key.slice(0, at);
    const obj = key.slice(at + 1);
    if (kind === 'table') { const t = cat.tables.get(obj) ?? cat.views.get(obj); return t ? `TABLE ${qualified(t)}` : undefined; }
    if (kind === 'sequence') { const x = cat.sequences.get(obj); return x ? `SEQUENCE ${qualified(x)}` : undefined; }
    if (kind === 'function') {
      const fs = [...cat.functions.values()].filter((f) => `${f.schema}.${f.name}` === obj);
      if (!fs.length) return undefined;
      return `${fs.every((f) => f.isProcedure) ? 'PROCEDURE' : 'FUNCTION'} ${fs.map(funcSignature).join(', ')}`;
    }
    if (kind === 'schema') return cat.schemas.has(obj) ? `SCHEMA ${q(obj)}` : undefined;
    if (kind === 'type') { const e = cat.enums.get(obj) ?? cat.domains.get(obj); return e ? `TYPE ${qualified(e)}` : undefined; }
    return undefined;
  };
  const privSql = (p: string): string => { const m = /^(\w+)\((.*)\)$/.exec(p); return m ? `${m[1]} (${q(m[2]!)})` : p; };
  // Every privilege of the kind is written ALL, which each PostgreSQL version expands as its own
  // (MAINTAIN exists from 17 on); a subset is listed.
  const privList = (kind: string, ps: readonly string[]): string => {
    const all = ALL_PRIVILEGES[kind];
    return all && all.length > 1 && all.every((p) => ps.includes(p)) && ps.every((p) => all.includes(p)) ? 'ALL' : ps.map(privSql).join(', ');
  };
  const aclChanges = (from: Catalog, to: Catalog, grant: boolean): void => {
    for (const [key, entries] of to.acl) {
      // An object new on this side starts with PostgreSQL's defaults (EXECUTE for PUBLIC on a function).
      const before = from.acl.get(key) ?? defaultAclOf(key);
      const added = [...entries].filter((e) => !before.has(e));
      if (!added.length) continue;
      // A grant needs the object in the new schema; a revoke needs it still there after the contract.
      const target = objectSql(key, newCat);
      if (!target) continue;
      for (const [g, ps] of byGrantee(added)) {
        const list = privList(key.slice(0, key.indexOf(':')), ps);
        if (grant) step(s.expandLast, 'expand', `grant ${ps.join(', ')} on ${key.replace(':', ' ')} to ${g}`, [`GRANT ${list} ON ${target} TO ${roleList([g])};`], `REVOKE ${list} ON ${target} FROM ${roleList([g])}`);
        else step(s.contractLast, 'contract', `revoke ${ps.join(', ')} on ${key.replace(':', ' ')} from ${g}`, [`REVOKE ${list} ON ${target} FROM ${roleList([g])};`], `GRANT ${list} ON ${target} TO ${roleList([g])}`);
      }
    }
  };
  aclChanges(oldCat, newCat, true);
  aclChanges(newCat, oldCat, false);

  // Default privileges (ALTER DEFAULT PRIVILEGES) change before the expand creates anything, so
  // the objects it creates get what the new schema's did; they touch no existing object, so
  // revoking one early takes nothing from the running application.
  const ON: Readonly<Record<string, string>> = { table: 'TABLES', sequence: 'SEQUENCES', function: 'FUNCTIONS', type: 'TYPES', schema: 'SCHEMAS' };
  for (const key of new Set([...oldCat.defaultAcl.keys(), ...newCat.defaultAcl.keys()])) {
    const [schema, kind] = key.split('|') as [string, string];
    const before = defaultAclAt(oldCat.defaultAcl, key);
    const after = defaultAclAt(newCat.defaultAcl, key);
    const inSchema = schema === '*' ? '' : ` IN SCHEMA ${q(schema)}`;
    const where = `new ${kind}s${schema === '*' ? '' : ` in ${schema}`}`;
    for (const [grant, entries] of [[true, [...after].filter((e) => !before.has(e))], [false, [...before].filter((e) => !after.has(e))]] as const) {
      for (const [g, ps] of byGrantee(entries)) {
        const give = `ALTER DEFAULT PRIVILEGES${inSchema} GRANT ${privList(kind, ps)} ON ${ON[kind]} TO ${roleList([g])}`;
        const take = `ALTER DEFAULT PRIVILEGES${inSchema} REVOKE ${privList(kind, ps)} ON ${ON[kind]} FROM ${roleList([g])}`;
        if (grant) step(s.setup, 'expand', `default privileges: ${where} grant ${ps.join(', ')} to ${g}`, [`${give};`], take);
        else step(s.setup, 'expand', `default privileges: ${where} no longer grant ${ps.join(', ')} to ${g}`, [`${take};`], give);
      }
    }
  }

  // Policies and row-level security.
  const policyKey = (p: Policy): string => `${p.table}|${p.name}`;
  const oldPolicies = new Map(oldCat.policies.map((p) => [policyKey(p), p]));
  const newPolicies = new Set(newCat.policies.map(policyKey));
  for (const p of newCat.policies) {
    const old = oldPolicies.get(policyKey(p));
    if (old && samePolicy(old, p)) continue;
    const on = `${q(p.name)} ON ${tableSql(p.table)}`;
    if (!old) { step(s.expandLast, 'expand', `create policy ${p.name} on ${p.table.replace(/^public\./, '')}`, [createPolicy(p)], `DROP POLICY ${on}`); continue; }
    const alterable = old.command === p.command && old.permissive === p.permissive;
    const sql = alterable
      ? [`ALTER POLICY ${on} TO ${roleList(p.roles)}${p.using ? ` USING (${p.using.text})` : ''}${p.withCheck ? ` WITH CHECK (${p.withCheck.text})` : ''};`]
      : [`DROP POLICY IF EXISTS ${on};`, createPolicy(p)];
    step(s.expandLast, 'expand', `change policy ${p.name} on ${p.table.replace(/^public\./, '')}`, sql, `restore it: ${createPolicy(old)}`);
  }
  for (const p of oldCat.policies) {
    if (!newPolicies.has(policyKey(p)) && newCat.tables.has(p.table)) step(s.contractFirst, 'contract', `drop policy ${p.name} on ${p.table.replace(/^public\./, '')}`, [`DROP POLICY IF EXISTS ${q(p.name)} ON ${tableSql(p.table)};`], 'roll-forward only');
  }
  for (const t of newCat.tables.values()) {
    const old = oldCat.tables.get(t.key);
    const before = { rls: old?.rls ?? false, force: old?.forceRls ?? false };
    const sql: string[] = [];
    if (t.rls && !before.rls) sql.push(`ALTER TABLE ${qualified(t)} ENABLE ROW LEVEL SECURITY;`);
    if (t.forceRls && !before.force) sql.push(`ALTER TABLE ${qualified(t)} FORCE ROW LEVEL SECURITY;`);
    if (sql.length) {
      const readsOf = newCat.policies.filter((p) => p.table === t.key).flatMap((p) => [p.using?.text, p.withCheck?.text]).filter(Boolean).join('; ');
      if (!old) { step(s.expandLast, 'expand', `row-level security on the new table ${displayName(t)}`, sql, `ALTER TABLE ${qualified(t)} DISABLE ROW LEVEL SECURITY`); continue; }
      step(s.switches, 'switch', `every connection sets what the policies of ${displayName(t)} read${readsOf ? ` (${readsOf})` : ''} before row-level security is on`, [], 'nothing to undo');
      step(s.contractFirst, 'contract', `enable row-level security on ${displayName(t)}`, sql, `ALTER TABLE ${qualified(t)} ${t.forceRls && !before.force ? 'NO FORCE ROW LEVEL SECURITY, ' : ''}DISABLE ROW LEVEL SECURITY`);
    }
    if (old && !t.forceRls && before.force) step(s.contractFirst, 'contract', `stop forcing row-level security on ${displayName(t)}`, [`ALTER TABLE ${qualified(t)} NO FORCE ROW LEVEL SECURITY;`], `ALTER TABLE ${qualified(t)} FORCE ROW LEVEL SECURITY`);
    if (old && !t.rls && before.rls) step(s.contractFirst, 'contract', `disable row-level security on ${displayName(t)}`, [`ALTER TABLE ${qualified(t)} DISABLE ROW LEVEL SECURITY;`], `ALTER TABLE ${qualified(t)} ENABLE ROW LEVEL SECURITY`);
  }
  // Functions go after the tables whose triggers call them; sequences after the columns that used them.
  s.contractLast.unshift(...dropFunctions, ...dropSequences);
  return s;
}
