/**
 * The rls claims of a design: each tenant_scoped entity, found as a table, a view or a
 * materialized view. The setting's unset state is tried for every entity first, before any
 * probe sets the parameter (once set in a session it stays defined, as '').
 */
import type { Loc } from '../../types.js';
import type { Engine } from '../engine.js';
import type { LiveTable } from '../introspect.js';
import { type MissingProbe, probeUnset, proveRls, type TenantSettings } from './rls.js';
import { findView, type LiveRelation, proveViewRls, viewUnset } from './rls-view.js';
import type { Claim } from './types.js';

export interface ScopedEntity { readonly name: string; readonly loc: Loc }

type Target =
  | { kind: 'table'; e: ScopedEntity; table: LiveTable; unset?: MissingProbe }
  | { kind: 'view'; e: ScopedEntity; rel: LiveRelation; unset?: number | string };

/** A claim that stands without probing (the role cannot be used as it is), or undefined. */
export type RoleGuard = (id: string, object: string, loc: Loc) => Claim | undefined;

export async function proveTenantScoped(db: Engine, entities: readonly ScopedEntity[], tables: readonly LiveTable[], s: TenantSettings, guard: RoleGuard): Promise<Claim[]> {
  const claims: Claim[] = [];
  const targets: Target[] = [];
  for (const e of entities) {
    const table = tables.find((t) => t.name === e.name || `${t.schema}.${t.name}` === e.name);
    const rel = table ? undefined : await findView(db, e.name);
    if (!table && !rel) { claims.push({ kind: 'rls', id: e.name, object: e.name, status: 'refuted', reason: 'no table, view or materialized view of that name exists', evidence: {}, loc: e.loc }); continue; }
    const stop = guard(e.name, table?.sqlName ?? rel!.sqlName, e.loc);
    if (stop) { claims.push(stop); continue; }
    targets.push(table ? { kind: 'table', e, table } : { kind: 'view', e, rel: rel! });
  }
  for (const t of targets) {
    if (t.kind === 'table') t.unset = await probeUnset(db, t.table, s);
    else t.unset = await viewUnset(db, t.rel, s);
  }
  for (const t of targets) {
    claims.push(t.kind === 'table' ? await proveRls(db, t.table, s, t.e.loc, t.unset) : await proveViewRls(db, t.e.name, t.rel, s, t.e.loc, t.unset));
  }
  return claims;
}
