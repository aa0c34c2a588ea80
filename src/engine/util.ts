/** Helpers the rules share. */
import type { Column, Index, IndexKey, Policy, Table } from '../catalog/model.js';
import { displayName } from '../catalog/model.js';
import type { RuleContext } from './rule.js';

export { displayName };

/** Tables a rule should look at: partitions inherit their parent's design and are skipped. */
export function ownTables(ctx: RuleContext): Table[] {
  return [...ctx.catalog.tables.values()].filter((t) => !t.partitionOf);
}

export function colObject(t: Table, c: Column | string): string {
  return `${displayName(t)}.${typeof c === 'string' ? c : c.name}`;
}

export function keyId(k: IndexKey): string {
  return k.column !== undefined ? `c:${k.column}` : `e:${k.expr?.key ?? '?'}`;
}

export function indexKeyText(ix: Index): string {
  return ix.keys.map((k) => (k.column ?? `(${k.expr?.text ?? 'expr'})`) + (k.desc ? ' DESC' : '')).join(', ');
}

/** Words of a snake_case name. */
export function words(name: string): string[] {
  return name.toLowerCase().split(/[_\s]+/).filter(Boolean);
}

export function isTextLike(c: Column): boolean {
  return ['text', 'varchar', 'bpchar', 'citext'].includes(c.type.name) && !c.type.array;
}

export function designTables(ctx: RuleContext): string[] {
  return Object.keys(ctx.design?.entities ?? {});
}

/** Pointer segment escaping for design paths. */
export function seg(s: string | number): string {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The tenant setting the design declares (security.tenant_isolation.setting), when it is text. */
export function declaredTenantSetting(ctx: RuleContext): string | undefined {
  const declared = ctx.design?.security?.tenant_isolation?.setting;
  return typeof declared === 'string' ? declared : undefined;
}

/** Every policy with the display name of its table. */
export function policiesWithTable(ctx: RuleContext): { policy: Policy; table: string }[] {
  return ctx.catalog.policies.map((policy) => {
    const t = ctx.catalog.tables.get(policy.table);
    return { policy, table: t ? displayName(t) : policy.table };
  });
}
