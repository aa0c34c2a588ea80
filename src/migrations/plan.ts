/**
 * `schemaproof plan OLD NEW`: the phased migration from one schema to another, as the seeds
 * ask: expand (additive, nullable, indexes CONCURRENTLY, constraints NOT VALID), backfill
 * (batched by key range, idempotent, with a progress table and a validation query), validate,
 * switch (an application step, not SQL), contract (drops, after the compatibility window).
 * Renames become add, backfill, switch, drop.
 */
import type { Catalog, Column, Constraint, Index, Table } from '../catalog/model.js';
import type { Ast } from '../types.js';
import { defaultPartitionOf, displayName, sequenceSettings, type SequenceSettings } from '../catalog/model.js';
import { columnSequenceType } from '../catalog/apply/sequence-options.js';
import { quoteIdent as q, quoteLiteral as lit } from '../prove/engine.js';
import { typeSql, withoutSerial } from '../load/sql/ast.js';
import { isVolatileDefault } from './helpers.js';
import { indexName, objectName, serialSequenceName, truncateIdentifier } from '../catalog/names.js';
import { changedSettings, planObjects, qualified, sameSettings, sequenceOptionsSql } from './plan-objects.js';

export type Phase = 'expand-types' | 'expand' | 'expand-concurrent' | 'backfill' | 'validate' | 'switch' | 'contract';

export interface PlanStep {
  readonly phase: Phase;
  readonly action: string;
  /** SQL of the step; empty for application steps. */
  readonly sql: string[];
  readonly rollback: string;
  /** Runs after its phase's transaction commits (a VALIDATE must not hold the lock of the add before it). */
  readonly afterCommit?: boolean;
}

export interface MigrationPlan {
  readonly steps: PlanStep[];
  readonly files: { name: string; sql: string; transaction: boolean }[];
  readonly markdown: string;
}

const ORDER: Phase[] = ['expand-types', 'expand', 'expand-concurrent', 'backfill', 'validate', 'switch', 'contract'];

const tbl = qualified;

function colDef(c: Column, withDefault: boolean): string {
  if (c.generated) return `${q(c.name)} ${typeSql(c.type)} GENERATED ALWAYS AS (${c.generated.text}) STORED`;
  // A serial type carries its own default (nextval of the sequence it creates).
  return `${q(c.name)} ${typeSql(c.type)}${withDefault && c.default && c.default.text && !c.type.serial ? ` DEFAULT ${c.default.text}` : ''}`;
}

/**
 * A DO block running `command` on the sequence of column `column` of `table` (found through the
 * column: its name may carry a number PostgreSQL appended); nothing when it has none. `command`
 * is a format() string whose first `%s` is the sequence; `args` are SQL expressions for the rest.
 */
function onColumnSequence(table: string, column: string, command: string, ...args: string[]): string {
  return `DO $$ DECLARE s text := pg_get_serial_sequence(${lit(table)}, ${lit(column)}); BEGIN IF s IS NOT NULL THEN EXECUTE format(${lit(command)}, ${['s', ...args].join(', ')}); END IF; END $$;`;
}

/** `only`: ON ONLY a partitioned table, its partitions left to index (and attach) one by one. */
function indexSql(ix: Index, t: Table, concurrently: boolean, only = false): string {
  const keys = ix.keys.map((k) => [
    k.column ? q(k.column) : `(${k.expr?.text ?? ''})`,
    k.opclass ? ` ${k.opclass}` : '',
    k.desc ? ' DESC' : '',
    k.nullsFirst === undefined ? '' : k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST',
  ].join('')).join(', ');
  return `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${concurrently ? 'CONCURRENTLY ' : ''}IF NOT EXISTS ${q(ix.name)} ON ${only ? 'ONLY ' : ''}${tbl(t)}${ix.method !== 'btree' ? ` USING ${ix.method}` : ''} (${keys})${ix.include.length ? ` INCLUDE (${ix.include.map(q).join(', ')})` : ''}${ix.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''}${ix.where ? ` WHERE ${ix.where.text}` : ''};`;
}

/** When a constraint is checked, as written after it: empty for the default (at each statement). */
function timing(c: Constraint): string {
  return c.initiallyDeferred ? ' DEFERRABLE INITIALLY DEFERRED' : c.deferrable ? ' DEFERRABLE' : '';
}

function constraintBody(c: Constraint): string | undefined {
  const body = constraintClause(c);
  return body === undefined ? undefined : `${body}${timing(c)}`;
}

function constraintClause(c: Constraint): string | undefined {
  switch (c.kind) {
    case 'check': return c.check ? `CHECK (${c.check.text})` : undefined;
    case 'foreign': {
      const ref = c.ref!.table.startsWith('public.') ? q(c.ref!.table.slice(7)) : c.ref!.table.split('.').map(q).join('.');
      const actions = `${c.onDelete && c.onDelete !== 'no action' ? ` ON DELETE ${c.onDelete.toUpperCase()}` : ''}${c.onUpdate && c.onUpdate !== 'no action' ? ` ON UPDATE ${c.onUpdate.toUpperCase()}` : ''}`;
      return `FOREIGN KEY (${c.columns.map(q).join(', ')}) REFERENCES ${ref}${c.ref!.columns.length ? ` (${c.ref!.columns.map(q).join(', ')})` : ''}${actions}`;
    }
    default: return undefined;
  }
}

/** ADD CONSTRAINT ... NOT VALID: checked for new rows at once, for existing ones by a VALIDATE apart. */
function addNotValidSql(t: Table, c: Constraint): string {
  return `ALTER TABLE ${tbl(t)} ADD CONSTRAINT ${q(c.name)} ${constraintBody(c)} NOT VALID;`;
}

function validateSql(t: Table, c: Constraint): string {
  return `ALTER TABLE ${tbl(t)} VALIDATE CONSTRAINT ${q(c.name)};`;
}

function dropConstraintSql(t: Table, name: string): string {
  return `ALTER TABLE ${tbl(t)} DROP CONSTRAINT ${q(name)}`;
}

/** The unique index a primary key or unique constraint is then added USING, built without blocking writes. */
function keyIndexSql(t: Table, c: Constraint, index: string): string {
  return `CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS ${q(index)} ON ${tbl(t)} (${c.columns.map(q).join(', ')})${c.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''};`;
}

/** A contract step that validates a constraint once the contract transaction has committed. */
function validateAfterCommit(t: Table, c: Constraint, what: string): PlanStep {
  return { phase: 'contract', action: `validate ${c.name}${what} (after the contract transaction commits)`, sql: [validateSql(t, c)], rollback: 'roll-forward only', afterCommit: true };
}

/** `name` and `full_name`, `user_id` and `account_user_id`: one name contains the other, or they share a word. */
function similarNames(a: string, b: string): boolean {
  if (a.includes(b) || b.includes(a)) return true;
  const wa = new Set(a.split('_'));
  return b.split('_').some((w) => w.length > 2 && wa.has(w));
}

/** Two constraints of one name say the same thing (kind, columns, reference, actions, expression), at the same time. */
function sameConstraint(a: Constraint, b: Constraint): boolean {
  return sameRule(a, b) && a.deferrable === b.deferrable && a.initiallyDeferred === b.initiallyDeferred;
}

/** Two constraints of one name say the same thing, whenever each is checked. */
function sameRule(a: Constraint, b: Constraint): boolean {
  return a.kind === b.kind && a.columns.join() === b.columns.join()
    && (a.ref?.table ?? '') === (b.ref?.table ?? '') && (a.ref?.columns ?? []).join() === (b.ref?.columns ?? []).join()
    && (a.onDelete ?? '') === (b.onDelete ?? '') && (a.onUpdate ?? '') === (b.onUpdate ?? '')
    && (a.check?.key ?? '') === (b.check?.key ?? '') && (a.where?.key ?? '') === (b.where?.key ?? '')
    && Boolean(a.nullsNotDistinct) === Boolean(b.nullsNotDistinct);
}

/** Two indexes of one name index the same thing the same way. */
function sameIndex(a: Index, b: Index): boolean {
  const keys = (ix: Index): string => ix.keys.map((k) => `${k.column ?? k.expr?.key ?? ''}|${k.desc}|${k.nullsFirst}|${k.opclass ?? ''}`).join(';');
  return a.table === b.table && a.unique === b.unique && a.method === b.method && keys(a) === keys(b)
    && a.include.join() === b.include.join() && (a.where?.key ?? '') === (b.where?.key ?? '') && a.nullsNotDistinct === b.nullsNotDistinct;
}

function sameType(a: Column, b: Column): boolean {
  return a.type.display === b.type.display;
}

/**
 * Tables the new schema renamed: an old table gone and a new one with a similar name (or the
 * very same columns), the same primary key, and every column it shares of the same type; a
 * column only the new one has must be able to stay NULL or take its default. Mapped new key ->
 * old table. Each is planned as copy, not RENAME: create, keep in sync, backfill, switch, drop.
 */
function tableRenames(oldCat: Catalog, newCat: Catalog): Map<string, Table> {
  const pk = (t: Table): string | undefined => t.constraints.find((c) => c.kind === 'primary')?.columns.join(',');
  const gone = [...oldCat.tables.values()].filter((t) => !t.partitionOf && !newCat.tables.has(t.key) && pk(t));
  const out = new Map<string, Table>();
  const used = new Set<string>();
  for (const n of newCat.tables.values()) {
    if (n.partitionOf || oldCat.tables.has(n.key) || !pk(n)) continue;
    let best: Table | undefined;
    let bestScore = 0;
    for (const o of gone) {
      if (used.has(o.key) || pk(o) !== pk(n)) continue;
      const shared = n.columns.filter((c) => o.columns.some((x) => x.name === c.name));
      if (shared.some((c) => !sameType(c, o.columns.find((x) => x.name === c.name)!))) continue;
      if (n.columns.some((c) => !shared.includes(c) && c.notNull && !c.default && !c.identity && !c.type.serial)) continue;
      const score = shared.length / Math.max(n.columns.length, o.columns.length);
      const fits = score === 1 ? similarNames(o.name, n.name) || n.columns.length >= 3 : score >= 0.75 && similarNames(o.name, n.name);
      if (fits && score > bestScore) { best = o; bestScore = score; }
    }
    if (best) { out.set(n.key, best); used.add(best.key); }
  }
  return out;
}

/** The trigger function that mirrors writes on a renamed table's old name into the new table. */
function syncSql(from: Table, to: Table, fn: string, columns: string[], key: string[], overriding: boolean): string {
  const list = columns.map(q).join(', ');
  const keyOf = (row: string): string => `(${key.map((k) => `${row}.${q(k)}`).join(', ')})`;
  const rest = columns.filter((c) => !key.includes(c));
  const conflict = rest.length ? `DO UPDATE SET ${rest.map((c) => `${q(c)} = EXCLUDED.${q(c)}`).join(', ')}` : 'DO NOTHING';
  return `CREATE OR REPLACE FUNCTION ${q(fn)}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND ${keyOf('OLD')} IS DISTINCT FROM ${keyOf('NEW')}) THEN
    DELETE FROM ${tbl(to)} WHERE (${key.map(q).join(', ')}) = ${keyOf('OLD')};
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO ${tbl(to)} (${list})${overriding ? ' OVERRIDING SYSTEM VALUE' : ''} VALUES (${columns.map((c) => `NEW.${q(c)}`).join(', ')})
    ON CONFLICT (${key.map(q).join(', ')}) ${conflict};
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER ${q(fn)} AFTER INSERT OR UPDATE OR DELETE ON ${tbl(from)} FOR EACH ROW EXECUTE FUNCTION ${q(fn)}();`;
}

export function planMigration(oldCat: Catalog, newCat: Catalog, options: { chunkSize?: number } = {}): MigrationPlan {
  const steps: PlanStep[] = [];
  const chunk = options.chunkSize ?? 5000;
  const add = (phase: Phase, action: string, sql: string[], rollback: string): void => { steps.push({ phase, action, sql, rollback }); };
  // Tables whose columns change type: views reading them are dropped around the change.
  const retypedColumns = new Map<string, Set<string>>();
  for (const t of newCat.tables.values()) {
    const old = oldCat.tables.get(t.key);
    const changed = old ? t.columns.filter((c) => { const o = old.columns.find((x) => x.name === c.name); return o !== undefined && !sameType(o, c); }) : [];
    if (changed.length) retypedColumns.set(t.key, new Set(changed.map((c) => c.name)));
  }
  // Foreign keys added in the expand wait until every table of the plan exists: they may reference one created later.
  const foreignKeys: PlanStep[] = [];
  const addForeignKey = (action: string, sql: string[], rollback: string): void => { foreignKeys.push({ phase: 'expand', action, sql, rollback }); };
  // A foreign key needs a unique index on the columns it references. When the old schema has
  // none there (a key the plan changes or adds), the index comes from the expand's concurrent
  // builds: the foreign key waits for the validate phase, added NOT VALID, then validated.
  const keyedInOld = (c: Constraint): boolean => {
    const ref = c.ref!;
    const t = oldCat.tables.get(ref.table);
    if (!t) return true;
    const cols = ref.columns.length ? ref.columns : t.constraints.find((x) => x.kind === 'primary')?.columns ?? [];
    const same = (xs: readonly string[]): boolean => xs.length === cols.length && xs.every((x) => cols.includes(x));
    return t.constraints.some((x) => (x.kind === 'primary' || x.kind === 'unique') && same(x.columns))
      || [...oldCat.indexes.values()].some((ix) => ix.table === t.key && ix.unique && !ix.where && ix.keys.every((k) => k.column) && same(ix.keys.map((k) => k.column!)));
  };
  // A foreign key over columns whose type changes in the contract (its own or those it
  // references) can only be added after that change: it goes there, validated after the commit.
  const afterRetype: PlanStep[] = [];
  const waitsForRetype = (t: Table, c: Constraint): boolean => {
    const own = retypedColumns.get(t.key);
    const ref = retypedColumns.get(c.ref!.table);
    const refCols = c.ref!.columns.length ? c.ref!.columns : newCat.tables.get(c.ref!.table)?.constraints.find((x) => x.kind === 'primary')?.columns ?? [];
    return Boolean(own && c.columns.some((x) => own.has(x))) || Boolean(ref && refCols.some((x) => ref.has(x)));
  };
  const addAfterRetype = (t: Table, c: Constraint, action: string): void => {
    afterRetype.push({ phase: 'contract', action: `${action}, after the type change of the columns it joins`, sql: [addNotValidSql(t, c)], rollback: 'roll-forward only' });
    afterRetype.push(validateAfterCommit(t, c, ''));
  };
  /** Added NOT VALID and validated in the validate phase (after the expand's indexes and the backfill). */
  const addInValidate = (t: Table, c: Constraint, action: string): void => {
    add('validate', action, [addNotValidSql(t, c)], dropConstraintSql(t, c.name));
    add('validate', `validate ${c.name}`, [validateSql(t, c)], dropConstraintSql(t, c.name));
  };
  /**
   * NOT NULL on a column with rows, through a check: added NOT VALID, validated (a scan that
   * blocks no writes), then SET NOT NULL uses it instead of scanning. `filled`: new rows get a
   * value from a default, so the check can guard them from the expand on; without one, the
   * current application (which does not know the column) inserts NULL there until the next
   * version writes it, so the check waits for the validate phase (committed on its own
   * before the scan, so its lock is not held during it).
   */
  const requireNotNull = (t: Table, column: string, filled: boolean): void => {
    const chk = objectName(t.name, column, 'nn_check');
    add(filled ? 'expand' : 'validate', `not-null check for ${column}, not validated yet`, [`ALTER TABLE ${tbl(t)} ADD CONSTRAINT ${q(chk)} CHECK (${q(column)} IS NOT NULL) NOT VALID;`], dropConstraintSql(t, chk));
    add('validate', `validate and set NOT NULL on ${column}`, [`ALTER TABLE ${tbl(t)} VALIDATE CONSTRAINT ${q(chk)};`, `ALTER TABLE ${tbl(t)} ALTER COLUMN ${q(column)} SET NOT NULL;`, `${dropConstraintSql(t, chk)};`], `ALTER TABLE ${tbl(t)} ALTER COLUMN ${q(column)} DROP NOT NULL`);
  };
  const backfills: { table: Table; column: string; expr: string; key: string }[] = [];
  /**
   * A new index on a partitioned table with rows: CONCURRENTLY is refused there, so it is made
   * ON ONLY the parent (invalid, instant), built CONCURRENTLY on each partition under the name
   * PostgreSQL would give it, and attached; the parent's index is valid once all are.
   */
  const addPartitionedIndex = (ix: Index, t: Table): void => {
    const parts = [...newCat.tables.values()].filter((p) => p.partitionOf === t.key);
    const keys = ix.keys.map((k) => ({ column: k.column, expr: k.expr?.ast as Ast | undefined }));
    const sql = [indexSql(ix, t, false, true)];
    for (const p of parts) {
      const name = indexName(p.name, keys);
      sql.push(indexSql({ ...ix, name }, p, true), `ALTER INDEX ${qualified({ schema: t.schema, name: ix.name })} ATTACH PARTITION ${qualified({ schema: p.schema, name })};`);
    }
    add('expand-concurrent', `index ${ix.name} on partitioned ${displayName(t)}: on the parent only, then built CONCURRENTLY on ${parts.length} partition(s) and attached`, sql, `DROP INDEX ${q(ix.name)} (its partitions' indexes go with it)`);
  };
  /**
   * A new partition. Of a new partitioned table: created PARTITION OF it. Of one the old schema
   * has: created alike and then attached, since ATTACH PARTITION locks the parent with SHARE
   * UPDATE EXCLUSIVE (reads and writes go on) where CREATE ... PARTITION OF takes ACCESS
   * EXCLUSIVE; the attach scans only the new, empty table (and a DEFAULT partition, if any).
   */
  const addPartition = (t: Table): void => {
    const parent = newCat.tables.get(t.partitionOf!);
    if (!parent || !t.partitionBound) { add('expand', `create partition ${displayName(t)} (its parent or bound is not known: write it by hand)`, [], 'not generated'); return; }
    const sql = oldCat.tables.has(parent.key)
      ? [`CREATE TABLE IF NOT EXISTS ${tbl(t)} (LIKE ${tbl(parent)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED);`, `ALTER TABLE ${tbl(parent)} ATTACH PARTITION ${tbl(t)} ${t.partitionBound};`]
      : [`CREATE TABLE IF NOT EXISTS ${tbl(t)} PARTITION OF ${tbl(parent)} ${t.partitionBound};`];
    add('expand', `create partition ${displayName(t)} of ${displayName(parent)} (${t.partitionBound})`, sql, `DROP TABLE ${tbl(t)} while it holds no rows`);
    for (const ix of newCat.indexes.values()) if (ix.table === t.key && !ix.constraint) add('expand', `index ${ix.name} on the new partition`, [indexSql(ix, t, false)], `DROP INDEX ${q(ix.name)}`);
  };
  /**
   * A serial or identity column added to a table with rows: `ADD COLUMN ... serial` would
   * number every row at once, rewriting the table under ACCESS EXCLUSIVE. Instead the column
   * is added plain with a sequence as its default (new rows numbered from then on), existing
   * rows are numbered in batches, NOT NULL is validated, and an identity column becomes one
   * last (it needs NOT NULL), its own sequence set past the numbers already given.
   */
  const addNumberedColumn = (t: Table, c: Column, key: string | undefined): void => {
    const plain = withoutSerial(c.type);
    const seqName = c.identity ? serialSequenceName(t.name, `${c.name}_fill`) : c.sequence ?? serialSequenceName(t.name, c.name);
    const seq = qualified({ schema: t.schema, name: seqName });
    const next = `nextval(${lit(seq)}::regclass)`;
    const { settings } = settingsOf(c);
    add('expand', `add column ${displayName(t)}.${c.name} (nullable, numbered from sequence ${seqName} for new rows)`, [
      `CREATE SEQUENCE IF NOT EXISTS ${seq} AS ${typeSql(plain)} ${sequenceOptionsSql(settings)};`,
      `ALTER TABLE ${tbl(t)} ADD COLUMN IF NOT EXISTS ${q(c.name)} ${typeSql(plain)};`,
      `ALTER TABLE ${tbl(t)} ALTER COLUMN ${q(c.name)} SET DEFAULT ${next};`,
      // A serial column owns its sequence; an identity column's comes later, this one is dropped then.
      ...(c.identity ? [] : [`ALTER SEQUENCE ${seq} OWNED BY ${tbl(t)}.${q(c.name)};`]),
    ], `ALTER TABLE ${tbl(t)} DROP COLUMN ${q(c.name)} while unused; DROP SEQUENCE IF EXISTS ${seq}`);
    if (key) backfills.push({ table: t, column: c.name, expr: next, key });
    requireNotNull(t, c.name, true);
    if (!c.identity) return;
    const rename = c.sequence && c.sequence !== serialSequenceName(t.name, c.name)
      ? [onColumnSequence(tbl(t), c.name, 'ALTER SEQUENCE %s RENAME TO %I', lit(c.sequence))] : [];
    add('validate', `${displayName(t)}.${c.name} becomes an identity column (${c.identity === 'always' ? 'GENERATED ALWAYS' : 'GENERATED BY DEFAULT'}), numbering on past the rows numbered`, [
      `ALTER TABLE ${tbl(t)} ALTER COLUMN ${q(c.name)} DROP DEFAULT, ALTER COLUMN ${q(c.name)} ADD GENERATED ${c.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY (${sequenceOptionsSql(settings)});`,
      `SELECT setval(pg_get_serial_sequence(${lit(tbl(t))}, ${lit(c.name)}), last_value, is_called) FROM ${seq};`,
      `DROP SEQUENCE IF EXISTS ${seq};`,
      ...rename,
    ], `ALTER TABLE ${tbl(t)} ALTER COLUMN ${q(c.name)} DROP IDENTITY`);
  };
  const renamedTables = tableRenames(oldCat, newCat);
  const copies: { from: Table; to: Table; columns: string[]; key: string[]; overriding: boolean }[] = [];
  // After the old tables are dropped: names the new tables took meanwhile become the final ones.
  const afterDrops: PlanStep[] = [];
  const afterEnumRebuilds: PlanStep[] = [];
  const keyChanges: PlanStep[] = [];
  /** A sequence name the old schema holds (an explicit sequence, or a serial or identity column's). */
  const oldHoldsSequence = (schema: string, name: string): boolean => oldCat.sequences.has(`${schema}.${name}`)
    || [...oldCat.tables.values()].some((o) => o.schema === schema && o.columns.some((c) => c.sequence === name && (c.type.serial || c.identity)));
  /** A serial or identity column's sequence settings, and PostgreSQL's defaults for its type. */
  const settingsOf = (c: Column): { settings: SequenceSettings; defaults: SequenceSettings } => {
    const as = columnSequenceType(c.type);
    return { settings: sequenceSettings({ ...c.sequenceOptions, as }), defaults: sequenceSettings({ as }) };
  };
  /** The settings a serial or identity column's sequence is to have, set through the column. */
  const setSequenceSettings = (t: Table, c: Column, x: SequenceSettings, before: SequenceSettings): void => {
    add('expand', `the sequence of ${displayName(t)}.${c.name} as in the new schema (${changedSettings(before, x).join(', ')})`,
      [onColumnSequence(tbl(t), c.name, `ALTER SEQUENCE %s ${sequenceOptionsSql(x)}`)],
      `the same with ${sequenceOptionsSql(before)}`);
  };
  /**
   * A serial or identity column's sequence takes the name the new schema gives it (its history
   * may have renamed the table, or the sequence): renamed from `current`, the name it has once
   * the plan created it, after the old schema let go of the name.
   */
  const keepSequenceName = (t: Table, c: Column, current: string | undefined): void => {
    if (!c.sequence || !current || c.sequence === current || !(c.type.serial || c.identity)) return;
    const action = `the sequence of ${displayName(t)}.${c.name} is named ${c.sequence}, as in the new schema`;
    const sql = [onColumnSequence(tbl(t), c.name, 'ALTER SEQUENCE %s RENAME TO %I', lit(c.sequence))];
    if (oldHoldsSequence(t.schema, c.sequence)) afterDrops.push({ phase: 'contract', action, sql, rollback: 'roll-forward only' });
    else add('expand', action, sql, `ALTER SEQUENCE ${qualified({ schema: t.schema, name: c.sequence })} RENAME TO ${q(current)}`);
  };
  const retyped = new Set(retypedColumns.keys());
  const objects = planObjects(oldCat, newCat, retyped);
  steps.push(...objects.types, ...objects.setup, ...objects.expandFirst, ...objects.contractFirst);
  // Foreign keys that go or are redefined are dropped at the start of the contract, before any
  // column they join changes type or any key they reference changes.
  const contractStart = steps.length;
  const fkDrops: PlanStep[] = [];

  for (const t of newCat.tables.values()) {
    if (t.partitionOf) { if (!oldCat.tables.has(t.key)) addPartition(t); continue; }
    const old = oldCat.tables.get(t.key);
    if (!old) {
      const from = renamedTables.get(t.key);
      // An index name still held by the old schema (the renamed table's own, typically) is used
      // under a temporary name until the old one is dropped.
      const held = (name: string): string => {
        if (!oldCat.indexes.has(`${t.schema}.${name}`)) return name;
        const tmp = objectName(name, undefined, 'new');
        afterDrops.push({ phase: 'contract', action: `index ${tmp} of ${displayName(t)} takes the name ${name}`, sql: [`ALTER INDEX IF EXISTS ${qualified({ schema: t.schema, name: tmp })} RENAME TO ${q(name)};`], rollback: 'roll-forward only' });
        return tmp;
      };
      const identityOptions = (c: Column): string => { const { settings, defaults } = settingsOf(c); return sameSettings(settings, defaults) ? '' : ` (${sequenceOptionsSql(settings)})`; };
      const cols = t.columns.map((c) => `  ${colDef(c, true)}${c.identity ? ` GENERATED ${c.identity === 'always' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${identityOptions(c)}` : ''}${c.notNull ? ' NOT NULL' : ''}`);
      const cons = t.constraints.filter((c) => c.kind === 'primary' || c.kind === 'unique' || c.kind === 'check').map((c) => `  CONSTRAINT ${q(c.kind === 'check' ? c.name : held(c.name))} ${c.kind === 'primary' ? `PRIMARY KEY (${c.columns.map(q).join(', ')})${timing(c)}` : c.kind === 'unique' ? `UNIQUE${c.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''} (${c.columns.map(q).join(', ')})${timing(c)}` : constraintBody(c)}`);
      const partitioned = t.kind === 'partitioned' && t.partitionBy ? ` PARTITION BY ${t.partitionBy}` : '';
      add('expand', `create ${partitioned ? 'partitioned ' : ''}table ${displayName(t)}${from ? ` (the new name of ${displayName(from)}: its rows are copied, not renamed)` : ''}`, [`CREATE TABLE IF NOT EXISTS ${tbl(t)} (\n${[...cols, ...cons].join(',\n')}\n)${partitioned};`], `DROP TABLE ${tbl(t)} while nothing writes to it`);
      if (!from) for (const c of t.columns) {
        keepSequenceName(t, c, serialSequenceName(t.name, c.name));
        if (!c.type.serial) continue;
        const { settings, defaults } = settingsOf(c);
        if (!sameSettings(settings, defaults)) setSequenceSettings(t, c, settings, defaults);
      }
      for (const c of t.constraints.filter((x) => x.kind === 'foreign')) {
        // The copy's rows arrive in the backfill: its foreign keys are checked after it.
        if (from) addInValidate(t, c, `foreign key ${c.name} on ${displayName(t)}, once its rows are copied`);
        else if (waitsForRetype(t, c)) addAfterRetype(t, c, `foreign key ${c.name} on the new table ${displayName(t)}`);
        else if (!keyedInOld(c)) addInValidate(t, c, `foreign key ${c.name} on the new table ${displayName(t)}, once the key it references is indexed`);
        else addForeignKey(`foreign key ${c.name} on the new table ${displayName(t)}`, [`ALTER TABLE ${tbl(t)} ADD CONSTRAINT ${q(c.name)} ${constraintBody(c)};`], dropConstraintSql(t, c.name));
      }
      for (const ix of newCat.indexes.values()) if (ix.table === t.key && !ix.constraint) add('expand', `index ${ix.name} on the new table`, [indexSql({ ...ix, name: held(ix.name) }, t, false)], `DROP INDEX ${q(ix.name)}`);
      if (from) {
        const columns = t.columns.filter((c) => from.columns.some((x) => x.name === c.name) && !c.generated).map((c) => c.name);
        const key = t.constraints.find((c) => c.kind === 'primary')!.columns;
        const overriding = t.columns.some((c) => c.identity === 'always' && columns.includes(c.name));
        const fn = truncateIdentifier(`schemaproof_sync_${from.name}`);
        copies.push({ from, to: t, columns, key, overriding });
        // Old and new application may run side by side: a serial column of both draws from one
        // sequence, the old table's, so the ids each side writes never collide; it passes to the
        // new table before the old one is dropped. An identity column numbers on after the copy.
        const shared = t.columns.filter((x) => x.type.serial && columns.includes(x.name) && from.columns.find((y) => y.name === x.name)?.type.serial);
        for (const c of shared) {
          add('expand', `${displayName(t)}.${c.name} draws from the sequence of ${displayName(from)}.${c.name}`, [`DO $$
DECLARE
  own text := pg_get_serial_sequence(${lit(tbl(t))}, ${lit(c.name)});
  shared text := pg_get_serial_sequence(${lit(tbl(from))}, ${lit(c.name)});
BEGIN
  EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT nextval(%L::regclass)', ${lit(tbl(t))}, ${lit(c.name)}, shared);
  IF own IS NOT NULL AND own <> shared THEN EXECUTE format('DROP SEQUENCE %s', own); END IF;
END $$;`], 'roll-forward only');
        }
        for (const c of t.columns.filter((x) => (x.type.serial || x.identity) && columns.includes(x.name) && !shared.includes(x))) {
          add('validate', `${displayName(t)}.${c.name} numbers on from the copied rows`, [`SELECT setval(pg_get_serial_sequence(${lit(tbl(t))}, ${lit(c.name)}), coalesce((SELECT max(${q(c.name)}) FROM ${tbl(t)}), 0) + 1, false);`], 'none needed');
        }
        add('expand', `mirror writes on ${displayName(from)} into ${displayName(t)} until the switch`, [syncSql(from, t, fn, columns, key, overriding)], `DROP TRIGGER ${q(fn)} ON ${tbl(from)}; DROP FUNCTION ${q(fn)}()`);
        add('switch', `application reads and writes ${displayName(t)} instead of ${displayName(from)}`, [], `switch the application back (${displayName(from)} is still complete until the contract)`);
        add('contract', `stop mirroring ${displayName(from)} into ${displayName(t)}`, [`DROP TRIGGER IF EXISTS ${q(fn)} ON ${tbl(from)};`, `DROP FUNCTION IF EXISTS ${q(fn)}();`], 'roll-forward only');
        for (const c of shared) {
          add('contract', `the sequence of ${displayName(from)}.${c.name} passes to ${displayName(t)}.${c.name} before ${displayName(from)} is dropped`, [onColumnSequence(tbl(from), c.name, 'ALTER SEQUENCE %s OWNED BY %s.%I', lit(tbl(t)), lit(c.name))], 'roll-forward only');
        }
      }
      continue;
    }
    const added = t.columns.filter((c) => !old.columns.some((o) => o.name === c.name));
    const dropped = old.columns.filter((o) => !t.columns.some((c) => c.name === o.name));
    // One dropped and one added column of the same type: a rename, done as add, backfill, switch, drop.
    const renames = new Map<string, string>();
    if (added.length === 1 && dropped.length === 1 && sameType(added[0]!, dropped[0]!) && similarNames(added[0]!.name, dropped[0]!.name)) renames.set(added[0]!.name, dropped[0]!.name);
    const key = t.constraints.find((c) => c.kind === 'primary')?.columns[0];
    for (const c of added) {
      if ((c.type.serial || c.identity) && !renames.has(c.name)) { addNumberedColumn(t, c, key); continue; }
      const constDefault = c.default && c.default.ast && !isVolatileDefault(c.default.ast);
      add('expand', `add column ${displayName(t)}.${c.name} (nullable${constDefault ? ', constant default' : ''})`, [`ALTER TABLE ${tbl(t)} ADD COLUMN IF NOT EXISTS ${colDef(c, Boolean(constDefault))};`], `ALTER TABLE ${tbl(t)} DROP COLUMN ${q(c.name)} while unused`);
      if (c.default && !constDefault) add('expand', `default for ${c.name}`, [`ALTER TABLE ${tbl(t)} ALTER COLUMN ${q(c.name)} SET DEFAULT ${c.default.text};`], `ALTER TABLE ${tbl(t)} ALTER COLUMN ${q(c.name)} DROP DEFAULT`);
      const from = renames.get(c.name);
      if (from && key) backfills.push({ table: t, column: c.name, expr: q(from), key });
      else if (c.notNull && key) backfills.push({ table: t, column: c.name, expr: c.default?.text ?? `NULL /* TODO: value for existing rows */`, key });
      if (c.notNull) requireNotNull(t, c.name, Boolean(c.default));
      if (from) add('switch', `application reads and writes ${c.name} instead of ${from}`, [], 'switch the application back (the old column is still written)');
    }
    for (const o of dropped) {
      add('contract', `drop column ${displayName(t)}.${o.name} after the compatibility window`, [`ALTER TABLE ${tbl(t)} DROP COLUMN IF EXISTS ${q(o.name)};`], 'roll-forward only');
    }
    for (const c of t.columns) {
      const o = old.columns.find((x) => x.name === c.name);
      if (!o) continue;
      if (o.type.serial || o.identity) keepSequenceName(t, c, o.sequence);
      if ((o.type.serial || o.identity) && (c.type.serial || c.identity) && sameType(o, c)) {
        const before = settingsOf(o).settings;
        const after = settingsOf(c).settings;
        if (!sameSettings(before, after)) setSequenceSettings(t, c, after, before);
      }
      const retype = !sameType(o, c);
      if (retype) {
        // An enum on either side has no assignment cast: its values go through their text. The
        // default goes first (the old one may not convert) and the new one follows the new type.
        const enumSide = [o.type, c.type].some((ty) => ty.array === false && [newCat, oldCat].some((cat) => cat.enums.has(`${ty.schema ?? 'public'}.${ty.name}`)));
        const parts = [
          ...(o.default ? [`ALTER COLUMN ${q(c.name)} DROP DEFAULT`] : []),
          `ALTER COLUMN ${q(c.name)} TYPE ${typeSql(c.type)}${enumSide ? ` USING ${q(c.name)}::text::${typeSql(c.type)}` : ''}`,
          ...(c.default && !c.type.serial ? [`ALTER COLUMN ${q(c.name)} SET DEFAULT ${c.default.text}`] : []),
        ];
        // A serial column that stops being one leaves its sequence behind: it goes with the change.
        const dropSequence = o.type.serial && !c.type.serial
          ? [onColumnSequence(tbl(t), c.name, 'DROP SEQUENCE %s')]
          : [];
        add('contract', `change type of ${c.name} to ${c.type.display} (rewrites ${displayName(t)} unless the change is binary-compatible)`, [`ALTER TABLE ${tbl(t)} ${parts.join(', ')};`, ...dropSequence], 'roll-forward only');
      }
      if (c.notNull && !o.notNull) {
        if (key) backfills.push({ table: t, column: c.name, expr: c.default?.text ?? `${q(c.name)} /* TODO: value for rows where ${c.name} is NULL */`, key });
        requireNotNull(t, c.name, Boolean(c.default));
      }
      if (!c.notNull && o.notNull) add('expand', `allow NULL in ${c.name}`, [`ALTER TABLE ${tbl(t)} ALTER COLUMN ${q(c.name)} DROP NOT NULL;`], 'roll-forward only once NULLs are written');
      if (!retype && (c.default?.text ?? '') !== (o.default?.text ?? '')) add('expand', `default of ${c.name}`, [c.default ? `ALTER TABLE ${tbl(t)} ALTER COLUMN ${q(c.name)} SET DEFAULT ${c.default.text};` : `ALTER TABLE ${tbl(t)} ALTER COLUMN ${q(c.name)} DROP DEFAULT;`], o.default ? `SET DEFAULT ${o.default.text}` : 'DROP DEFAULT');
    }
    for (const c of t.constraints) {
      const before = old.constraints.find((o) => o.name === c.name);
      if (before && sameConstraint(before, c)) continue;
      if (before && c.kind === 'foreign' && sameRule(before, c)) {
        // Only when it is checked changes: ALTER CONSTRAINT, no re-validation. Deferring is what new
        // code may need, so it comes before the switch; checking at once again waits for the contract.
        const alter = (x: Constraint): string => `ALTER TABLE ${tbl(t)} ALTER CONSTRAINT ${q(c.name)} ${x.initiallyDeferred ? 'DEFERRABLE INITIALLY DEFERRED' : x.deferrable ? 'DEFERRABLE INITIALLY IMMEDIATE' : 'NOT DEFERRABLE'};`;
        const looser = c.deferrable && (!before.deferrable || c.initiallyDeferred);
        add(looser ? 'expand' : 'contract', `check ${c.name} ${c.initiallyDeferred ? 'at commit' : c.deferrable ? 'at each statement unless deferred' : 'at each statement'}`, [alter(c)], alter(before).replace(/;$/, ''));
        continue;
      }
      if (before) {
        // Same name, new definition: old clients may rely on the old rule, so it changes in the contract
        // (IF EXISTS: dropping a column of the old definition may already have dropped it).
        if (c.kind === 'foreign') {
          fkDrops.push({ phase: 'contract', action: `drop foreign key ${c.name} on ${displayName(t)}, redefined below`, sql: [`ALTER TABLE ${tbl(t)} DROP CONSTRAINT IF EXISTS ${q(c.name)};`], rollback: 'roll-forward only' });
          if (waitsForRetype(t, c)) { addAfterRetype(t, c, `redefine constraint ${c.name} on ${displayName(t)}`); continue; }
          add('contract', `redefine constraint ${c.name} on ${displayName(t)}, not validated yet`, [addNotValidSql(t, c)], 'roll-forward only');
          steps.push(validateAfterCommit(t, c, ` on ${displayName(t)}`));
        } else if (c.kind === 'check') {
          add('contract', `redefine constraint ${c.name} on ${displayName(t)}, not validated yet`, [`ALTER TABLE ${tbl(t)} DROP CONSTRAINT IF EXISTS ${q(c.name)}, ADD CONSTRAINT ${q(c.name)} ${constraintBody(c)} NOT VALID;`], 'roll-forward only');
          steps.push(validateAfterCommit(t, c, ` on ${displayName(t)}`));
        } else if (c.kind === 'unique' || c.kind === 'primary') {
          const idx = objectName(c.name, undefined, 'new');
          add('expand-concurrent', `index for the new definition of ${c.name}, built without blocking writes`, [keyIndexSql(t, c, idx)], `DROP INDEX CONCURRENTLY ${q(idx)}`);
          keyChanges.push({ phase: 'contract', action: `${c.kind === 'primary' ? 'primary key' : 'unique constraint'} ${c.name} on (${c.columns.join(', ')}) instead of (${before.columns.join(', ')})`, sql: [`ALTER TABLE ${tbl(t)} DROP CONSTRAINT IF EXISTS ${q(c.name)}, ADD CONSTRAINT ${q(c.name)} ${c.kind === 'primary' ? 'PRIMARY KEY' : 'UNIQUE'} USING INDEX ${q(idx)}${timing(c)};`], rollback: 'roll-forward only' });
        }
        continue;
      }
      if (c.kind === 'foreign' && waitsForRetype(t, c)) {
        addAfterRetype(t, c, `constraint ${c.name}`);
      } else if (c.kind === 'foreign' && !keyedInOld(c)) {
        addInValidate(t, c, `constraint ${c.name}, once the key it references is indexed`);
      } else if (c.kind === 'check' || c.kind === 'foreign') {
        const action = `constraint ${c.name}, not validated yet`;
        if (c.kind === 'foreign') addForeignKey(action, [addNotValidSql(t, c)], dropConstraintSql(t, c.name));
        else add('expand', action, [addNotValidSql(t, c)], dropConstraintSql(t, c.name));
        add('validate', `validate ${c.name}`, [validateSql(t, c)], dropConstraintSql(t, c.name));
      } else if (c.kind === 'unique' || c.kind === 'primary') {
        const idx = objectName(c.name, undefined, 'idx');
        add('expand-concurrent', `index for ${c.name}, built without blocking writes`, [keyIndexSql(t, c, idx)], `DROP INDEX CONCURRENTLY ${q(idx)}`);
        add('validate', `${c.kind === 'primary' ? 'primary key' : 'unique constraint'} ${c.name} using that index`, [`ALTER TABLE ${tbl(t)} ADD CONSTRAINT ${q(c.name)} ${c.kind === 'primary' ? 'PRIMARY KEY' : 'UNIQUE'} USING INDEX ${q(idx)}${timing(c)};`], dropConstraintSql(t, c.name));
      }
    }
    for (const c of old.constraints) {
      if (t.constraints.some((x) => x.name === c.name)) continue;
      const drop: PlanStep = { phase: 'contract', action: `drop constraint ${c.name}`, sql: [`ALTER TABLE ${tbl(t)} DROP CONSTRAINT IF EXISTS ${q(c.name)};`], rollback: 'roll-forward only' };
      if (c.kind === 'primary' || c.kind === 'unique' || c.kind === 'exclusion') keyChanges.push(drop);
      else if (c.kind === 'foreign') fkDrops.push(drop);
      else steps.push(drop);
    }
  }
  for (const ix of newCat.indexes.values()) {
    const t = newCat.tables.get(ix.table);
    if (!t || ix.constraint || !oldCat.tables.has(ix.table)) continue;
    const before = oldCat.indexes.get(ix.key);
    if (before && !before.constraint && sameIndex(before, ix)) continue;
    if (before && !before.constraint) {
      // Same name, new definition: the new index is built beside the old one, then takes its name.
      const tmp = objectName(ix.name, undefined, 'new');
      add('expand-concurrent', `index ${ix.name} with its new definition, built as ${tmp}`, [indexSql({ ...ix, name: tmp }, t, true)], `DROP INDEX CONCURRENTLY ${q(tmp)}`);
      add('contract', `index ${ix.name}: the old definition goes, ${tmp} takes its name`, [`DROP INDEX CONCURRENTLY IF EXISTS ${q(ix.name)};`, `ALTER INDEX ${q(tmp)} RENAME TO ${q(ix.name)};`], 'roll-forward only');
      continue;
    }
    if (before) continue;
    // An index over a column whose type changes in the contract is built after that change: on
    // the old type its expression may not even be allowed (a cast that is not immutable).
    const changing = retypedColumns.get(t.key);
    const reads = ix.keys.flatMap((k) => (k.column ? [k.column] : k.expr?.columns ?? [])).concat(ix.where?.columns ?? []);
    const after = changing ? reads.filter((c) => changing.has(c)) : [];
    const rebuilt = objects.rebuiltEnumColumns.get(t.key);
    const enumReads = rebuilt ? reads.filter((c) => rebuilt.has(c)) : [];
    // Over an enum rebuilt in the contract, it may name a value that exists only once rebuilt.
    if (enumReads.length) afterEnumRebuilds.push({ phase: 'contract', action: `index ${ix.name}, after the rebuild of the enum type of ${enumReads.join(', ')}`, sql: [indexSql(ix, t, true)], rollback: `DROP INDEX CONCURRENTLY ${q(ix.name)}` });
    else if (after.length) add('contract', `index ${ix.name}, after the type change of ${after.join(', ')}`, [indexSql(ix, t, true)], `DROP INDEX CONCURRENTLY ${q(ix.name)}`);
    else if (t.kind === 'partitioned') addPartitionedIndex(ix, t);
    else add('expand-concurrent', `index ${ix.name}`, [indexSql(ix, t, true)], `DROP INDEX CONCURRENTLY ${q(ix.name)}`);
  }
  for (const ix of oldCat.indexes.values()) {
    if (ix.constraint || newCat.indexes.has(ix.key) || !newCat.tables.has(ix.table)) continue;
    add('contract', `drop index ${ix.name}`, [`DROP INDEX CONCURRENTLY IF EXISTS ${q(ix.name)};`], 'recreate it CONCURRENTLY');
  }
  // Dropped tables go referencing ones first: a foreign key between two of them would stop the other order.
  const dropping = [...oldCat.tables.values()].filter((t) => !t.partitionOf && !newCat.tables.has(t.key));
  const dropOrder: Table[] = [];
  const placed = new Set<string>();
  const place = (t: Table, path: Set<string>): void => {
    if (placed.has(t.key) || path.has(t.key)) return;
    path.add(t.key);
    for (const u of dropping) if (u.key !== t.key && u.constraints.some((c) => c.kind === 'foreign' && c.ref?.table === t.key)) place(u, path);
    placed.add(t.key);
    dropOrder.push(t);
  };
  for (const t of dropping) place(t, new Set());
  // A partition that goes while its parent stays is detached first, CONCURRENTLY (after the
  // contract's transaction): DROP TABLE on it would lock the parent ACCESS EXCLUSIVE.
  for (const t of oldCat.tables.values()) {
    if (!t.partitionOf || newCat.tables.has(t.key) || !newCat.tables.has(t.partitionOf) || !oldCat.tables.has(t.partitionOf)) continue;
    const parent = oldCat.tables.get(t.partitionOf)!;
    // PostgreSQL refuses CONCURRENTLY while the parent has a DEFAULT partition: then the plain form, in the transaction.
    const withDefault = Boolean(defaultPartitionOf(oldCat, parent.key, t.key));
    steps.push({
      phase: 'contract',
      action: `detach partition ${displayName(t)} from ${displayName(parent)} and drop it${withDefault ? ` (not CONCURRENTLY: ${displayName(parent)} has a DEFAULT partition; ACCESS EXCLUSIVE on it while the detach runs)` : ''}`,
      sql: [`ALTER TABLE ${tbl(parent)} DETACH PARTITION ${tbl(t)}${withDefault ? '' : ' CONCURRENTLY'};`, `DROP TABLE IF EXISTS ${tbl(t)};`],
      rollback: 'roll-forward only',
      afterCommit: !withDefault,
    });
  }
  for (const t of dropOrder) {
    const to = [...renamedTables].find(([, o]) => o.key === t.key)?.[0];
    add('contract', `drop table ${displayName(t)} after the compatibility window${to ? ` (its rows live on in ${displayName(newCat.tables.get(to)!)})` : ''}`, [`DROP TABLE IF EXISTS ${tbl(t)};`], 'roll-forward only');
  }
  // A key changes or goes once every foreign key that references it is gone, with its table if dropped.
  steps.splice(contractStart, 0, ...fkDrops);
  steps.push(...keyChanges, ...afterRetype, ...afterDrops, ...foreignKeys, ...objects.expandLast, ...objects.switches, ...objects.contractLast, ...afterEnumRebuilds);

  // Backfill: by key range, idempotent (only rows still NULL), progress recorded per batch.
  const backfillSql: string[] = [];
  if (backfills.length || copies.length) {
    backfillSql.push(`CREATE TABLE IF NOT EXISTS schemaproof_backfill_progress (\n  job text PRIMARY KEY,\n  last_key text,\n  rows_done bigint NOT NULL DEFAULT 0,\n  updated_at timestamptz NOT NULL DEFAULT now()\n);`);
    // One job per table: a NOT VALID check may already guard a new NOT NULL column (one with a
    // default), and PostgreSQL checks it on every row an UPDATE writes, so the columns of a table are filled
    // together (each only where still NULL), never one while another is still empty.
    const byTable = new Map<string, typeof backfills>();
    for (const b of backfills) byTable.set(`${b.table.key}\t${b.key}`, [...(byTable.get(`${b.table.key}\t${b.key}`) ?? []), b]);
    for (const group of byTable.values()) {
      const { table, key: k } = group[0]!;
      const job = `${table.name}.${group.map((b) => b.column).join('+')}`;
      const anyNull = group.map((b) => `${q(b.column)} IS NULL`).join(' OR ');
      const sets = group.map((b) => `${q(b.column)} = ${group.length > 1 ? `coalesce(t.${q(b.column)}, ${b.expr.replace(/^"([^"]+)"$/, 't."$1"')})` : b.expr.replace(/^"([^"]+)"$/, 't."$1"')}`).join(',\n      ');
      backfillSql.push(`-- ${job}: run repeatedly until it updates no row; safe to stop and restart.
WITH batch AS (
  SELECT ${q(k)} AS k FROM ${tbl(table)}
  WHERE ${anyNull}
  ORDER BY ${q(k)}
  LIMIT ${chunk}
), done AS (
  UPDATE ${tbl(table)} t SET ${sets}
  FROM batch WHERE t.${q(k)} = batch.k
  RETURNING t.${q(k)} AS k
)
INSERT INTO schemaproof_backfill_progress AS p (job, last_key, rows_done)
SELECT ${lit(job)}, max(k)::text, count(*) FROM done
ON CONFLICT (job) DO UPDATE SET last_key = EXCLUDED.last_key, rows_done = p.rows_done + EXCLUDED.rows_done, updated_at = now();
-- Validation (must return no rows before the validate phase):
-- SELECT ${q(k)} FROM ${tbl(table)} WHERE ${anyNull} LIMIT 1;`);
      steps.push({ phase: 'backfill', action: `backfill ${job} in batches of ${chunk}`, sql: [], rollback: `stop it; ${group.length > 1 ? 'the columns are' : 'the column is'} still unused` });
    }
    for (const c of copies) {
      const job = `${c.from.name} -> ${c.to.name}`;
      const list = c.columns.map(q).join(', ');
      const missing = `NOT EXISTS (SELECT 1 FROM ${tbl(c.to)} n WHERE ${c.key.map((k) => `n.${q(k)} = o.${q(k)}`).join(' AND ')})`;
      backfillSql.push(`-- ${job}: copies the rows not copied yet; run repeatedly until it copies none; safe to stop and restart.
WITH done AS (
  INSERT INTO ${tbl(c.to)} (${list})${c.overriding ? ' OVERRIDING SYSTEM VALUE' : ''}
  SELECT ${c.columns.map((x) => `o.${q(x)}`).join(', ')} FROM ${tbl(c.from)} o
  WHERE ${missing}
  ORDER BY ${c.key.map((k) => `o.${q(k)}`).join(', ')}
  LIMIT ${chunk}
  ON CONFLICT DO NOTHING
  RETURNING 1
)
INSERT INTO schemaproof_backfill_progress AS p (job, rows_done)
SELECT ${lit(job)}, count(*) FROM done
ON CONFLICT (job) DO UPDATE SET rows_done = p.rows_done + EXCLUDED.rows_done, updated_at = now();
-- Validation (must return no rows before the switch):
-- SELECT 1 FROM ${tbl(c.from)} o WHERE ${missing} LIMIT 1;`);
      steps.push({ phase: 'backfill', action: `copy ${displayName(c.from)} into ${displayName(c.to)} in batches of ${chunk}`, sql: [], rollback: `stop it; ${displayName(c.from)} is still the one in use` });
    }
  }

  const files: { name: string; sql: string; transaction: boolean }[] = [];
  const header = (phase: string): string => `-- schemaproof plan: ${phase}\nSET lock_timeout = '2s';\nSET statement_timeout = '5min';\n`;
  const byPhase = (p: Phase): PlanStep[] => steps.filter((s) => s.phase === p);
  if (byPhase('expand-types').length) files.push({ name: '00_expand_types.sql', sql: `-- schemaproof: transaction=off\n-- schemaproof plan: new enum values, each committed before anything uses it\nSET lock_timeout = '2s';\nSET statement_timeout = '5min';\n${byPhase('expand-types').flatMap((s) => [`-- ${s.action}`, ...s.sql]).join('\n')}\n`, transaction: false });
  if (byPhase('expand').length) files.push({ name: '01_expand.sql', sql: `${header('expand')}BEGIN;\n${byPhase('expand').flatMap((s) => [`-- ${s.action}`, ...s.sql]).join('\n')}\nCOMMIT;\n`, transaction: true });
  if (byPhase('expand-concurrent').length) files.push({ name: '02_expand_indexes.sql', sql: `-- schemaproof: transaction=off\n${byPhase('expand-concurrent').flatMap((s) => [`-- ${s.action}`, ...s.sql]).join('\n')}\n`, transaction: false });
  if (backfillSql.length) files.push({ name: '03_backfill.sql', sql: `-- schemaproof: transaction=off\n-- schemaproof plan: backfill (each statement commits on its own)\n${backfillSql.join('\n\n')}\n`, transaction: false });
  if (byPhase('validate').length) files.push({ name: '04_validate.sql', sql: `${header('validate')}${byPhase('validate').flatMap((s) => [`-- ${s.action}`, 'BEGIN;', ...s.sql, 'COMMIT;']).join('\n')}\n`, transaction: false });
  if (byPhase('contract').length) {
    // CONCURRENTLY cannot run in the transaction: those drops come after it. A VALIDATE also
    // waits for the commit, so the lock of the NOT VALID add is not held during its scan.
    const after = (s: PlanStep): boolean => Boolean(s.afterCommit) || s.sql.some((x) => /CONCURRENTLY/.test(x));
    const inTx = byPhase('contract').filter((s) => !after(s));
    const outTx = byPhase('contract').filter(after);
    const ignore = '-- schemaproof-ignore ban-drop-column, ban-drop-table, changing-column-type: contract phase, after every client stopped using the old shape';
    const body = [
      ...(inTx.length ? ['BEGIN;', ...inTx.flatMap((s) => [ignore, `-- ${s.action}`, ...s.sql]), 'COMMIT;'] : []),
      ...outTx.flatMap((s) => [`-- ${s.action}`, ...s.sql]),
    ];
    files.push({ name: '05_contract.sql', sql: `${header('contract (after the compatibility window; roll-forward only)')}${body.join('\n')}\n`, transaction: false });
  }

  const ordered = ORDER.flatMap((p) => byPhase(p));
  const md = [
    '# Migration plan', '',
    '| # | Phase | Step | Rollback |', '|---|---|---|---|',
    ...ordered.map((s, i) => `| ${i + 1} | ${s.phase} | ${s.action.replace(/\|/g, '\\|')} | ${s.rollback.replace(/\|/g, '\\|')} |`), '',
    '## Compatibility matrix', '',
    '| App version | Old schema | Expanded | Contracted |', '|---|---|---|---|',
    '| current (old shape) | yes | yes | no |', '| next (writes both, reads old) | no | yes | no |', '| switched (new shape only) | no | yes | yes |', '',
    '## Files, in apply order', '', ...files.map((f) => `- \`${f.name}\`${f.transaction ? '' : ' (outside a transaction)'}`), '',
  ].join('\n');
  return { steps: ordered, files, markdown: md };
}
