/**
 * The `prove` pipeline: load (as check does), start a throwaway engine, apply the schema,
 * fill it with generated data, then put each claim of the design to PostgreSQL.
 */
import { check, type CheckOptions, type CheckResult, type InputError } from '../check/run.js';
import { asList } from '../load/design/types.js';
import type { Loc } from '../types.js';
import type { Engine } from './engine.js';
import { type ApplyResult, applySchema } from './apply.js';
import { proveAccessPattern } from './claims/access-pattern.js';
import { hasConcurrencyClaim, proveConcurrency } from './claims/concurrency.js';
import { proveDrift } from './claims/drift.js';
import { proveInvariant } from './claims/invariant.js';
import { proveTenantScoped } from './claims/rls-entities.js';
import type { Claim, ClaimStatus } from './claims/types.js';
import { generate, type TableFill, volumesOf } from './generate.js';
import { introspect } from './introspect.js';
import { openEngine } from './open.js';
import { rolesCreated } from './cluster-wide.js';
import { redactDeep } from '../secrets.js';

export interface ProveOptions extends CheckOptions {
  /** A server to prove on (a throwaway database is created there). */
  readonly databaseUrl?: string;
  /** Start a throwaway local cluster from initdb/pg_ctl on PATH. */
  readonly localServer?: boolean;
  readonly seed?: string;
  /** Rows of the largest table; the others keep the design's proportions (default 10,000). */
  readonly scale?: number;
  /** The result of check() on these same inputs, when the caller already has it (not run again). */
  readonly checked?: CheckResult;
}

export interface ProveResult {
  readonly ok: true;
  readonly version: 1;
  readonly engine: 'pglite' | 'server';
  readonly isolation: string;
  readonly claims: Claim[];
  readonly summary: { proven: number; refuted: number; unproven: number };
  readonly data: TableFill[];
  /** Roles the schema creates that already existed on the server: used as they are, never altered. */
  readonly reusedRoles: string[];
  /** What the user should know about where the proof ran (a superuser URL, something not dropped). */
  readonly warnings: string[];
  readonly timings: { serverStartMs: number; startupMs: number; applyMs: number; generateMs: number; claimsMs: number; totalMs: number };
}

export const DEFAULT_SCALE = 10_000;

const ORDER: Record<ClaimStatus, number> = { refuted: 0, unproven: 1, proven: 2 };

export function sortClaims(claims: Claim[]): Claim[] {
  const kinds = ['schema-applies', 'invariant', 'concurrency', 'access-pattern', 'drift', 'rls'];
  return [...claims].sort((a, b) => ORDER[a.status] - ORDER[b.status] || kinds.indexOf(a.kind) - kinds.indexOf(b.kind) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The schema-applies claim of one file: refuted by its first failure; skipped statements listed with their lines. */
function schemaClaim(a: ApplyResult): Claim {
  const skipped = a.skipped.slice(0, 50).map((x) => ({ line: x.loc.line, column: x.loc.column, reason: x.reason }));
  if (a.failures.length) {
    const first = a.failures[0]!;
    return {
      kind: 'schema-applies', id: a.file, object: a.file, status: 'refuted', loc: first.loc,
      reason: `${a.failures.length} statement(s) failed; first at line ${first.loc.line}: ${first.message}${a.skipped.length ? `; ${a.skipped.length} skipped or changed` : ''}`,
      evidence: { applied: a.applied, failures: a.failures.slice(0, 10).map((f) => ({ line: f.loc.line, column: f.loc.column, sqlstate: f.code, error: f.message, statement: f.statement })), skipped },
    };
  }
  const why = [...new Set(a.skipped.map((x) => x.reason))];
  return {
    kind: 'schema-applies', id: a.file, object: a.file, status: 'proven', loc: { file: a.file, line: 1, column: 1 },
    reason: `${a.applied} statements applied${a.skipped.length ? `, ${a.skipped.length} skipped or changed (${why.slice(0, 3).join('; ')}${why.length > 3 ? '; ...' : ''})` : ''}`,
    evidence: { applied: a.applied, skipped },
  };
}

/**
 * Each claim starts from a clean session: on a server its own connection (as the throwaway
 * role, default settings), on PGlite the one session with every setting reset. A setting a
 * claim left (a tenant set to '') then cannot change how the next one fails. The search_path
 * the schema ended with is kept (the old session's, and what the design's unqualified names
 * were written against), unless it was emptied (pg_dump's set_config('search_path', '')).
 */
function freshSessions(engine: Engine, searchPath: string): <T>(fn: (db: Engine) => Promise<T>) => Promise<T> {
  const restorePath = async (db: { query: Engine['query'] }): Promise<void> => {
    if (searchPath.trim()) await db.query("SELECT set_config('search_path', $1, false)", [searchPath]);
  };
  return async <T>(fn: (db: Engine) => Promise<T>): Promise<T> => {
    if (!engine.openSession) {
      await engine.exec('RESET ALL');
      await restorePath(engine);
      return fn(engine);
    }
    const s = await engine.openSession();
    try {
      await restorePath(s);
      return await fn({ ...engine, exec: s.exec, query: s.query });
    } finally {
      await s.close();
    }
  };
}

/** A policy claim the run's roles cannot honestly make: the role existed before, or was asked to bypass RLS. */
function rlsRoleGuard(engine: Engine, role: string | undefined, id: string, object: string, loc: Loc): Claim | undefined {
  if (!role) return undefined;
  if (engine.declaredBypass?.has(role)) {
    return { kind: 'rls', id, object, loc, status: 'refuted', reason: `the schema creates role ${role} with SUPERUSER or BYPASSRLS: row-level security does not apply to it`, evidence: { role } };
  }
  if (engine.reusedRoles.includes(role)) {
    return { kind: 'rls', id, object, loc, status: 'unproven', reason: `role ${role} already existed on the server: it is used as it is and not granted to the throwaway role, so the policies cannot be exercised as it (prove on PGlite or --local-server)`, evidence: { role } };
  }
  return undefined;
}

export async function prove(options: ProveOptions): Promise<ProveResult | InputError> {
  const t0 = performance.now();
  const checked = options.checked ?? await check(options);
  if (!checked.ok) return checked;
  const loaded = checked.design;
  const design = loaded?.design;
  const at = (path: string): Loc | undefined => loaded?.at(path);

  const opened = await openEngine({ databaseUrl: options.databaseUrl, localServer: options.localServer, extensions: [...checked.catalog.extensions], roles: rolesCreated(checked.statements) });
  if (!opened.ok) return opened;
  const { engine, serverStartMs } = opened;
  const startupMs = engine.startupMs;
  const claims: Claim[] = [];
  let fills: TableFill[] = [];
  let applyMs = 0;
  let generateMs = 0;
  let claimsMs = 0;
  try {
    const ta = performance.now();
    const applied = await applySchema(engine, checked.statements);
    applyMs = performance.now() - ta;
    for (const a of applied) claims.push(schemaClaim(a));
    if (!applied.length) claims.push({ kind: 'schema-applies', id: 'schema', object: 'schema', status: 'unproven', reason: 'no schema statements to apply', evidence: {} });
    const fresh = freshSessions(engine, String((await engine.query("SELECT current_setting('search_path') AS p")).rows[0]?.p ?? ''));

    const tg = performance.now();
    const tables = await introspect(engine);
    fills = await generate(engine, tables, {
      seed: options.seed ?? 'schemaproof', cap: options.scale ?? DEFAULT_SCALE, volumes: volumesOf(design),
      tenantColumn: design?.security?.tenant_isolation?.column ?? (Object.values(design?.entities ?? {}).some((e) => e.tenant_scoped) ? 'tenant_id' : undefined),
    });
    generateMs = performance.now() - tg;

    const tc = performance.now();
    for (const [i, q] of (design?.access_patterns ?? []).entries()) {
      if (typeof q.sql !== 'string') continue;
      claims.push(await fresh((db) => proveAccessPattern(db, q, at(`/access_patterns/${i}`)!)));
    }
    for (const [i, inv] of (design?.invariants ?? []).entries()) {
      const loc = at(`/invariants/${i}`)!;
      claims.push(await fresh((db) => proveInvariant(db, inv, tables, loc, checked.catalog)));
      const dq = inv.drift_query;
      if (typeof dq === 'string') {
        claims.push(await fresh((db) => proveDrift(db, inv.id ?? `invariants[${i}]`, dq, asList(inv.enforcement).includes('constraint'), at(`/invariants/${i}/drift_query`)!)));
      }
    }
    const m = design?.migration;
    const bq = m?.backfill?.validation_query;
    if (typeof bq === 'string') claims.push(await fresh((db) => proveDrift(db, 'migration.backfill', bq, false, at('/migration/backfill/validation_query')!)));
    for (const [j, v] of (Array.isArray(m?.validation) ? m!.validation : []).entries()) {
      if (typeof v === 'string') claims.push(await fresh((db) => proveDrift(db, `migration.validation[${j}]`, v, false, at(`/migration/validation/${j}`)!)));
    }
    const ti = design?.security?.tenant_isolation;
    const scoped = Object.entries(design?.entities ?? {}).filter(([, e]) => e.tenant_scoped).map(([name]) => ({ name, loc: at(`/entities/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`)! }));
    claims.push(...await proveTenantScoped(engine, scoped, tables, { column: ti?.column ?? 'tenant_id', setting: ti?.setting, role: ti?.role }, (id, object, loc) => rlsRoleGuard(engine, ti?.role, id, object, loc)));
    // Concurrency commits its setup rows, so it runs after every other claim.
    for (const [i, inv] of (design?.invariants ?? []).entries()) {
      if (hasConcurrencyClaim(inv)) claims.push(await proveConcurrency(engine, inv, at(`/invariants/${i}/violation`)!, checked.catalog, { transactions: design?.transactions }));
    }
    claimsMs = performance.now() - tc;
  } finally {
    await opened.close();
  }
  const sorted = sortClaims(claims);
  const summary = { proven: 0, refuted: 0, unproven: 0 };
  for (const c of sorted) summary[c.status]++;
  return redactDeep({
    ok: true as const, version: 1 as const, engine: engine.kind, isolation: engine.isolation, claims: sorted, summary, data: fills,
    reusedRoles: [...engine.reusedRoles], warnings: [...engine.warnings],
    timings: { serverStartMs, startupMs, applyMs, generateMs, claimsMs, totalMs: performance.now() - t0 },
  });
}
