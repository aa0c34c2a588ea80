/**
 * The catalog: one model of the physical schema, built by applying statements in order.
 * Objects are keyed by `schema.name`; every object keeps the location of the DDL that made it.
 */
import type { Ast, Loc } from '../types.js';
import type { ColumnType } from '../load/sql/ast.js';

export type { ColumnType };

/** An expression kept as AST (to compare and analyse) and as source text (to show). */
export interface Expr {
  readonly ast: Ast;
  readonly text: string;
  readonly key: string;
  readonly columns: readonly string[];
}

export interface Column {
  name: string;
  type: ColumnType;
  notNull: boolean;
  default?: Expr;
  identity?: 'always' | 'by-default';
  generated?: Expr;
  /**
   * The sequence of a serial or identity column, in the table's schema: named
   * `<table>_<column>_seq` when the column is created, it keeps its name when the table or
   * column is renamed, and follows ALTER SEQUENCE ... RENAME TO.
   */
  sequence?: string;
  /** That sequence's options as declared (identity options, ALTER SEQUENCE, SET INCREMENT ...). */
  sequenceOptions?: SequenceOptions;
  comment?: string;
  loc: Loc;
}

export type ConstraintKind = 'primary' | 'unique' | 'foreign' | 'check' | 'exclusion';

export type FkAction = 'no action' | 'restrict' | 'cascade' | 'set null' | 'set default';

export interface Constraint {
  name: string;
  kind: ConstraintKind;
  columns: string[];
  /** Foreign keys: the referenced table key and columns (empty = its primary key). */
  ref?: { table: string; columns: string[] };
  onDelete?: FkAction;
  onUpdate?: FkAction;
  check?: Expr;
  /** Exclusion constraints: per element the column and operator. */
  exclusion?: { column?: string; operator: string }[];
  where?: Expr;
  notValid: boolean;
  deferrable: boolean;
  /** DEFERRABLE INITIALLY DEFERRED: checked at commit unless a transaction says otherwise. */
  initiallyDeferred: boolean;
  nullsNotDistinct?: boolean;
  loc: Loc;
}

export interface Table {
  key: string;
  schema: string;
  name: string;
  kind: 'table' | 'partitioned';
  /** For a partition: the parent's key. */
  partitionOf?: string;
  /** For a partition: its bound as SQL (`FOR VALUES FROM (...) TO (...)`, `IN (...)`, `WITH (...)`, `DEFAULT`). */
  partitionBound?: string;
  /** For a partitioned table: its key as people read it (`range (at)`). */
  partitionKey?: string;
  /** For a partitioned table: its PARTITION BY clause as SQL, without the keywords (`RANGE (at)`). */
  partitionBy?: string;
  columns: Column[];
  constraints: Constraint[];
  rls: boolean;
  forceRls: boolean;
  unlogged: boolean;
  inherits: string[];
  owner?: string;
  comment?: string;
  loc: Loc;
}

export interface IndexKey {
  column?: string;
  expr?: Expr;
  desc: boolean;
  nullsFirst?: boolean;
  opclass?: string;
}

export interface Index {
  key: string;
  schema: string;
  name: string;
  /** The table's key. */
  table: string;
  unique: boolean;
  method: string;
  keys: IndexKey[];
  include: string[];
  where?: Expr;
  /** Set when the index backs a primary key, unique or exclusion constraint. */
  constraint?: string;
  primary: boolean;
  nullsNotDistinct: boolean;
  comment?: string;
  loc: Loc;
}

export type PolicyCommand = 'all' | 'select' | 'insert' | 'update' | 'delete';

export interface Policy {
  name: string;
  table: string;
  command: PolicyCommand;
  permissive: boolean;
  roles: string[];
  using?: Expr;
  withCheck?: Expr;
  loc: Loc;
}

export interface Trigger {
  name: string;
  table: string;
  timing: 'before' | 'after' | 'instead of';
  events: ('insert' | 'update' | 'delete' | 'truncate')[];
  updateColumns: string[];
  forEachRow: boolean;
  /** The WHEN condition, if any. */
  when?: Expr;
  function: string;
  /** The CREATE TRIGGER statement as written (absent when it came nested in another statement). */
  sql?: string;
  loc: Loc;
}

export interface Func {
  key: string;
  schema: string;
  name: string;
  language: string;
  volatility: 'volatile' | 'stable' | 'immutable';
  returns: string;
  isProcedure: boolean;
  body?: string;
  /** The CREATE FUNCTION statement as written (absent when it came nested in another statement). */
  sql?: string;
  loc: Loc;
}

export interface EnumType { key: string; schema: string; name: string; values: string[]; loc: Loc }

export interface Domain {
  key: string; schema: string; name: string; baseType: ColumnType; notNull: boolean;
  checks: Expr[];
  /** The name of each check, in the order of `checks` (PostgreSQL's `<domain>_check` when unnamed). */
  checkNames: string[];
  /** The CREATE DOMAIN statement as written, while no ALTER DOMAIN changed it. */
  sql?: string;
  loc: Loc;
}

export interface View {
  key: string;
  schema: string;
  name: string;
  materialized: boolean;
  query: Ast;
  /** Keys of the tables and views the query reads, for DROP ... CASCADE. */
  dependsOn: string[];
  /** The CREATE VIEW statement as written (absent when it came nested in another statement). */
  sql?: string;
  loc: Loc;
  comment?: string;
}

export interface Sequence {
  key: string; schema: string; name: string; ownedBy?: string;
  /** The CREATE SEQUENCE statement as written (absent when it came nested in another statement). */
  sql?: string;
  /** Options as declared by CREATE and later ALTER SEQUENCE (absent: PostgreSQL's default; see `sequenceSettings`). */
  options: SequenceOptions;
  /** The options its CREATE statement (`sql`) declares, before any ALTER. */
  readonly createdWith: SequenceOptions;
  loc: Loc;
}

/** A sequence's declared options; integers as decimal strings (they reach 2^63). */
export interface SequenceOptions {
  as?: 'smallint' | 'integer' | 'bigint';
  increment?: string;
  minValue?: string;
  maxValue?: string;
  start?: string;
  cache?: string;
  cycle?: boolean;
}

/** A sequence's settings as PostgreSQL resolves them: defaults follow the type and the increment's sign. */
export interface SequenceSettings {
  readonly as: 'smallint' | 'integer' | 'bigint';
  readonly increment: string;
  readonly minValue: string;
  readonly maxValue: string;
  readonly start: string;
  readonly cache: string;
  readonly cycle: boolean;
}

const SEQUENCE_RANGE: Record<SequenceSettings['as'], [bigint, bigint]> = {
  smallint: [-32768n, 32767n],
  integer: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};

export function sequenceSettings(o: SequenceOptions): SequenceSettings {
  const as = o.as ?? 'bigint';
  const [low, high] = SEQUENCE_RANGE[as];
  const up = BigInt(o.increment ?? '1') > 0n;
  const minValue = o.minValue ?? String(up ? 1n : low);
  const maxValue = o.maxValue ?? String(up ? high : -1n);
  return { as, increment: o.increment ?? '1', minValue, maxValue, start: o.start ?? (up ? minValue : maxValue), cache: o.cache ?? '1', cycle: o.cycle ?? false };
}

export interface Role { name: string; loc: Loc }

export interface Grant {
  privileges: string[];
  objectType: string;
  objects: string[];
  grantees: string[];
  isGrant: boolean;
  loc: Loc;
}

/** A statement the catalog does not model, listed under --verbose. */
export interface Unmodelled { kind: string; loc: Loc; reason: string }

/** Something a statement asked that the model could not do (ALTER of a table never created). */
export interface CatalogProblem { message: string; loc: Loc; object: string }

/** A SET search_path whose first schema did not exist when an unqualified name was used after it. */
export interface SearchPathMiss {
  /** Where the path was set. */
  readonly loc: Loc;
  readonly schema: string;
  /** The schema PostgreSQL used instead (undefined: none of the path exists, PostgreSQL refuses the creation). */
  readonly used?: string;
  /** The kind of the first statement that met it. */
  readonly object: string;
}

export interface Catalog {
  readonly schemas: ReadonlySet<string>;
  readonly searchPathMisses: readonly SearchPathMiss[];
  readonly tables: ReadonlyMap<string, Table>;
  readonly indexes: ReadonlyMap<string, Index>;
  readonly policies: readonly Policy[];
  readonly triggers: readonly Trigger[];
  readonly functions: ReadonlyMap<string, Func>;
  readonly enums: ReadonlyMap<string, EnumType>;
  readonly domains: ReadonlyMap<string, Domain>;
  readonly views: ReadonlyMap<string, View>;
  readonly sequences: ReadonlyMap<string, Sequence>;
  readonly roles: ReadonlyMap<string, Role>;
  readonly grants: readonly Grant[];
  /** Privileges per object after every GRANT and REVOKE: `table:public.t` -> "grantee\tPRIVILEGE" entries. */
  readonly acl: ReadonlyMap<string, ReadonlySet<string>>;
  /** ALTER DEFAULT PRIVILEGES in force for the schema's own role: `public|table` or `*|function` -> entries. */
  readonly defaultAcl: ReadonlyMap<string, ReadonlySet<string>>;
  readonly extensions: ReadonlySet<string>;
  readonly unmodelled: readonly Unmodelled[];
  readonly problems: readonly CatalogProblem[];
}

/**
 * The DEFAULT partition of partitioned table `parent`, other than `except`: while there is one,
 * PostgreSQL refuses DETACH PARTITION ... CONCURRENTLY.
 */
export function defaultPartitionOf(cat: Pick<Catalog, 'tables'>, parent: string, except?: string): Table | undefined {
  for (const t of cat.tables.values()) if (t.partitionOf === parent && t.partitionBound === 'DEFAULT' && t.key !== except) return t;
  return undefined;
}

/** Display name: `orders` for public tables, `billing.invoices` otherwise. */
export function displayName(obj: { schema: string; name: string }): string {
  return obj.schema === 'public' ? obj.name : `${obj.schema}.${obj.name}`;
}
