/** The design file's shape (see schema/design.schema.json, the contract users edit against). */

export interface Ignore { rule: string; reason?: string }

export interface Lifecycle {
  column: string;
  states: string[];
  initial?: string;
  terminal?: string | string[];
  transitions?: { from: string | string[]; to: string; actor?: string; reason?: string }[];
}

export interface Entity {
  grain?: string;
  meaning?: string;
  owner?: string;
  tenant_scoped?: boolean;
  history?: boolean;
  pii?: string[];
  domain?: string;
  keys?: { primary?: string | string[]; natural?: string | string[]; public?: string | string[] };
  lifecycle?: Lifecycle;
  ignore?: Ignore[];
}

export type Enforcement = 'constraint' | 'transaction' | 'application' | 'async-validator' | 'operational';

export interface Invariant {
  id: string;
  rule: string;
  enforcement?: Enforcement | Enforcement[];
  enforced_by?: string | string[];
  drift_query?: string;
  violation?: string[];
  expect?: string | number;
  test?: string;
  monitoring?: string;
  repair?: string;
  ignore?: Ignore[];
}

export interface AccessPattern {
  id: string;
  name?: string;
  kind?: 'read' | 'write';
  sql: string;
  frequency?: string;
  latency_p95?: string;
  consistency?: 'strong' | 'eventual';
  replica_ok?: boolean;
  index?: string;
  rows?: number | string;
  ignore?: Ignore[];
}

export interface Conventions {
  tables?: 'snake_case_plural' | 'snake_case_singular' | 'snake_case';
  primary_key?: { column?: string; type?: string };
  standard_columns?: string[];
  soft_delete?: string;
  index_names?: { index?: string; unique?: string };
  enums?: 'check' | 'enum-type' | 'lookup-table';
  money?: string;
  rules?: Record<string, RuleSetting>;
}

export type RuleSetting = 'off' | 'error' | 'warning' | 'info' | { severity?: 'off' | 'error' | 'warning' | 'info'; options?: Record<string, unknown> };

export interface MigrationStep { action: string; owner?: string; guard?: string; rollback?: string; sql?: string; ignore?: Ignore[] }

export interface Design {
  design?: string;
  kind?: 'add-column' | 'new-table' | 'lifecycle' | 'module-redesign' | 'regulated' | 'multi-tenant';
  status?: string;
  owner?: string;
  risk?: 'low' | 'medium' | 'high' | 'critical';
  schema?: string;
  migrations?: string;
  migrations_format?: string;
  summary?: string;
  current?: string;
  problem?: { current?: string; goals?: string[]; non_goals?: string[]; success_criteria?: string[] };
  actors?: unknown[];
  commands?: unknown[];
  authority?: { data: string; owner?: string; consumers?: string | string[]; derived?: string | string[]; rebuildable?: boolean; rebuild?: string; ignore?: Ignore[] }[];
  glossary?: unknown[];
  entities?: Record<string, Entity>;
  invariants?: Invariant[];
  access_patterns?: AccessPattern[];
  volumes?: Record<string, { rows?: number | string; growth_per_month?: number | string; retention?: string; row_bytes?: number; distinct?: Record<string, number | string> }>;
  transactions?: unknown[];
  migration?: {
    strategy?: string;
    steps?: MigrationStep[];
    compatibility?: unknown;
    backfill?: { chunk_key?: string; chunk_size?: number | string; rate?: string; idempotent?: boolean; validation_query?: string };
    validation?: string[];
  };
  security?: {
    classification?: { column: string; level: string; protection?: string; reason?: string }[];
    roles?: { name: string; grants?: string | string[] }[];
    tenant_isolation?: { column?: string; rls?: boolean; policies?: string | string[]; setting?: string; role?: string };
    retention?: { table: string; period?: string; erasure?: string }[];
  };
  integration?: { surface: string; producer?: string; consumer?: string; contract?: string; delivery?: string; rebuildable?: boolean; rebuild?: string; ignore?: Ignore[] }[];
  observability?: { metrics?: unknown[]; runbooks?: string | string[] };
  recovery?: { scope: string; rpo?: string; rto?: string; method?: string; tested?: boolean; ignore?: Ignore[] }[];
  failure_modes?: unknown[];
  risks?: { risk: string; likelihood?: number; impact?: number; owner?: string; deadline?: string; mitigation?: string; ignore?: Ignore[] }[];
  tests?: unknown[];
  rollout?: unknown[];
  open_questions?: { question: string; owner?: string; deadline?: string; needed_for?: string; ignore?: Ignore[] }[];
  decisions?: unknown[];
  conventions?: Conventions;
  audit?: unknown;
  traceability?: unknown;
}

/** A list value, or none: for values the schema checks but code must not trust blindly. */
export function listOf<T>(v: T[] | unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

/** A text value, or undefined. */
export function textOf(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Turns `x` or `[x, y]` into a list. */
export function asList<T>(v: T | T[] | undefined | null): T[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}
