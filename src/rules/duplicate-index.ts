import type { Index } from '../catalog/model.js';
import { defineRule } from '../engine/rule.js';
import { keyId } from '../engine/util.js';

function sameShape(a: Index, b: Index): boolean {
  return a.method === b.method && (a.where?.key ?? '') === (b.where?.key ?? '');
}

const keyCache = new WeakMap<Index, string[]>();
function keysOf(ix: Index): string[] {
  let k = keyCache.get(ix);
  if (!k) {
    k = ix.keys.map((x) => `${keyId(x)}:${x.desc ? 'd' : 'a'}:${x.opclass ?? ''}`);
    keyCache.set(ix, k);
  }
  return k;
}

/**
 * Whether `a` is made redundant by `b`: same method and predicate, `a`'s keys a prefix of
 * `b`'s (or equal), `a`'s INCLUDE columns covered, and `a` enforcing no uniqueness `b` lacks.
 */
function redundant(a: Index, b: Index): boolean {
  if (a.keys.length > b.keys.length || !sameShape(a, b)) return false;
  const ka = keysOf(a);
  const kb = keysOf(b);
  if (ka.length > kb.length || !ka.every((k, i) => k === kb[i])) return false;
  if (!a.include.every((c) => b.include.includes(c) || b.keys.some((k) => k.column === c))) return false;
  if (a.unique) {
    // A unique index is only replaced by one that enforces the same uniqueness.
    if (!b.unique || ka.length !== kb.length || a.nullsNotDistinct !== b.nullsNotDistinct) return false;
  }
  if (a.method !== 'btree' && ka.length !== kb.length) return false;
  return true;
}

export default defineRule({
  id: 'duplicate-index',
  meta: {
    description: 'No index is identical to, or a leading prefix of, another index on the same table.',
    severity: 'warning',
    category: 'schema',
    messages: {
      identical: 'Index {index} is identical to {other}: it costs writes and storage and serves nothing {other} does not.',
      prefix: 'Index {index} ({keys}) is a leading prefix of {other}: queries it serves can use {other}.',
    },
  },
  check(ctx) {
    const byTable = new Map<string, Index[]>();
    for (const ix of ctx.catalog.indexes.values()) {
      const list = byTable.get(ix.table);
      if (list) list.push(ix); else byTable.set(ix.table, [ix]);
    }
    for (const list of byTable.values()) {
      if (list.length < 2) continue;
      const reported = new Set<string>();
      for (const a of list) {
        for (const b of list) {
          if (a === b || reported.has(a.key)) continue;
          if (!redundant(a, b)) continue;
          const identical = redundant(b, a);
          // Of two identical indexes, keep the one backing a constraint, else the earlier one.
          if (identical) {
            const keepA = (a.constraint && !b.constraint) || (!!a.constraint === !!b.constraint && (a.loc.line < b.loc.line || (a.loc.line === b.loc.line && a.name < b.name)));
            if (keepA || reported.has(b.key)) continue;
          } else if (a.constraint) continue;
          reported.add(a.key);
          ctx.report({
            messageId: identical ? 'identical' : 'prefix',
            data: { index: a.name, other: b.name, keys: a.keys.map((k) => k.column ?? 'expr').join(', ') },
            loc: a.loc,
            object: a.name,
            help: `DROP INDEX CONCURRENTLY ${a.name};`,
          });
        }
      }
    }
  },
});
